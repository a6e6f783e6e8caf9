"""The address guard where the connection is made: a resolver that refuses non-public answers.

PublicAddressMiddleware resolves a host before the request goes out, but the download handler
resolves it again to connect: a rebinding name can answer a public address to the first
lookup and a private one to the second. This resolver, installed for the crawl
(TWISTED_DNS_RESOLVER), checks the very answer the connection will use, so what is connected
to is what was checked. Cached answers are checked again on every use.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawler.config import ConfigError, load_config
from crawler.middlewares.address import address_problem

# Why a name was refused, by name: Twisted reports any resolver failure as "no results for
# hostname lookup", so the spider reads the reason here (`refusal`).
_REFUSED: dict[str, str] = {}


def refusal(host: str | None) -> str | None:
    """Why the resolver refused `host` in this crawl, if it did."""
    return _REFUSED.get(host or "")


class RefusedAddress(DNSLookupError):
    """The name resolved, at connection time, to an address storywatch never connects to."""


class GuardedResolver(CachingThreadedResolver):
    def __init__(self, reactor, cache_size: int, timeout: float, allow_private: bool) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler, reactor) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), _allow_private(settings))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()):  # noqa: N802 (Twisted's)
        resolving = super().getHostByName(name, timeout)
        resolving.addCallback(self.check, name)
        return resolving

    def check(self, address: str, name: str) -> str:
        """The address, if storywatch may connect to it; else RefusedAddress."""
        problem = address_problem(ipaddress.ip_address(address), self.allow_private)
        if problem:
            _REFUSED[name] = f"refused: {name} is {problem} ({address}) when connecting"
            raise RefusedAddress(f"refused: {name} is {problem} ({address}) when connecting")
        return address


def _allow_private(settings) -> bool:
    """crawl.allow_private_addresses. Under `scrapy crawl coverage` the reactor's resolver is
    built from the project settings, before the spider reads storywatch.toml: read it here."""
    if settings.get("STORYWATCH_DATABASE_URL"):
        return settings.getbool("STORYWATCH_ALLOW_PRIVATE_ADDRESSES")
    try:
        return load_config(settings.get("STORYWATCH_CONFIG")).crawl.allow_private_addresses
    except ConfigError:
        return False  # the spider reports the config error itself
