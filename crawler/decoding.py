"""Raw page bytes to text, as a browser decodes them.

The order is the WHATWG Encoding standard's (https://encoding.spec.whatwg.org/, "decode" and
HTML's "determining the character encoding"): a byte-order mark, then the charset of the
HTTP Content-Type header, then a <meta charset> / <meta http-equiv> / XML declaration, then
detection. Labels map as browsers map them: iso-8859-1, latin1 and ascii are read as
windows-1252. w3lib.encoding.html_to_unicode implements both.

Two declarations are provably wrong, and detection overrides them:
- a non-UTF-8 label on bytes that are valid UTF-8 and hold multi-byte sequences (UTF-8 text
  labelled cp1251 or iso-8859-1 by a misconfigured server): legacy-encoded text almost never
  forms valid multi-byte UTF-8 sequences by chance;
- a label under which most non-ASCII characters come out as U+FFFD (cp1252 bytes labelled
  UTF-8): the declared decoder cannot read the page.
"""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode, read_bom

__all__ = ["decode_html"]

# Over this share of non-ASCII characters decoded as U+FFFD, the declared label is wrong.
MAX_REPLACED_SHARE = 0.5
# Detection reads at most this many bytes (charset_normalizer's own default is the whole body).
DETECT_BYTES = 200_000
WESTERN = "cp1252"


def decode_html(body: bytes, content_type: str | None) -> str:
    """The page's text: `body` as served, `content_type` the raw Content-Type header or None.

    Never raises: undecodable bytes become U+FFFD, as in a browser.
    """
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=detect_encoding)
    if read_bom(body)[0] is not None:
        return text
    if _is_utf8(encoding):
        return text if not _mostly_replaced(text) else _redecode(body, text)
    if _valid_multibyte_utf8(body):
        return body.decode("utf-8")
    return text if not _mostly_replaced(text) else _redecode(body, text)


def detect_encoding(body: bytes) -> str | None:
    """An undeclared page's encoding: UTF-8 if the bytes are valid UTF-8, else a detector's
    best guess (charset_normalizer), else None (w3lib then falls back to UTF-8).

    Western European text reads equally well as cp1250, cp1252 and cp1257 to the detector
    (same chaos, same coherence), and its first pick, cp1250, turns "Hélène" into "Hélčne".
    A tie goes to windows-1252, the encoding browsers assume for an undeclared page in most
    locales (WHATWG HTML, "determining the character encoding", the locale default table).
    """
    if _valid_utf8(body):
        return "utf-8"
    matches = list(charset_normalizer.from_bytes(body[:DETECT_BYTES]))
    if not matches:
        return None
    best = matches[0]
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    return WESTERN if WESTERN in tied else best.encoding


def _redecode(body: bytes, declared_text: str) -> str:
    """Detection's reading when it replaces fewer characters than the declared label's."""
    guess = detect_encoding(body)
    if guess is None or _is_utf8(guess):
        return declared_text
    try:
        text = body.decode(guess, errors="replace")
    except LookupError:
        return declared_text
    return text if text.count("\ufffd") < declared_text.count("\ufffd") else declared_text


def _mostly_replaced(text: str) -> bool:
    replaced = text.count("\ufffd")
    if not replaced:
        return False
    non_ascii = sum(1 for char in text if ord(char) > 127)
    return replaced / non_ascii > MAX_REPLACED_SHARE


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def _valid_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _valid_multibyte_utf8(body: bytes) -> bool:
    return not body.isascii() and _valid_utf8(body)
