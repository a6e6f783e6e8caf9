"""URL canonicalisation: one spelling per page, so one article is one record.

Variants that collapse: letter case of scheme and host, default ports, tracking parameters,
parameter order, fragments, trailing slashes, AMP renderings (`/amp`, `.amp`, `?amp=1`, `amp.`
hosts, AMP-cache wrappers), session ids (`;jsessionid=` path parameters; PHPSESSID, sessionid
and the like in the query; `sid` only when its value is token-shaped, since Slashdot-style
`article.pl?sid=24/06/01/1234` names the story). The scheme (http/https) and `www.` are kept: they can be different
servers, and the canonical URL is also what gets fetched again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract
from w3lib.url import safe_url_string

__all__ = [
    "canonicalize_url",
    "choose_canonical",
    "is_amp",
    "reader_address",
    "registered_domain",
    "same_site",
]

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "smtyp",
        "sr_share",
        "spm",
        "share",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "ito",
        "itm_source",
        "itm_medium",
        "itm_campaign",
        "s_cid",
        "amp",
    }
)
# Session ids: one visitor's session, never part of a page's identity (one article was fetched
# six times in a run, a new URL row each run, before these went).
SESSION_PARAMS = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "sessionid",
        "session_id",
        "aspsessionid",
        "cfid",
        "cftoken",
        "oscsid",
        "zenid",
        "sess_id",
    }
)
_SESSION_PATH = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/;?#]*", re.IGNORECASE)
_SESSION_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,}$")
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_PATH = re.compile(r"(/amp/?$|\.amp$|\.amp(?=\.html?$)|/amp\.html?$)", re.IGNORECASE)
_AMP_CACHE = re.compile(r"^/[cvi]/(?:s/)?(?P<rest>.+)$")

_extract = tldextract.TLDExtract(suffix_list_urls=())  # the bundled list: no network at run time


def canonicalize_url(url: str) -> str:
    """The one spelling of a URL that all its variants share (idempotent)."""
    url = _unwrap_amp_cache(safe_url_string(url.strip()))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port in (None, _DEFAULT_PORTS.get(scheme)) else f"[{host}]:{port}"
    return urlunsplit((scheme, netloc, _clean_path(parts.path), _clean_query(parts.query), ""))


def is_amp(url: str) -> bool:
    """An AMP rendering (an `amp.` host, an AMP-cache wrapper, an `/amp` path, `?amp=1`)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return (
        host.startswith("amp.")
        or host.endswith(".cdn.ampproject.org")
        or bool(_AMP_PATH.search(parts.path))
        or parts.path.lower().startswith("/amp/")
        or any(key.lower() == "amp" for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    )


def _unwrap_amp_cache(url: str) -> str:
    """https://example-com.cdn.ampproject.org/c/s/example.com/a -> https://example.com/a"""
    parts = urlsplit(url)
    if not (parts.hostname or "").endswith(".cdn.ampproject.org"):
        return url
    match = _AMP_CACHE.match(parts.path)
    if not match:
        return url
    scheme = "https" if parts.path[2:5] == "/s/" else "http"
    return f"{scheme}://{match.group('rest')}" + (f"?{parts.query}" if parts.query else "")


def _clean_path(path: str) -> str:
    path = _SESSION_PATH.sub("", path)
    path = re.sub(r"/{2,}", "/", path or "/")
    if path.lower().startswith("/amp/"):
        path = path[4:]
    path = _AMP_PATH.sub("", path) or "/"
    return path.rstrip("/") or "/"


def _clean_query(query: str) -> str:
    pairs = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(key) and not _is_session(key, value)
    ]
    return urlencode(sorted(pairs))


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _is_session(key: str, value: str) -> bool:
    key = key.lower()
    if key == "sid":
        return bool(_SESSION_TOKEN.match(value))
    return key in SESSION_PARAMS


@lru_cache(maxsize=4096)
def registered_domain(url_or_host: str) -> str:
    """bbc.co.uk for https://www.bbc.co.uk/news; the bare host for IPs and local names."""
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    host = (host or "").lower().rstrip(".")
    extracted = _extract(host)
    if extracted.domain and extracted.suffix:
        return f"{extracted.domain}.{extracted.suffix}"
    return host.removeprefix("www.")  # an unlisted suffix (.example, .local) or an IP


def same_site(a: str, b: str) -> bool:
    return registered_domain(a) == registered_domain(b)


def choose_canonical(fetched_url: str, declared: str | None) -> str:
    """The page's own rel=canonical when it points within the same site, else the fetched URL.

    A canonical on another site is a claim, not an identity: trusting it would let any page
    overwrite another outlet's record.
    """
    return canonicalize_url(reader_address(fetched_url, declared))


def reader_address(fetched_url: str, declared: str | None) -> str:
    """Where a reader finds the page, as an address (not canonicalised): its same-site
    rel=canonical (an AMP rendering points at the full page), else the URL it was fetched at."""
    if not declared:
        return fetched_url
    absolute = urljoin(fetched_url, declared.strip())
    if urlsplit(absolute).scheme not in ("http", "https") or not same_site(absolute, fetched_url):
        return fetched_url
    return absolute
