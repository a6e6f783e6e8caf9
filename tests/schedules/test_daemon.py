"""The daemon as a user runs it: a process on a 2-second schedule, against the replica web."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from schedules.replica import Entry, ReplicaWeb, rss
from tests.commands import storywatch
from tests.conftest import write_config
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.schedules.smtp import Mailbox, start_server

DEADLINE = 90


def wait_for(condition: Callable[[], object], deadline: float = DEADLINE, what: str = "") -> object:
    """Poll until the condition holds, or fail after the deadline."""
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what or condition}")


def runs(project: Path) -> list[tuple[str, str | None, str]]:
    path = project / "data" / "storywatch.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        try:
            return db.execute(
                "SELECT started_at, finished_at, status FROM runs ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []


def completed(project: Path) -> int:
    return sum(1 for run in runs(project) if run[2] == "completed")


def start_daemon(project: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "schedules.cli",
            "daemon",
            "--config",
            str(project / "storywatch.toml"),
        ],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop(daemon: subprocess.Popen) -> int:
    daemon.send_signal(signal.SIGTERM)
    return daemon.wait(timeout=DEADLINE)


def publish(outlet, entries: list[Entry], indexes: list[int]) -> list[str]:
    titles = []
    for index in indexes:
        title = f"Coverage report {index}"
        url = outlet.put(
            f"/2024/06/coverage-report-{index}-on-kutcher",
            render(PULSE_STYLE, story_body(index, title)),
        )
        entries.append(Entry(url, title, time.time() - 60))
        titles.append(title)
    outlet.put("/feed.xml", rss("Desk", entries), "application/rss+xml")
    return titles


def test_daemon_crawls_on_schedule_alerts_once_and_stops_cleanly(project, tmp_path):
    box = Mailbox()
    smtp = start_server(box)
    with ReplicaWeb() as web:
        desk = web.outlet("desk")
        entries: list[Entry] = []
        first_titles = publish(desk, entries, [1, 2])
        write_config(
            project,
            f"""
[crawl]
allow_private_addresses = true
[[sources]]
kind = "feed"
url = "{desk.url("/feed.xml")}"
[schedule]
every = "2s"
[alerts]
enabled = true
to = ["reader@example.org"]
from = "storywatch@example.org"
smtp_host = "127.0.0.1"
smtp_port = {smtp.port}
security = "none"
""",
        )
        daemon = start_daemon(project, tmp_path / "daemon.log")
        try:
            wait_for(lambda: completed(project) >= 3, what="three runs")
            new_titles = publish(desk, entries, [3, 4])
            wait_for(
                lambda: all(
                    any(t in m.get_body(("plain",)).get_content() for m in box.messages)
                    for t in new_titles
                ),
                what="an email for each new article",
            )
        finally:
            code = stop(daemon)
        smtp.stop()
    log = (tmp_path / "daemon.log").read_text()
    assert code == 0, log
    bodies = [message.get_body(("plain",)).get_content() for message in box.messages]
    for title in new_titles:
        assert sum(body.count(title) for body in bodies) == 1  # announced once
    for title in first_titles:
        assert not any(title in body for body in bodies)  # the first run is not announced
    history = runs(project)
    for (_, finished, _), (started, _, _) in zip(history, history[1:], strict=False):
        assert finished is not None and started >= finished  # never two runs at once

    restarted = start_daemon(project, tmp_path / "restart.log")
    wait_for(lambda: "schedule" in (tmp_path / "restart.log").read_text(), what="restart")
    assert stop(restarted) == 0
    assert "schedule kept from the job store" in (tmp_path / "restart.log").read_text()


def test_a_crawl_while_another_runs_is_refused(project):
    from storage.lock import crawl_lock

    with crawl_lock(f"sqlite:///{project / 'data' / 'storywatch.db'}", project):
        done = storywatch(project, "crawl", timeout=60)
    assert done.returncode == 3
    assert "another crawl is running on this database (pid" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_run_past_its_time_limit_is_ended(project):
    from schedules.daemon import crawl_in_subprocess

    with ReplicaWeb() as web:
        stuck = web.outlet("stuck")
        stuck.handle("/feed.xml", lambda handler: time.sleep(40))
        write_config(
            project,
            f"""
[crawl]
allow_private_addresses = true
download_timeout = 10
[[sources]]
kind = "feed"
url = "{stuck.url("/feed.xml")}"
""",
        )
        started = time.monotonic()
        # 12 s: the crawl's process must start (imports take seconds on a loaded machine) and
        # record its run before the limit ends it; the stuck feed, retried, would hold it 30 s+.
        crawl_in_subprocess(str(project / "storywatch.toml"), 12)
        took = time.monotonic() - started
        assert stuck.fetched("/feed.xml"), "the crawl never reached its source"
    assert took < 30  # the limit, then at most one download timeout to close cleanly
    assert runs(project)[-1][2] in ("interrupted", "failed")
