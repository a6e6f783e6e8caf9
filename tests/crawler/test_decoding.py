"""Page bytes decoded as a browser decodes them, and a provably wrong label overridden."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.decoding import decode_html
from crawler.extract import clean_html
from crawler.pool import extract_with_limit
from tests.crawler.replica_site import PULSE_STYLE, render, story_body

NAMES = "Jürgen Köhler and Hélène Bérard met Ætna’s “crew” — twice."
RUSSIAN = "Кутчер защищает Sora: съёмочная группа недовольна. " * 3


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>T</title></head><body><p>{text}</p></body></html>"


LATIN_LABELS = ["iso-8859-1", "ISO_8859-1", "latin1", "l1", "us-ascii", "windows-1252", "cp1252"]


@pytest.mark.parametrize("label", LATIN_LABELS)
def test_header_charset_read_as_windows_1252(label):
    """WHATWG Encoding: the iso-8859-1, latin1 and ascii labels all mean windows-1252, so the
    curly quotes and dash in 0x80-0x9F survive."""
    body = page(NAMES).encode("cp1252")
    assert NAMES in decode_html(body, f"text/html; charset={label}")
    assert NAMES in decode_html(body, f'text/html;charset="{label.upper()}"')


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
        "<meta charset=latin1>",
    ],
)
def test_meta_charset_when_the_header_has_none(head):
    body = page(NAMES, head).encode("cp1252")
    assert NAMES in decode_html(body, "text/html")
    assert NAMES in decode_html(body, None)


def test_xml_declaration_counts_as_a_declaration():
    body = ('<?xml version="1.0" encoding="windows-1252"?>\n' + page(NAMES)).encode("cp1252")
    assert NAMES in decode_html(body, "application/xhtml+xml")


def test_order_bom_then_header_then_meta():
    with_bom = b"\xef\xbb\xbf" + page(NAMES, '<meta charset="windows-1251">').encode("utf-8")
    assert NAMES in decode_html(with_bom, "text/html; charset=windows-1251")
    header_wins = page(NAMES, '<meta charset="windows-1251">').encode("cp1252")
    assert NAMES in decode_html(header_wins, "text/html; charset=iso-8859-1")
    cyrillic = page(RUSSIAN, '<meta charset="iso-8859-1">').encode("cp1251")
    assert RUSSIAN in decode_html(cyrillic, "text/html; charset=windows-1251")


@pytest.mark.parametrize("label", ["windows-1251", "iso-8859-1", "windows-1252", "koi8-r"])
def test_utf8_bytes_under_a_legacy_label_are_read_as_utf8(label):
    """A legacy label on valid multi-byte UTF-8 is provably wrong (a misconfigured server)."""
    for text in (NAMES, RUSSIAN):
        assert text in decode_html(page(text).encode("utf-8"), f"text/html; charset={label}")


@pytest.mark.parametrize(
    "text,encoding", [(NAMES, "cp1252"), (RUSSIAN, "cp1251"), (NAMES, "latin-1")]
)
def test_legacy_bytes_labelled_utf8_are_detected(text, encoding):
    """Most non-ASCII characters come out as U+FFFD under the label: detection reads them."""
    body = page(text * 4).encode(encoding, errors="replace")
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert "\ufffd" not in decoded
    assert (text if encoding != "latin-1" else "Jürgen Köhler and Hélène Bérard") in decoded


def test_a_stray_byte_in_a_real_utf8_page_stays_utf8():
    body = page(RUSSIAN * 5).encode("utf-8") + b"<p>\xff</p>"
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert RUSSIAN in decoded and decoded.count("\ufffd") == 1


def test_undeclared_pages():
    assert NAMES in decode_html(page(NAMES).encode("utf-8"), None)
    assert NAMES in decode_html(page(NAMES).encode("cp1252"), None)  # not cp1250's "Hélčne"
    assert RUSSIAN in decode_html(page(RUSSIAN * 4).encode("cp1251"), "text/html")
    assert "Sora" in decode_html(page("Kutcher and Sora").encode("ascii"), None)


def test_unknown_labels_fall_back_to_meta_then_detection():
    body = page(NAMES, '<meta charset="windows-1252">').encode("cp1252")
    assert NAMES in decode_html(body, "text/html; charset=x-no-such-charset")


def test_extraction_gets_the_decoded_text():
    """The pool decodes with the header before clean_html; clean_html never guesses again."""
    body = story_body(0, "Jürgen Köhler meets Hélène Bérard about Sora")
    html = render(PULSE_STYLE, body).replace('<meta charset="utf-8">', "")
    raw = html.encode("cp1252", errors="replace")
    latin1 = "text/html; charset=iso-8859-1"
    article = extract_with_limit(raw, "http://127.0.0.2/a", 20.0, latin1).article
    assert article.title.startswith("Jürgen Köhler meets Hélène Bérard")
    assert clean_html(decode_html(raw, "text/html; charset=latin1")).title == article.title


ENCODINGS = Path(__file__).parent / "fixtures" / "encodings"
REAL_PAGES = {
    # declared iso-8859-1, written in windows-1252: the low-9 quote, the dash, the ellipsis
    "mix1.de-clio.html": "„Brave New Woma",
    "die-tagespost.de.Demut.html": "Idealen (…)",
    # declared iso-8859-2: detection alone read "dziesi±tej"
    "polish-iso-8859-2.html": "surówka na dziesiątej\". Jak pomagać, żeby",
}


@pytest.mark.parametrize("name", REAL_PAGES, ids=REAL_PAGES)
def test_real_legacy_pages(name):
    decoded = decode_html((ENCODINGS / name).read_bytes(), "text/html")
    assert REAL_PAGES[name] in decoded and "\ufffd" not in decoded
