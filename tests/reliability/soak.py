"""Soak: the daemon on a 1-second schedule against the replica for SOAK_SECONDS (600).

Sampled every 5 s from /proc: the daemon's resident memory (VmRSS) and open file descriptors.
After the first minute (imports, the first runs, caches filling) memory must grow less than
10%, and the descriptor count must not grow; every run in the database is accounted for
(completed, or interrupted by the final stop).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from schedules.replica import Entry, ReplicaWeb, rss
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.reliability.common import ROOT, integrity, new_project, query, report

WARMUP = 60.0


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def run(seconds: float | None = None) -> bool:
    seconds = seconds or float(os.environ.get("SOAK_SECONDS", "600"))
    with ReplicaWeb() as web:
        desk = web.outlet("soak")
        entries = []
        for index in range(4):
            title = f"Soak report {index} on Kutcher and Sora"
            url = desk.put(f"/2024/06/soak-{index}", render(PULSE_STYLE, story_body(index, title)))
            entries.append(Entry(url, title, time.time() - 60))
        feed = desk.put("/feed.xml", rss("Soak", entries), "application/rss+xml")
        project = new_project(
            f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n'
            '[schedule]\nevery = "1s"\n'
        )
        samples = _watch(project, seconds)
    return _judge(project, samples, seconds)


def _watch(project: Path, seconds: float) -> list[tuple[float, int, int]]:
    command = [
        sys.executable,
        "-m",
        "schedules.cli",
        "daemon",
        "--config",
        str(project / "storywatch.toml"),
    ]
    with open(project / "daemon.log", "w") as log:
        daemon = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        started, samples = time.monotonic(), []
        try:
            while time.monotonic() - started < seconds and daemon.poll() is None:
                samples.append((time.monotonic() - started, _rss_kb(daemon.pid), _fds(daemon.pid)))
                time.sleep(5)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=120)
    return samples


def _judge(project: Path, samples, seconds: float) -> bool:
    after = [s for s in samples if s[0] >= WARMUP] or samples[-1:]
    base_rss, base_fds = after[0][1], after[0][2]
    peak_rss, last_fds = max(s[1] for s in after), after[-1][2]
    growth = (peak_rss - base_rss) / base_rss if base_rss else 0.0
    statuses = query(project, "SELECT status, count(*) FROM runs GROUP BY status")
    counted = dict(statuses)
    unaccounted = sum(
        n for status, n in counted.items() if status not in ("completed", "interrupted")
    )
    ok = growth < 0.10 and last_fds <= base_fds and unaccounted == 0 and integrity(project) == "ok"
    ok = ok and counted.get("interrupted", 0) <= 1
    return report(
        f"soak: daemon every 1 s, {seconds / 60:.0f} min",
        ok,
        f"{sum(counted.values())} runs {counted}; RSS {base_rss // 1024} -> peak "
        f"{peak_rss // 1024} MB after minute one ({growth:+.1%}); fds {base_fds} -> {last_fds}",
    )
