"""The digest's text/plain part as a reader's mail client shows it, and its excerpts."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email import policy

import pytest

from schedules.digest import compose, item_context, novel_excerpt
from storage.outbox import Announcement, Copy

XINHUA = (
    "Chinese President Xi Jinping met U.S. President Joe Biden in Lima on Nov. 5, according to "
    "the state-run Xinhua News Agency. The two leaders spoke for nearly two hours about trade, "
    "export controls and climate. Dr. Wang Yi, the foreign minister, said the talks had been "
    "candid and constructive."
)


def announcement(number: int, kind: str = "new", **fields) -> Announcement:
    values = {
        "alert_id": number,
        "kind": kind,
        "article_id": number,
        "title": "Xi and Biden meet in Lima ahead of the summit",
        "outlet": "Xinhua",
        "url": f"https://english.news.example/2024/11/06/c_{number}.htm",
        "published_at": datetime(2024, 11, 6, 9, 30, tzinfo=UTC),
        "text": "Xi and Biden meet in Lima ahead of the summit\n\n" + XINHUA,
        "diff": None,
        "added": 0,
        "removed": 0,
        "copies": (Copy("Wire Service", "https://wire.example/xi-biden-lima"),),
    }
    return Announcement(**{**values, **fields})


def plain_text(*items: Announcement) -> str:
    """Render, send as bytes, parse back: what a mail client gets to show."""
    contexts = [item_context(item, set()) for item in items]
    digest = compose(contexts, [1, 2], "Xi and Biden", "sw@example.org", ["reader@example.org"])
    received = email.message_from_bytes(digest.message.as_bytes(), policy=policy.default)
    return received.get_body(("plain",)).get_content()


def test_title_outlet_date_and_url_each_stand_on_their_own_line():
    lines = plain_text(announcement(1)).splitlines()
    start = lines.index("1. Xi and Biden meet in Lima ahead of the summit")
    assert [line.strip() for line in lines[start + 1 : start + 4]] == [
        "Xinhua",
        "06 Nov 2024",
        "<https://english.news.example/2024/11/06/c_1.htm>",
    ]


def test_every_link_is_delimited_so_no_client_runs_it_into_the_next_word():
    text = plain_text(
        announcement(1), announcement(2, copies=(Copy("Wire", "https://w.example/a"),))
    )
    assert "also at: Wire Service <https://wire.example/xi-biden-lima>\n" in text
    for link in re.findall(r"https?://\S+", text):
        assert link.endswith(">"), link  # the link ends at its bracket, not in the next word
    assert re.search(r"^2\. ", text, re.MULTILINE)  # the second item starts its own line


def test_an_update_lists_what_was_added_on_lines_of_its_own():
    update = announcement(
        3, kind="updated", diff="--- v1\n+++ v2\n@@ -1 +1,2 @@\n+Talks resume on Friday.", added=1
    )
    lines = [line.strip() for line in plain_text(update).splitlines()]
    assert "1. Xi and Biden meet in Lima ahead of the summit (updated)" in lines
    assert "Changed: 1 sentence(s) added, 0 removed" in lines
    assert "+ Talks resume on Friday." in lines


def test_the_excerpt_starts_at_a_sentence_and_leaves_the_headline_out():
    excerpt = novel_excerpt(
        "Xi and Biden meet in Lima ahead of the summit\n\n" + XINHUA,
        set(),
        title="Xi and Biden meet in Lima ahead of the summit",
    )
    assert excerpt.startswith("Chinese President Xi Jinping met U.S. President Joe Biden")
    assert "on Nov. 5, according to" in excerpt
    assert "summit Chinese" not in excerpt and not excerpt.startswith("5,")


@pytest.mark.parametrize(
    ("title", "text", "first"),
    [
        (
            "Studios weigh Sora",
            "Studios weigh Sora\n\nOn Nov. 5 the studios met. They talked about Sora.",
            "On Nov. 5 the studios met.",  # no sentence long enough: the opening paragraph
        ),
        (
            "Sora in Hollywood",
            "Sora in Hollywood\n\nDr. Lee said the U.S. studios would test the model by Jan. 3 at "
            "the latest.",
            "Dr. Lee said the U.S. studios",
        ),
    ],
)
def test_excerpt_sentences_are_whole(title, text, first):
    assert novel_excerpt(text, set(), title=title).startswith(first)
