"""The live progress line."""

import io

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.progress import ProgressLine, progress_text


class _Crawler:
    settings = Settings()


def test_progress_line_counts_what_the_crawl_did():
    stats = MemoryStatsCollector(_Crawler())
    stats.set_value("response_received_count", 12)
    stats.inc_value("storywatch/new", 3)
    stats.inc_value("storywatch/failed")
    out = io.StringIO()
    line = ProgressLine(stats, stream=out)
    line.show()
    assert out.getvalue().startswith("\r") and "fetched 12 | new 3 | updated 0" in out.getvalue()
    assert (
        progress_text({}) == "fetched 0 | new 0 | updated 0 | duplicate 0 | irrelevant 0 | failed 0"
    )
