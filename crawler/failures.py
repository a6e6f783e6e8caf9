"""Failures of a crawl, kept in the crawler's stats as one line each, for the end-of-run list."""

from __future__ import annotations

FAILURES_KEY = "storywatch/failure_lines"
MAX_LINE = 300


def record_failure(stats, line: str) -> None:
    """Add one line (whitespace folded, length capped) to the run's failures."""
    line = " ".join(line.split())[:MAX_LINE]
    lines = stats.get_value(FAILURES_KEY) or []
    stats.set_value(FAILURES_KEY, [*lines, line])
    stats.inc_value("storywatch/failed")


def failure_lines(stats) -> list[str]:
    return list(stats.get_value(FAILURES_KEY) or [])
