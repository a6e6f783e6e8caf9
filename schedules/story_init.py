"""`storywatch init NAME --seed URL|FILE ...`: a new story folder a user can crawl at once.

The folder gets storywatch.toml (the story named after the folder, its seeds, a SQLite file,
and the news-search sources, which work for any story), seeds/ with each seed fetched or
copied, and seeds/seeds.toml recording what each seed states (title, outlet, author, date, and
the URL it was fetched from). Nothing is invented: a fact the page does not give is left out.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from crawler.extract import Article, ExtractionError, clean_html
from crawler.profile import build_profile
from crawler.seeds import MANIFEST, SeedError, read_seed
from schedules.web import FetchError, fetch_page

__all__ = ["InitError", "init_story"]

CONFIG_TEMPLATE = """# storywatch: {name}. Every key is described in README.md.

[story]
name = "{name}"
seeds = "seeds"              # folder of seed articles, relative to this file
# queries = ["{query}"]   # derived from the seeds when absent; set to steer the story
min_relevance = 0.5          # 0..1: below this a page is not coverage of the story

[storage]
url = "sqlite:///storywatch.db"

[crawl]
max_depth = 1
obey_robots = true
max_age = "7d"

# News search: {{query}} is filled from the story's queries (URL-encoded).
[[sources]]
name = "Google News search"
kind = "search"
url = "https://news.google.com/rss/search?q={{query}}&hl=en-US&gl=US&ceid=US:en"

[[sources]]
name = "Bing News search"
kind = "search"
url = "https://www.bing.com/news/search?q={{query}}&format=rss"

[[sources]]
name = "GDELT DOC 2.0"
kind = "search"
url = "https://api.gdeltproject.org/api/v2/doc/doc?query={{query}}&mode=artlist&format=json&maxrecords=75&timespan=1w"
delay = 6.0
"""


class InitError(Exception):
    """Why a story folder could not be started, in one line."""


def init_story(folder: Path, seeds: list[str]) -> Path:
    """Create `folder` with config, seeds and manifest; InitError if it exists or a seed fails.
    Nothing is left behind on failure."""
    if folder.exists():
        raise InitError(f"{folder}: already exists; choose a new folder name")
    seeds_dir = folder / "seeds"
    seeds_dir.mkdir(parents=True)
    try:
        entries = [_add_seed(ref, seeds_dir, index) for index, ref in enumerate(seeds)]
        articles = [article for article, _ in entries]
        profile = build_profile([article.text for article in articles])
    except (InitError, ValueError) as exc:
        shutil.rmtree(folder)
        raise InitError(str(exc)) from None
    (seeds_dir / MANIFEST).write_text(_manifest([entry for _, entry in entries]), "utf-8")
    name = folder.name.replace('"', "'")
    query = profile.queries[0] if profile.queries else ""
    text = CONFIG_TEMPLATE.format(name=name, query=query.replace('"', "'"))
    (folder / "storywatch.toml").write_text(text, "utf-8")
    return folder


def _add_seed(ref: str, seeds_dir: Path, index: int) -> tuple[Article, dict]:
    try:
        if "://" in ref:
            page = fetch_page(ref)
            name = f"{index:03d}_{hashlib.sha256(page.url.encode()).hexdigest()[:16]}.html"
            (seeds_dir / name).write_bytes(page.body)
            article = clean_html(page.body)
            return article, _facts(article, {"file": name, "url": page.url})
        source = Path(ref)
        if not source.is_file():
            raise InitError(f"{ref}: no such file")
        name = f"{index:03d}_{source.name}"
        shutil.copyfile(source, seeds_dir / name)
        article = read_seed(seeds_dir / name)
        return article, _facts(article, {"file": name})
    except (FetchError, SeedError, ExtractionError) as exc:
        raise InitError(f"seed {ref}: {exc}") from None


def _facts(article: Article, entry: dict) -> dict:
    """The manifest entry: the file, then what the page states of itself."""
    published = article.published_at.isoformat() if article.published_at else None
    title = None if article.title.endswith(("...", "…")) else article.title  # not a cut line
    facts = {"title": title, "outlet": article.site_name, "author": article.author}
    return {**entry, **facts, "published": published}


def _manifest(entries: list[dict]) -> str:
    lines = ["# What each seed's own text states; nothing here is invented.", ""]
    for entry in entries:
        lines.append("[[seed]]")
        lines += [f"{key} = {_toml(value)}" for key, value in entry.items() if value]
        lines.append("")
    return "\n".join(lines)


def _toml(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
