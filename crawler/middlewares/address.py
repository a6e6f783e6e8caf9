"""Refuse URLs that lead off the public web: other schemes, private and internal addresses.

A crawler that follows links from feeds and pages must not be steered into the machine's own
network (an admin page on 127.0.0.1, a router on 192.168.x, the cloud metadata service on
169.254.169.254). Every request is checked, and redirects come back through here too.
`crawl.allow_private_addresses = true` admits loopback and private ranges (a test replica on
127.0.0.x, an intranet source); link-local addresses, where the metadata services live, stay
refused either way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

ALLOWED_SCHEMES = ("http", "https")


class UnsafeAddress(IgnoreRequest):
    """The request leads somewhere storywatch never fetches."""


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str:
    """Why an address is refused ('' when it is fine)."""
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return "not a unicast address"
    if not ip.is_global and not allow_private:
        return "a loopback or private address"
    return ""


class PublicAddressMiddleware:
    def __init__(self, allow_private: bool = False, stats=None) -> None:
        self.allow_private = allow_private
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        allow = crawler.settings.getbool("STORYWATCH_ALLOW_PRIVATE_ADDRESSES")
        return cls(allow_private=allow, stats=crawler.stats)

    async def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            self._refuse(request, f"scheme {parts.scheme!r} is not fetched")
        host = parts.hostname or ""
        for ip in await self._addresses(host, parts.port):
            problem = address_problem(ip, self.allow_private)
            if problem:
                self._refuse(request, f"{host} is {problem} ({ip})")
        return None

    def process_response(self, request, response, spider=None):
        """The address the answer came from, when the download handler knows it: a last check
        whatever resolver or handler made the connection (crawler.resolver is the first)."""
        ip = response.ip_address
        problem = address_problem(ip, self.allow_private) if ip is not None else ""
        if problem:
            self._refuse(
                request, f"{urlsplit(request.url).hostname} answered from {problem} ({ip})"
            )
        return response

    async def _addresses(self, host: str, port: int | None):
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
        except OSError:
            return []  # let the download fail with its own DNS error
        return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]

    def _refuse(self, request, reason: str) -> None:
        if self.stats:
            self.stats.inc_value("storywatch/refused_address")
        raise UnsafeAddress(f"refused: {reason}")
