"""Faults in a crawl against the loopback replica: each reported once, none stored, the run
told as it was. Bodies cut short, a store that raises, a time budget, session ids, long URLs,
and no listening socket while a crawl runs."""

from __future__ import annotations

import gzip
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from schedules.replica import Entry, ReplicaWeb, rss, send
from tests.commands import storywatch
from tests.conftest import write_config
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.crawler.test_crawl import crawl, export

FEED = "application/rss+xml"


def feed_config(project: Path, url: str, extra: str = "") -> None:
    write_config(
        project,
        f"[crawl]\nallow_private_addresses = true\ndownload_timeout = 10\n{extra}"
        f'[[sources]]\nkind = "feed"\nurl = "{url}"\n',
    )


def article(index: int, title: str) -> bytes:
    return render(PULSE_STYLE, story_body(index, title)).encode()


def failure_lines(done: subprocess.CompletedProcess, url: str) -> list[str]:
    return [line for line in done.stderr.splitlines() if url in line]


def gzip_cut(handler, body: bytes, share: float = 2 / 3) -> None:
    """A gzip body cut at `share`, its Content-Length honest about the cut (no data loss on the
    wire: only decompression can tell)."""
    packed = gzip.compress(body)
    send(
        handler,
        200,
        packed[: int(len(packed) * share)],
        "text/html",
        **{"Content-Encoding": "gzip"},
    )


def dropped_mid_body(handler) -> None:
    """Headers promise 40,000 bytes; the connection closes after 10,000."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "40000")
    handler.end_headers()
    handler.wfile.write(article(3, "Dropped")[:10_000].ljust(10_000))
    handler.wfile.flush()
    handler.close_connection = True


def test_truncated_and_dropped_bodies_are_failures_never_stored(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("cut")
        now = time.time()
        whole = outlet.handle(
            "/2024/06/kutcher-sora-whole",
            lambda h: send(
                h, 200, gzip.compress(article(0, "Whole")), **{"Content-Encoding": "gzip"}
            ),
        )
        cut = outlet.handle("/2024/06/kutcher-sora-cut", lambda h: gzip_cut(h, article(1, "Cut")))
        dropped = outlet.handle("/2024/06/kutcher-sora-dropped", dropped_mid_body)
        entries = [Entry(url, "Kutcher Sora", now) for url in (whole, cut, dropped)]
        feed_config(project, outlet.put("/feed.xml", rss("Cut", entries), FEED))
        done = crawl(project)
        tries = {url: outlet.fetched(url.split(outlet.host)[1]) for url in (cut, dropped)}
    assert done.returncode == 0, done.stderr
    stored = export(project)
    assert whole in stored and cut not in stored and dropped not in stored
    assert len(failure_lines(done, cut)) == 1 and "truncated" in failure_lines(done, cut)[0]
    assert len(failure_lines(done, dropped)) == 1
    assert len(tries[dropped]) == 3  # ResponseDataLossError: retried twice, then a failure
    assert "2 failed" in done.stdout


def test_an_exception_in_the_store_is_a_failure_line_not_a_silent_drop(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("poison")
        now = time.time()
        good = outlet.put("/2024/06/kutcher-sora-good", article(0, "A good report"))
        bad = outlet.put("/2024/06/kutcher-sora-bad", article(1, "Poisoned report"))
        entries = [Entry(good, "Kutcher Sora", now), Entry(bad, "Kutcher Sora", now)]
        feed_config(project, outlet.put("/feed.xml", rss("Poison", entries), FEED))
        assert storywatch(project, "status").returncode == 0  # the database, migrated
        with sqlite3.connect(project / "data" / "storywatch.db") as db:
            # A real database error at insert time, as a full disk or a held lock would give.
            db.execute(
                "CREATE TRIGGER poison BEFORE INSERT ON articles WHEN NEW.title LIKE '%Poisoned%' "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )
        done = crawl(project)
    assert done.returncode == 0
    assert good in export(project) and bad not in export(project)
    (line,) = failure_lines(done, bad)
    assert "not stored" in line and "database or disk is full" in line
    assert "1 failed" in done.stdout and "Traceback" not in done.stderr
    assert "failed: article " + bad in storywatch(project, "status").stdout


def stall_after_headers(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.flush()
    time.sleep(60)


def test_a_crawl_ends_itself_at_its_budget_and_says_so(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("stall")
        # Six stalls, two at a time per host: without the budget's drop of queued downloads,
        # three download timeouts in a row (15 s) after the budget.
        stalls = [
            outlet.handle(f"/2024/06/kutcher-sora-{n}", stall_after_headers) for n in range(6)
        ]
        entries = [Entry(url, "Kutcher Sora", time.time()) for url in stalls]
        feed = outlet.put("/feed.xml", rss("Stall", entries), FEED)
        write_config(
            project,
            '[crawl]\nallow_private_addresses = true\ndownload_timeout = 5\nbudget = "3s"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feed}"\n',
        )
        started = time.monotonic()
        done = crawl(project)
        seconds = time.monotonic() - started
        requested = len(outlet.fetched("/2024/06/"))
    assert done.returncode == 0, done.stderr
    # Two in flight when the budget ran out; the four queued behind them were dropped, not
    # downloaded one download timeout after another (which took 3 + 15 s before).
    assert requested <= 2
    assert seconds < 60
    assert "time budget (3s, crawl.budget)" in done.stderr
    assert "timed out; database:" in done.stdout
    assert "timed out" in storywatch(project, "status").stdout


def test_session_ids_and_overlong_urls_are_fetched_once_and_never_respectively(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("sessions")
        page = outlet.put("/2024/06/kutcher-sora.jsp", article(0, "Session story"))
        now = time.time()
        variants = [f"{page};jsessionid={n:032X}" for n in range(3)]
        for n in range(3):  # a servlet answers whatever the session id
            outlet.put(
                f"/2024/06/kutcher-sora.jsp;jsessionid={n:032X}", article(0, "Session story")
            )
        variants += [f"{page}?PHPSESSID={n:032x}" for n in range(3)]
        long_url = outlet.url("/2024/06/kutcher-sora-" + "x" * 5000)
        entries = [Entry(url, "Kutcher Sora", now) for url in [*variants, long_url]]
        feed_config(project, outlet.put("/feed.xml", rss("Sessions", entries), FEED))
        done = crawl(project)
        fetched = outlet.fetched("/2024/06/")
    assert done.returncode == 0, done.stderr
    assert len(fetched) == 1 and page in export(project)
    assert "1 link(s) over 2,048 characters not fetched" in done.stdout


def listening_sockets(pid: int) -> list[str]:
    """Listening TCP/UDP sockets the process holds (from /proc: its fds' socket inodes)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        for row in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: TCP_LISTEN
                found.append(f"{table} {fields[1]}")
    return found


def test_nothing_listens_while_a_crawl_runs(project):
    release = threading.Event()
    with ReplicaWeb() as web:
        outlet = web.outlet("listen")

        def held(handler) -> None:
            release.wait(30)
            send(handler, 200, article(0, "Held"))

        url = outlet.handle("/2024/06/kutcher-sora-held", held)
        feed_config(
            project, outlet.put("/feed.xml", rss("Held", [Entry(url, "K S", time.time())]), FEED)
        )
        command = [
            sys.executable,
            "-m",
            "schedules.cli",
            "crawl",
            "--config",
            str(project / "storywatch.toml"),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not outlet.fetched("/2024/06/") and time.monotonic() < deadline:
                time.sleep(0.05)
            assert outlet.fetched("/2024/06/"), "the crawl never reached the held page"
            listening = listening_sockets(process.pid)
        finally:
            release.set()
            process.communicate(timeout=60)
    assert listening == []
    assert process.returncode == 0


def test_a_rebinding_name_never_reaches_the_private_address(project):
    """First lookup public (the middleware's check), later ones 127.0.0.2 (the connection)."""
    with ReplicaWeb() as web:
        outlet = web.outlet("rebound")  # 127.0.0.2, what the name rebinds to
        outlet.put("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        outlet.put("/feed.xml", rss("Rebound", []), FEED)
        url = f"http://news.rebind.test:{outlet.host.split(':')[1]}/feed.xml"
        write_config(project, f'[[sources]]\nkind = "feed"\nurl = "{url}"\n')
        command = [sys.executable, "-m", "tests.crawler.rebinding", "crawl", "--no-alerts"]
        done = subprocess.run(
            [*command, "--config", str(project / "storywatch.toml")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        reached = list(outlet.requests)
    assert done.returncode == 0, done.stderr
    assert reached == []  # neither robots.txt nor the feed was requested from 127.0.0.2
    (line,) = failure_lines(done, url)
    assert "loopback or private address (127.0.0.2)" in line


def test_a_429_backs_off_its_own_host_and_no_other(project):
    """One download slot in all (concurrency 1): a retry waiting in an asyncio.sleep would
    stall every host for its Retry-After; waiting in its host's slot stalls only that host."""
    answers = iter([429])
    with ReplicaWeb() as web:
        limited, other = web.outlet("limited"), web.outlet("other")

        def rate_limited(handler) -> None:
            if next(answers, 200) == 429:
                send(handler, 429, b"slow down", **{"Retry-After": "4"})
            else:
                send(handler, 200, rss("Limited", []).encode(), FEED)

        limited_feed = limited.handle("/feed.xml", rate_limited)
        pages = [
            other.put(f"/2024/06/kutcher-sora-{n}", article(n, f"Other {n}")) for n in range(3)
        ]
        other_feed = other.put(
            "/feed.xml", rss("Other", [Entry(u, "K S", time.time()) for u in pages]), FEED
        )
        write_config(
            project,
            "[crawl]\nallow_private_addresses = true\nconcurrency = 1\nobey_robots = false\n"
            f'[[sources]]\nkind = "feed"\nurl = "{limited_feed}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{other_feed}"\n',
        )
        done = crawl(project)
        tries = [seen.at for seen in limited.requests if seen.path == "/feed.xml"]
        others = [seen.at for seen in other.requests if seen.path.startswith("/2024/06/")]
    assert done.returncode == 0, done.stderr
    assert len(tries) == 2 and tries[1] - tries[0] >= 3.9  # Retry-After honoured
    assert len(others) == 3 and max(others) < tries[1]  # the other host went on meanwhile
