"""`storywatch story`, `story --score`, `rejected` and `init`: the story profile, for people.

- `story` prints the profile: language, anchor, queries, who/where names and the story's words
  with their weights, shared quotes, and the time window when the config has one.
- `story --score URL|FILE` scores one page (fetched or read, then cleaned) and says why.
- `rejected` lists the pages left out as not coverage, with score and reason.
- `init NAME --seed URL|FILE ...` starts a story folder: config, seeds, manifest.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from crawler.config import Config
from crawler.extract import Article, ExtractionError, clean_html
from crawler.profile import StoryProfile
from crawler.seeds import SeedError, read_seed
from crawler.story import load_story, window_start
from schedules.story_init import InitError, init_story
from schedules.web import FetchError, fetch_page
from storage.rejections import list_rejected
from storage.store import Store

__all__ = ["add_story_commands", "cmd_init", "cmd_rejected", "cmd_story"]


def add_story_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `story`, `rejected` and `init` on the `storywatch` subparsers."""
    story = commands.add_parser("story", parents=[common], help="show the story profile")
    story.add_argument("--score", metavar="URL|FILE", help="score one page and say why")
    rejected = commands.add_parser(
        "rejected", parents=[common], help="pages left out as not coverage, with scores"
    )
    rejected.add_argument("--limit", type=int, default=50, help="how many to list (default 50)")
    init = commands.add_parser("init", parents=[common], help="start a new story folder from seed articles")
    init.add_argument("name", metavar="NAME", help="folder to create (its name names the story)")
    init.add_argument(
        "--seed", action="append", required=True, metavar="URL|FILE", help="a seed article"
    )


def cmd_story(args: argparse.Namespace, config: Config, store: Store) -> int:
    story = load_story(config)
    if args.score:
        return _score_one(args.score, story.profile, config)
    since = window_start(config, story.seeds, store.first_run_at())
    print(describe(story.profile, config, since))
    return 0


def describe(profile: StoryProfile, config: Config, since: datetime) -> str:
    """The profile as people read it: what the score looks for, with weights, and the window."""
    origin = "story.since" if config.story.since else "the earliest seed date less the margin"
    who = [n for n in profile.names if not n.is_place][:10]
    where = [n for n in profile.names if n.is_place][:6]
    keys = {name.key for name in profile.names}
    words = [(profile.shown.get(t, t), w) for t, w in profile.terms.items() if t not in keys]
    lines = [
        f"story: {config.story.name}",
        f"language: {profile.language}   profile version: {profile.version}",
        f"anchor (a page must name it): {profile.anchor or '(none)'}",
        f"queries: {'; '.join(profile.queries) or '(none)'}",
        "who: " + ", ".join(f"{n.display} {n.weight:.1f}" for n in who),
        "where: " + (", ".join(f"{n.display} {n.weight:.1f}" for n in where) or "(none)"),
        "what: " + ", ".join(f"{t} {w:.2f}" for t, w in words[:25]),
        f"min_relevance: {config.story.min_relevance}",
        f"time window: from {since:%Y-%m-%d %H:%M} UTC ({origin}), no end",
    ]
    lines += [f'quote: "{quote[:100]}"' for quote in profile.quotes[:5]]
    return "\n".join(lines)


def _score_one(ref: str, profile: StoryProfile, config: Config) -> int:
    try:
        article = _read_page(ref, config)
    except (FetchError, SeedError) as exc:
        print(f"storywatch: {exc}", file=sys.stderr)
        return 1
    except ExtractionError as exc:
        print(f"storywatch: {ref}: {exc}", file=sys.stderr)
        return 1
    evidence = profile.explain(f"{article.title}\n{article.text}")
    verdict = "coverage" if evidence.score >= config.story.min_relevance else "not coverage"
    print(f"{ref}: relevance {evidence.score:.2f} ({verdict} at {config.story.min_relevance})")
    print(f"  title: {article.title or '(none)'}")
    print(f"  why: {evidence.reason()}")
    return 0


def _read_page(ref: str, config: Config) -> Article:
    if "://" in ref:
        return clean_html(fetch_page(ref, config).body)
    path = Path(ref)
    if not path.is_file():
        raise SeedError(f"{ref}: no such file")
    return read_seed(path)


def cmd_rejected(args: argparse.Namespace, config: Config, store: Store) -> int:
    profile = load_story(config).profile
    with store.sessions() as session:
        pages = list_rejected(session, limit=args.limit)
    if not pages:
        print("no pages left out yet")
        return 0
    for page in pages:
        score = "  -- " if page.relevance is None else f"{page.relevance:.2f}"
        stale = "" if page.profile_version in (None, profile.version) else " (older profile)"
        reason = profile.explain(f"{page.title}\n{page.text}").reason() if page.text else (
            "no article text" if page.outcome == "not_article" else page.outcome
        )  # fmt: skip
        print(f"{score}  {page.url}{stale}")
        print(f"      {page.title[:80] or '(no title)'} | {reason}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    try:
        folder = init_story(Path(args.name), args.seed)
    except InitError as exc:
        print(f"storywatch: {exc}", file=sys.stderr)
        return 2
    print(f"started {folder}: {len(args.seed)} seed(s), config {folder / 'storywatch.toml'}")
    print(f"next: storywatch story --config {folder / 'storywatch.toml'}")
    return 0
