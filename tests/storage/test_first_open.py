"""Two first opens of a new database at once: both succeed, the schema is made once.

Seen on main before the migration lock: `sqlite3.OperationalError: table alembic_version
already exists` from the second of two `storywatch crawl`s started together.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from tests.commands import storywatch

OPEN = """
import sys, time
from storage.store import Store
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
Store(sys.argv[1]).close()
"""


def _open_together(url: str, processes: int) -> list[subprocess.CompletedProcess]:
    start = time.time() + 1.5  # every process imports first, then all open at this moment
    running = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, url, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(60), *p.communicate()) for p in running]


def test_concurrent_first_opens_all_succeed_and_migrate_once(tmp_path):
    path = tmp_path / "new.db"
    results = _open_together(f"sqlite:///{path}", processes=4)
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr[-400:] for r in results]
    with sqlite3.connect(path) as connection:
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(versions) == 1


def test_every_first_open_path_survives_a_concurrent_one(project):
    """crawl, status and export started together on a new database: all succeed."""

    config = str(project / "storywatch.toml")
    commands = [["crawl", "--no-alerts"], ["status"], ["export"], ["status"]]
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "schedules.cli", *args, "--config", config],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    results = [(p.wait(120), p.communicate()[1]) for p in running]
    assert [code for code, _ in results] == [0, 0, 0, 0], [err[-300:] for _, err in results]
    assert not any("Traceback" in err for _, err in results)
    assert "completed" in storywatch(project, "status").stdout
