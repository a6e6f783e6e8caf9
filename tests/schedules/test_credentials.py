"""No credential in logs, exports, status output or the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from schedules.replica import Entry, ReplicaWeb, rss
from tests.commands import storywatch
from tests.conftest import write_config
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.schedules.smtp import PASSWORD, USER, Mailbox, authenticator, start_server


def test_the_smtp_password_appears_nowhere(project):
    box = Mailbox()
    smtp = start_server(box, authenticator=authenticator, auth_require_tls=False)
    try:
        with ReplicaWeb() as web:
            site = web.outlet("secret")
            page = site.put("/2024/06/kutcher-sora", render(PULSE_STYLE, story_body(0, "Secret")))
            feed = site.put("/feed.xml", rss("S", [Entry(page, "K S", time.time())]))
            write_config(
                project,
                f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\n'
                f'url = "{feed}"\n[alerts]\nenabled = true\non_first_run = true\n'
                f'to = ["r@example.org"]\nfrom = "sw@example.org"\nsmtp_host = "127.0.0.1"\n'
                f'smtp_port = {smtp.port}\nsecurity = "none"\nusername = "{USER}"\n',
            )
            command = [sys.executable, "-m", "schedules.cli", "crawl", "--verbose", "--config"]
            crawl = subprocess.run(
                [*command, str(project / "storywatch.toml")],
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, "STORYWATCH_SMTP_PASSWORD": PASSWORD},
            )
    finally:
        smtp.stop()
    assert crawl.returncode == 0 and len(box.messages) == 1, crawl.stderr[-500:]
    outputs = [crawl.stdout, crawl.stderr]  # --verbose: Scrapy's whole log on the terminal
    outputs += [storywatch(project, "status").stdout]
    outputs += [
        storywatch(project, "export", "--format", f).stdout for f in ("jsonl", "csv", "atom")
    ]
    assert not [text for text in outputs if PASSWORD in text]
    for stored in (project / "data").iterdir():
        assert PASSWORD.encode() not in stored.read_bytes(), stored.name
    assert PASSWORD not in (project / "storywatch.toml").read_text()
