"""Tolerant readers for what sources get wrong: JSON with invalid escapes, dates in any of the
shapes sitemaps and feeds use. Plain functions over str/bytes, no project imports."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["lenient_json", "w3c_date"]

# More invalid escapes than this and the answer is garbage, not a slip.
MAX_REPAIRS = 200
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")


def lenient_json(body: bytes) -> object:
    """A JSON document as a tolerant reader takes it; ValueError with a one-line reason if
    even that fails.

    Tolerated, as seen in GDELT DOC 2.0 answers (alex9smith/gdelt-doc-api#26 and #28; its fix,
    PR #47, blanks each offending character and parses again): a UTF-8 byte-order mark, raw
    control characters and tabs inside strings (`strict=False`), invalid escapes such as `\\'`
    (the backslash is dropped, so `\\'` reads `'`), and anything after the document ends.
    """
    text = body.decode("utf-8-sig", errors="replace").lstrip()
    decoder = json.JSONDecoder(strict=False)
    for _ in range(MAX_REPAIRS):
        try:
            return decoder.raw_decode(text)[0]
        except json.JSONDecodeError as exc:
            if not (exc.msg.startswith("Invalid \\") and text[exc.pos : exc.pos + 1] == "\\"):
                raise ValueError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
            text = text[: exc.pos] + text[exc.pos + 1 :]
    raise ValueError(f"more than {MAX_REPAIRS} invalid escapes")


def w3c_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime from a sitemap or feed date; None if there is none or it
    cannot be read.

    Reads W3C Datetime (https://www.w3.org/TR/NOTE-datetime, the format sitemaps.org and Google
    News sitemaps ask for: YYYY, YYYY-MM, YYYY-MM-DD, with a time and zone), ISO 8601 with a
    space for the T, and RFC 822 dates ("Fri, 07 Jun 2024 14:27:00 GMT") that generators write
    by mistake. A date without a zone is taken as UTC.
    """
    value = (value or "").strip()
    if not value:
        return None
    if matched := _YEAR_MONTH.fullmatch(value):
        return _safe(lambda: datetime(int(matched[1]), int(matched[2] or 1), 1))
    parsed = _safe(lambda: datetime.fromisoformat(value.replace("Z", "+00:00")))
    if parsed is None:
        parsed = _safe(lambda: parsedate_to_datetime(value))
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _safe(make) -> datetime | None:
    try:
        parsed = make()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
