"""`make bench`: relevance on the evaluation set; extraction quality and cost, clean_html against
bare trafilatura; crawl figures on the replica, in one run.

Figures are ratios from one run on this machine; it is shared and noisy, so compare them, do not
read the seconds as absolute.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from crawler import boilerplate
from schedules.replica import Entry, ReplicaWeb, rss
from tests.commands import storywatch
from tests.conftest import SEEDS, write_config
from tests.crawler.replica_site import (
    CRAWL_CONFIG_TEXT,
    PULSE_STYLE,
    build_site,
    render,
    story_body,
)
from tests.extraction_figures import bare_text, clean_text_of, score
from tests.pages import seed_pages, styled_pages
from tests.realworld import (
    DATA_ENV,
    clean_body,
    clean_record,
    data_root,
    evaluate,
    extract_all,
    news_pages,
    trafilatura_pages,
)
from tests.realworld import (
    bare_text as bare_html_text,
)
from tests.relevance_figures import relevance_section


def _quality() -> None:
    print("extraction quality (boilerplate lines kept / present; body sentences lost / total)")
    for name, pages in (("outlet-style pages", styled_pages()), ("seeds as HTML", seed_pages())):
        for label, extract in (("trafilatura", bare_text), ("clean_html", clean_text_of)):
            result, _ = score(pages, extract)
            print(
                f"  {name:<19} {label:<12} boilerplate kept {result.boilerplate_kept:>3}/"
                f"{result.boilerplate_total:<3}  body lost {result.sentences_lost}/"
                f"{result.sentences_total} ({result.lost_share:.1%})"
            )


def _development_set() -> None:
    """Token/string P, R, F1 of bare trafilatura and clean_html per public set, lines lost."""
    root = data_root()
    print(f"development set from {root} (set ${DATA_ENV} to the full data)")
    for name, pages in (("trafilatura", trafilatura_pages(root)), ("news", news_pages(root))):
        pages = list(pages)
        if not pages:
            print(f"  {name:<12} no pages found")
            continue
        bare = extract_all(pages, bare_html_text)
        record = extract_all(pages, clean_record)
        results = (
            ("trafilatura", evaluate(pages, bare)),
            ("clean_html", evaluate(pages, extract_all(pages, clean_body), bare, record)),
            ("+ title", evaluate(pages, record)),
        )
        for label, result in results:
            precision, recall, f1 = result.prf()
            print(
                f"  {name:<12} {label:<12} pages {result.pages:>4}  P {precision:.3f}  "
                f"R {recall:.3f}  F1 {f1:.3f}"
            )
        _print_lost(name, results[1][1])
        _real_cost(pages[:60])


def _print_lost(name: str, result) -> None:
    share = result.lines_lost / max(1, result.body_lines)
    print(f"  {name:<12} body lines lost {result.lines_lost}/{result.body_lines} ({share:.2%})")
    for page, lines in result.lost.items():
        print(f"    {page}")
        for line in lines:
            print(f"      - {line[:110]}")


def _forget_lines() -> None:
    for value in vars(boilerplate).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


def _paired_cost(htmls: list[str], rounds: int) -> tuple[float, float]:
    """Seconds per page for bare trafilatura and clean_html, timed page by page in turn.

    Each page runs through both before the next, so a change in the machine's load (it is
    shared) falls on both sides alike.
    """
    spent = [0.0, 0.0]
    for _ in range(rounds):
        _forget_lines()  # a page seen again must not be judged from the line caches
        for html in htmls:
            for side, extract in enumerate((bare_html_text, clean_body)):
                start = time.perf_counter()
                extract(html)
                spent[side] += time.perf_counter() - start
    runs = rounds * len(htmls)
    return spent[0] / runs, spent[1] / runs


def _print_cost(label: str, htmls: list[str], rounds: int) -> None:
    bare, ours = _paired_cost(htmls, rounds)
    print(
        f"  cost per page, {label} ({len(htmls)} pages): trafilatura {bare * 1000:.1f} ms, "
        f"clean_html {ours * 1000:.1f} ms (ratio {ours / bare:.2f})"
    )


def _real_cost(pages: list) -> None:
    _print_cost("real pages", [page.html for page in pages], rounds=1)


def _cost(rounds: int = 20) -> None:
    print("cost")
    _print_cost(
        "outlet-style and seed pages", [p.html for p in styled_pages() + seed_pages()], rounds
    )


def _crawl(project: Path) -> float:
    started = time.perf_counter()
    storywatch(project, "crawl", timeout=600, check=True)
    return time.perf_counter() - started


def _project() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="storywatch-bench-"))
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


def _incremental() -> None:
    """Pages downloaded in round 2 against round 1 on the test replica."""
    project = _project()
    with ReplicaWeb() as web:
        site = build_site(web)
        write_config(project, CRAWL_CONFIG_TEXT + site.sources)
        _crawl(project)
        first = {name: len(outlet.requests) for name, outlet in web.outlets.items()}
        site.second_round()
        _crawl(project)
        rounds = [
            [seen for name, o in web.outlets.items() for seen in o.requests[: first[name]]],
            [seen for name, o in web.outlets.items() for seen in o.requests[first[name] :]],
        ]
    bodies = [
        sum(1 for seen in requests if seen.status == 200 and seen.path != "/robots.txt")
        for requests in rounds
    ]
    not_modified = sum(1 for seen in rounds[1] if seen.status == 304)
    print(
        f"replica: pages downloaded (200 with a body): round 1 {bodies[0]}, round 2 {bodies[1]} "
        f"({bodies[1] / bodies[0]:.2f} of round 1); answered 304 in round 2: {not_modified}; "
        f"requests in all: {len(rounds[0])} then {len(rounds[1])}"
    )
    shutil.rmtree(project)


def _throughput(articles: int = 240) -> None:
    """Pages per second on a replica of four outlets with plain article pages."""
    project = _project()
    with ReplicaWeb() as web:
        sources = ""
        for number in range(4):
            outlet = web.outlet(f"outlet{number}")
            entries = []
            for index in range(articles // 4):
                body = story_body(index % 12, f"Report {number}-{index}")
                url = outlet.put(
                    f"/2024/06/report-{number}-{index}-on-the-story", render(PULSE_STYLE, body)
                )
                entries.append(Entry(url, f"Report {index}", time.time() - 60))
            outlet.put("/feed.xml", rss("Feed", entries), "application/rss+xml")
            sources += f'\n[[sources]]\nkind = "feed"\nurl = "{outlet.url("/feed.xml")}"\n'
        write_config(project, CRAWL_CONFIG_TEXT + "concurrency = 16\n" + sources)
        seconds = _crawl(project)
        fetched = sum(len(o.fetched()) for o in web.outlets.values())
    print(
        f"throughput: {fetched} pages in {seconds:.1f} s = {fetched / seconds:.1f} pages/s "
        "(whole command, start-up included)"
    )
    shutil.rmtree(project)


if __name__ == "__main__":
    relevance_section()
    _development_set()
    _quality()
    _cost()
    _incremental()
    _throughput()
