"""`make bench` (after tests/bench.py): storywatch against its baselines on one replica site.

    python -m bench [--pages 2000] [--scaling 500,2000,8000] [--dedupe 1000,10000,100000]

In one sitting, on the same pages served from loopback: the server's own rate with a plain
client; (1) trafilatura with metadata over the pages from disk, 1 and 2 processes; (2) a naive
Scrapy spider calling trafilatura in its callback; (3) `storywatch crawl` over the sitemap and
feed (fresh SQLite, min_relevance 0, alerts off); (4) the same crawl again, nothing changed.
Then the near-duplicate index micro-benchmark (bench.dedupe). The figures are ratios within
one run: the machine is shared, so read them side by side, not as absolutes.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bench import dedupe
from bench.crawl import crawl, crawl_stats, make_project
from bench.measure import Measured, client_rate, run_measured, server_stats
from bench.report import Row, print_rows, print_stages
from bench.site import Site, build_site

ADDRESSES = ["127.0.0.21", "127.0.0.22", "127.0.0.23"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((ADDRESSES[0], 0))
        return probe.getsockname()[1]


@contextmanager
def serving(folder: Path, pages: int):
    """The site built under `folder` and served; yields (site, server base URL)."""
    port = _free_port()
    site = build_site(folder / "site", pages, [f"{address}:{port}" for address in ADDRESSES])
    command = [sys.executable, "-m", "bench.server", str(site.folder), str(port), *ADDRESSES]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("bench: the static server did not start")
        yield site, f"http://{site.hosts[0]}"
    finally:
        server.terminate()
        server.wait(10)


def _pages_of(measured: Measured) -> int:
    for line in measured.output.splitlines():
        if line.startswith("pages "):
            return int(line.split()[1])
    raise SystemExit(f"bench: a stage failed:\n{measured.output[-2000:]}")


def baselines(site: Site, base: str, folder: Path) -> list[Row]:
    rate, size = client_rate([page.url for page in site.pages])
    rows = [Row("static server, plain client (16 conn.)", len(site.pages), len(site.pages) / rate, 0, size)]
    list_file = folder / "files.txt"
    list_file.write_text("\n".join(str(site.file(page)) for page in site.pages))
    for processes in (1, 2):
        command = [sys.executable, "-m", "bench.baselines", "extract", str(processes), str(list_file)]
        measured = run_measured(command)
        name = f"(1) trafilatura from disk, {processes} proc."
        rows.append(Row(name, _pages_of(measured), measured.seconds, measured.peak_mb, 0))
    server_stats(base, reset=True)
    measured = run_measured([sys.executable, "-m", "bench.baselines", "naive", site.sitemap_url])
    served = server_stats(base, reset=True)
    rows.append(Row("(2) naive Scrapy + trafilatura", _pages_of(measured), measured.seconds, measured.peak_mb, served.get("bytes", 0)))
    return rows


def storywatch_rounds(
    site: Site, base: str, folder: Path, code: str | None = None, tag: str = ""
) -> tuple[list[Row], list[dict]]:
    project = make_project(folder / f"project{tag}", site, len(site.pages))
    rows, stats = [], []
    for label in ("(3) storywatch crawl, first", "(4) storywatch crawl, unchanged"):
        label += tag
        server_stats(base, reset=True)
        measured = crawl(project, code)
        served = server_stats(base, reset=True)
        if measured.returncode != 0:
            print(f"bench: {label} exited {measured.returncode}:\n{measured.output[-3000:]}")
        stats.append(crawl_stats(project))
        print(f"{label}: peak RSS by process (MB, main first): {measured.at_peak}")
        rows.append(Row(label, len(site.pages), measured.seconds, measured.peak_mb, served.get("bytes", 0), served))
    return rows, stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--scaling", default="", help="comma-separated N: crawl RSS at each")
    parser.add_argument("--dedupe", default="1000,10000,100000", help="stored-article counts")
    parser.add_argument("--skip", default="", help="comma-separated: baselines,crawl,dedupe")
    parser.add_argument("--before", default="", help="python of another checkout's .venv: its crawl is measured too, as [before]")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each figure as it comes, into a log too
    skip = set(args.skip.split(","))
    with tempfile.TemporaryDirectory(prefix="storywatch-bench-") as tmp:
        folder = Path(tmp)
        if not {"baselines", "crawl"} <= skip:
            with serving(folder, args.pages) as (site, base):
                rows = [] if "baselines" in skip else baselines(site, base, folder)
                if args.before:
                    rows += storywatch_rounds(site, base, folder, args.before, " [before]")[0]
                if "crawl" not in skip:
                    crawl_rows, stats = storywatch_rounds(site, base, folder)
                    rows += crawl_rows
                    print_stages(stats)
                print_rows(rows, site)
        for pages in filter(None, args.scaling.split(",")):
            with serving(folder / f"n{pages}", int(pages)) as (site, base):
                row = storywatch_rounds(site, base, folder / f"n{pages}")[0][0]
                print(f"scaling N={pages}: {row.pages} pages, {row.rate:.1f} pages/s, peak RSS {row.peak_mb:.0f} MB")
    if "dedupe" not in skip:
        dedupe.main([int(size) for size in args.dedupe.split(",") if size])


if __name__ == "__main__":
    main()
