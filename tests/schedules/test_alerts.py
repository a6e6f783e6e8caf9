"""Alerts: the outbox sent as one digest to a real SMTP server on loopback."""

from __future__ import annotations

import ssl

import pytest
from markupsafe import escape
from sqlalchemy import select

from crawler.config import config_from_dict
from schedules.alerts import send_outbox
from schedules.digest import digest_key, item_context, novel_excerpt, novelty_index, safe_link
from storage.models import Alert
from storage.store import Snapshot
from tests.certs import make_server_cert
from tests.pages import BODIES
from tests.schedules.smtp import PASSWORD, USER, Mailbox, authenticator, free_port, start_server

STORY = "Kutcher and Sora"


def config_for(port: int, **alerts) -> object:
    table = {
        "enabled": True,
        "to": ["reader@example.org"],
        "from": "storywatch@example.org",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
        **alerts,
    }
    return config_from_dict({"story": {"name": STORY}, "alerts": table})


def add(store, number: int, title: str | None = None, text: str | None = None, **extra):
    body = BODIES[number]
    return store.save(
        Snapshot(
            text=text or "\n\n".join(body.paragraphs),
            title=title or body.title,
            url=f"https://outlet{number}.example/2024/06/story-{number}",
            outlet=f"Outlet {number}",
            **extra,
        )
    )


def statuses(store) -> list[str]:
    with store.sessions() as session:
        return [alert.status for alert in session.scalars(select(Alert).order_by(Alert.id))]


@pytest.fixture
def mailbox():
    box = Mailbox()
    server = start_server(box)
    yield box, server.port
    server.stop()


def test_one_digest_with_text_and_html_parts(store, mailbox):
    box, port = mailbox
    first = add(store, 0)
    add(store, 2)
    store.save(
        Snapshot(
            text="\n\n".join(BODIES[0].paragraphs),
            title="Copy",
            url="https://wire.example/copy",
            outlet="Wire",
        )
    )
    store.save(Snapshot(text="\n\n".join(BODIES[3].paragraphs), title="Seed", seed_file="s.txt"))
    report = send_outbox(store, config_for(port))
    assert (report.sent, report.digests, report.error) == (2, 1, "")
    (message,) = box.messages
    assert message["Subject"] == f"storywatch: 2 new articles on {STORY}"
    assert message["Message-ID"].startswith("<storywatch-")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part, shown in ((text, str), (html, lambda value: str(escape(value)))):
        assert shown(BODIES[0].title) in part and shown(BODIES[2].title) in part
        assert "Outlet 0" in part
        assert "https://outlet0.example/2024/06/story-0" in part
        assert "https://wire.example/copy" in part  # the syndicated copy, "also at"
        assert BODIES[3].title not in part  # seeds are never announced
    assert "also at" in text and first.article_id
    assert statuses(store) == ["sent", "sent"]
    assert send_outbox(store, config_for(port)).sent == 0 and len(box.messages) == 1


def test_excerpt_is_what_is_new_not_the_first_sentences():
    stored = ["Kutcher praised Sora at the Berggruen Salon and said it was pretty amazing to use."]
    text = (
        "Kutcher praised Sora at the Berggruen Salon and said it was pretty amazing to use. "
        "The actors' union filed a formal complaint with the studio alliance on Thursday morning. "
        "Its president said talks with OpenAI about licensing would begin next month in New York."
    )
    excerpt = novel_excerpt(text, novelty_index(stored), wanted=2)
    assert "formal complaint" in excerpt and "licensing" in excerpt
    assert "Berggruen" not in excerpt


def test_starttls_with_a_private_ca_and_login(store, tmp_path, monkeypatch):
    certs = make_server_cert(tmp_path, "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs.cert_file, certs.key_file)
    box = Mailbox()
    server = start_server(
        box,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    monkeypatch.setenv("STORYWATCH_SMTP_PASSWORD", PASSWORD)
    try:
        add(store, 0)
        untrusted = send_outbox(store, config_for(server.port, security="starttls", username=USER))
        assert untrusted.sent == 0 and "TLS" in untrusted.error and statuses(store) == ["pending"]
        trusted = send_outbox(
            store,
            config_for(server.port, security="starttls", username=USER, ca_file=str(certs.ca_file)),
        )
        assert trusted.sent == 1 and len(box.messages) == 1
    finally:
        server.stop()


def test_starttls_asked_but_not_offered_is_refused(store, mailbox):
    box, port = mailbox
    add(store, 0)
    report = send_outbox(store, config_for(port, security="starttls"))
    assert "STARTTLS" in report.error and box.messages == [] and statuses(store) == ["pending"]


def test_outage_then_4xx_then_recovery_delivers_each_alert_once(store):
    add(store, 0)
    add(store, 2)
    port = free_port()
    refused = send_outbox(store, config_for(port))  # nothing listens yet
    assert refused.sent == 0 and "cannot reach" in refused.error
    box = Mailbox(replies=["451 4.3.0 try again later"])
    server = start_server(box, port=port)
    try:
        busy = send_outbox(store, config_for(port))
        assert busy.sent == 0 and "451" in busy.error and statuses(store) == ["pending", "pending"]
        recovered = send_outbox(store, config_for(port))
        assert recovered.sent == 2 and len(box.messages) == 1
        assert send_outbox(store, config_for(port)).sent == 0 and len(box.messages) == 1
    finally:
        server.stop()
    with store.sessions() as session:
        assert [a.attempts for a in session.scalars(select(Alert))] == [3, 3]


def test_a_5xx_refusal_is_permanent_and_recorded(store):
    box = Mailbox(replies=["554 5.7.1 message rejected"])
    server = start_server(box)
    try:
        add(store, 0)
        report = send_outbox(store, config_for(server.port))
        assert "554" in report.error and statuses(store) == ["failed"]
        assert send_outbox(store, config_for(server.port)).sent == 0
    finally:
        server.stop()


def test_hostile_titles_make_no_headers_and_block_nothing(store, mailbox):
    box, port = mailbox
    add(store, 0, title="Kutcher\r\nBcc: victim@example.org\u2028X-Evil: 1")
    add(store, 2, title="<script>alert(1)</script> & more")
    report = send_outbox(store, config_for(port))
    assert report.sent == 2
    (message,) = box.messages
    assert message["Bcc"] is None and message["X-Evil"] is None
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_only_web_links_are_rendered():
    assert safe_link("https://outlet.example/a") == "https://outlet.example/a"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link('https://x.example/"><script>') is None
    assert safe_link(None) is None


def test_a_resent_digest_keeps_its_message_id(store, mailbox, monkeypatch):
    box, port = mailbox
    add(store, 0)

    def crash(*args, **kwargs):
        raise SystemExit("killed after the server accepted the message")

    monkeypatch.setattr("schedules.alerts.mark_sent", crash)
    with pytest.raises(SystemExit):
        send_outbox(store, config_for(port))
    monkeypatch.undo()
    assert statuses(store) == ["pending"]
    send_outbox(store, config_for(port))
    first, second = box.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert digest_key([2, 1]) == digest_key([1, 2])


def test_updates_are_announced_with_a_diff_summary_only_when_asked(store, mailbox):
    box, port = mailbox
    add(store, 0)
    send_outbox(store, config_for(port))
    correction = "Correction: the union has 9,500 members, not 9,000."
    add(store, 0, text="\n\n".join(BODIES[0].paragraphs) + "\n\n" + correction)
    assert send_outbox(store, config_for(port)).sent == 0  # updates = false
    add(store, 0, text="\n\n".join(BODIES[0].paragraphs) + "\n\n" + correction + "\n\nMore.")
    report = send_outbox(store, config_for(port, updates=True))
    assert report.sent == 1
    text = box.messages[-1].get_body(("plain",)).get_content()
    assert "1 updated" in box.messages[-1]["Subject"] and "sentence(s) added" in text


def test_implicit_tls(store, tmp_path):
    certs = make_server_cert(tmp_path, "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs.cert_file, certs.key_file)
    box = Mailbox()
    server = start_server(box, ssl_context=context)
    try:
        add(store, 0)
        report = send_outbox(
            store, config_for(server.port, security="ssl", ca_file=str(certs.ca_file))
        )
        assert report.sent == 1 and len(box.messages) == 1
    finally:
        server.stop()


def test_an_alert_that_cannot_be_rendered_is_closed_and_the_rest_go(store, mailbox, monkeypatch):
    box, port = mailbox
    add(store, 0)
    add(store, 2)
    real = item_context

    def fragile(item, seen):
        if item.title == BODIES[0].title:
            raise ValueError("unrenderable")
        return real(item, seen)

    monkeypatch.setattr("schedules.alerts.item_context", fragile)
    report = send_outbox(store, config_for(port))
    assert (report.sent, report.broken) == (1, 1)
    assert statuses(store) == ["failed", "sent"] and len(box.messages) == 1


def test_alerts_test_command_says_what_happened(tmp_path, mailbox, capsys):
    from schedules.cli import main

    box, port = mailbox
    config = tmp_path / "storywatch.toml"
    alerts = (
        '[alerts]\nenabled = true\nto = ["reader@example.org"]\nfrom = "sw@example.org"\n'
        'smtp_host = "127.0.0.1"\nsecurity = "none"\nsmtp_port = '
    )
    config.write_text(f'[story]\nname = "x"\n{alerts}{port}\n')
    assert main(["alerts", "test", "--config", str(config)]) == 0
    assert "test message sent" in capsys.readouterr().out and len(box.messages) == 1
    config.write_text(f'[story]\nname = "x"\n{alerts}{free_port()}\n')
    assert main(["alerts", "test", "--config", str(config)]) == 1
    assert "test message not sent" in capsys.readouterr().err
