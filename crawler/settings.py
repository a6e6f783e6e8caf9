"""Scrapy settings for `scrapy crawl coverage` from the project root (see scrapy.cfg).

Safe defaults for a crawler that follows untrusted links; the spider and its pipelines arrive
with the crawl issue.
"""

BOT_NAME = "storywatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "storywatch/0.1 (+https://github.com/storywatch/storywatch; news monitor)"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
AUTOTHROTTLE_ENABLED = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Only the web: a sitemap's <loc>file:///etc/passwd</loc> must not be read.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
