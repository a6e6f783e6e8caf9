"""A replica news site for the benchmark: N article pages in three outlets' templates.

Pages are written to disk (one folder per outlet host) so the same bytes feed every stage: the
static server, trafilatura from disk and both crawlers. Each outlet (tests/pages.py styles) gets
the weight of a real news page around its article: a long navigation, inline script and JSON-LD,
related-story lists and a footer of links (about 40 KB a page, the median HTML page of the HTTP
Archive's 2024 Web Almanac being about 30 KB compressed). Texts are ~500-900 words: real news
sentences (tests/pages.py, tests/crawler/labelled_texts.py) mixed with sentences drawn from the
5,000 commonest English words (wordfreq), so no two articles are near-duplicates by accident.

Of the N pages, about 1 in 20 is a syndicated copy (another outlet's page, same paragraphs, its
own template and headline); the Pulse outlet's URLs end in "/"; one feed entry in ten is a URL
variant (tracking parameters) of a page the sitemap lists plainly.
"""

from __future__ import annotations

import html
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from wordfreq import top_n_list

from schedules.replica import Entry, news_sitemap, rss, sitemap_index
from tests.crawler.labelled_texts import IRRELEVANT, RELEVANT
from tests.pages import BODIES, OUTLETS, Body

COPY_EVERY = 20  # one page in 20 is a syndicated copy of an earlier page
VARIANT_EVERY = 10  # one feed entry in 10 carries tracking parameters
SITEMAP_CHILD_SIZE = 500  # URLs per child sitemap
FEED_SIZE = 200  # newest entries in the RSS feed
SLUG_WORDS = 6


@dataclass
class SitePage:
    host: str  # "127.0.0.2:PORT"
    path: str
    title: str
    published: float
    copy_of: int | None = None  # index of the page it copies

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}"


@dataclass
class Site:
    folder: Path
    hosts: list[str]
    pages: list[SitePage] = field(default_factory=list)
    variants: int = 0

    @property
    def sitemap_url(self) -> str:
        return f"http://{self.hosts[0]}/sitemap_index.xml"

    @property
    def feed_url(self) -> str:
        return f"http://{self.hosts[0]}/feed.xml"

    @property
    def copies(self) -> int:
        return sum(1 for page in self.pages if page.copy_of is not None)

    def file(self, page: SitePage) -> Path:
        return self.folder / page.host.split(":")[0] / _file_name(page.path)


def _file_name(path: str) -> str:
    """The file a URL path is stored in: '/a/b/' -> 'a/b/index.html'."""
    path = path.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


class _Writer:
    """Random but reproducible texts, titles and paths."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.words = top_n_list("en", 5000)
        real = [p for body in BODIES for p in body.paragraphs] + list(RELEVANT + IRRELEVANT)
        self.real = [s.strip() + "." for p in real for s in p.split(". ") if len(s) > 40]

    def sentence(self) -> str:
        words = self.random.choices(self.words, k=self.random.randint(10, 24))
        return " ".join(words).capitalize() + "."

    def body(self, index: int) -> Body:
        paragraphs = []
        for _ in range(self.random.randint(8, 13)):
            parts = [self.sentence() for _ in range(self.random.randint(2, 4))]
            if self.random.random() < 0.4:
                parts.insert(self.random.randint(0, len(parts)), self.random.choice(self.real))
            paragraphs.append(" ".join(parts))
        words = self.random.choices(self.words, k=SLUG_WORDS)
        return Body(f"{' '.join(words).capitalize()} ({index})", tuple(paragraphs))

    def slug(self, title: str) -> str:
        return "-".join("".join(c for c in word if c.isalnum()) for word in title.split())


def _path(outlet: int, index: int, slug: str, published: float) -> str:
    day = time.strftime("%Y/%m/%d", time.gmtime(published))
    return (
        f"/{day}/{slug}",
        f"/entertainment/{slug}/",  # WordPress-style: the canonical URL ends in "/"
        f"/news/{index}/{slug}",
    )[outlet]


def build_site(folder: Path, n: int, hosts: list[str], seed: int = 7) -> Site:
    """Write N article pages, an RSS feed and a sitemap index under `folder`."""
    writer, site = _Writer(seed), Site(folder, hosts)
    now = time.time()
    bodies: list[Body] = []
    for index in range(n):
        outlet = index % len(OUTLETS)
        original = index - 1 - writer.random.randrange(min(index, 50)) if index else None
        copy_of = original if index % COPY_EVERY == COPY_EVERY - 1 else None
        body = writer.body(index) if copy_of is None else _syndicated(bodies[copy_of], index)
        if copy_of is not None and site.pages[copy_of].host == hosts[outlet]:
            outlet = (outlet + 1) % len(OUTLETS)  # a copy is on another outlet's site
        bodies.append(body)
        published = now - (n - index) * 60.0
        path = _path(outlet, index, writer.slug(body.title), published)
        page = SitePage(hosts[outlet], path, body.title, published, copy_of)
        site.pages.append(page)
        _write(site.file(page), _render(outlet, body, page, writer))
    _write_listings(site, writer)
    return site


def _syndicated(body: Body, index: int) -> Body:
    """Another outlet's copy: its own headline, the agency's paragraphs, its own tail."""
    tail = f"This report was distributed by a news agency and published here as item {index}."
    return Body(f"{body.title} (agency copy {index})", (*body.paragraphs, tail))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_listings(site: Site, writer: _Writer) -> None:
    root = site.folder / site.hosts[0].split(":")[0]
    entries = [Entry(page.url, page.title, page.published) for page in site.pages]
    children = []
    for number, start in enumerate(range(0, len(entries), SITEMAP_CHILD_SIZE)):
        name = f"sitemap-{number}.xml"
        _write(root / name, news_sitemap("Replica News", entries[start : start + SITEMAP_CHILD_SIZE]))
        children.append(f"http://{site.hosts[0]}/{name}")
    _write(root / "sitemap_index.xml", sitemap_index(children))
    newest = entries[-FEED_SIZE:][::-1]
    for number, entry in enumerate(newest):
        if number % VARIANT_EVERY == 0:
            newest[number] = Entry(entry.url + "?utm_source=rss&utm_medium=feed", entry.title, entry.published)
            site.variants += 1
    _write(root / "feed.xml", rss("Replica News", newest))
    for host in site.hosts:
        _write(site.folder / host.split(":")[0] / "robots.txt", "User-agent: *\nAllow: /\n")


# --- page weight -------------------------------------------------------------------------------

_SCRIPT = "window.dataLayer=window.dataLayer||[];" + "".join(
    f"function t{i}(a,b){{return (a*{i}+b)%{i + 7};}}dataLayer.push({{e:'v{i}'}});" for i in range(260)
)


def _render(outlet: int, body: Body, page: SitePage, writer: _Writer) -> str:
    style = OUTLETS[outlet]
    markup = style.render(body, style)
    head = (
        f'<link rel="canonical" href="{html.escape(page.url)}">'
        f'<meta property="og:type" content="article"><meta property="og:title" '
        f'content="{html.escape(body.title)}"><meta name="description" content="'
        f'{html.escape(body.paragraphs[0][:150])}"><meta property="article:published_time" '
        f'content="{time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(page.published))}">'
        f'<script type="application/ld+json">{json.dumps(_json_ld(body, page))}</script>'
        f"<script>{_SCRIPT}</script>"
    )
    links = _links(writer, 120)
    markup = markup.replace("</head>", head + "</head>", 1)
    markup = markup.replace("<header><nav>", f"<header><nav>{links}", 1)
    aside = f"<aside><h2>Most read</h2><ul>{_links(writer, 25, '<li>', '</li>')}</ul></aside>"
    return markup.replace("</main>", f"</main>{aside}", 1).replace(
        "</footer>", f"<nav>{_links(writer, 60)}</nav></footer>", 1
    )


def _json_ld(body: Body, page: SitePage) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": body.title,
        "datePublished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(page.published)),
        "mainEntityOfPage": page.url,
    }


def _links(writer: _Writer, count: int, before: str = "", after: str = " ") -> str:
    items = []
    for _ in range(count):
        words = writer.random.choices(writer.words, k=4)
        slug = "-".join(words)
        items.append(f'{before}<a href="/section/{html.escape(slug)}">{html.escape(" ".join(words))}</a>{after}')
    return "".join(items)
