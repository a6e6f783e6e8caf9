"""Control characters from web metadata never reach the terminal, CSV or Atom raw."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest

from schedules.printable import printable
from storage.store import Snapshot, Store
from tests.commands import storywatch
from tests.pages import BODIES

STORY = "\n\n".join(BODIES[0].paragraphs)
# Real shapes: an OSC sequence that retitles a terminal, a screen clear, a C1 CSI, a bell,
# a NUL, a right-to-left override that reorders a line.
HOSTILE = [
    "\x1b]0;owned\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m",
    "\x00evil\u202egnp.exe",
]
RAW = ("\x1b", "\x07", "\x9b", "\x00", "\u202e")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_printable_replaces_controls_and_keeps_text(hostile):
    shown = printable(f"Title {hostile}\tend\n")
    assert not any(char in shown for char in RAW)
    assert shown.startswith("Title ") and shown.endswith("\tend\n") and "\ufffd" in shown


@pytest.fixture
def hostile_project(project):
    with Store(f"sqlite:///{project / 'data' / 'storywatch.db'}") as store:
        for index, hostile in enumerate(HOSTILE):
            store.save(
                Snapshot(
                    text="\n\n".join(BODIES[index].paragraphs) + f"\n\nA {hostile} line.",
                    title=f"Kutcher {hostile} Sora {index}",
                    url=f"https://pulse.example/2024/06/story-{index}",
                    outlet=f"Pulse{hostile}",
                )
            )
        run = store.start_run()
        store.finish_run(run, "completed", {}, [f"search result {HOSTILE[0]}: no answer"], {})
    return project


@pytest.mark.parametrize("kind", ["csv", "atom", "jsonl"])
def test_exports_carry_no_raw_control_character(hostile_project, kind):
    done = storywatch(hostile_project, "export", "--format", kind, check=True)
    assert not any(char in done.stdout for char in RAW)
    if kind == "atom":
        feed = ElementTree.fromstring(done.stdout.split("\n", 1)[1])  # well-formed XML 1.0
        assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(HOSTILE)
    elif kind == "csv":
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert rows[0]["title"].startswith("Kutcher \ufffd")
    else:
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        assert not any(char in json.dumps(rows, ensure_ascii=False) for char in RAW)


def test_status_shows_failure_lines_without_raw_controls(hostile_project):
    done = storywatch(hostile_project, "status", check=True)
    assert "failed: search result" in done.stdout
    assert not any(char in done.stdout + done.stderr for char in RAW)
