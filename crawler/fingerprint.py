"""Request fingerprints on the canonical URL: each article is fetched once per run.

A candidate is requested as its source listed it (less the fragment), never in its canonical
spelling: the canonical URL is an identity key for deduplication, not an address (a WordPress
outlet answers the slash-less spelling with a 301 to the listed one). Scrapy's duplicate filter
(and scrapy-redis's shared one, which uses the same fingerprints) still sees one request per
article: a request that carries its canonical key in `meta["canonical_key"]` and is still the
request as listed is fingerprinted on that key. A redirect or a fallback to another address
gets the default fingerprint of its own URL, so following a redirect is never mistaken for a
repeat.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.utils.request import fingerprint as default_fingerprint

KEY_META = "canonical_key"
LISTED_META = "listed_url"


class CanonicalKeyFingerprinter:
    """REQUEST_FINGERPRINTER_CLASS: article requests as listed are keyed on their canonical URL."""

    @classmethod
    def from_crawler(cls, crawler) -> CanonicalKeyFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        key = request.meta.get(KEY_META)
        if key and request.method == "GET" and request.url == request.meta.get(LISTED_META):
            return hashlib.sha1(b"canonical-key\0" + key.encode("utf-8")).digest()
        return default_fingerprint(request)
