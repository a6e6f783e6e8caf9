"""kill -9 at random points of a crawl, then a run to the end: nothing lost, nothing doubled.

Seeded trials against a loopback outlet (schedules.replica) with alerts on from the first run,
counted at a real aiosmtpd server. After each trial: the stored articles are exactly those of
an uninterrupted reference run, each once; every article's alert was delivered, in one
message; `PRAGMA integrity_check` is ok. A kill between the server's 250 and the database
commit resends that digest under the same Message-ID (at-least-once: SMTP and the database
cannot commit together); the figures count such resends separately.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import defaultdict

from schedules.replica import Entry, ReplicaWeb, rss
from tests.crawler.replica_site import PULSE_STYLE, RELEVANT, render, story_body
from tests.reliability.common import integrity, new_project, query, report, storywatch
from tests.schedules.smtp import Mailbox, start_server

ARTICLES = min(8, len(RELEVANT))


def publish(web: ReplicaWeb) -> tuple[str, list[str]]:
    outlet = web.outlet("desk")
    titles, entries = [], []
    for index in range(ARTICLES):
        title = f"Kill test report {index} on Kutcher and Sora"
        url = outlet.put(
            f"/2024/06/kill-report-{index}", render(PULSE_STYLE, story_body(index, title))
        )
        entries.append(Entry(url, title, time.time() - 60))
        titles.append(title)
    return outlet.put("/feed.xml", rss("Desk", entries), "application/rss+xml"), titles


def config(feed: str, smtp_port: int) -> str:
    return (
        f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n'
        f'[alerts]\nenabled = true\non_first_run = true\nto = ["r@example.org"]\n'
        f'from = "sw@example.org"\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\n'
        'security = "none"\n'
    )


def stored(project) -> list[str]:
    return [
        row[0]
        for row in query(project, "SELECT canonical_url FROM articles WHERE seed_file IS NULL")
    ]


def _stored_count(project) -> int:
    """Articles stored when the crawl was killed (0 if it died before the schema was made)."""
    try:
        return len(stored(project))
    except sqlite3.OperationalError:
        return 0


def run(trials: int = 20, seed: int = 20240608) -> bool:
    box = Mailbox()
    smtp = start_server(box)
    try:
        with ReplicaWeb() as web:
            feed, titles = publish(web)
            reference = new_project(config(feed, smtp.port))
            clean = storywatch(reference, "crawl")
            expected = sorted(stored(reference))
            box.messages.clear()
            return _trials(trials, seed, feed, smtp.port, box, titles, expected, clean.seconds)
    finally:
        smtp.stop()


def _trials(trials, seed, feed, port, box, titles, expected, span) -> bool:
    rng = random.Random(seed)
    problems, kills, resends, started = [], 0, 0, time.monotonic()
    at, before, mailed = [], [], []  # kill times; articles stored and messages sent by then
    for trial in range(trials):
        box.messages.clear()
        project = new_project(config(feed, port))
        killed = storywatch(project, "crawl", kill_after=rng.uniform(0.3, span))
        kills += killed.returncode == -9
        at.append(killed.seconds)
        before.append(_stored_count(project))
        mailed.append(len(box.messages))
        final = storywatch(project, "crawl")
        announced = defaultdict(set)  # title -> Message-IDs of the messages that carry it
        for message in box.messages:
            body = message.get_body(("plain",)).get_content()
            for title in (t for t in titles if t in body):
                announced[title].add(message["Message-ID"])
        resends += len(box.messages) - len({m["Message-ID"] for m in box.messages})
        got = stored(project)
        if sorted(got) != expected or len(set(got)) != len(got):
            problems.append(f"trial {trial}: stored {len(got)} of {len(expected)}")
        doubled = [t for t in titles if len(announced[t]) > 1]  # in two different digests
        missing = [t for t in titles if not announced[t]]
        if doubled or missing or integrity(project) != "ok" or final.returncode != 0:
            problems.append(
                f"trial {trial}: doubled {len(doubled)}, missing {len(missing)}, "
                f"integrity {integrity(project)}, exit {final.returncode}"
            )
    figure = (
        f"killed at {min(at):.1f}-{max(at):.1f} s with {min(before)}-{max(before)} articles "
        f"stored and {min(mailed)}-{max(mailed)} digests sent; "
        f"{trials} trials (seed {seed}), {kills} killed mid-run, {len(expected)} articles "
        f"each, 0 lost/doubled: {not problems}, same-Message-ID resends {resends}, "
        f"{time.monotonic() - started:.0f} s"
    )
    for line in problems[:5]:
        print("      " + line)
    return report("kill -9 mid-crawl, then rerun", not problems, figure)
