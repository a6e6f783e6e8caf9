"""`storywatch crawl` as a user runs it, over the bench site, and its stats read back."""

from __future__ import annotations

import datetime
import re
import shutil
import sys
from pathlib import Path

from bench.measure import Measured, run_measured
from bench.site import Site
from tests.conftest import SEEDS

STATS_START = "Dumping Scrapy stats:\n"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", re.MULTILINE)


def make_project(folder: Path, site: Site, pages: int, feed: bool = True) -> Path:
    """A project folder: the bundled seeds, a fresh SQLite file, the site's sitemap (and feed)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SEEDS, folder / "seeds")
    sources = f'[[sources]]\nkind = "sitemap"\nurl = "{site.sitemap_url}"\n'
    if feed:
        sources += f'\n[[sources]]\nkind = "feed"\nurl = "{site.feed_url}"\n'
    (folder / "storywatch.toml").write_text(
        '[story]\nname = "Kutcher and Sora"\nseeds = "seeds"\nmin_relevance = 0\n'
        'since = 2020-01-01\n\n[storage]\nurl = "sqlite:///data/storywatch.db"\n\n'
        f"[crawl]\nallow_private_addresses = true\nconcurrency = 16\n"
        f"max_pages_per_run = {2 * pages}\n\n[alerts]\nenabled = false\n\n{sources}",
        encoding="utf-8",
    )
    return folder


def crawl(project: Path, python: str | None = None) -> Measured:
    """One `storywatch crawl --no-alerts` in a process of its own; `python`: the interpreter of
    another checkout's virtualenv (an earlier commit, for before/after figures in one sitting)."""
    command = [python or sys.executable, "-m", "schedules.cli", "crawl", "--no-alerts"]
    return run_measured([*command, "--config", str(project / "storywatch.toml")])


def crawl_stats(project: Path) -> dict:
    """The Scrapy stats the crawl logged at its end (logs/scrapy.log)."""
    log = (project / "logs" / "scrapy.log").read_text(encoding="utf-8", errors="replace")
    start = log.rfind(STATS_START)
    if start < 0:
        return {}
    text = log[start + len(STATS_START) :]
    end = LOG_LINE.search(text)
    text = text[: end.start()] if end else text
    # Our own log, written by pprint: literals and datetime objects only.
    return eval(text, {"__builtins__": {}, "datetime": datetime})  # noqa: S307
