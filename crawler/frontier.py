"""The crawl frontier: which listed candidates are fetched in this run, best first.

Every candidate a source lists is offered here with a score from what its listing says
(`StoryProfile.listing_score`). Offering decides the window and repeats; taking decides the
rest: known pages not due for a re-check are passed over, and of the others the best-scored
are taken up to the source's per-run cap (`crawl.max_pages_per_run`). What stays waiting when
the crawl ends is kept in the store for the next run (`storage.candidates`).

Plain Python, no Scrapy and no database: the spider hands in what the store knows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from storage.candidates import Pending
from storage.records import Known
from storage.urls import is_amp

__all__ = ["Frontier", "Taken"]


@dataclass
class Taken:
    """The outcome of one `take`: candidates to fetch, and how many were passed over as known."""

    fetch: list[tuple[Pending, Known | None]] = field(default_factory=list)
    known: int = 0


class Frontier:
    """Candidates by source, deduplicated by canonical URL across all sources of a run."""

    def __init__(self, since: datetime, cap: int) -> None:
        self.since = since
        self.cap = cap
        self._seen: set[str] = set()
        self._waiting: dict[str, dict[str, Pending]] = {}
        self._carried: dict[str, set[str]] = {}
        self._taken: dict[str, int] = {}

    def carry(self, candidate: Pending) -> bool:
        """A candidate kept from an earlier run (False, and dropped, if now outside the window);
        a listing of it in this run replaces it."""
        if _outside(candidate, self.since):
            return False
        self._waiting.setdefault(candidate.source, {})[candidate.key] = candidate
        self._carried.setdefault(candidate.source, set()).add(candidate.key)
        return True

    def offer(self, candidate: Pending) -> str:
        """'outside_window', 'repeated', or 'waiting' (and then 'carried' replaced: 'relisted')."""
        if _outside(candidate, self.since):
            return "outside_window"
        carried = self._carried.get(candidate.source, set())
        if candidate.key in carried:
            carried.discard(candidate.key)
            self._seen.add(candidate.key)
            self._waiting[candidate.source][candidate.key] = candidate
            return "relisted"
        if candidate.key in self._seen:
            self._prefer_full_page(candidate)
            return "repeated"
        self._seen.add(candidate.key)
        self._waiting.setdefault(candidate.source, {})[candidate.key] = candidate
        return "waiting"

    def _prefer_full_page(self, candidate: Pending) -> None:
        """A waiting candidate listed as its AMP rendering is fetched at the full page's address
        when another listing gives it (the AMP copy may lag behind a correction)."""
        for waiting in self._waiting.values():
            listed = waiting.get(candidate.key)
            if listed is not None and is_amp(listed.url) and not is_amp(candidate.url):
                waiting[candidate.key] = replace(listed, url=candidate.url)

    def claim(self, key: str) -> bool:
        """Mark a URL found late (where a search link led) as fetched this run; False if it was
        listed already."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def waiting_keys(self, source: str) -> list[str]:
        return list(self._waiting.get(source, {}))

    def take(self, source: str, known: Mapping[str, Known], is_due: Callable[[Known], bool]) -> Taken:
        """The source's best waiting candidates up to what is left of its cap.

        Known pages that are not due leave the frontier as `known`; due ones are re-checked
        with a conditional request, outside the cap, so corrections never starve new coverage
        (nor the reverse); of the new candidates, those over the cap stay waiting.
        """
        waiting = self._waiting.get(source, {})
        ranked = sorted(waiting.values(), key=lambda c: c.score, reverse=True)
        taken = Taken()
        for candidate in ranked:
            seen_before = known.get(candidate.key)
            if seen_before is not None and not is_due(seen_before):
                del waiting[candidate.key]
                taken.known += 1
            elif seen_before is not None:  # a re-check (conditional request): outside the cap
                del waiting[candidate.key]
                taken.fetch.append((candidate, seen_before))
            elif self._taken.get(source, 0) < self.cap:
                del waiting[candidate.key]
                self._taken[source] = self._taken.get(source, 0) + 1
                taken.fetch.append((candidate, seen_before))
        return taken

    def leftovers(self) -> list[Pending]:
        """Everything still waiting: over the cap, to be kept for the next run."""
        return [c for waiting in self._waiting.values() for c in waiting.values()]

    def sources_waiting(self) -> list[str]:
        return [source for source, waiting in self._waiting.items() if waiting]


def _outside(candidate: Pending, since: datetime) -> bool:
    return candidate.published_at is not None and candidate.published_at < since
