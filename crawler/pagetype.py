"""PLACEHOLDER (replaced at merge by the issue-7a branch)."""

from __future__ import annotations

import re

_OG = re.compile(r'<meta[^>]+property=["\']og:type["\'][^>]+content=["\']([^"\']+)', re.I)


def page_kind(html: str) -> str:
    found = _OG.search(html[:200_000])
    if found:
        return "article" if "article" in found.group(1).lower() else "listing"
    return "unknown"
