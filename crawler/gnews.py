"""Google News article links: from news.google.com/rss/articles/<id> to the publisher's URL.

Two formats of article id exist (both seen in Google News RSS):

- old (until mid-2024): the id is a base64url protobuf whose field 4 is the publisher's URL
  (`CBMiQ2h0dHBzOi8v...`); it is decoded here, offline.
- current: field 4 is an opaque key (`CBMi...QVVfeXFM...`, "AU_yqL..."). Google resolves it in
  two steps, as its own web app does and as the maintained `googlenewsdecoder` package
  (SSujitX/google-news-url-decoder, `_parse.py`) documents:
  1. the article page (`/rss/articles/<id>`) carries a signature and a timestamp in the
     `data-n-a-sg` / `data-n-a-ts` attributes of a `c-wiz > div[jscontroller]` element;
  2. a POST of the form field `f.req` (the "Fbv4je" rpc: ["garturlreq", <client context>, id,
     timestamp, signature]) to `/_/DotsSplashUi/data/batchexecute` answers `)]}'` and JSON
     rows, one of them ["wrb.fr", "Fbv4je", "[\\"garturlres\\",\\"<publisher URL>\\",1]", ...].

The pure functions below do each step's parsing and building; `GoogleNews` is the spider's
helper that turns a step's response into the next Scrapy request, so politeness, retries and
the address guard apply to Google's steps as to any fetch.

Errors: every unexpected shape raises `GoogleNewsError`, a one-line reason.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import lxml.html
from lxml import etree
from scrapy import FormRequest
from scrapy.http import Response

__all__ = [
    "BATCHEXECUTE_PATH",
    "DEFAULT_HOSTS",
    "GoogleNews",
    "GoogleNewsError",
    "Signature",
    "article_id",
    "batchexecute_form",
    "decode_old_id",
    "is_google_news_link",
    "page_signature",
    "publisher_url",
]

DEFAULT_HOSTS = ("news.google.com",)
HOSTS_SETTING = "STORYWATCH_GOOGLE_NEWS_HOSTS"
LINK_META = "google_news_link"  # on a publisher request: the Google News link it came from
BATCHEXECUTE_PATH = "/_/DotsSplashUi/data/batchexecute"
RPC_ID = "Fbv4je"
# The client context Google's web app sends with "garturlreq" (placeholders where it sends its
# locale and experiment ids; googlenewsdecoder sends the same and Google accepts it).
_LOCALE = ["X", "X", ["X", "X"], None, None, 1, 1, "US:en", None, 1] + [None] * 5 + [0, 1]
_CLIENT_CONTEXT = [_LOCALE, "X", "X", 1, [1, 1, 1], 1, 1, None, 0, 0, None, 0]
_ID_PATH = re.compile(r"^/(?:rss/)?(?:articles|read)/([A-Za-z0-9_-]+)/?$")
_XSSI_PREFIX = ")]}'"


class GoogleNewsError(ValueError):
    """A Google News step answered in a shape storywatch does not read (one-line reason)."""


@dataclass(frozen=True, slots=True)
class Signature:
    """What the article page gives for step 2: data-n-a-sg and data-n-a-ts (Unix seconds)."""

    signature: str
    timestamp: int


def _host(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower()


def _matches(url: str, hosts: Iterable[str]) -> bool:
    """`hosts` holds host names, or host:port pairs (a loopback replica)."""
    parts = urlsplit(url)
    names = {name.lower() for name in hosts}
    return _host(url) in names or parts.netloc.lower() in names


def article_id(url: str, hosts: Iterable[str] = DEFAULT_HOSTS) -> str | None:
    """The id of a Google News article link (/rss/articles/<id>, /articles/<id>, /read/<id>
    on one of `hosts`), or None for any other URL."""
    if not _matches(url, hosts):
        return None
    found = _ID_PATH.match(urlsplit(url).path)
    return found.group(1) if found else None


def is_google_news_link(url: str, hosts: Iterable[str] = DEFAULT_HOSTS) -> bool:
    """A link to a Google News article page, not to the article itself."""
    return article_id(url, hosts) is not None


def decode_old_id(token: str) -> str | None:
    """The publisher's URL inside an old-format id (field 4 of its protobuf), else None.

    A current-format id decodes too, but its field 4 is an opaque key ("AU_yqL..."), not a URL.
    """
    try:
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    for field, value in _protobuf_fields(payload):
        if field == 4 and value.startswith((b"http://", b"https://")):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _protobuf_fields(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(field number, bytes) of the length-delimited fields; stops at anything else or a cut."""
    at = 0
    while at < len(data):
        tag, at = _varint(data, at)
        kind = tag & 7
        if kind == 0:
            _, at = _varint(data, at)
        elif kind == 2:
            size, at = _varint(data, at)
            if at + size > len(data):
                return
            yield tag >> 3, data[at : at + size]
            at += size
        else:
            return


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(data):
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
    return value, len(data) + 1  # cut short: the caller's loop ends


def page_signature(html: str | bytes) -> Signature:
    """Step 1: the signature and timestamp on a Google News article page.

    Read from the first element carrying both data-n-a-sg and data-n-a-ts (Google puts them on
    `c-wiz > div[jscontroller]`), entities unescaped. Raises GoogleNewsError when absent.
    """
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise GoogleNewsError(f"the Google News page is not HTML ({error})") from None
    nodes = root.xpath("//*[@data-n-a-sg and @data-n-a-ts]")
    if not nodes:
        raise GoogleNewsError("the Google News page carries no signature (data-n-a-sg/ts)")
    signature, timestamp = nodes[0].get("data-n-a-sg").strip(), nodes[0].get("data-n-a-ts").strip()
    if not (signature and timestamp.isdigit()):
        raise GoogleNewsError(f"the Google News page's signature is unreadable ({timestamp!r})")
    return Signature(signature, int(timestamp))


def batchexecute_form(token: str, signed: Signature) -> dict[str, str]:
    """Step 2's form: {"f.req": JSON of one "Fbv4je" call asking for the id's publisher URL}."""
    call = ["garturlreq", _CLIENT_CONTEXT, token, signed.timestamp, signed.signature]
    envelope = [[[RPC_ID, json.dumps(call, separators=(",", ":")), None, "generic"]]]
    return {"f.req": json.dumps(envelope, separators=(",", ":"))}


def publisher_url(answer: str | bytes) -> str:
    """Step 2's answer: the publisher's URL from the "garturlres" row of a batchexecute reply.

    Reads both reply forms: `)]}'` then one JSON array of rows, and the chunked form (`rt=c`)
    where each JSON line follows a line giving its length. Raises GoogleNewsError otherwise.
    """
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
    text = text.lstrip()
    if not text.startswith(_XSSI_PREFIX):
        raise GoogleNewsError("the batchexecute answer lacks its )]}' prefix")
    for row in _rows(text[len(_XSSI_PREFIX) :]):
        if len(row) > 2 and row[0] == "wrb.fr" and row[1] == RPC_ID:
            return _garturlres(row)
    raise GoogleNewsError("the batchexecute answer has no Fbv4je row")


def _rows(body: str) -> Iterator[list]:
    try:
        chunks = [json.loads(body)]
    except ValueError:
        lines = [line for line in body.splitlines() if line.strip()]
        try:
            chunks = [json.loads(line) for line in lines if not line.strip().isdigit()]
        except ValueError as error:
            raise GoogleNewsError(f"the batchexecute answer is not JSON ({error})") from None
    for chunk in chunks:
        if isinstance(chunk, list):
            yield from (row for row in chunk if isinstance(row, list))


def _garturlres(row: list) -> str:
    if not isinstance(row[2], str):
        code = row[5] if len(row) > 5 else None
        raise GoogleNewsError(f"batchexecute answered Fbv4je without a result (error {code})")
    try:
        result = json.loads(row[2])
    except ValueError:
        raise GoogleNewsError("the Fbv4je result is not JSON") from None
    if not (isinstance(result, list) and len(result) > 1 and result[0] == "garturlres"):
        raise GoogleNewsError(f"the Fbv4je result is not a garturlres: {row[2][:80]}")
    url = result[1]
    if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise GoogleNewsError(f"the garturlres result is not a web address: {str(url)[:80]}")
    return url


class GoogleNews:
    """The spider's Google News steps, for the hosts that count as Google News.

    Settings: STORYWATCH_GOOGLE_NEWS_HOSTS, a list of host names or host:port pairs (default
    news.google.com; tests point it at a loopback replica).
    """

    def __init__(self, hosts: Iterable[str] = DEFAULT_HOSTS) -> None:
        self.hosts = tuple(hosts)

    @classmethod
    def from_crawler(cls, crawler) -> GoogleNews:
        return cls(crawler.settings.getlist(HOSTS_SETTING) or DEFAULT_HOSTS)

    def is_link(self, url: str) -> bool:
        return is_google_news_link(url, self.hosts)

    def page_url(self, url: str) -> str | None:
        """The article page to fetch for a Google News link (None for other URLs).

        /articles/<id> and /read/<id> answer non-browser clients with a redirect to a 'sorry'
        page; /rss/articles/<id> answers the page (googlenewsdecoder, `params_page_url`).
        """
        token = article_id(url, self.hosts)
        if token is None:
            return None
        parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{parts.scheme}://{parts.netloc}/rss/articles/{token}{query}"

    def answered_by_google(self, listed: str, final: str) -> bool:
        """The response to a Google News link is Google's (its page, a consent or 'sorry'
        page), not the publisher's; or an article address led back to Google News."""
        host = _host(final)
        google = _matches(final, self.hosts) or host == "google.com" or host.endswith(".google.com")
        return self.is_link(final) or (self.is_link(listed) and google)

    def lookup_request(self, response: Response, listed: str, **kwargs) -> FormRequest:
        """Step 2 from step 1's page: the batchexecute POST on the page's own host.

        `kwargs` go to the request (callback, errback, cb_kwargs, meta). Raises GoogleNewsError
        when a publisher's address led back to Google, the link has no id or the page no
        signature.
        """
        if response.meta.get(LINK_META):
            raise GoogleNewsError("news-search link did not lead to the publisher")
        token = article_id(listed, self.hosts) or article_id(response.url, self.hosts)
        if token is None:
            raise GoogleNewsError("no Google News article id in the link")
        form = batchexecute_form(token, page_signature(response.body))
        base = urlsplit(response.url if _matches(response.url, self.hosts) else listed)
        url = f"{base.scheme}://{base.netloc}{BATCHEXECUTE_PATH}?{urlencode({'rpcids': RPC_ID})}"
        # One POST per link: the body differs, the URL does not; no URL-keyed filter may drop it.
        return FormRequest(url, formdata=form, dont_filter=True, **kwargs)

    def publisher(self, response: Response) -> str:
        """Step 2's answer: the publisher's URL, which must lead off Google News."""
        url = publisher_url(response.body)
        if self.is_link(url):
            raise GoogleNewsError(f"batchexecute gave another Google News link: {url}")
        return url

    def failure_line(self, failure, link: str) -> str:
        """The one line for a failed batchexecute request, naming the Google News link."""
        value = failure.value
        response = getattr(value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else str(value)
        return f"article {link}: Google News lookup failed ({reason or type(value).__name__})"
