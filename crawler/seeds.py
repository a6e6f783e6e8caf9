"""Seed articles: the files in seeds/ and what seeds/seeds.toml says about each."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from crawler.extract import Article, ExtractionError, clean_html, clean_text

__all__ = ["SeedError", "SeedFacts", "load_manifest", "read_seed", "seed_files"]

MANIFEST = "seeds.toml"
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_SEED_BYTES = 5 * 1024 * 1024


class SeedError(Exception):
    """A seed that cannot be used, said in one line."""


@dataclass(frozen=True, slots=True)
class SeedFacts:
    """What the manifest records of one seed (only what its text states)."""

    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    title: str | None = None
    url: str | None = None


def seed_files(folder: Path) -> list[Path]:
    """The seed documents in a folder, in name order (the manifest and hidden files aside)."""
    if not folder.is_dir():
        raise SeedError(f"{folder}: seeds folder not found")
    return sorted(
        path
        for path in folder.iterdir()
        if (path.is_file() or path.is_symlink())
        and path.name != MANIFEST
        and not path.name.startswith(".")
    )


def load_manifest(folder: Path) -> dict[str, SeedFacts]:
    """seeds.toml as {file name: facts}; an absent manifest is an empty one."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SeedError(f"{path}: cannot read the seed manifest: {exc}") from None
    facts: dict[str, SeedFacts] = {}
    entries = raw.get("seed", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SeedError(f"{path}: seed: expected [[seed]] tables")
    for index, entry in enumerate(entries):
        name = entry.get("file")
        if not isinstance(name, str):
            raise SeedError(f"{path}: seed[{index}].file: required key is missing")
        facts[name] = _facts(entry, f"{path}: seed[{index}]")
    return facts


def _facts(entry: dict, where: str) -> SeedFacts:
    unknown = set(entry) - {"file", "outlet", "author", "published", "title", "url"}
    if unknown:
        raise SeedError(f"{where}.{sorted(unknown)[0]}: unknown key")
    for key in ("outlet", "author", "title", "url"):
        if not isinstance(entry.get(key, ""), str):
            raise SeedError(f"{where}.{key}: expected a string, got {entry[key]!r}")
    published = entry.get("published")
    if isinstance(published, date) and not isinstance(published, datetime):
        published = datetime.combine(published, time(), tzinfo=UTC)
    if published is not None and not isinstance(published, str | datetime):
        raise SeedError(f"{where}.published: expected a date, got {published!r}")
    if isinstance(published, str):
        try:
            published = datetime.fromisoformat(published)
        except ValueError:
            raise SeedError(f"{where}.published: not an ISO 8601 date: {published!r}") from None
    if isinstance(published, datetime) and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return SeedFacts(
        outlet=entry.get("outlet"),
        author=entry.get("author"),
        published_at=published,
        title=entry.get("title"),
        url=entry.get("url"),
    )


def read_seed(path: Path) -> Article:
    """The clean article in a seed file (plain text or HTML); SeedError says why not."""
    data = _read_bytes(path)
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(data):
        try:
            return clean_html(data)
        except ExtractionError as exc:
            raise SeedError(f"{path}: {exc}") from None
    text = _decode(path, data)
    try:
        return clean_text(text)
    except ExtractionError as exc:
        raise SeedError(f"{path}: {exc}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_SEED_BYTES:
            raise SeedError(f"{path}: too large for an article ({size} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise SeedError(f"{path}: empty file")
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.05:
        raise SeedError(f"{path}: binary file, not a text or HTML article")
    return data


def _control_share(sample: bytes) -> float:
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / max(1, len(sample))


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SeedError(
            f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
