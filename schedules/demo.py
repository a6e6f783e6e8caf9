"""`storywatch demo`: the whole pipeline, offline, in under a minute.

Three of the bundled seeds are the story; the other two are served as "new coverage" by a small
replica web on loopback (with their real boilerplate), together with a syndicated copy, an AMP
variant and an unrelated article. storywatch crawls it into a temporary database and shows what
it found.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import time
from pathlib import Path

from crawler.config import load_config
from crawler.extract import clean_text
from schedules.replica import Entry, Outlet, ReplicaWeb, news_sitemap, rss
from schedules.run import RunReport, run_once
from storage.reports import export_rows
from storage.store import Store

STORY_SEEDS = 3
UNRELATED = (
    "Harbor Street bus lane approved",
    "The city council voted 7-2 on Tuesday to build a dedicated bus lane along Harbor Street, "
    "ending a two-year debate over parking and traffic.\nConstruction is expected to begin in "
    "April and last about five months, the transportation department said.\nShop owners had "
    "argued that losing 40 parking spaces would hurt business, and several asked for a delay.",
)


def _page(title: str, lines: list[str], canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title>{link}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}\n</article>"
        f"<footer>About us</footer></body></html>"
    )


def _seed_page(path: Path) -> tuple[str, list[str]]:
    """The seed's headline, and all its lines, boilerplate included, for the page body."""
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = clean_text(text).title
    return title, [line for line in lines if line != title]


def build_demo_web(web: ReplicaWeb, seeds: list[Path]) -> list[tuple[str, str]]:
    """Serve two seeds as new coverage; returns the (kind, url) sources to crawl."""
    now = time.time()
    entertainment: Outlet = web.outlet("entertainment")
    wire: Outlet = web.outlet("wire")
    feed, sitemap = [], []
    for index, path in enumerate(seeds):
        title, lines = _seed_page(path)
        url = entertainment.put(f"/2024/06/0{index + 7}/story-{index}", _page(title, lines))
        feed.append(Entry(url + "?utm_source=rss", title, now - 3600))
        amp = entertainment.put(
            f"/2024/06/0{index + 7}/story-{index}/amp", _page(title, lines, url)
        )
        sitemap.append(Entry(amp, title, now - 3600))
    title, lines = _seed_page(seeds[-1])
    copy = wire.put("/syndicated/kutcher-sora-copy", _page(title, ["By Wire Staff", *lines]))
    unrelated = wire.put(
        "/2024/06/09/harbor-street-bus-lane", _page(UNRELATED[0], UNRELATED[1].split("\n"))
    )
    sitemap += [Entry(copy, title, now - 3600), Entry(unrelated, UNRELATED[0], now - 3600)]
    entertainment.put("/feed.xml", rss("Entertainment", feed), "application/rss+xml")
    wire.put("/news-sitemap.xml", news_sitemap("Wire", sitemap), "application/xml")
    return [("feed", entertainment.url("/feed.xml")), ("sitemap", wire.url("/news-sitemap.xml"))]


def _write_config(folder: Path, sources: list[tuple[str, str]]) -> Path:
    tables = "".join(f'\n[[sources]]\nkind = "{kind}"\nurl = "{url}"\n' for kind, url in sources)
    path = folder / "storywatch.toml"
    path.write_text(
        '[story]\nname = "Ashton Kutcher praises OpenAI\'s Sora (demo)"\nseeds = "seeds"\n'
        '[storage]\nurl = "sqlite:///demo.db"\n[crawl]\nallow_private_addresses = true\n'
        "[alerts]\non_first_run = true\n" + tables,
        encoding="utf-8",
    )
    return path


def run_demo(seeds_dir: Path, progress: bool = False) -> tuple[RunReport, list[dict]]:
    """Serve the replica, crawl it into a temporary database, return the run and what it holds."""
    all_seeds = sorted(path for path in seeds_dir.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="storywatch-demo-") as folder, ReplicaWeb() as web:
        work = Path(folder)
        (work / "seeds").mkdir()
        for path in all_seeds[:STORY_SEEDS]:
            shutil.copy(path, work / "seeds" / path.name)
        config = load_config(str(_write_config(work, build_demo_web(web, all_seeds[STORY_SEEDS:]))))
        with Store(config.database_url) as store:
            report = run_once(config, store, progress=progress)
            with store.sessions() as session:
                rows = list(export_rows(session))
    return report, rows
