"""One crawl over sources in the forms that used to give nothing: a sitemap with no namespace,
an index in Google's 0.84 namespace, a text sitemap, a broken GDELT answer, a page whose
charset is only in its Content-Type header."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from schedules.replica import ReplicaWeb
from tests.conftest import write_config
from tests.crawler.replica_site import CRAWL_CONFIG_TEXT, PULSE_STYLE, render, story_body
from tests.crawler.test_crawl import crawl, export

TITLES = {
    "/2024/06/kutcher-sora-no-namespace/": "Kutcher's Sora remarks anger film crews",
    "/2024/06/kutcher-sora-old-namespace/": "Stunt performers answer Kutcher on Sora",
    "/2024/06/kutcher-sora-text-sitemap/": "Hélène Bérard on Kutcher and Sora",
    "/2024/06/kutcher-sora-gdelt/": "Writers guild responds to Kutcher's Sora praise",
}


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _serve(outlet) -> str:
    for index, (path, title) in enumerate(TITLES.items()):
        html = render(PULSE_STYLE, story_body(index + 3, title))
        if "text-sitemap" in path:  # latin-1 bytes, charset in the header only
            html = html.replace('<meta charset="utf-8">', "")
            outlet.put(path, html.encode("cp1252", "replace"), "text/html; charset=iso-8859-1")
        else:
            outlet.put(path, html)
    first, second, third, fourth = (outlet.url(path) for path in TITLES)
    outlet.put(
        "/sitemap.xml",
        f"<urlset><url><loc>{first}</loc><lastmod>{_stamp()}</lastmod></url>"
        "<url><loc>/relative/not-listed/</loc></url></urlset>",
        "application/xml",
    )
    index = '<sitemapindex xmlns="http://www.google.com/schemas/sitemap/0.84"><sitemap>'
    outlet.put("/index.xml", f"{index}<loc>{outlet.url('/child.xml')}</loc></sitemap></sitemapindex>")
    child = '<urlset xmlns="https://www.sitemaps.org/schemas/sitemap/0.9"><url>'
    outlet.put("/child.xml", f"{child}<loc>{second}</loc></url></urlset>", "text/xml")
    outlet.put("/sitemap.txt", f"\ufeff{third}\r\n", "text/plain")
    seen = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    # an invalid escape (\') and a raw tab inside a string, as GDELT answers carry them
    title = "Guild" + "\\" + "'s\tanswer"
    answer = f'{{"articles": [{{"url": "{fourth}", "title": "{title}", "seendate": "{seen}"}}]}}'
    outlet.put("/gdelt", answer, "application/json")
    return "".join(
        f'\n[[sources]]\nkind = "{kind}"\nurl = "{outlet.url(path)}"\n'
        for kind, path in (
            ("sitemap", "/sitemap.xml"),
            ("sitemap", "/index.xml"),
            ("sitemap", "/sitemap.txt"),
            ("search", "/gdelt?query={query}&format=json"),
        )
    )


@pytest.mark.timeout(240)
def test_every_source_form_is_read_and_the_header_charset_used(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("pulse")
        write_config(project, CRAWL_CONFIG_TEXT + _serve(outlet))
        done = crawl(project)
        assert done.returncode == 0, done.stderr
        fetched = outlet.fetched("/2024/")
    stored = export(project)
    titles = {row["title"] for row in stored.values()}
    assert all(any(path in url for url in fetched) for path in TITLES)
    assert set(TITLES.values()) <= titles
    assert not any("Hélčne" in row["text"] or "Hélčne" in row["title"] for row in stored.values())
