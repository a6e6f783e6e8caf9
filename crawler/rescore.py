"""Re-scoring pages left out as irrelevant, from their stored text, when the profile changed.

Run once at the start of a crawl (RelevancePipeline.open_spider): every kept page scored by
another profile version, or now at or above min_relevance, is scored again without fetching.
A page now relevant is saved as a new article, so it is announced like any new article; the
rest keep their new score. Irrelevant pages recorded before their text was kept are forgotten,
so the crawl reads them afresh instead of asking them conditionally. The counts say how many.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crawler.profile import StoryProfile
from storage.rejections import (
    Rejected,
    forget_rejection,
    forget_textless,
    rescored,
    stale_rejections,
)
from storage.store import Outcome, Snapshot, Store

__all__ = ["Rescore", "rescore_rejected"]


@dataclass
class Rescore:
    """What re-scoring did: `counts` has 'rescored', 'recovered', each save outcome, and
    'forgotten' (irrelevant pages stored without text, to be read afresh)."""

    counts: Counter[str] = field(default_factory=Counter)
    new_ids: list[int] = field(default_factory=list)


def rescore_rejected(
    store: Store, profile: StoryProfile, min_relevance: float, *, announce: bool = True
) -> Rescore:
    """Score stale rejected pages again with `profile`; save the ones now relevant."""
    result = Rescore()
    with store.sessions.begin() as session:
        result.counts["forgotten"] = forget_textless(session)
        stale = stale_rejections(session, profile.version, min_relevance)
    for page in stale:
        score = profile.relevance(f"{page.title}\n{page.text}")
        result.counts["rescored"] += 1
        if score < min_relevance:
            with store.sessions.begin() as session:
                rescored(session, page.url, score, profile.version)
            continue
        _recover(store, page, score, announce, result)
    return result


def _recover(store: Store, page: Rejected, score: float, announce: bool, result: Rescore) -> None:
    snapshot = Snapshot(
        text=page.text or "",
        title=page.title,
        url=page.url,
        outlet=page.outlet,
        published_at=page.published_at,
        relevance=score,
        etag=page.etag,
        last_modified=page.last_modified,
    )
    saved = store.save(snapshot, announce=announce)
    with store.sessions.begin() as session:
        forget_rejection(session, page.url)
    result.counts["recovered"] += 1
    result.counts[saved.outcome.value] += 1
    if saved.outcome is Outcome.NEW:
        result.new_ids.append(saved.article_id)
