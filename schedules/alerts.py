"""Sending the outbox: one digest per batch of pending alerts, marked sent once accepted."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from crawler.config import AlertsConfig, Config
from schedules.digest import clean_header, compose, item_context, novelty_index
from schedules.mailer import DeliveryError, SmtpSettings, deliver
from storage.outbox import mark_failed, mark_sent, other_texts, pending, skip_updates
from storage.store import Store

BATCH = 50  # articles per digest: a first run with on_first_run can find hundreds


@dataclass
class DeliveryReport:
    sent: int = 0  # alerts delivered
    digests: int = 0
    broken: int = 0  # alerts that could not be rendered, closed as failed
    error: str = ""  # why the rest is still waiting (or was refused for good)
    notes: list[str] = field(default_factory=list)


def send_outbox(store: Store, config: Config) -> DeliveryReport:
    """Send what is pending as digests; an outage leaves it pending for the next run."""
    report = DeliveryReport()
    alerts = config.alerts
    with store.sessions.begin() as session:
        if not alerts.updates:
            skip_updates(session)
        items = pending(session, include_updates=alerts.updates)
        seen = novelty_index(other_texts(session, [item.article_id for item in items]))
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        if not _send_batch(store, config, batch, seen, report):
            break
    return report


def _send_batch(store: Store, config: Config, batch, seen, report: DeliveryReport) -> bool:
    contexts, ids = [], []
    for item in batch:
        try:
            contexts.append(item_context(item, seen))
            ids.append(item.alert_id)
        except Exception as exc:  # one broken alert must not block the others forever
            with store.sessions.begin() as session:
                mark_failed(session, [item.alert_id], f"cannot render: {exc}", permanent=True)
            report.broken += 1
    if not ids:
        return True
    digest = compose(
        contexts, ids, config.story.name, config.alerts.from_, config.alerts.to, store.identity
    )
    try:
        refused = deliver(digest.message, SmtpSettings.from_config(config.alerts))
    except DeliveryError as exc:
        with store.sessions.begin() as session:
            mark_failed(session, ids, str(exc), exc.permanent)
        report.error = f"{'refused' if exc.permanent else 'not sent, will retry'}: {exc}"
        return exc.permanent  # a permanent refusal of one digest: try the next batch
    with store.sessions.begin() as session:
        mark_sent(session, ids, digest.key)
    report.sent += len(ids)
    report.digests += 1
    report.notes.extend(f"recipient refused: {line}" for line in refused)
    return True


def test_message(alerts: AlertsConfig, story: str) -> EmailMessage:
    """A message that proves the settings work, sent by `storywatch alerts test`."""
    message = EmailMessage()
    message["Subject"] = clean_header(f"storywatch: test message for {story}")
    message["From"] = clean_header(alerts.from_)
    message["To"] = ", ".join(clean_header(address) for address in alerts.to)
    message.set_content(f'storywatch can send alerts for "{story}" with these settings.\n')
    return message
