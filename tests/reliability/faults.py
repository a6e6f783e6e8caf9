"""Faults of the network, the mail server and the disk, each against real loopback parts."""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.config import config_from_dict
from schedules.alerts import send_outbox
from schedules.replica import Entry, ReplicaWeb, rss, send
from storage.store import Snapshot, Store
from tests.crawler.replica_site import PULSE_STYLE, render, story_body
from tests.pages import BODIES
from tests.reliability.common import (
    failure_count,
    integrity,
    new_project,
    query,
    report,
    storywatch,
)
from tests.schedules.smtp import Mailbox, free_port, start_server

FEED = "application/rss+xml"


def _page(index: int, title: str) -> bytes:
    return render(PULSE_STYLE, story_body(index, title)).encode()


def _dropped(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "40000")
    handler.end_headers()
    handler.wfile.write(_page(1, "Dropped")[:8000])
    handler.close_connection = True


def _stalled(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "40000")
    handler.end_headers()
    handler.wfile.flush()
    time.sleep(60)


def _cut_gzip(handler) -> None:
    packed = gzip.compress(_page(2, "Cut"))
    send(handler, 200, packed[: len(packed) * 2 // 3], **{"Content-Encoding": "gzip"})


def transport() -> bool:
    """Dropped mid-body, truncated gzip, a stall after headers, a failed TLS handshake, a name
    that does not resolve: the crawl ends within its budget and reports each once."""
    with ReplicaWeb() as web:
        site = web.outlet("faults")
        good = site.put("/2024/06/kutcher-sora-good", _page(0, "Good"))
        bad = [
            site.handle("/2024/06/kutcher-sora-dropped", _dropped),
            site.handle("/2024/06/kutcher-sora-cut", _cut_gzip),
            site.handle("/2024/06/kutcher-sora-stalled", _stalled),
            f"https://{site.host}/2024/06/kutcher-sora-tls",  # TLS to a plain HTTP server
            "http://kutcher-sora.invalid/2024/06/story",  # RFC 6761: never resolves
        ]
        feed = site.put(
            "/feed.xml", rss("F", [Entry(u, "K S", time.time()) for u in [good, *bad]]), FEED
        )
        project = new_project(
            '[crawl]\nallow_private_addresses = true\ndownload_timeout = 5\nbudget = "60s"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feed}"\n'
        )
        done = storywatch(project, "crawl", "--no-alerts")
    once = [failure_count(done, url) for url in bad]
    stored = [
        r[0] for r in query(project, "SELECT canonical_url FROM articles WHERE seed_file IS NULL")
    ]
    ok = done.returncode == 0 and once == [1] * len(bad) and stored == [good] and done.seconds < 65
    return report(
        "transport faults in one crawl",
        ok,
        f"{len(bad)} faults, failure lines per fault {once}, 1 of 1 good page stored, "
        f"{done.seconds:.1f} s (budget 60 s), peak RSS {done.peak_rss_mb:.0f} MB",
    )


def _config(port: int) -> object:
    alerts = {
        "enabled": True,
        "to": ["r@example.org"],
        "from": "sw@example.org",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
    }
    return config_from_dict({"story": {"name": "K"}, "alerts": alerts})


def smtp() -> bool:
    """Down for three runs then up; 4xx then 250; 5xx recorded and not retried."""
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    with Store(f"sqlite:///{folder / 'mail.db'}") as store:
        for index in range(3):
            store.save(
                Snapshot(
                    text="\n\n".join(BODIES[index].paragraphs),
                    title=BODIES[index].title,
                    url=f"https://o{index}.example/a",
                )
            )
        down = [send_outbox(store, _config(port)).sent for _ in range(3)]
        box = Mailbox(replies=["451 4.3.0 try later"])
        server = start_server(box, port=port)
        try:
            busy = send_outbox(store, _config(port)).sent
            sent = send_outbox(store, _config(port)).sent
            after = send_outbox(store, _config(port)).sent
            store.save(
                Snapshot(
                    text="\n\n".join(BODIES[3].paragraphs),
                    title=BODIES[3].title,
                    url="https://o3.example/a",
                )
            )
            box.replies = ["554 5.7.1 rejected"]
            refused = send_outbox(store, _config(port))
            again = send_outbox(store, _config(port)).sent
        finally:
            server.stop()
    ok = down == [0, 0, 0] and (busy, sent, after) == (0, 3, 0) and len(box.messages) == 1
    ok = ok and "554" in refused.error and again == 0 and len(box.messages) == 1
    return report(
        "SMTP down x3, 4xx, then 250; 5xx",
        ok,
        f"3 alerts: {down} sent while down, {busy} on 451, {sent} in 1 message on 250, "
        f"{after} resent; 5xx: refused for good, {again} retried",
    )


HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def locked() -> bool:
    """The database locked by another process past the busy timeout: one clear line, exit 1;
    the next run goes on and the file is intact."""
    with ReplicaWeb() as web:
        site = web.outlet("locked")
        page = site.put("/2024/06/kutcher-sora-locked", _page(0, "Locked"))
        feed = site.put("/feed.xml", rss("L", [Entry(page, "K S", time.time())]), FEED)
        project = new_project(
            f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n'
        )
        assert storywatch(project, "status").returncode == 0
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(project / "data" / "storywatch.db"), "45"],
            stdout=subprocess.PIPE,
            text=True,
        )
        holder.stdout.readline()
        blocked = storywatch(project, "crawl", "--no-alerts")
        holder.kill()
        holder.wait()
        after = storywatch(project, "crawl", "--no-alerts")
    lines = blocked.stderr.strip().splitlines()
    ok = blocked.returncode == 1 and len(lines) == 1 and "database is locked" in lines[0]
    ok = ok and after.returncode == 0 and integrity(project) == "ok" and "1 new" in after.stdout
    return report(
        "database locked by another process",
        ok,
        f"refused after {blocked.seconds:.0f} s with 1 line, exit {blocked.returncode}; "
        f"next run stored {int('1 new' in after.stdout)} of 1, integrity {integrity(project)}",
    )


def _mount_small(folder: Path, megabytes: int) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
        capture_output=True,
    )
    return done.returncode == 0


def disk_full() -> bool:
    """A full file system (a 6 MB tmpfs): the run fails with clear lines, nothing is corrupt,
    and once space is back the next run stores what was missed."""
    with ReplicaWeb() as web:
        site = web.outlet("full")
        entries = []
        for index in range(3):
            entries.append(
                Entry(
                    site.put(f"/2024/06/kutcher-sora-{index}", _page(index, f"Full {index}")),
                    "K S",
                    time.time(),
                )
            )
        feed = site.put("/feed.xml", rss("Full", entries[:1]), FEED)
        project = new_project(
            f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n'
        )
        (project / "data").mkdir()
        if not _mount_small(project / "data", 6):
            return report("disk full", False, "no tmpfs mount allowed here (needs CAP_SYS_ADMIN)")
        try:
            first = storywatch(project, "crawl", "--no-alerts")
            filler = project / "data" / "filler"
            subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
            site.put("/feed.xml", rss("Full", entries), FEED)
            full = storywatch(project, "crawl", "--no-alerts")
            filler.unlink()
            verdict = integrity(project)  # once space is back: did the full disk corrupt it?
            after = storywatch(project, "crawl", "--no-alerts")
            stored = query(project, "SELECT count(*) FROM articles WHERE seed_file IS NULL")[0][0]
        finally:
            subprocess.run(["umount", "-l", str(project / "data")], capture_output=True)
    said = [line for line in full.stderr.splitlines() if "disk" in line.lower()]
    ok = first.returncode == 0 and "Traceback" not in full.stderr and said and verdict == "ok"
    ok = ok and after.returncode == 0 and stored == 3
    return report(
        "disk full (6 MB tmpfs)",
        ok,
        f"full run: exit {full.returncode}, {len(said)} line(s) naming it, integrity "
        f"{verdict}; after space returned: exit {after.returncode}, {stored} of 3 stored",
    )


def read_only() -> bool:
    """The database on a read-only file system (a read-only bind mount; root ignores file
    modes): crawl and status say so in one line, no traceback; writable again, the next run
    stores what was missed."""
    with ReplicaWeb() as web:
        site = web.outlet("readonly")
        story = site.put("/2024/06/kutcher-sora-ro", _page(0, "Read only"))
        feed = site.put("/feed.xml", rss("RO", []), FEED)
        project = new_project(
            f'[crawl]\nallow_private_addresses = true\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n'
        )
        data = project / "data"
        first = storywatch(project, "crawl", "--no-alerts")  # makes the database
        site.put("/feed.xml", rss("RO", [Entry(story, "K S", time.time())]), FEED)
        bound = subprocess.run(["mount", "--bind", str(data), str(data)], capture_output=True)
        if bound.returncode != 0:
            return report("read-only database", False, "no bind mount allowed here")
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(data)], capture_output=True)
            crawl = storywatch(project, "crawl", "--no-alerts")
            status = storywatch(project, "status")
        finally:
            subprocess.run(["umount", "-l", str(data)], capture_output=True)
        after = storywatch(project, "crawl", "--no-alerts")
        stored = query(project, "SELECT count(*) FROM articles WHERE seed_file IS NULL")[0][0]
    lines = crawl.stderr.strip().splitlines()
    ok = first.returncode == 0 and crawl.returncode != 0 and len(lines) == 1
    ok = ok and not any("Traceback" in r.stderr for r in (crawl, status))
    ok = ok and after.returncode == 0 and stored == 1 and integrity(project) == "ok"
    return report(
        "read-only database",
        ok,
        f"crawl: exit {crawl.returncode}, {len(lines)} line ({lines[0][:80] if lines else ''}); "
        f"status: exit {status.returncode}; writable again: {stored} of 1 stored",
    )
