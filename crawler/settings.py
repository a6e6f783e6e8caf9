"""Scrapy settings: safe defaults for following untrusted links, and those from the config.

`scrapy crawl coverage` (see scrapy.cfg) and `storywatch crawl` both start from this module;
`config_settings` adds what storywatch.toml decides.

Checked against Scrapy 2.19's defaults, which are not safe here: file://, data:, ftp and s3
URLs are fetched (a sitemap <loc>file:///etc/hostname</loc> reached the callback), responses may
be 1 GiB, certificates are not verified, and the telnet console listens.
"""

from __future__ import annotations

from crawler.config import Config

BOT_NAME = "storywatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "storywatch/0.1 (news monitor; +https://github.com/storywatch/storywatch)"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's RemoteControl: an HTTP server on 127.0.0.1 that runs Python sent to it with a
# token kept under ~/.local/state. A crawl needs no listener at all (tests/crawler/test_faults).
REMOTE_CONTROL_ENABLED = False
MEMDEBUG_ENABLED = False
# Longer URLs are dropped and counted (`urllength/request_ignored_count`, and the spider's
# `long_urls`): storage columns hold 2,048 characters (PostgreSQL varchar(2048)).
URLLENGTH_LIMIT = 2048
COOKIES_ENABLED = False  # no cookie from one site ever travels to another
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # also caps decompressed bodies (HttpCompressionMiddleware)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True  # a body shorter than its Content-Length is an error
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOAD_VERIFY_CERTIFICATES = True
# The address guard again at connection time (DNS rebinding): crawler.resolver.
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 408, 429, 522, 524]
# Scrapy 2.19's own list (its download handlers' transport errors: DownloadTimeoutError,
# ResponseDataLossError, DownloadConnectionRefusedError...) plus Twisted's for the HTTP/1.1
# handler; a name that does not resolve is never retried (crawler.middlewares.retry).
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    "twisted.internet.error.TimeoutError",
    "twisted.internet.error.TCPTimedOutError",
    "twisted.web.client.ResponseFailed",
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
STORYWATCH_RETRY_DELAY = 1.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.address.PublicAddressMiddleware": 50,
    "crawler.middlewares.known.ConditionalRequestMiddleware": 60,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "crawler.middlewares.redirects.RedirectLoopMiddleware": 650,
    "crawler.middlewares.complete.CompleteBodyMiddleware": 595,  # outside HttpCompression
}
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.RelevancePipeline": 200,
    "crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.ConditionalAutoThrottle": 0,
    "crawler.crawlstore.CrawlStore": 100,
    "crawler.budget.DownloadsAtBudget": 200,
    "crawler.timing.FetchTimer": 250,
    "crawler.progress.ProgressLine": 500,
}
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.CanonicalKeyFingerprinter"
STORYWATCH_EXTRACT_WORKERS = 2
STORYWATCH_PROGRESS = False
STORYWATCH_ANNOUNCE = True
# Hosts whose /rss/articles/<id> links are Google News links (crawler/gnews.py); host or host:port.
STORYWATCH_GOOGLE_NEWS_HOSTS = ["news.google.com"]
LOG_LEVEL = "INFO"


def config_settings(config: Config) -> dict:
    """The Scrapy settings that storywatch.toml decides."""
    crawl = config.crawl
    slots = {}
    for source in config.sources:
        if source.delay:
            host = source.url.split("/")[2].split("@")[-1].split(":")[0].lower()
            slots[host] = {"delay": source.delay, "concurrency": 1, "jitter": 0}
    extra = {"USER_AGENT": crawl.user_agent} if crawl.user_agent else {}
    return {
        **extra,
        "STORYWATCH_CONFIG": config.path,
        "STORYWATCH_DATABASE_URL": config.database_url,
        "STORYWATCH_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
        "STORYWATCH_MIN_RELEVANCE": config.story.min_relevance,
        "STORYWATCH_PAGE_TIMEOUT": crawl.page_timeout,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        "CLOSESPIDER_TIMEOUT": crawl.budget_seconds,
        "DOWNLOAD_SLOTS": slots,
    }
