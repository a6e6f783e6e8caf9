"""Shared pieces of `make reliability`: projects, processes with their peak memory, checks."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS: list[tuple[bool, str, str]] = []


def report(case: str, ok: bool, figure: str) -> bool:
    """One line per case: PASS/FAIL, its name, its figures."""
    RESULTS.append((ok, case, figure))
    print(f"{'PASS' if ok else 'FAIL'}  {case:<34} {figure}", flush=True)
    return ok


def new_project(config: str) -> Path:
    """A folder with the bundled seeds and a storywatch.toml (SQLite beside it)."""
    folder = Path(tempfile.mkdtemp(prefix="storywatch-reliability-"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    write(folder, config)
    return folder


def write(folder: Path, config: str) -> None:
    (folder / "storywatch.toml").write_text(
        '[story]\nname = "Kutcher and Sora"\nseeds = "seeds"\n'
        '[storage]\nurl = "sqlite:///data/storywatch.db"\n' + config,
        encoding="utf-8",
    )


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def storywatch(
    project: Path,
    *args: str,
    kill_after: float | None = None,
    timeout: float = 300,
    module: str = "schedules.cli",
) -> Finished:
    """Run `storywatch ARGS` in its own session; SIGKILL its whole group after `kill_after` s.

    Peak RSS is the process's own (wait4), in MB.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        command = [
            sys.executable,
            "-m",
            module,
            *args,
            "--config",
            str(project / "storywatch.toml"),
        ]
        started = time.monotonic()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, text=True, cwd=ROOT, start_new_session=True
        )
        limit = kill_after if kill_after is not None else timeout
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        while pid == 0 and time.monotonic() - started < limit:
            time.sleep(0.02)
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == 0:
            os.killpg(process.pid, signal.SIGKILL)
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Finished(process.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)


def database(project: Path) -> Path:
    return project / "data" / "storywatch.db"


def integrity(project: Path) -> str:
    with sqlite3.connect(database(project)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def query(project: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database(project)) as db:
        return db.execute(sql).fetchall()


def failure_count(done: Finished, needle: str) -> int:
    return sum(1 for line in done.stderr.splitlines() if needle in line)
