"""Safety of a crawler that follows untrusted links: schemes, addresses, TLS, size, telnet."""

from __future__ import annotations

import ipaddress
import ssl
import time

import pytest

from crawler.middlewares.address import address_problem
from schedules.replica import Entry, ReplicaWeb, news_sitemap, rss, send
from tests.certs import make_server_cert
from tests.conftest import write_config
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.crawler.test_crawl import crawl, export


def replica_config(project, kind: str, url: str) -> None:
    """A config that crawls one source of the replica web (loopback allowed)."""
    write_config(
        project,
        f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "{kind}"\nurl = "{url}"\n',
    )


@pytest.mark.parametrize(
    ("address", "allow_private", "refused"),
    [
        ("127.0.0.1", False, True),
        ("10.1.2.3", False, True),
        ("192.168.0.1", False, True),
        ("169.254.169.254", False, True),
        ("169.254.169.254", True, True),
        ("fe80::1", True, True),
        ("127.0.0.2", True, False),
        ("93.184.216.34", False, False),
        ("::1", False, True),
        ("0.0.0.0", True, True),
    ],
)
def test_address_rules(address, allow_private, refused):
    assert bool(address_problem(ipaddress.ip_address(address), allow_private)) is refused


def test_sitemap_pointing_at_local_files_fetches_nothing(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("sneaky")
        now = time.time()
        good = outlet.put("/2024/06/kutcher-sora-crew", render(PULSE_STYLE, story_body(0, "Crew")))
        outlet.put(
            "/sitemap.xml",
            news_sitemap(
                "Sneaky",
                [
                    Entry("file:///etc/hostname", "local file", now),
                    Entry("data:text/html,<p>x</p>", "d", now),
                    Entry("ftp://127.0.0.1/x", "ftp", now),
                    Entry(good, "good", now),
                ],
            ),
            "application/xml",
        )
        replica_config(project, "sitemap", outlet.url("/sitemap.xml"))
        done = crawl(project)
    assert done.returncode == 0
    stored = export(project)
    crawled = [row["url"] for row in stored.values() if not row["is_seed"]]
    assert crawled == [good]
    for scheme in ("file", "data", "ftp"):
        assert f"scheme '{scheme}' is not fetched" in done.stderr


def test_private_addresses_are_refused_by_default(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("local")
        outlet.put("/feed.xml", rss("Local", []), "application/rss+xml")
        write_config(project, f'[[sources]]\nkind = "feed"\nurl = "{outlet.url("/feed.xml")}"\n')
        done = crawl(project)
        assert done.returncode == 0
        assert (
            "loopback or private address" in done.stderr and outlet.url("/feed.xml") in done.stderr
        )
        assert outlet.requests == []


def test_certificates_are_verified(project, tmp_path):
    certs = make_server_cert(tmp_path, "127.0.0.2")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs.cert_file, certs.key_file)
    with ReplicaWeb() as web:
        outlet = web.outlet("selfsigned", tls=context)
        outlet.put("/feed.xml", rss("TLS", []), "application/rss+xml")
        replica_config(project, "feed", outlet.url("/feed.xml"))
        done = crawl(project)
    assert done.returncode == 0
    failure = [line for line in done.stderr.splitlines() if outlet.url("/feed.xml") in line]
    assert len(failure) == 1 and "certificate" in failure[0].lower()


def test_telnet_console_is_off_and_the_log_goes_to_a_file(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("quiet")
        outlet.put("/feed.xml", rss("Quiet", []), "application/rss+xml")
        replica_config(project, "feed", outlet.url("/feed.xml"))
        done = crawl(project)
    log = (project / "logs" / "scrapy.log").read_text()
    assert done.returncode == 0 and "Spider closed" in log
    assert "Telnet console listening" not in log and "TelnetConsole" not in log
    assert "[scrapy" not in done.stderr


def test_no_cookie_travels_from_one_site_to_another(project):
    with ReplicaWeb() as web:
        first, second = web.outlet("first"), web.outlet("second")
        target = second.put(
            "/2024/06/kutcher-sora-crew-report", render(PULSE_STYLE, story_body(0, "Crew"))
        )
        # A cookie set on the first hop would ride along on the second (same host) and beyond.
        first.handle(
            "/2024/06/redirecting-story",
            lambda h: send(
                h, 302, Location="/2024/06/landing", **{"Set-Cookie": "session=secret; Path=/"}
            ),
        )
        first.handle("/2024/06/landing", lambda h: send(h, 302, Location=target))
        first.put(
            "/feed.xml",
            rss("First", [Entry(first.url("/2024/06/redirecting-story"), "r", time.time())]),
            "application/rss+xml",
        )
        replica_config(project, "feed", first.url("/feed.xml"))
        assert crawl(project).returncode == 0
        assert target in export(project)
        landing = [seen.headers for seen in first.requests if seen.path == "/2024/06/landing"]
        sent = [seen.headers for outlet in (first, second) for seen in outlet.requests]
    assert landing and sent
    assert not [headers for headers in sent if "Cookie" in headers or "Authorization" in headers]
