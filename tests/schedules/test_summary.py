"""The per-source table: every source a row, the numbers as counted, empty columns left out."""

from __future__ import annotations

from crawler.tally import COUNTS
from schedules.summary import source_table


def tally(**counts: int) -> dict[str, int]:
    return {**dict.fromkeys(COUNTS, 0), **counts}


def test_a_row_per_source_with_the_columns_that_matter():
    lines = source_table(
        {
            "Variety": tally(listed=20, outside_window=12, known=3, fetched=5, stored=2),
            "GDELT DOC 2.0": tally(listed=2, repeated=1, fetched=1, failed=1, old_sitemaps=3),
        }
    )
    head, variety, gdelt, old = lines
    assert head.split() == [
        "source", "listed", "outside", "repeated", "known", "capped", "fetched", "stored", "failed"
    ]  # fmt: skip
    assert variety.split() == ["Variety", "20", "12", "0", "3", "0", "5", "2", "0"]
    assert gdelt.split() == ["GDELT", "DOC", "2.0", "2", "0", "1", "0", "0", "1", "0", "1"]
    assert old.strip() == "GDELT DOC 2.0: 3 child sitemap(s) not fetched (before window)"


def test_no_sources_no_table():
    assert source_table({}) == []


def test_the_coverage_table_keeps_web_text_on_one_line():
    from types import SimpleNamespace

    from schedules.cli import coverage_table

    hostile = SimpleNamespace(
        title="Kutcher\r\nX-Injected: 1\tand Sora",
        outlet="Evil\rOutlet\nX",
        site=None,
        published_at=None,
    )
    table = coverage_table([hostile]).splitlines()
    assert len(table) == 3  # the heading, the column names, one row
    assert "\r" not in "".join(table)
    assert table[2].split("  ")[1] == "Kutcher X-Injected: 1 and Sora"
