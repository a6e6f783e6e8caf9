"""Google News links: ids old and current, the article page, the batchexecute call and answer.

Ids are real ones seen in public Google News RSS (quoted in googlenewsdecoder's issue tracker,
SSujitX/google-news-url-decoder #4, #5, #8, and in public repositories); page and answer shapes
follow googlenewsdecoder's `_parse.py` and the answers quoted in its issues and tests.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.gnews import (
    BATCHEXECUTE_PATH,
    GoogleNews,
    GoogleNewsError,
    Signature,
    article_id,
    batchexecute_form,
    decode_old_id,
    is_google_news_link,
    page_signature,
    publisher_url,
)

# Old format: field 4 of the protobuf is the publisher's URL (field 26 its AMP page).
OLD_IDS = {
    "CBMiLmh0dHBzOi8vd3d3LmJiYy5jb20vbmV3cy9hcnRpY2xlcy9jampqbnhkdjE4OG_SATJodHRwczovL3d3dy5iYmMu"
    "Y29tL25ld3MvYXJ0aWNsZXMvY2pqam54ZHYxODhvLmFtcA": "https://www.bbc.com/news/articles/cjjjnxdv188o",
    # Cut short after field 4, as it was quoted: the URL is whole, the AMP field is not.
    "CBMiWmh0dHBzOi8vd3d3Lm5kdHYuY29tL3dvcmxkLW5ld3MvZWxvbi1tdXNrLXJlY2xhaW1zLXRoZS10aXRsZS1vZi13"
    "b3JsZHMtcmljaGVzdC1tYW4tMzgyMDMyONIBYGh0dHBzOi8vd3d3Lm5kdHYuY29tL3dvcmxkLW5ld3MvZWxvbi1tdXNr"
    "LXJlY2xhaW1zLXRoZS10": "https://www.ndtv.com/world-news/"
    "elon-musk-reclaims-the-title-of-worlds-richest-man-3820328",
}
# Current format (since mid-2024): field 4 is an opaque key, "AU_yqL...".
NEW_IDS = [
    "CBMiXkFVX3lxTFBReTJhSkRlckZEdU5yRy1UUUQ2VnBTb01FRnlJMzZYMTJXOEx6cG41VjhLN3NYX3cyUXV6Wk1td2pT"
    "eHBUS1JqdEZieEtFdGRJT0JvclVKUTNKcXo5MVE",
    "CBMif0FVX3lxTE5vNHRZblJwZHNZZEZfZ285LUdncWl0YUk0UHVfTDM1b05YSU9rVHRhYUpkQ1VwV1RJaXZ4SzZwV2dB"
    "d2ZYeEZtbUpGNkpDdng5WjRTa28yOVdIM3drTERSVVVoeWI0WnpWT3dQbGVQcVhvdEZIZE1oaTB4cHdRb0E",
    "CBMia0FVX3lxTFBuN3NabzZYNk1mVWdIOXBsWl9xZmwycVBVVzBnVTNKaDRQV3hjWklFVnM2UUp6dG9ETXNYQkVzd25f"
    "VGFoMTdNZGZPdnNZMDVPRTJTdFlEMmZPNEJzZ29Gd1lpamdKWVBDbjJv",
    "CBMijAFBVV95cUxPX2gtRFd3ZXdiZGhueDVwWDJNUkg3eXhoRmloeE9kekpMaEJLckJENlBHYllvQ0JweGpQRDFKU3c0"
    "OFJ0Rno1eWxyM3NkblBKXzc2ZFpJWmYtSDdlSHNhUGVNSTdDcW1sR25fVEl4cGlhQW9xaWRWSmUxNFRLN1U2Rzc2RVFV"
    "SldLZFpncg",
]
READ_ID = (
    "CBMigwFBVV95cUxNSTdJdTY3SnlJSDJkLVNQN2NWZzVId3lJQzl4Q194OVJUcVB5Snlwa1dVUmpXaEYzbGdiZVBlVmRv"
    "dVEtcVM1c3JCYW95QXRxc1pGRzhYcTJ4S2k1bGxwY19TYS0tUkxqY2YyaE5PMHlUMV9Na3VHWmdoVHpPQWtnb1hfMA"
)

# The element Google's article page carries the signature on (trimmed; attributes as served).
ARTICLE_PAGE = """<!doctype html><html lang="en-US" dir="ltr"><head>
<base href="https://news.google.com/"><meta name="referrer" content="origin"><title>Google News</title>
</head><body jscontroller="ol8Dhd" jsmodel="hc6Ubd"><div class="T4LgNb" jsname="a9kxte">
<c-wiz jsrenderer="lW1Lhc" class="nNbeGe" jsshadow jsdata="deferred-i1" data-node-index="0;0"
 jsmodel="hc6Ubd" c-wiz><div jscontroller="aLI87" jsaction="rcuQ6b:npT2md"
 data-n-a-id="{id}" data-n-a-ts="1772798585" data-n-a-sg="AZ5r3eQgUz4DTz0J9FazWGdfF2xD"
 data-n-cfu="..."><div class="m2L3rb"><a href="./rss/articles/{id}">Opening</a></div></div>
</c-wiz></div><script nonce="x">window.WIZ_global_data = {{}};</script></body></html>"""


def google_answer(url: str) -> str:
    """A batchexecute answer as Google sends it: XSSI guard, then one JSON array of rows."""
    result = json.dumps(["garturlres", url, 1], separators=(",", ":"))
    rows = [
        ["wrb.fr", "Fbv4je", result, None, None, None, "generic"],
        ["di", 23],
        ["af.httprm", 22, "-6925079066283356580", 17],
    ]
    return ")]}'\n\n" + json.dumps(rows, separators=(",", ":"))


def chunked_answer(url: str) -> str:
    """The same answer in the chunked form (rt=c): each JSON line after a line of its length."""
    result = json.dumps(["garturlres", url, 1], separators=(",", ":"))
    lines = [
        json.dumps([["wrb.fr", "Fbv4je", result, None, None, None, "generic"]]),
        json.dumps([["di", 24], ["af.httprm", 23, "-4174706108617497296", 2]]),
        json.dumps([["e", 4, None, None, 290]]),
    ]
    return ")]}'\n\n" + "".join(f"{len(line) + 1}\n{line}\n" for line in lines)


# --- links and ids ------------------------------------------------------------------------


def test_every_google_news_link_form_gives_its_id():
    new = NEW_IDS[0]
    for url in (
        f"https://news.google.com/rss/articles/{new}?oc=5",
        f"https://news.google.com/rss/articles/{new}?oc=5&hl=en-US&gl=US&ceid=US:en",
        f"https://news.google.com/articles/{new}",
        f"https://news.google.com/read/{new}?hl=en-US&gl=US&ceid=US%3Aen",
        f"https://NEWS.google.com/rss/articles/{new}/",
    ):
        assert article_id(url) == new, url
        assert is_google_news_link(url)


def test_other_addresses_are_not_google_news_links():
    new = NEW_IDS[0]
    for url in (
        f"https://evil.example/https://news.google.com/rss/articles/{new}",
        f"https://example.com/rss/articles/{new}",
        "https://news.google.com/home?hl=en-US&gl=US&ceid=US:en",
        "https://news.google.com/rss/search?q=kutcher+sora&hl=en-US",
        "https://news.google.com/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB",
        f"https://www.google.com/rss/articles/{new}",
    ):
        assert article_id(url) is None, url


def test_hosts_can_be_a_replica_with_a_port():
    url = f"http://127.0.0.9:8123/rss/articles/{NEW_IDS[1]}?oc=5"
    assert article_id(url, ["127.0.0.9"]) == NEW_IDS[1]
    assert article_id(url, ["127.0.0.9:8123"]) == NEW_IDS[1]
    assert article_id(url, ["127.0.0.9:9999"]) is None
    assert article_id(url) is None  # not news.google.com


def test_old_ids_carry_the_publisher_url():
    for token, url in OLD_IDS.items():
        assert decode_old_id(token) == url


def test_current_ids_carry_no_url():
    for token in [*NEW_IDS, READ_ID]:
        assert decode_old_id(token) is None, token


def test_ids_that_are_not_protobufs_decode_to_nothing():
    for token in ("", "CBMi", "!!not-base64!!", "aHR0cHM6Ly9leGFtcGxlLmNvbS94", "CBMi1", "_" * 40):
        assert decode_old_id(token) is None, token


# --- step 1: the article page ---------------------------------------------------------------


def test_signature_from_the_article_page():
    signed = page_signature(ARTICLE_PAGE.format(id=NEW_IDS[0]))
    assert signed == Signature("AZ5r3eQgUz4DTz0J9FazWGdfF2xD", 1772798585)


@pytest.mark.parametrize(
    "page, signature",
    [
        # On the c-wiz element itself, attributes in another order.
        ('<c-wiz data-n-a-ts="1787470856" data-n-a-sg="Ae5Wzi8SIG" data-n-a-id="x">', "Ae5Wzi8SIG"),
        # Nested below the jscontroller div; single quotes.
        (
            "<c-wiz><div jscontroller='AbCd'><div data-n-a-sg='AbIaSL93Frr' "
            "data-n-a-ts='1790649352'></div></div></c-wiz>",
            "AbIaSL93Frr",
        ),
        # An entity in the attribute is unescaped, as a browser reads it.
        ('<div data-n-a-id="CBMiabc" data-n-a-ts="1784915408" data-n-a-sg="A&amp;B"></div>', "A&B"),
        (b'<div data-n-a-ts=" 1778827598 " data-n-a-sg="AaLI4RQw90fB"></div>', "AaLI4RQw90fB"),
    ],
)
def test_signature_wherever_the_page_puts_it(page, signature):
    assert page_signature(page).signature == signature


@pytest.mark.parametrize(
    "page, reason",
    [
        # EU visitors: the consent wall instead of the article page.
        (
            "<html><head><title>Before you continue to Google</title></head><body>"
            '<form action="https://consent.google.com/save"></form></body></html>',
            "no signature",
        ),
        # Rate limited: the 'sorry' page.
        ("<html><body>Our systems have detected unusual traffic</body></html>", "no signature"),
        ('<c-wiz><div data-n-a-sg="only-the-signature"></div></c-wiz>', "no signature"),
        ('<div data-n-a-sg="SIG" data-n-a-ts="soon"></div>', "unreadable"),
        ('<div data-n-a-sg="" data-n-a-ts="1790649352"></div>', "unreadable"),
        ("", "not HTML"),
    ],
)
def test_a_page_without_a_signature_says_so(page, reason):
    with pytest.raises(GoogleNewsError, match=reason):
        page_signature(page)


# --- step 2: the batchexecute call and its answer -------------------------------------------


def test_the_batchexecute_form_is_one_fbv4je_call():
    form = batchexecute_form(NEW_IDS[0], Signature("AZ5r3e&/+=", 1772798585))
    assert list(form) == ["f.req"]
    (calls,) = json.loads(form["f.req"])
    ((rpc, payload, none, kind),) = calls
    assert (rpc, none, kind) == ("Fbv4je", None, "generic")
    call = json.loads(payload)
    assert call[0] == "garturlreq" and call[2:] == [NEW_IDS[0], 1772798585, "AZ5r3e&/+="]
    context = call[1]
    assert context[0][7] == "US:en" and len(context) == 12 and len(context[0]) == 17


@pytest.mark.parametrize("answer", [google_answer, chunked_answer])
def test_the_publisher_url_from_an_answer(answer):
    url = "https://variety.com/2024/film/news/ashton-kutcher-sora-ai-1236027196/"
    assert publisher_url(answer(url)) == url
    assert publisher_url(answer(url).encode()) == url


def test_escapes_in_the_answer_are_read():
    raw = (
        r")]}"
        + "'"
        + r"""

[["wrb.fr","Fbv4je","[\"garturlres\",\"https://example.com/a?x\u003d1\u0026y\u003d2\",1]",null,null,null,"generic"]]"""
    )  # noqa: E501
    assert publisher_url(raw) == "https://example.com/a?x=1&y=2"


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("<html><body>Error 400 (Bad Request)</body></html>", "prefix"),
        (")]}'\n\nnot json at all", "not JSON"),
        (")]}'\n\n" + json.dumps([["di", 12], ["af.httprm", 11, "1", 3]]), "no Fbv4je row"),
        # Google's error: the result is null and row[5] holds the error code.
        (
            ")]}'\n\n" + json.dumps([["wrb.fr", "Fbv4je", None, None, None, [3], "generic"]]),
            r"without a result \(error \[3\]\)",
        ),
        (
            ")]}'\n\n" + json.dumps([["wrb.fr", "Fbv4je", '["garturlerr",null]', None]]),
            "not a garturlres",
        ),
        (")]}'\n\n" + json.dumps([["wrb.fr", "Fbv4je", "[not json", None]]), "not JSON"),
        (google_answer("javascript:alert(1)"), "not a web address"),
        (google_answer(""), "not a web address"),
    ],
)
def test_an_answer_without_a_url_says_so(answer, reason):
    with pytest.raises(GoogleNewsError, match=reason):
        publisher_url(answer)


# --- the spider's helper --------------------------------------------------------------------

LINK = f"https://news.google.com/rss/articles/{NEW_IDS[0]}?oc=5"


def page_response(
    url: str = LINK, body: str | None = None, request_meta: dict | None = None, **meta
) -> HtmlResponse:
    request = Request(url, meta={**(request_meta or {}), **meta})
    text = ARTICLE_PAGE.format(id=NEW_IDS[0]) if body is None else body
    return HtmlResponse(url, body=text.encode(), encoding="utf-8", request=request)


def test_lookup_request_posts_the_form_to_the_pages_host():
    google = GoogleNews()
    request = google.lookup_request(page_response(), LINK, meta={"source": "search"})
    assert request.method == "POST"
    assert request.url == f"https://news.google.com{BATCHEXECUTE_PATH}?rpcids=Fbv4je"
    assert request.headers[b"Content-Type"] == b"application/x-www-form-urlencoded"
    (f_req,) = parse_qs(request.body.decode())["f.req"]
    call = json.loads(json.loads(f_req)[0][0][1])
    assert call[2:] == [NEW_IDS[0], 1772798585, "AZ5r3eQgUz4DTz0J9FazWGdfF2xD"]
    assert request.dont_filter and request.meta["source"] == "search"


def test_lookup_request_refuses_what_it_cannot_use():
    google = GoogleNews()
    with pytest.raises(GoogleNewsError, match="no signature"):
        google.lookup_request(page_response(body="<html><body>sorry</body></html>"), LINK)
    publisher = "https://www.bbc.com/news/articles/cjjjnxdv188o"
    back = page_response(google_news_link=LINK)
    with pytest.raises(GoogleNewsError, match="did not lead to the publisher"):
        google.lookup_request(back, publisher)


def test_the_page_to_fetch_for_each_link_form():
    google = GoogleNews()
    assert google.page_url(LINK) == LINK
    read = f"https://news.google.com/read/{READ_ID}?hl=en-US&gl=US&ceid=US%3Aen"
    assert google.page_url(read) == (
        f"https://news.google.com/rss/articles/{READ_ID}?hl=en-US&gl=US&ceid=US%3Aen"
    )
    assert google.page_url(f"https://news.google.com/articles/{READ_ID}") == (
        f"https://news.google.com/rss/articles/{READ_ID}"
    )
    assert google.page_url("https://www.bbc.com/news/articles/cjjjnxdv188o") is None


def test_which_answers_are_still_googles():
    google = GoogleNews()
    publisher = "https://www.bbc.com/news/articles/cjjjnxdv188o"
    assert google.answered_by_google(LINK, LINK)
    assert google.answered_by_google(LINK, "https://consent.google.com/ml?continue=x")
    assert google.answered_by_google(LINK, "https://www.google.com/sorry/index?continue=x")
    assert google.answered_by_google(publisher, LINK)  # a publisher address led back
    assert not google.answered_by_google(LINK, publisher)  # a redirect straight to the article
    assert not google.answered_by_google(publisher, publisher)
    # A publisher on a google.com host is an article when it was not reached from a link.
    assert not google.answered_by_google(
        "https://blog.google.com/products/news/", "https://blog.google.com/products/news/"
    )


def test_publisher_refuses_another_google_news_link():
    google = GoogleNews()
    answer = TextResponse("https://news.google.com/x", body=google_answer(LINK).encode())
    with pytest.raises(GoogleNewsError, match="another Google News link"):
        google.publisher(answer)
    fine = TextResponse(
        "https://news.google.com/x", body=google_answer("https://a.example/").encode()
    )
    assert google.publisher(fine) == "https://a.example/"


def test_a_failed_lookup_is_one_line_naming_the_link():
    google = GoogleNews()
    request = Request(f"https://news.google.com{BATCHEXECUTE_PATH}", )
    refused = HttpError(Response(request.url, status=400, request=request))
    line = google.failure_line(_failure(refused, request), LINK)
    assert line == f"article {LINK}: Google News lookup failed (HTTP 400)"
    timed_out = _failure(TimeoutError("took longer than 10.0 seconds"), request)
    assert google.failure_line(timed_out, LINK).endswith("lookup failed (took longer than 10.0 seconds)")


def _failure(error: Exception, request: Request) -> Failure:
    failure = Failure(error)
    failure.request = request
    return failure


def test_hosts_come_from_the_setting():
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"STORYWATCH_GOOGLE_NEWS_HOSTS": "127.0.0.9,127.0.0.10"})
    google = GoogleNews.from_crawler(crawler)
    assert google.hosts == ("127.0.0.9", "127.0.0.10")
    assert GoogleNews.from_crawler(get_crawler()).hosts == ("news.google.com",)


def test_a_forbidden_lookup_is_a_line_too():
    from scrapy.exceptions import IgnoreRequest

    request = Request(f"https://news.google.com{BATCHEXECUTE_PATH}", )
    forbidden = _failure(IgnoreRequest("Forbidden by robots.txt"), request)
    line = GoogleNews().failure_line(forbidden, LINK)
    assert line == f"article {LINK}: Google News lookup failed (Forbidden by robots.txt)"
