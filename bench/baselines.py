"""The baselines: trafilatura alone over the pages on disk, and a naive Scrapy spider.

`python -m bench.baselines extract PROCESSES LISTFILE`: trafilatura.extract with metadata over
each file named in LISTFILE, in PROCESSES processes; prints "pages N".
`python -m bench.baselines naive SITEMAP_URL`: a Scrapy SitemapSpider that calls trafilatura in
its callback, with Scrapy's default settings (16 requests, 8 per domain, no AutoThrottle);
prints "pages N" and "bytes B".
"""

from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path

import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider


def _extract(path: str) -> int:
    text = trafilatura.extract(Path(path).read_text(encoding="utf-8"), with_metadata=True)
    return 1 if text else 0


def extract_files(processes: int, list_file: str) -> int:
    paths = Path(list_file).read_text(encoding="utf-8").split("\n")
    if processes == 1:
        return sum(_extract(path) for path in paths)
    with Pool(processes) as pool:
        return sum(pool.imap_unordered(_extract, paths, chunksize=8))


class NaiveSpider(SitemapSpider):
    name = "naive"

    def parse(self, response):
        text = trafilatura.extract(response.text, url=response.url, with_metadata=True)
        yield {"url": response.url, "words": len((text or "").split())}


def naive(sitemap_url: str) -> None:
    process = CrawlerProcess({"LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False})
    crawler = process.create_crawler(NaiveSpider)
    process.crawl(crawler, sitemap_urls=[sitemap_url])
    process.start()
    stats = crawler.stats.get_stats()
    print(f"pages {stats.get('item_scraped_count', 0)}")
    print(f"bytes {stats.get('downloader/response_bytes', 0)}")


if __name__ == "__main__":
    if sys.argv[1] == "extract":
        print(f"pages {extract_files(int(sys.argv[2]), sys.argv[3])}")
    else:
        naive(sys.argv[2])
