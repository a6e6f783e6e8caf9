"""Stopping: SIGTERM's promise, the crawl's output and `status` agree; status tells whether a
daemon runs and never shows a next run that no daemon will make."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

from schedules.replica import Entry, ReplicaWeb, rss, send
from tests.commands import storywatch
from tests.conftest import write_config
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.schedules.test_daemon import start_daemon, stop, wait_for


def start_crawl(project, feed: str) -> subprocess.Popen:
    """`storywatch crawl` of one feed, as a process of its own, its output captured."""
    write_config(
        project,
        f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n',
    )
    command = [sys.executable, "-m", "schedules.cli", "crawl", "--no-alerts", "--config"]
    return subprocess.Popen(
        [*command, str(project / "storywatch.toml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def held_until(release: threading.Event):
    """A handler that answers an article page once `release` is set (60 s at most)."""

    def held(handler) -> None:
        release.wait(60)
        send(handler, 200, render(PULSE_STYLE, story_body(0, "Held")).encode())

    return held


def test_sigterm_ends_a_crawl_as_interrupted_and_says_so(project):
    release = threading.Event()
    with ReplicaWeb() as web:
        outlet = web.outlet("held")

        held = held_until(release)
        page = outlet.handle("/2024/06/kutcher-sora-held", held)
        feed = outlet.put("/feed.xml", rss("Held", [Entry(page, "K S", time.time())]))
        crawl = start_crawl(project, feed)
        wait_for(lambda: outlet.fetched("/2024/06/"), what="the held page requested")
        crawl.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # the signal is taken before the page in flight comes back
        release.set()
        out, err = crawl.communicate(timeout=90)
    assert crawl.returncode == 0, err
    assert "interrupted; database:" in out and "completed" not in out
    assert "stopped by a signal; what it read is stored" in err
    status = storywatch(project, "status").stdout
    assert "interrupted" in status and "completed" not in status


def test_status_shows_a_running_daemon_and_no_next_run_once_it_stops(project, tmp_path):
    write_config(project, '[schedule]\nevery = "1h"\n')
    daemon = start_daemon(project, tmp_path / "daemon.log")
    try:
        status = wait_for(
            lambda: "daemon: running (pid" in (s := storywatch(project, "status").stdout) and s,
            what="status to see the daemon",
        )
        assert "next scheduled run: 20" in status
        second = storywatch(project, "daemon", timeout=60)
        assert second.returncode == 3 and "another daemon is running" in second.stderr
    finally:
        assert stop(daemon) == 0
    after = storywatch(project, "status").stdout
    assert "daemon: not running (no run is scheduled)" in after
    assert "next scheduled run" not in after


def test_sigterm_takes_no_new_pages_and_ends_when_those_in_flight_end(project):
    release = threading.Event()
    with ReplicaWeb() as web:
        outlet = web.outlet("queued")

        held = held_until(release)
        pages = [outlet.handle(f"/2024/06/kutcher-sora-held-{n}", held) for n in range(6)]
        entries = [Entry(page, "K S", time.time()) for page in pages]
        feed = outlet.put("/feed.xml", rss("Queued", entries))
        crawl = start_crawl(project, feed)
        # Two in flight (2 per site), four queued in the downloader's slot.
        wait_for(lambda: len(outlet.fetched("/2024/06/")) == 2, what="two pages in flight")
        crawl.send_signal(signal.SIGTERM)
        time.sleep(1.0)  # the signal is taken while both are still held
        release.set()
        out, err = crawl.communicate(timeout=60)
        requested = outlet.fetched("/2024/06/")
    assert crawl.returncode == 0, err
    assert len(requested) == 2, requested  # the queued four were never requested
    assert "interrupted; database:" in out
