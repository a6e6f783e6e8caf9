"""Relevance figures on the evaluation set (tests/crawler/stories), for `make bench`.

Precision and recall at the default min_relevance (0.5), per story and pooled, for profiles
built from the first 1, 2 and 5 seeds of each story; the held-out stories (held_out/, never used
to set the model) in a table of their own; then listing_score's ranking quality.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from crawler.profile import StoryProfile, build_profile
from tests.crawler.stories import (
    SEED_COUNTS,
    EvalStory,
    Figures,
    evaluate,
    held_out_stories,
    load_stories,
)  # fmt: skip

Builder = Callable[[Sequence[str]], StoryProfile]


def figures(
    build: Builder = build_profile, stories: Sequence[EvalStory] | None = None
) -> dict[tuple[str, int], Figures]:
    """{(story key, seed count): figures}, with ("pooled", n) the sum over `stories` (the
    tuned set by default; the held-out stories are figured apart, see relevance_section)."""
    table: dict[tuple[str, int], Figures] = {}
    for seeds in SEED_COUNTS:
        pooled = Figures(0, 0, 0)
        for story in load_stories() if stories is None else stories:
            profile = build(story.seeds[:seeds])
            table[story.key, seeds] = evaluate(story, profile.relevance)
            pooled += table[story.key, seeds]
        table["pooled", seeds] = pooled
    return table


def print_table(table: dict[tuple[str, int], Figures], title: str) -> None:
    print(title)
    print(f"  {'story':<14}" + "".join(f"  {n} seed(s): P     R   " for n in SEED_COUNTS))
    for key in dict.fromkeys(key for key, _ in table):
        cells = "".join(
            f"            {table[key, n].precision:.2f}  {table[key, n].recall:.2f}"
            for n in SEED_COUNTS
        )
        print(f"  {key:<14}{cells}")


def listing_ranking() -> float:
    """Share of (on-story, off-story) listing pairs that listing_score orders rightly (AUC),
    pooled over stories, 2 seeds; a listing is a text's first 30 words."""
    right = total = 0
    for story in load_stories():
        profile = build_profile(story.seeds[:2])
        on = [profile.listing_score(" ".join(t.split()[:30])) for t in story.on]
        off = [profile.listing_score(" ".join(t.split()[:30])) for t in (*story.off, *story.others)]
        right += sum((a > b) + 0.5 * (a == b) for a in on for b in off)
        total += len(on) * len(off)
    return right / total


def relevance_section() -> None:
    started = time.perf_counter()
    print_table(figures(), "relevance at min_relevance 0.5 (precision, recall)")
    held_out = figures(stories=held_out_stories())
    print_table(held_out, "held out (never tuned on; pooled = the held-out stories only)")
    print(f"  listing_score ranking (AUC, 2 seeds): {listing_ranking():.3f}")
    print(f"  ({time.perf_counter() - started:.1f} s for all profiles and scores)")
