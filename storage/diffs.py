"""Readable diffs between two versions of an article, one sentence per line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = ["TextDiff", "diff_texts", "sentences"]

# A sentence ends at . ! ? (and any closing quotes) followed by space and a capital, digit or
# opening quote. Abbreviations like "Jun. 7" split too; that costs a line, never a lost change.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The text as lines: one per sentence, a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text.strip()):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if lines:
            lines.append("")
        marked = _SENTENCE_BREAK.sub(lambda m: m.group(1) + "\x00", paragraph)
        lines.extend(part.strip() for part in marked.split("\x00") if part.strip())
    return lines


@dataclass(frozen=True, slots=True)
class TextDiff:
    text: str
    added: int
    removed: int


def diff_texts(old: str, new: str, old_label: str = "before", new_label: str = "after") -> TextDiff:
    """A unified diff of two texts at sentence granularity, with counts of changed sentences."""
    lines = list(
        difflib.unified_diff(
            sentences(old), sentences(new), fromfile=old_label, tofile=new_label, lineterm="", n=1
        )
    )
    body = lines[2:]  # past the ---/+++ header
    added = sum(1 for line in body if line.startswith("+") and line[1:].strip())
    removed = sum(1 for line in body if line.startswith("-") and line[1:].strip())
    return TextDiff(text="\n".join(lines), added=added, removed=removed)
