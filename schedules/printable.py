"""Text from the web made safe to show: no control character reaches a terminal, CSV or XML.

Web metadata carries what it likes: an ESC sequence in a search result's domain was printed
raw to the terminal (where it can retitle the window or hide lines) and written raw into CSV
and Atom (invalid XML 1.0, whose Char production excludes C0 controls but tab, LF and CR).
Controls become U+FFFD, visible and harmless; so do the bidirectional overrides that can
reorder what a reader sees (Unicode TR36, "Trojan Source").
"""

from __future__ import annotations

import io
import re
from typing import TextIO

REPLACEMENT = "\ufffd"
# C0 but tab, LF, CR; DEL; C1; bidi embeddings, overrides and isolates; XML's U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
# ESC [ K: "erase to end of line", the one sequence storywatch writes itself (crawler.progress).
_OWN_SEQUENCE = re.compile("\x1b\\[K")


def printable(text: str) -> str:
    """`text` with every control character but tab, LF and CR replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, text)


def printable_row(row: dict) -> dict:
    """An export row with every string value made printable."""
    return {
        key: printable(value) if isinstance(value, str) else value for key, value in row.items()
    }


class PrintableStream(io.TextIOBase):
    """A text stream that passes everything through `printable` (storywatch's own progress
    sequence aside): installed over stdout and stderr by the `storywatch` command."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        parts = _OWN_SEQUENCE.split(text)
        self.inner.write("\x1b[K".join(printable(part) for part in parts))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:
        return self.inner.encoding
