"""Exports: the Atom feed a feed reader follows."""

from __future__ import annotations

import io
from xml.etree import ElementTree

from schedules.export import ATOM_NS, write_atom
from storage.reports import export_rows
from storage.store import Snapshot
from tests.pages import BODIES

STORY = "\n\n".join(BODIES[0].paragraphs)


def atom_entries(store) -> list[ElementTree.Element]:
    out = io.StringIO()
    with store.sessions() as session:
        write_atom(export_rows(session), out, title="Kutcher & Sora <story>")
    feed = ElementTree.fromstring(out.getvalue().split("\n", 1)[1])
    assert feed.find(f"{{{ATOM_NS}}}title").text == "Kutcher & Sora <story>"
    return feed.findall(f"{{{ATOM_NS}}}entry")


def test_atom_entry_id_changes_with_each_version(store):
    url = "https://pulse.example/2024/06/story"
    store.save(Snapshot(text=STORY, title="Unions answer <Kutcher>", url=url))
    store.save(Snapshot(text=STORY, title="seed", seed_file="seed.txt"))
    store.save(Snapshot(text=STORY, title="copy", url="https://ledger.example/copy"))
    (entry,) = atom_entries(store)
    first_id = entry.find(f"{{{ATOM_NS}}}id").text
    assert entry.find(f"{{{ATOM_NS}}}title").text == "Unions answer <Kutcher>"
    assert entry.find(f"{{{ATOM_NS}}}link").get("href") == url

    store.save(Snapshot(text=STORY + "\n\nCorrection: a figure was wrong.", title="t", url=url))
    (entry,) = atom_entries(store)
    assert entry.find(f"{{{ATOM_NS}}}id").text != first_id
    assert "Correction: a figure was wrong." in entry.find(f"{{{ATOM_NS}}}content").text
