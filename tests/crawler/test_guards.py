"""Unit layer of the download guards: complete bodies, and the connection-time address check."""

from __future__ import annotations

import gzip
import ipaddress
import zlib

import pytest
from scrapy import Request
from scrapy.http import Response

from crawler.middlewares.address import PublicAddressMiddleware, UnsafeAddress
from crawler.middlewares.complete import CompleteBodyMiddleware, TruncatedBody, decompresses_fully
from crawler.resolver import GuardedResolver, RefusedAddress, refusal
from tests.pages import BODIES

PAGE = "\n\n".join(BODIES[0].paragraphs).encode() * 20
LIMIT = 10 * 1024 * 1024


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("share", [0.1, 0.5, 2 / 3, 0.99])
@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("deflate", raw_deflate)],
)
def test_a_body_cut_anywhere_is_incomplete(encoding, pack, share):
    packed = pack(PAGE)
    assert decompresses_fully(packed, encoding, LIMIT)
    assert not decompresses_fully(packed[: int(len(packed) * share)], encoding, LIMIT)


def test_a_bomb_is_left_to_the_size_cap_and_garbage_is_incomplete():
    bomb = gzip.compress(b"\0" * (30 * 1024 * 1024))
    assert decompresses_fully(bomb, "gzip", LIMIT)  # HttpCompressionMiddleware refuses it
    assert not decompresses_fully(b"not gzip at all", "gzip", LIMIT)


def answer(body: bytes, encoding: str | None) -> Response:
    headers = {"Content-Encoding": encoding} if encoding else {}
    return Response("https://news.example/a", body=body, headers=headers)


def test_the_middleware_refuses_truncated_bodies_and_counts_them():
    class Stats:
        counts: dict = {}

        def inc_value(self, key, count=1):
            self.counts[key] = self.counts.get(key, 0) + count

    stats = Stats()
    middleware = CompleteBodyMiddleware(LIMIT, stats)
    request = Request("https://news.example/a")
    whole = gzip.compress(PAGE)
    assert middleware.process_response(request, answer(whole, "gzip")).body == whole
    assert middleware.process_response(request, answer(PAGE, None)).body == PAGE
    assert middleware.process_response(request, answer(PAGE, "br")).body == PAGE  # not checked
    with pytest.raises(TruncatedBody, match="truncated"):
        middleware.process_response(request, answer(whole[: len(whole) // 2], "gzip"))
    assert stats.counts == {"storywatch/truncated_body": 1}


@pytest.mark.parametrize(
    ("address", "allow_private", "refused"),
    [
        ("127.0.0.2", False, True),
        ("10.0.0.7", False, True),
        ("169.254.169.254", True, True),
        ("127.0.0.2", True, False),
        ("93.184.215.14", False, False),
    ],
)
def test_the_resolver_refuses_what_the_connection_would_use(address, allow_private, refused):
    resolver = GuardedResolver.__new__(GuardedResolver)  # check() needs no reactor
    resolver.allow_private = allow_private
    if refused:
        with pytest.raises(RefusedAddress):
            resolver.check(address, "rebind.example")
        assert address in refusal("rebind.example")
    else:
        assert resolver.check(address, "fine.example") == address


def test_the_address_an_answer_came_from_is_checked():
    middleware = PublicAddressMiddleware(allow_private=False)
    request = Request("https://news.example/a")
    public = Response(request.url, ip_address=ipaddress.ip_address("93.184.215.14"))
    assert middleware.process_response(request, public) is public
    private = Response(request.url, ip_address=ipaddress.ip_address("192.168.1.1"))
    with pytest.raises(UnsafeAddress, match="answered from a loopback or private address"):
        middleware.process_response(request, private)
