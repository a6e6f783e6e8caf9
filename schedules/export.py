"""Exports of the stored coverage: JSON lines and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from storage.reports import EXPORT_FIELDS

FORMATS = ("jsonl", "csv")


def write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    """One JSON object per line; returns how many were written."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    """A header, then one row per article (spreadsheet-safe quoting)."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
        count += 1
    return count


def _cell(value: object) -> object:
    # A cell starting with = + - @ is a formula in a spreadsheet: an article title must not run.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}
