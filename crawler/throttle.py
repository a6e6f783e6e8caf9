"""AutoThrottle that lets a 304 lower the delay, as a 200 does.

Scrapy's AutoThrottle (scrapy/extensions/throttle.py) never lowers a slot's delay on a response
whose status is not 200, so errors cannot speed a crawl up. A 304 Not Modified is no error: it
is the answer a conditional request hopes for, and its latency is the server's. Without this, a
re-crawl made of conditional requests kept AUTOTHROTTLE_START_DELAY (0.5 s) between requests to
each host: 300 unchanged pages on 3 hosts took 50 s, where their first crawl took 30.
"""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle


class ConditionalAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot, latency: float, response) -> None:
        if response.status == 304:
            response = response.replace(status=200)  # judged like a 200 (the delay may fall)
        super()._adjust_delay(slot, latency, response)
