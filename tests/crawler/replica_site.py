"""The replica web the crawl tests run against: four outlets and a news-search service.

It is the web of June 2024, whatever today's date: the story's coverage is dated then, long
before the test runs, as a user's story is. Round 1 holds relevant and irrelevant articles, one
article under several URLs (a tracking parameter, a fragment, an AMP page), a syndicated copy,
bad pages, a WordPress-style outlet (URLs ending in "/", 301 from the slash-less spelling), a
sitemap index with years of old monthly children, a story from before the window, and a
section page linking id-shaped article URLs and a tag page. `second_round()`, a day later, adds
a correction to one article and two new articles.
"""

from __future__ import annotations

import calendar
import gzip
import json
import time
from dataclasses import dataclass, field

from schedules.replica import (
    Entry,
    Outlet,
    ReplicaWeb,
    atom,
    news_sitemap,
    rss,
    send,
    sitemap_index,
)
from tests.crawler.labelled_texts import RELEVANT
from tests.pages import BODIES, OUTLETS, Body

LEDGER_STYLE, PULSE_STYLE, TECHWIRE_STYLE = OUTLETS
CORRECTION = "Correction: An earlier version of this article misstated the size of the grips local."
HOUR = 3600
DAY = 24 * HOUR
# The replica's "now": the day after the bundled seeds (7 June 2024), years before the test runs.
STORY_TIME = calendar.timegm((2024, 6, 8, 12, 0, 0))
CRAWL_CONFIG_TEXT = """
[crawl]
allow_private_addresses = true
download_timeout = 10
"""
OG_ARTICLE = '<meta property="og:type" content="article">'
JSON_LD_ARTICLE = (
    '<script type="application/ld+json">{"@context": "https://schema.org", '
    '"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "inLanguage": "en"}]}</script>'
)


def story_body(index: int, title: str) -> Body:
    """A relevant article built from one labelled text and a closing line of its own."""
    return Body(
        title,
        (
            RELEVANT[index],
            f"This is report number {index} in our coverage of the "
            "debate over AI video tools in film and television production.",
        ),
    )


def render(style, body: Body, canonical: str | None = None) -> str:
    """An outlet's article page: TechWire says og:type article, the Ledger JSON-LD NewsArticle,
    Pulse neither (the page itself must tell)."""
    page = style.render(body, style)
    head = {TECHWIRE_STYLE.name: OG_ARTICLE, LEDGER_STYLE.name: JSON_LD_ARTICLE}.get(style.name, "")
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    return page.replace("</head>", head + "</head>", 1)


def listing_page(title: str, links: list[tuple[str, str]]) -> str:
    """A section or tag page: a list of links, og:type website."""
    items = "".join(f'<li><a href="{url}">{text}</a></li>' for url, text in links)
    return (
        f'<html><head><title>{title}</title><meta property="og:type" content="website">'
        f"</head><body><h1>{title}</h1><ul>{items}</ul></body></html>"
    )


@dataclass
class Site:
    web: ReplicaWeb
    pulse: Outlet
    ledger: Outlet
    techwire: Outlet
    search: Outlet
    gdelt: Outlet
    wordpress: Outlet
    urls: dict[str, str] = field(default_factory=dict)
    pulse_feed: list[Entry] = field(default_factory=list)
    ledger_news: list[Entry] = field(default_factory=list)

    @property
    def sources(self) -> str:
        """The [[sources]] tables of a config crawling this replica."""
        tables = [
            ("feed", self.pulse.url("/feed.xml"), 0),
            ("feed", self.ledger.url("/atom.xml"), 0),
            ("sitemap", self.ledger.url("/sitemap_index.xml"), 0),
            ("page", self.techwire.url("/entertainment"), 0),
            ("feed", self.wordpress.url("/feed"), 0),
            ("search", self.search.url("/rss/search?q={query}&hl=en-US"), 0),
            (
                "search",
                self.gdelt.url("/api/v2/doc/doc?query={query}&mode=artlist&format=json"),
                1,
            ),
        ]
        return "".join(
            f'\n[[sources]]\nkind = "{kind}"\nurl = "{url}"\ndelay = {delay}\n'
            for kind, url, delay in tables
        )

    def publish_pulse_feed(self) -> None:
        self.pulse.put("/feed.xml", rss("Pulse", self.pulse_feed), "application/rss+xml")

    def publish_ledger_news(self) -> None:
        xml = news_sitemap("The Daily Ledger", self.ledger_news).encode()
        self.ledger.put("/sitemaps/news.xml.gz", gzip.compress(xml), "application/gzip")

    def second_round(self) -> None:
        """A correction to the main story, and a new article on two outlets."""
        body = BODIES[0]
        corrected = Body(body.title, (*body.paragraphs, CORRECTION))
        story = self.pulse.put("/2024/06/kutcher-sora-unions", render(PULSE_STYLE, corrected))
        self.pulse.put(  # the CMS updates the AMP rendering with the page
            "/2024/06/kutcher-sora-unions/amp", render(PULSE_STYLE, corrected, canonical=story)
        )
        now = STORY_TIME + DAY
        new_pulse = self.pulse.put(
            "/2024/06/kutcher-film-school-panel",
            render(PULSE_STYLE, story_body(11, "Film students ask about Sora")),
        )
        self.pulse_feed.append(Entry(new_pulse, "Film students ask about Sora", now))
        self.publish_pulse_feed()
        new_ledger = self.ledger.put(
            "/2024/06/09/stunt-performers-answer-kutcher",
            render(LEDGER_STYLE, story_body(10, "Stunt performers answer")),
        )
        self.ledger_news.append(Entry(new_ledger, "Stunt performers answer", now))
        self.publish_ledger_news()
        self.urls.update(round2_pulse=new_pulse, round2_ledger=new_ledger)


def build_site(web: ReplicaWeb) -> Site:
    names = ("pulse", "ledger", "techwire", "search", "gdelt", "wordpress")
    site = Site(web, *(web.outlet(name) for name in names))
    _pulse(site)
    _ledger(site)
    _techwire(site)
    _search(site)
    _wordpress(site)
    return site


def _pulse(site: Site) -> None:
    pulse, now = site.pulse, STORY_TIME
    pulse.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    story = pulse.put("/2024/06/kutcher-sora-unions", render(PULSE_STYLE, BODIES[0]))
    pulse.put("/2024/06/kutcher-sora-unions/amp", render(PULSE_STYLE, BODIES[0], canonical=story))
    site.urls.update(story=story, amp=story + "/amp")
    irrelevant = pulse.put("/2024/06/bus-lane-approved", render(PULSE_STYLE, BODIES[1]))
    cp1252 = pulse.put(
        "/2024/06/kutcher-cafe-reaction", _cp1252_page(), "text/html; charset=windows-1252"
    )
    junk = pulse.put("/2024/06/kutcher-doubles-down-on-sora", _junk_page())
    site.urls.update(irrelevant=irrelevant, cp1252=cp1252, junk=junk)
    bad = _bad_pages(pulse)
    site.urls.update(bad)
    links = [
        story + "?utm_source=rss#comments",
        irrelevant,
        cp1252,
        junk,
        *bad.values(),
        pulse.url("/private/kutcher-sora-leak"),
        "http://169.254.169.254/latest/meta-data/",
    ]
    site.pulse_feed = [Entry(url, f"Item {i}", now - HOUR) for i, url in enumerate(links)]
    site.publish_pulse_feed()
    site.urls["metadata"] = links[-1]


def _bad_pages(pulse: Outlet) -> dict[str, str]:
    pulse.put("/2024/06/server-error", "<h1>oops</h1>", status=500)
    pulse.put("/2024/06/report-kutcher-sora.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
    pulse.handle("/2024/06/loop", lambda h: send(h, 302, Location="/2024/06/loop"))
    pulse.handle("/2024/06/huge-page", _huge)
    pulse.handle("/2024/06/slow-kutcher-sora-analysis", _slow)
    return {
        name: pulse.url(path)
        for name, path in (
            ("missing", "/2024/06/missing-story"),
            ("error", "/2024/06/server-error"),
            ("pdf", "/2024/06/report-kutcher-sora.pdf"),
            ("loop", "/2024/06/loop"),
            ("huge", "/2024/06/huge-page"),
            ("slow", "/2024/06/slow-kutcher-sora-analysis"),
        )
    }


def _huge(handler) -> None:
    chunk = b"<p>" + b"filler text " * 1000 + b"</p>\n"
    size = 30 * 1024 * 1024
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(size))
    handler.end_headers()
    sent = 0
    try:
        while sent < size:
            handler.wfile.write(chunk[: size - sent])
            sent += len(chunk)
    except OSError:
        pass  # the crawler hung up at its size limit


def _slow(handler) -> None:
    time.sleep(3)
    send(
        handler, 200, render(PULSE_STYLE, story_body(6, "A slow analysis of the Sora row")).encode()
    )


def _cp1252_page() -> bytes:
    body = story_body(7, "Café owners react to Kutcher’s Sora comments")
    page = render(PULSE_STYLE, body).replace('<meta charset="utf-8">', "")
    page = page.replace(
        "This is report number 7",
        "At a café near the studio, the “Sora” talk dominated lunch. This is report number 7",
    )
    return page.encode("cp1252")


def _junk_page() -> bytes:
    page = render(PULSE_STYLE, story_body(3, "Kutcher doubles down on Sora")).encode()
    page = page.replace(b"</nav>", b"</nav>\x00\xff\xfe<div><span><<<p>broken \x81\x8d</div>")
    return page.replace(b"</article>", b"<p>unclosed <b>tags \xc3\x28 here")


def _ledger(site: Site) -> None:
    ledger, now = site.ledger, STORY_TIME
    copy = ledger.put("/wire/kutcher-sora-unions-copy", render(LEDGER_STYLE, BODIES[0]))
    ledger.put(
        "/atom.xml",
        atom(
            "Ledger",
            [
                Entry(copy, "Unions answer Kutcher", now - HOUR),
                Entry(site.urls["amp"], "AMP", now - HOUR),
            ],
        ),
        "application/atom+xml",
    )
    fresh = ledger.put(
        "/2024/06/08/crew-angry-at-kutcher",
        render(LEDGER_STYLE, story_body(1, "Crew members still angry at Kutcher")),
    )
    # Another story of the same people, a year before this one's window opens.
    old = ledger.put(
        "/2023/03/01/old-kutcher-story", render(LEDGER_STYLE, story_body(8, "An old story"))
    )
    site.ledger_news = [Entry(fresh, "Crew members still angry", now - HOUR)]
    site.publish_ledger_news()
    ledger.put(
        "/sitemaps/recent.xml",
        news_sitemap("The Daily Ledger", [Entry(old, "An old story", now - 465 * DAY)]),
        "application/xml",
    )
    # Two years of monthly children, last changed long before the story: never fetched.
    monthly = []
    for year in (2022, 2023):
        for month in range(1, 13):
            path = f"/sitemaps/{year}-{month:02d}.xml"
            ledger.put(path, news_sitemap("The Daily Ledger", []), "application/xml")
            monthly.append((ledger.url(path), calendar.timegm((year, month, 28, 0, 0, 0))))
    ledger.put(
        "/sitemap_index.xml",
        sitemap_index(
            [
                (ledger.url("/sitemaps/news.xml.gz"), now - HOUR),
                (ledger.url("/sitemaps/recent.xml"), now - DAY),
                *monthly,
            ]
        ),
        "application/xml",
    )
    site.urls.update(copy=copy, sitemap_fresh=fresh, sitemap_old=old)


# On-story reports for the outlets that only this replica has (written for these tests).
MORE_RELEVANT = (
    "Visual effects artists answered Ashton Kutcher on Friday. After the actor said OpenAI's "
    "Sora would let anyone render a whole movie, a group of VFX supervisors wrote that the "
    "demo clips he praised hide weeks of work by the crews he says the tool will replace.",
    "Ashton Kutcher first showed off OpenAI's Sora at a tech event, where he told the audience "
    "that he had a beta version of the video generator and that a full film could one day be "
    "made from a prompt, remarks that drew criticism from crews and unions within days.",
    "A demo reel made with OpenAI's Sora circulated after Ashton Kutcher's remarks. Editors who "
    "studied it said the clips were striking but short, and that the actor's claim that a film "
    "could be rendered on demand skipped over the craft that holds a story together.",
    "Producers in Los Angeles weighed Ashton Kutcher's Sora comments at a panel this week. "
    "Several said OpenAI's video model could cut the cost of an establishing shot, while "
    "others warned that the actor's enthusiasm ignored the people who make films.",
    "Before the backlash, Ashton Kutcher told an audience that OpenAI's Sora had changed how he "
    "thinks about filmmaking, and that his investment firm was watching AI video closely; the "
    "clip of those remarks spread widely once crews began to answer him.",
)


def more_body(index: int, title: str) -> Body:
    closing = f"This is extra report number {index} on how the film business met AI video tools."
    return Body(title, (MORE_RELEVANT[index], closing))


def _techwire(site: Site) -> None:
    tech = site.techwire
    article = tech.put(
        "/2024/06/06/why-kutcher-sora-comments-hit-a-nerve",
        render(TECHWIRE_STYLE, story_body(2, "Why Kutcher's Sora comments hit a nerve")),
    )
    other = tech.put(
        "/2024/06/06/streaming-service-raises-prices", render(TECHWIRE_STYLE, BODIES[3])
    )
    # Real article URL shapes with no date and an id (BBC-like, Hearst-like): the page decides.
    id_shaped = tech.put(
        "/news/entertainment-arts-68912345",
        render(TECHWIRE_STYLE, more_body(2, "A Sora demo reel and its critics")),
    )
    php = tech.put(
        "/news/article/Kutcher-takes-Sora-pitch-on-road-19512345.php",
        render(PULSE_STYLE, more_body(3, "Kutcher takes his Sora pitch on the road")),
    )
    tagged = tech.put(
        "/2024/06/05/producers-weigh-kutcher-sora",
        render(TECHWIRE_STYLE, more_body(1, "Kutcher shows off Sora")),
    )
    tech.put("/tag/ai", listing_page("AI", [(tagged, "Kutcher shows off Sora"), ("/", "Home")]))
    links = [
        (article, "Why Kutcher's Sora comments hit a nerve"),
        (other, "Streaming prices up"),
        (id_shaped, "Sora demo reel"),
        (php, "Kutcher on the road"),
        ("/about", "About"),
        ("/tag/ai", "AI"),
        ("https://elsewhere.example/2024/06/x-y-z-w", "Out"),
    ]
    tech.put("/entertainment", listing_page("Entertainment", links))
    tech.put("/", listing_page("TechWire", [("/entertainment", "Entertainment")]))
    for path in ("/news", "/tech"):
        tech.put(path, listing_page(path, [(article, "Why Kutcher's Sora comments hit a nerve")]))
    tech.put("/about", "<html><body><p>About TechWire.</p></body></html>")
    site.urls.update(
        section_article=article,
        section_other=other,
        section_id_shaped=id_shaped,
        section_php=php,
        tag_article=tagged,
    )


def _wordpress(site: Site) -> None:
    """A WordPress-style outlet: every URL ends in "/", the slash-less spelling answers 301."""
    wp = site.wordpress
    first = more_body(0, "VFX artists answer Kutcher")
    pages = {
        "/2024/06/07/vfx-artists-answer-kutcher/": render(TECHWIRE_STYLE, first),
        "/2024/05/28/kutcher-backs-ai-video/": render(
            TECHWIRE_STYLE, more_body(4, "Kutcher backs AI video")
        ),
    }
    for path, page in pages.items():
        wp.put(path, page)
        wp.handle(path.rstrip("/"), lambda h, p=path: send(h, 301, Location=wp.url(p)))
    entries = [
        Entry(wp.url(path), path, STORY_TIME - (1 + index * 10) * DAY)
        for index, path in enumerate(pages)
    ]
    wp.put("/feed/", rss("WP", entries), "application/rss+xml")
    wp.handle("/feed", lambda h: send(h, 301, Location=wp.url("/feed/")))
    site.urls.update(wp_recent=entries[0].url, wp_older=entries[1].url)


def _search(site: Site) -> None:
    search, now = site.search, STORY_TIME
    target = site.techwire.put(
        "/2024/06/07/wga-responds-to-kutcher",
        render(TECHWIRE_STYLE, story_body(5, "The WGA responds to Kutcher")),
    )
    search.handle("/rss/articles/CBMiWga", lambda h: send(h, 302, Location=target))
    wrapper = search.url("/rss/articles/CBMiWga")
    search.put(
        "/rss/search",
        rss("Search", [Entry(wrapper, "WGA responds", now - HOUR)]),
        "application/rss+xml",
    )
    gdelt_target = site.ledger.put(
        "/2024/06/08/kutcher-opinion-sora",
        render(LEDGER_STYLE, story_body(9, "Opinion: Kutcher is wrong")),
    )
    answers = iter([429])

    def gdelt(handler) -> None:
        if next(answers, 200) == 429:
            send(
                handler,
                429,
                b"Please limit requests to one every 5 seconds",
                "text/plain",
                **{"Retry-After": "1"},
            )
            return
        seen = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now - HOUR))
        article = {"url": gdelt_target, "title": "Opinion", "seendate": seen, "domain": "ledger"}
        body = json.dumps({"articles": [article]})
        send(handler, 200, body.encode(), "application/json")

    site.gdelt.handle("/api/v2/doc/doc", gdelt)
    site.urls.update(search_target=target, wrapper=wrapper, gdelt_target=gdelt_target)
