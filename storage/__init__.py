"""Keeping what was read: articles, URLs, versions, diffs, runs and the alert outbox.

Knows nothing of Scrapy or of the crawler: hand it plain values.
"""
