"""Readable diffs between two versions of an article, one sentence per line.

The stored diff is a unified diff (difflib) of the versions' sentences, with the headline as its
first line when it changed. `word_marks` shows what changed inside a changed sentence, in the
form of `git diff --word-diff`: "cost [-$12-]{+$14+} million".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from storage.sentences import paragraph_sentences

__all__ = ["TextDiff", "diff_texts", "sentences", "with_word_marks", "word_marks"]

TITLE_PREFIX = "Title: "


def sentences(text: str, language: str | None = None) -> list[str]:
    """The text as lines: one per sentence, a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in paragraph_sentences(text, language):
        if lines:
            lines.append("")
        lines.extend(paragraph)
    return lines


@dataclass(frozen=True, slots=True)
class TextDiff:
    text: str
    added: int
    removed: int
    title_changed: bool = False


def _title_lines(titles: tuple[str | None, str | None] | None) -> tuple[list[str], list[str]]:
    if not titles or not titles[1] or (titles[0] or "") == titles[1]:
        return [], []
    return [TITLE_PREFIX + (titles[0] or ""), ""], [TITLE_PREFIX + titles[1], ""]


def diff_texts(
    old: str,
    new: str,
    old_label: str = "before",
    new_label: str = "after",
    titles: tuple[str | None, str | None] | None = None,
) -> TextDiff:
    """A unified diff of two texts at sentence granularity, with counts of changed sentences.

    `titles` (old, new) puts a changed headline first, as a "Title: ..." line; a headline is
    not counted among the sentences.
    """
    old_head, new_head = _title_lines(titles)
    lines = list(
        difflib.unified_diff(
            old_head + sentences(old),
            new_head + sentences(new),
            fromfile=old_label,
            tofile=new_label,
            lineterm="",
            n=1,
        )
    )
    body = [line for line in lines[2:] if not line[1:].startswith(TITLE_PREFIX)]
    added = sum(1 for line in body if line.startswith("+") and line[1:].strip())
    removed = sum(1 for line in body if line.startswith("-") and line[1:].strip())
    return TextDiff("\n".join(lines), added, removed, title_changed=bool(new_head))


_TOKENS = re.compile(r"\S+")


def word_marks(old: str, new: str) -> str:
    """`new` with the words that changed from `old` marked [-removed-]{+added+}."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _pair_marks(removed: list[str], added: list[str]) -> list[str]:
    """For a run of removed then added lines, a '~' line per changed sentence pair."""
    marks = []
    for old, new in zip(removed, added, strict=False):
        if difflib.SequenceMatcher(None, old.split(), new.split()).ratio() >= 0.5:
            marks.append("~" + word_marks(old, new))
    return marks


def with_word_marks(diff: str) -> str:
    """A stored unified diff with, after each changed sentence, a '~' line of its word changes."""
    out: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        out.extend(_pair_marks(removed, added))
        removed.clear()
        added.clear()

    for line in diff.splitlines():
        is_header = line.startswith(("---", "+++"))
        if line.startswith("-") and not is_header and not added:
            removed.append(line[1:])
        elif line.startswith("+") and not is_header and removed:
            added.append(line[1:])
        else:
            flush()
            if line.startswith("-") and not is_header:
                removed.append(line[1:])
        out.append(line)
    flush()
    return "\n".join(out)
