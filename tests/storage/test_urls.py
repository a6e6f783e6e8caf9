"""URL canonicalisation: idempotent, variants collapse, distinct articles stay distinct."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.urls import (
    canonicalize_url,
    choose_canonical,
    is_amp,
    reader_address,
    registered_domain,
)

label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
hosts = st.builds(
    lambda parts, tld: ".".join([*parts, tld]),
    st.lists(label, min_size=1, max_size=3),
    st.sampled_from(["com", "co.uk", "org", "news"]),
)
segments = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=15).filter(
        lambda s: s.lower() != "amp"
    ),
    min_size=1,
    max_size=4,
)
real_params = st.dictionaries(st.sampled_from(["id", "page", "q", "story", "p"]), label, max_size=3)
tracking = st.dictionaries(
    st.sampled_from(
        [
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "fbclid",
            "gclid",
            "mc_cid",
            "mc_eid",
            "igshid",
            "_ga",
            "utm_content",
        ]
    ),
    label,
    max_size=4,
)


def _url(scheme, host, path, params, port="", fragment="", slash=""):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return (
        f"{scheme}://{host}{port}/{'/'.join(path)}{slash}"
        + (f"?{query}" if query else "")
        + (f"#{fragment}" if fragment else "")
    )


@given(st.sampled_from(["http", "https"]), hosts, segments, real_params, tracking, label)
def test_variants_collapse(scheme, host, path, params, junk, fragment):
    plain = canonicalize_url(_url(scheme, host, path, params))
    port = ":80" if scheme == "http" else ":443"
    noisy = _url(scheme.upper(), host.upper(), path, {**junk, **params}, port, fragment, "/")
    assert canonicalize_url(noisy) == plain
    assert canonicalize_url(_url(scheme, host, [*path, "amp"], params)) == plain
    assert canonicalize_url(_url(scheme, "amp." + host, path, params)) == plain
    reordered = dict(reversed(list(params.items())))
    assert canonicalize_url(_url(scheme, host, path, reordered)) == plain


@given(st.sampled_from(["http", "https"]), hosts, segments, real_params, tracking, label)
def test_canonicalisation_is_idempotent(scheme, host, path, params, junk, fragment):
    once = canonicalize_url(_url(scheme, host, path, {**params, **junk}, fragment=fragment))
    assert canonicalize_url(once) == once


@given(hosts, segments, segments, real_params)
def test_distinct_articles_stay_distinct(host, path_a, path_b, params):
    a = canonicalize_url(_url("https", host, path_a, params))
    b = canonicalize_url(_url("https", host, path_b, params))
    assert (a == b) == (path_a == path_b)


def test_real_query_parameters_are_kept():
    assert canonicalize_url("https://ex.com/story?id=1") != canonicalize_url(
        "https://ex.com/story?id=2"
    )


def test_amp_cache_and_amp_html_forms():
    base = "https://news.example.com/2024/06/kutcher-sora"
    assert canonicalize_url(base + ".amp.html") == base + ".html"
    assert (
        canonicalize_url(
            "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/"
            "2024/06/kutcher-sora/amp/"
        )
        == base
    )
    assert canonicalize_url("https://news.example.com/amp/2024/06/kutcher-sora") == base
    assert canonicalize_url(base + "?amp=1") == base


def test_same_site_canonical_is_trusted_and_cross_site_is_not():
    fetched = "https://www.outlet.com/amp/story-123?utm_source=rss"
    assert (
        choose_canonical(fetched, "https://outlet.com/news/story-123")
        == "https://outlet.com/news/story-123"
    )
    assert choose_canonical(fetched, "/news/story-123") == "https://www.outlet.com/news/story-123"
    assert choose_canonical(fetched, "https://other.com/x") == "https://www.outlet.com/story-123"
    assert choose_canonical(fetched, "javascript:alert(1)") == "https://www.outlet.com/story-123"


def test_registered_domain():
    assert registered_domain("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert registered_domain("http://127.0.0.2:8080/a") == "127.0.0.2"


@pytest.mark.parametrize(
    ("url", "amp"),
    [
        ("https://www.theguardian.com/film/2024/jun/07/kutcher-sora/amp", True),
        ("https://amp.cnn.com/cnn/2024/06/07/entertainment/kutcher-sora", True),
        ("https://www-bbc-co-uk.cdn.ampproject.org/c/s/www.bbc.co.uk/news/a-1", True),
        ("https://www.example.com/amp/2024/06/07/story", True),
        ("https://example.com/2024/06/07/story.amp.html", True),
        ("https://example.com/2024/06/07/story?amp=1", True),
        ("https://example.com/2024/06/07/story/", False),
        ("https://example.com/2024/06/07/amped-up-crews/", False),
        ("https://www.example.com/sports/campaign-2024", False),
    ],
)
def test_amp_renderings_are_recognised(url, amp):
    assert is_amp(url) is amp


def test_readers_get_the_full_pages_address_not_the_amp_rendering():
    amp = "https://pulse.example/2024/06/kutcher-sora/amp/"
    assert (
        reader_address(amp, "/2024/06/kutcher-sora/")
        == "https://pulse.example/2024/06/kutcher-sora/"
    )
    # Another site's canonical is a claim, not an address we send readers to.
    assert reader_address(amp, "https://elsewhere.example/x") == amp
    assert reader_address(amp, "javascript:alert(1)") == amp
    assert reader_address(amp, None) == amp


# Real shapes: Java servlet path parameters, PHP and ASP.NET/ColdFusion session query keys.
SESSION_URLS = [
    (
        "https://www.example.com/news/story.jsp;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9?id=42",
        "https://www.example.com/news/story.jsp?id=42",
    ),
    (
        "https://shop.example.org/article.do;JSESSIONID=abcDEF123.node01?page=2",
        "https://shop.example.org/article.do?page=2",
    ),
    (
        "http://forum.example.net/viewtopic.php?t=123&PHPSESSID=5f4dcc3b5aa765d61d8327deb882cf99",
        "http://forum.example.net/viewtopic.php?t=123",
    ),
    (
        "https://news.example.com/2024/06/a-story?sessionid=q8w9e7r6t5y4u3i2&utm_source=x",
        "https://news.example.com/2024/06/a-story",
    ),
    (
        "https://news.example.com/read.cfm?CFID=123456&CFTOKEN=98765432&story=7",
        "https://news.example.com/read.cfm?story=7",
    ),
    (
        "https://paper.example.com/index.php?option=article&sid=3f2a9c81b7d64e05a1c2",
        "https://paper.example.com/index.php?option=article",
    ),
]


def test_session_ids_are_stripped():
    for url, expected in SESSION_URLS:
        assert canonicalize_url(url) == expected, url
        assert canonicalize_url(expected) == expected


def test_a_story_id_named_sid_is_kept():
    slashdot = "https://slashdot.org/article.pl?sid=24/06/01/1234567"
    assert (
        canonicalize_url(slashdot) == "https://slashdot.org/article.pl?sid=24%2F06%2F01%2F1234567"
    )
    assert canonicalize_url("https://example.com/view?sid=42") == "https://example.com/view?sid=42"
