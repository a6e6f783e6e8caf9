"""One crawl at a time per database: a lock the database (PostgreSQL) or a lock file holds.

The lock belongs to the process: if it dies, the operating system (flock) or the database
session (advisory lock) lets go, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class CrawlLocked(Exception):
    """Another crawl is running on this database."""


def _lock_key(database_url: str) -> int:
    digest = hashlib.sha256(b"storywatch-crawl:" + database_url.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file_for(database_url: str, fallback_dir: Path) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(f"{url.database}.lock")
    return (
        fallback_dir / f"storywatch-{hashlib.sha256(database_url.encode()).hexdigest()[:12]}.lock"
    )


@contextmanager
def crawl_lock(database_url: str, fallback_dir: Path) -> Iterator[None]:
    """Hold the crawl lock of a database for the duration; CrawlLocked if another holds it."""
    if make_url(database_url).get_backend_name() == "postgresql":
        with _advisory_lock(database_url):
            yield
        return
    with _file_lock(lock_file_for(database_url, fallback_dir)):
        yield


def daemon_lock_file(database_url: str, fallback_dir: Path) -> Path:
    """The file a running daemon holds locked: `<database>.daemon.lock` beside a SQLite file."""
    crawl = lock_file_for(database_url, fallback_dir)
    return crawl.with_name(crawl.name.removesuffix(".lock") + ".daemon.lock")


@contextmanager
def daemon_lock(database_url: str, fallback_dir: Path) -> Iterator[None]:
    """Held by `storywatch daemon` while it runs; CrawlLocked if another daemon holds it."""
    try:
        with _file_lock(daemon_lock_file(database_url, fallback_dir)):
            yield
    except CrawlLocked as exc:
        raise CrawlLocked(str(exc).replace("another crawl", "another daemon")) from None


def daemon_holder(database_url: str, fallback_dir: Path) -> str | None:
    """'pid N since T' of the running daemon, or None when no daemon runs on this database."""
    path = daemon_lock_file(database_url, fallback_dir)
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return handle.read().strip() or "a process"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CrawlLocked(f"another crawl is running on this database ({holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(database_url: str) -> Iterator[None]:
    engine = create_engine(database_url)
    key = _lock_key(database_url)
    try:
        with engine.connect() as connection:
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
            if not taken.scalar():
                raise CrawlLocked("another crawl is running on this database (advisory lock held)")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    finally:
        engine.dispose()
