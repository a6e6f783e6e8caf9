"""Google News on loopback: a search RSS of current-format links and Google's two steps.

Shapes as Google serves them (see crawler/gnews.py for the sources): the search RSS with
`/rss/articles/<id>?oc=5` links and a <source> per item; the article page with data-n-a-sg and
data-n-a-ts on `c-wiz > div[jscontroller]`; `/articles/<id>` answered with a redirect to a
'sorry' page, as Google answers non-browser clients; and the batchexecute endpoint, which reads
the posted f.req, checks the Fbv4je call against the signature it served, and answers `)]}'`
then JSON rows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from schedules.replica import Outlet, send

BATCHEXECUTE = "/_/DotsSplashUi/data/batchexecute"
ERROR_ANSWER = ")]}'\n\n" + json.dumps([["er", None, None, None, None, 400, None, None, None, 3]])


def new_format_id(seed: str) -> str:
    """A current-format article id: a protobuf whose field 4 is an opaque "AU_yqL..." key."""
    digest = hashlib.sha256(seed.encode()).digest() * 3
    key = b"AU_yqL" + base64.urlsafe_b64encode(digest).rstrip(b"=")[:80]
    payload = b"\x08\x13\x22" + bytes([len(key)]) + key
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def article_page(token: str, signature: str, timestamp: int) -> str:
    return (
        '<!doctype html><html lang="en-US" dir="ltr"><head><base href="https://news.google.com/">'
        '<title>Google News</title></head><body jscontroller="ol8Dhd"><c-wiz jsrenderer="lW1Lhc"'
        f' jsshadow jsdata="deferred-i1" data-node-index="0;0"><div jscontroller="aLI87" '
        f'data-n-a-id="{token}" data-n-a-ts="{timestamp}" data-n-a-sg="{signature}">'
        f'<a href="./rss/articles/{token}">Opening</a></div></c-wiz></body></html>'
    )


CONSENT_WALL = (
    "<html><head><title>Before you continue to Google</title></head><body>"
    '<form action="https://consent.google.com/save"><button>Accept all</button></form>'
    "</body></html>"
)


@dataclass
class Story:
    token: str
    publisher_url: str
    title: str
    outlet: str
    signature: str
    timestamp: int
    answers: list = field(default_factory=list)  # (status, body) answers, the last one repeated


class GoogleNewsReplica:
    """The search RSS, article pages and batchexecute endpoint of one loopback outlet."""

    def __init__(self, outlet: Outlet) -> None:
        self.outlet = outlet
        self.stories: dict[str, Story] = {}
        self.calls: list[list] = []  # the Fbv4je calls received, as posted
        outlet.handle(BATCHEXECUTE, self._batchexecute)

    def link(self, token: str, form: str = "rss/articles") -> str:
        return self.outlet.url(f"/{form}/{token}") + ("?oc=5" if form == "rss/articles" else "")

    def add(
        self,
        publisher_url: str,
        title: str,
        outlet: str,
        *,
        page: str | None = None,
        page_status: int = 200,
        answers: list | None = None,
    ) -> str:
        """A story behind a new-format id; `page`, `page_status` and `answers` break a step."""
        token = new_format_id(publisher_url + title)
        signature = "AZ5r3e" + hashlib.sha1(token.encode()).hexdigest()[:22]
        story = Story(token, publisher_url, title, outlet, signature, 1772798585)
        story.answers = answers or [(200, garturlres_answer(publisher_url))]
        self.stories[token] = story
        body = page if page is not None else article_page(token, signature, story.timestamp)
        self.outlet.put(f"/rss/articles/{token}", body, status=page_status)
        sorry = self.outlet.url(f"/sorry/index?continue={token}")
        self.outlet.handle(f"/articles/{token}", lambda h: send(h, 302, Location=sorry))
        return token

    def publish_search(self, links: list[str]) -> None:
        """The search RSS (/rss/search), one item per link, in the order given."""
        now = time.time()
        items = []
        for link in links:
            story = self.stories[link.split("/")[-1].split("?")[0]]
            description = escape(f'<a href="{link}">{story.title}</a>')
            items.append(
                f"<item><title>{escape(story.title)} - {escape(story.outlet)}</title>"
                f'<link>{escape(link)}</link><guid isPermaLink="false">{story.token}</guid>'
                f"<pubDate>{formatdate(now - 3600, usegmt=True)}</pubDate>"
                f"<description>{description}</description>"
                f'<source url="https://{story.outlet.lower()}.example">{escape(story.outlet)}'
                "</source></item>"
            )
        self.outlet.put(
            "/rss/search",
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<generator>NFE/5.0</generator><title>Google News</title>"
            f"<link>https://news.google.com/search</link>{''.join(items)}</channel></rss>",
            "application/xml; charset=utf-8",
        )

    def _batchexecute(self, handler) -> None:
        call = _posted_call(handler.seen.body)
        self.calls.append(call)
        story = self.stories.get(call[2]) if call else None
        if story is None or call[3:5] != [story.timestamp, story.signature]:
            send(handler, 400, ERROR_ANSWER.encode(), "application/json; charset=utf-8")
            return
        status, body = story.answers.pop(0) if len(story.answers) > 1 else story.answers[0]
        send(handler, status, body.encode(), "application/json; charset=utf-8")


def _posted_call(body: bytes) -> list | None:
    """The Fbv4je call inside a posted f.req, or None when the form is not that shape."""
    try:
        (f_req,) = parse_qs(body.decode())["f.req"]
        ((rpc, payload, *_),) = json.loads(f_req)[0]
        call = json.loads(payload)
    except (KeyError, ValueError, TypeError):
        return None
    return call if rpc == "Fbv4je" and call[0] == "garturlreq" and len(call) == 5 else None


def garturlres_answer(url: str) -> str:
    """Google's answer giving the publisher's URL."""
    result = json.dumps(["garturlres", url, 1])
    rows = [["wrb.fr", "Fbv4je", result, None, None, None, "generic"], ["di", 23]]
    return ")]}'\n\n" + json.dumps(rows) + "\n"


def error_answer(code: int = 3) -> str:
    """Google's answer when it will not resolve the id: a null result and an error code."""
    return ")]}'\n\n" + json.dumps([["wrb.fr", "Fbv4je", None, None, None, [code], "generic"]])
