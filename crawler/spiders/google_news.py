"""Google News links in the spider: their page, then batchexecute, then the publisher
(crawler/gnews.py holds the steps; these are the callbacks)."""

from __future__ import annotations

from dataclasses import replace

from scrapy.http import Response

from crawler.config import SourceConfig
from crawler.gnews import LINK_META, GoogleNewsError
from crawler.middlewares.retry import RetryLater
from crawler.tally import count
from storage.candidates import Pending
from storage.urls import canonicalize_url


class GoogleNewsSteps:
    """Mixin of CoverageSpider: the Google News lookup callbacks."""

    def _google_news_lookup(self, response: Response, source: SourceConfig, candidate: Pending):
        try:
            yield self.google_news.lookup_request(
                response,
                candidate.url,
                callback=self.parse_google_news_answer,
                errback=self.google_news_failed,
                cb_kwargs={"source": source, "candidate": candidate},
                meta={"source": source.label, "what": "Google News lookup"},
            )
        except GoogleNewsError as error:
            listed = response.meta.get(LINK_META) or candidate.url
            self._article_failed(source, f"article {listed}: {error}")

    def parse_google_news_answer(self, response, source: SourceConfig, candidate: Pending):
        try:
            url = self.google_news.publisher(response)
        except GoogleNewsError as error:
            self._article_failed(source, f"article {candidate.url}: {error}")
            return
        publisher = replace(candidate, url=url, key=canonicalize_url(url))
        if not self.frontier.claim(publisher.key):  # another listing fetched it this run
            count(self.crawler.stats, source.label, "unchanged")
            return
        request = self._article_request(publisher, source, known=None)
        request.meta.update({LINK_META: candidate.url, "what": f"article (from {candidate.url})"})
        yield request

    def google_news_failed(self, failure):
        if failure.check(RetryLater):
            return  # the lookup comes back after its wait (crawler.middlewares.retry)
        source, candidate = (failure.request.cb_kwargs[key] for key in ("source", "candidate"))
        self._article_failed(source, self.google_news.failure_line(failure, candidate.url))
