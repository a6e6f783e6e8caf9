"""The relevance evaluation set: stories of different kinds, each with seeds, on- and off-story texts.

Each `NAME.toml` holds `seeds` (5 texts; the 1- and 2-seed cases use the first 1 and 2) or
`seed_dir` (a folder of seed files, relative to the repository), `on` (texts that are coverage
of the story) and `off` (texts that are not, near-misses first). Every story's off-story texts
also include the other stories' on-story texts, so each story is judged against 60+ others.
The texts were written for storywatch's tests (see each file's header).

`held_out/` holds stories the model was never tuned on (`held_out_stories()`): their figures
are reported apart, as the honest estimate for a story nobody has seen. Each is judged against
its own off-story texts and every tuned story's on-story texts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from crawler.extract import clean_text

HERE = Path(__file__).parent
REPO = HERE.parents[2]
SEED_COUNTS = (1, 2, 5)
DEFAULT_MIN_RELEVANCE = 0.5


@dataclass(frozen=True)
class EvalStory:
    key: str
    name: str
    language: str
    seeds: tuple[str, ...]
    on: tuple[str, ...]
    off: tuple[str, ...]  # its own near-misses and other news
    others: tuple[str, ...] = ()  # the other stories' on-story texts


@dataclass(frozen=True)
class Figures:
    """Counts at one threshold: true positives, false positives, false negatives."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@cache
def load_stories() -> tuple[EvalStory, ...]:
    """The stories the model was calibrated on, each judged against the others' on-story texts."""
    stories = _read(HERE)
    return tuple(
        EvalStory(**{**s.__dict__, "others": tuple(t for o in stories if o is not s for t in o.on)})
        for s in stories
    )


@cache
def held_out_stories() -> tuple[EvalStory, ...]:
    """Stories kept out of calibration (held_out/), judged against every tuned story's on texts."""
    tuned = tuple(t for story in load_stories() for t in story.on)
    return tuple(EvalStory(**{**s.__dict__, "others": tuned}) for s in _read(HERE / "held_out"))


def _read(folder: Path) -> list[EvalStory]:
    raw = {path.stem: tomllib.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.toml"))}
    return [_story(key, data) for key, data in raw.items()]


def _story(key: str, data: dict) -> EvalStory:
    if "seed_dir" in data:
        files = sorted((REPO / data["seed_dir"]).glob("*.txt"))
        seeds = tuple(clean_text(path.read_text("utf-8")).text for path in files)
    else:
        seeds = tuple(data["seeds"])
    return EvalStory(key, data["name"], data["language"], seeds, tuple(data["on"]), tuple(data["off"]))


def evaluate(
    story: EvalStory, score: Callable[[str], float], threshold: float = DEFAULT_MIN_RELEVANCE
) -> Figures:
    """Figures for one story's profile: its on-story texts against its and the others' off."""
    hits = sum(score(text) >= threshold for text in story.on)
    alarms = sum(score(text) >= threshold for text in (*story.off, *story.others))
    return Figures(hits, alarms, len(story.on) - hits)


def misjudged(story: EvalStory, score: Callable[[str], float], threshold: float) -> Sequence[str]:
    """The texts a profile gets wrong, for a failing assertion's message."""
    missed = [f"missed {score(t):.2f}: {t[:70]}" for t in story.on if score(t) < threshold]
    wrong = [
        f"false alarm {score(t):.2f}: {t[:70]}"
        for t in (*story.off, *story.others)
        if score(t) >= threshold
    ]
    return missed + wrong
