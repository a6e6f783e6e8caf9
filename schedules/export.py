"""Exports of the stored coverage: JSON lines and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import quote
from xml.etree import ElementTree

from schedules.printable import printable, printable_row
from storage.reports import EXPORT_FIELDS

FORMATS = ("jsonl", "csv", "atom")
ATOM_NS = "http://www.w3.org/2005/Atom"


def write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    """One JSON object per line; returns how many were written."""
    count = 0
    for row in map(printable_row, rows):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    """A header, then one row per article (spreadsheet-safe quoting)."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in map(printable_row, rows):
        writer.writerow({key: _cell(value) for key, value in row.items()})
        count += 1
    return count


def _cell(value: object) -> object:
    # A cell starting with = + - @ is a formula in a spreadsheet: an article title must not run.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def write_atom(rows: Iterable[dict], out: TextIO, title: str = "storywatch") -> int:
    """An Atom feed of the coverage (seeds and duplicate copies aside).

    An entry's id names its version, so a feed reader shows a corrected article again.
    """
    ElementTree.register_namespace("", ATOM_NS)
    feed = ElementTree.Element(f"{{{ATOM_NS}}}feed")
    _child(feed, "title", printable(title))
    _child(feed, "id", "tag:storywatch,2024:" + quote(title))
    updated = _child(feed, "updated", datetime.now(UTC).isoformat(timespec="seconds"))
    entries = [row for row in map(printable_row, rows) if not row["is_seed"] and row["duplicate_of"] is None]
    for row in entries:
        _entry(feed, row)
    if entries:
        updated.text = max(row["updated_at"] or row["first_seen_at"] for row in entries)
    ElementTree.indent(feed)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ElementTree.tostring(feed, encoding="unicode") + "\n")
    return len(entries)


def _entry(feed: ElementTree.Element, row: dict) -> None:
    entry = _child(feed, "entry")
    _child(entry, "id", f"tag:storywatch,2024:article/{row['id']}/version/{row['versions']}")
    _child(entry, "title", row["title"] or "(untitled)")
    _child(entry, "updated", row["updated_at"] or row["first_seen_at"])
    if row["published_at"]:
        _child(entry, "published", row["published_at"])
    link = row["url"] or row["canonical_url"]
    if link and link.startswith(("http://", "https://")):
        ElementTree.SubElement(entry, f"{{{ATOM_NS}}}link", href=link, rel="alternate")
    author = _child(entry, "author")
    _child(author, "name", row["outlet"] or row["author"] or "unknown")
    _child(entry, "summary", " ".join(row["text"].split()[:60]))
    _child(entry, "content", row["text"]).set("type", "text")


def _child(parent: ElementTree.Element, tag: str, text: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "atom": write_atom}
