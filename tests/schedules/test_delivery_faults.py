"""Delivery faults: a server slow to answer the end of DATA gets one copy, not two; every
database's digests have Message-IDs of their own."""

from __future__ import annotations

import asyncio

from schedules.alerts import send_outbox
from storage.store import Store
from tests.schedules.smtp import Mailbox, start_server
from tests.schedules.test_alerts import add, config_for, statuses


class SlowMailbox(Mailbox):
    """Queues the message, then answers 250 to the end of DATA only after `delay` seconds (an
    MTA scanning or fsyncing before it replies; RFC 5321 allows 10 minutes)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(self.delay)
        return reply


def test_a_250_after_the_command_timeout_is_one_delivery(store, monkeypatch):
    monkeypatch.setattr("schedules.mailer.TIMEOUT_SECONDS", 1)  # the command timeout, shrunk
    box = SlowMailbox(delay=2.5)
    server = start_server(box)
    try:
        add(store, 0)
        first = send_outbox(store, config_for(server.port))
        again = send_outbox(store, config_for(server.port))
    finally:
        server.stop()
    assert (first.sent, first.error, again.sent) == (1, "", 0)
    assert len(box.messages) == 1 and statuses(store) == ["sent"]


def test_without_the_patient_data_reply_the_same_server_gets_two_copies(store, monkeypatch):
    """The fault as it was: the client gives up, the server delivers, the next run resends."""
    monkeypatch.setattr("schedules.mailer.TIMEOUT_SECONDS", 1)
    monkeypatch.setattr("schedules.mailer.DATA_REPLY_SECONDS", 1)
    box = SlowMailbox(delay=2.5)
    server = start_server(box)
    try:
        add(store, 0)
        first = send_outbox(store, config_for(server.port))
        box.delay = 0
        second = send_outbox(store, config_for(server.port))
    finally:
        server.stop()
    assert first.sent == 0 and "timed out" in first.error and second.sent == 1
    assert len(box.messages) == 2


def test_two_new_databases_never_share_a_message_id(tmp_path):
    box = Mailbox()
    server = start_server(box)
    try:
        for name in ("one", "two"):
            with Store(f"sqlite:///{tmp_path / name}.db") as store:
                add(store, 0)  # the same first alert id (1) in each
                assert send_outbox(store, config_for(server.port)).sent == 1
    finally:
        server.stop()
    first, second = box.messages
    assert first["Message-ID"] != second["Message-ID"]
    assert first["Message-ID"].startswith("<storywatch-") and "@example.org>" in first["Message-ID"]
