"""Hostile pages against the crawl's bounds (size, links per page, depth and per-source cap, URL
length), each counted; and the parsers fuzzed at length."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import time

from schedules.replica import Entry, ReplicaWeb, rss, send
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.reliability.common import ROOT, failure_count, new_project, report, storywatch

MB = 1024 * 1024


def _crawl(source_kind: str, url: str, extra: str = ""):
    project = new_project(
        f'[crawl]\nallow_private_addresses = true\nbudget = "120s"\n{extra}'
        f'[[sources]]\nkind = "{source_kind}"\nurl = "{url}"\n'
    )
    return storywatch(project, "crawl", "--no-alerts")


def _feed(site, urls: list[str]) -> str:
    return site.put("/feed.xml", rss("B", [Entry(u, "Kutcher Sora", time.time()) for u in urls]))


def _endless(handler) -> None:
    """50 MB without a Content-Length, closed-delimited: only a running count can stop it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"filler " * 9000 + b"</p>\n"
    try:
        for _ in range(50 * MB // len(chunk)):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the crawler hung up at its size cap
    handler.close_connection = True


def _sizes(web) -> list[bool]:
    site = web.outlet("sizes")
    bomb = gzip.compress(b"\0" * (200 * MB), compresslevel=9)
    bombed = site.handle(
        "/2024/06/kutcher-sora-bomb",
        lambda h: send(h, 200, bomb, **{"Content-Encoding": "gzip"}),
    )
    huge = site.handle("/2024/06/kutcher-sora-huge", _endless)
    done = _crawl("feed", _feed(site, [bombed, huge]))
    results = []
    for name, url, what in (
        ("gzip bomb (200 MB in 200 KB)", bombed, f"{len(bomb) // 1024} KB inflating to 200 MB"),
        ("50 MB page, no Content-Length", huge, "50 MB close-delimited"),
    ):
        lines = failure_count(done, url)
        ok = lines == 1 and done.returncode == 0 and done.peak_rss_mb < 600
        results.append(
            report(
                name,
                ok,
                f"{what}: stopped at the 10 MB cap, {lines} failure line, "
                f"peak RSS {done.peak_rss_mb:.0f} MB, {done.seconds:.1f} s",
            )
        )
    return results


def _links(web) -> bool:
    site = web.outlet("links")
    links = "".join(
        f'<a href="/2024/06/item-{n}">Kutcher Sora item {n}</a>\n' for n in range(100_000)
    )
    page = site.put("/section", f"<html><head><title>S</title></head><body>{links}</body></html>")
    done = _crawl("page", page)
    over = re.search(r"(\d+) link\(s\) beyond the document's cap", done.stdout)
    fetched = len(site.fetched("/2024/06/"))
    ok = (
        over is not None and int(over.group(1)) == 99_000 and fetched <= 50 and done.returncode == 0
    )
    return report(
        "100,000 links on one page",
        ok,
        f"{over.group(1) if over else '?'} counted over the 1,000-link cap, {fetched} "
        f"fetched (cap 50), peak RSS {done.peak_rss_mb:.0f} MB, {done.seconds:.1f} s",
    )


def _calendar_day(handler) -> None:
    day = int(re.search(r"day=(\d+)", handler.path).group(1)) if "day=" in handler.path else 0
    nxt = f"/calendar?day={day + 1}&v={time.monotonic_ns()}"
    body = (
        f"<html><head><title>Calendar {day}</title></head><body><h1>Events</h1>"
        f'<a href="{nxt}">next day</a> <a href="/calendar?day={day + 2}">in two days</a>'
        "</body></html>"
    )
    send(handler, 200, body.encode())


def _calendar(web) -> bool:
    site = web.outlet("calendar")
    start = site.handle("/calendar", _calendar_day)
    done = _crawl("page", start)
    served = len(site.fetched("/calendar"))
    ok = done.returncode == 0 and served <= 60 and done.seconds < 120
    return report(
        "infinite calendar",
        ok,
        f"{served} calendar pages fetched (depth 1, cap 50 per source), "
        f"{done.seconds:.1f} s, peak RSS {done.peak_rss_mb:.0f} MB",
    )


def _long_urls(web) -> bool:
    site = web.outlet("long")
    good = site.put("/2024/06/kutcher-sora", render(PULSE_STYLE, story_body(0, "Short")))
    longs = [site.url(f"/2024/06/kutcher-sora-{n}-" + "x" * 5000) for n in range(100)]
    done = _crawl("feed", _feed(site, [good, *longs]))
    counted = re.search(r"(\d+) link\(s\) over 2,048 characters", done.stdout)
    fetched = len(site.fetched("/2024/06/"))
    ok = counted is not None and int(counted.group(1)) == 100 and fetched == 1
    return report(
        "5,000-character URLs",
        ok,
        f"{counted.group(1) if counted else '?'} of 100 counted and never requested, "
        f"{fetched} short one fetched, {done.seconds:.1f} s",
    )


def run() -> bool:
    with ReplicaWeb() as web:
        results = [*_sizes(web), _links(web), _calendar(web), _long_urls(web)]
    return all(results)


def fuzz(examples: int = 2000) -> bool:
    """tests/crawler/test_hostile_input.py with thousands of examples per target."""
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--timeout=1800",
            "tests/crawler/test_hostile_input.py",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "STORYWATCH_FUZZ_EXAMPLES": str(examples)},
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-200:]
    return report(
        "fuzzing + XML attacks",
        done.returncode == 0,
        f"{examples} examples x 3 targets, XML attacks x 6; {summary}; "
        f"{time.monotonic() - started:.0f} s",
    )
