"""Tolerant readers: JSON with the faults GDELT answers carry, dates in every sitemap shape."""

from __future__ import annotations

import pytest

from crawler.lenient import MAX_REPAIRS, lenient_json, w3c_date

DATES = {
    "2024": "2024-01-01T00:00:00+00:00",
    "2024-06": "2024-06-01T00:00:00+00:00",
    "2024-06-07": "2024-06-07T00:00:00+00:00",
    "2024-06-07T14:27+02:00": "2024-06-07T14:27:00+02:00",
    "2024-06-07T14:27:00Z": "2024-06-07T14:27:00+00:00",
    "2024-06-07T14:27:00.123-04:00": "2024-06-07T14:27:00.123000-04:00",
    " 2024-06-07T14:27:00+00:00\n": "2024-06-07T14:27:00+00:00",
    "2024-06-07 14:27:00": "2024-06-07T14:27:00+00:00",
    "Fri, 07 Jun 2024 14:27:00 GMT": "2024-06-07T14:27:00+00:00",
    "Fri, 07 Jun 2024 14:27:00 +0200": "2024-06-07T14:27:00+02:00",
}


@pytest.mark.parametrize("value,expected", DATES.items(), ids=DATES)
def test_dates_in_every_shape(value, expected):
    assert w3c_date(value).isoformat() == expected


@pytest.mark.parametrize("value", ["", None, "yesterday", "2024-13-45", "0000-00-00", "9" * 40])
def test_unreadable_dates_are_none(value):
    assert w3c_date(value) is None


def test_json_faults_that_are_repaired():
    assert lenient_json(b'{"t": "it\\\'s"}') == {"t": "it's"}
    assert lenient_json(b'{"t": "a\tb\nc"}') == {"t": "a\tb\nc"}
    assert lenient_json(b'\xef\xbb\xbf  {"t": 1}') == {"t": 1}
    assert lenient_json(b'{"t": 1} trailing') == {"t": 1}
    assert lenient_json(b'{"t": "\\u00e9\\/"}') == {"t": "é/"}  # valid escapes stay


def test_json_that_is_not_repaired():
    for body in (b"", b"{", b'{"t": 1,}', b"<html>", b'{"t": "\\' + b"\\q" * MAX_REPAIRS):
        with pytest.raises(ValueError) as raised:
            lenient_json(body)
        assert "\n" not in str(raised.value)
