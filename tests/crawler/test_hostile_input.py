"""Hostile input to the parsers: fuzzing (no exception but the documented one escapes, time
bounded) and XML attacks (entities never expanded, no file read, no DTD fetched).

`make test` runs a few hundred examples per target; `make reliability` runs this file with
STORYWATCH_FUZZ_EXAMPLES (thousands) and reports the figures.
"""

from __future__ import annotations

import contextlib
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract import ExtractionError, clean_html
from crawler.sources import UnreadableSource, feed_links, search_links, sitemap_links
from schedules.replica import ReplicaWeb
from storage.urls import canonicalize_url

EXAMPLES = int(os.environ.get("STORYWATCH_FUZZ_EXAMPLES", "150"))
PER_EXAMPLE_SECONDS = 5.0  # any one input: a parser that hangs is a failure
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed below, against PER_EXAMPLE_SECONDS, not hypothesis's 200 ms
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

tags = st.sampled_from(["p", "div", "article", "a", "script", "table", "h1", "span", "main"])


@st.composite
def trees(draw, depth: int = 0) -> str:
    """Random HTML: nesting (to depth 60), huge attributes, entities, stray bytes."""
    tag = draw(tags)
    attribute = draw(st.one_of(st.just(""), st.text(max_size=40), st.just("x" * 100_000)))
    children = draw(
        st.lists(
            st.one_of(st.text(max_size=200), trees(depth + 1) if depth < 60 else st.just("")),
            max_size=3,
        )
    )
    return f'<{tag} data-x="{attribute}">{"".join(children)}</{tag}>'


def timed(call, *args):
    started = time.monotonic()
    try:
        return call(*args)
    finally:
        assert time.monotonic() - started < PER_EXAMPLE_SECONDS


def deep(levels: int) -> str:
    return "<div>" * levels + "<p>Kutcher and Sora, deep inside.</p>" + "</div>" * levels


@FUZZ
@given(st.one_of(st.binary(max_size=4000), trees(), st.just(deep(5000))))
def test_clean_html_raises_nothing_but_extraction_error(page):
    with contextlib.suppress(ExtractionError):
        timed(clean_html, page, "https://news.example/a")


@FUZZ
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_canonicalize_url_is_total_and_idempotent(url):
    try:
        once = timed(canonicalize_url, url)
    except ValueError:  # urllib's own refusal of a malformed netloc (an invalid IPv6 literal)
        return
    assert canonicalize_url(once) == once


FEED_SHAPES = [
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>%s</link>'
    b"<title>%s</title></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="%s"/><title>%s</title>'
    b"</entry></feed>",
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s</loc>'
    b"<lastmod>%s</lastmod></url></urlset>",
]


@st.composite
def documents(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=4000))
    shape = draw(st.sampled_from(FEED_SHAPES))
    return shape % (draw(st.binary(max_size=300)), draw(st.binary(max_size=300)))


@FUZZ
@given(documents())
def test_source_parsers_raise_nothing_but_unreadable_source(body):
    for parse in (
        lambda: list(feed_links(body, "https://news.example/feed")),
        lambda: list(search_links(body, "https://news.example/search")),
        lambda: sitemap_links(body, "https://news.example/sitemap.xml"),
    ):
        with contextlib.suppress(UnreadableSource):
            timed(parse)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


def attacks(dtd_url: str) -> dict[str, bytes]:
    """Billion laughs, an external entity on a local file, an external DTD, in each shape."""
    heads = {
        "billion laughs": LAUGHS,
        "external entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY lol9 SYSTEM '
        b'"file:///etc/passwd">]>',
        "external DTD": b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "%s">' % dtd_url.encode(),
    }
    bodies = {
        "rss": b'<rss version="2.0"><channel><item><title>&lol9;</title>'
        b"<link>https://news.example/a</link></item></channel></rss>",
        "sitemap": b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        b"<loc>https://news.example/&lol9;</loc></url></urlset>",
    }
    return {f"{h} in {b}": heads[h] + bodies[b] for h in heads for b in bodies}


def test_xml_attacks_are_never_expanded_read_or_fetched():
    with ReplicaWeb() as web:
        evil = web.outlet("evil")
        dtd = evil.put("/evil.dtd", '<!ENTITY lol9 "EXPANDED-FROM-DTD">', "application/xml-dtd")
        for name, body in attacks(dtd).items():
            started = time.monotonic()
            found = []
            for parse in (feed_links, search_links):
                with contextlib.suppress(UnreadableSource):
                    found += [
                        f"{link.url} {link.title}" for link in parse(body, "https://n.example/")
                    ]
            with contextlib.suppress(UnreadableSource):
                found += [link.url for link in sitemap_links(body, "https://n.example/").articles]
            text = " ".join(found)
            assert "lollol" not in text and "root:" not in text, name
            assert "EXPANDED-FROM-DTD" not in text, name
            assert time.monotonic() - started < PER_EXAMPLE_SECONDS, name
        assert evil.requests == []


@pytest.mark.parametrize("levels", [1000, 20000])
def test_deep_nesting_is_bounded(levels):
    with contextlib.suppress(ExtractionError):
        timed(clean_html, deep(levels), "https://news.example/deep")
