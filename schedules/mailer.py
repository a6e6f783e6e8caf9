"""Delivering one message over SMTP, with verified TLS, and telling temporary from permanent.

Temporary (the alerts stay in the outbox for the next run): refused or dropped connections,
timeouts, 4xx answers, TLS problems, a failed login (a config fix away). Permanent (recorded
and shown by `storywatch status`): a 5xx answer to the message or all its recipients.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from crawler.config import PASSWORD_ENV, AlertsConfig

TIMEOUT_SECONDS = 30
# RFC 5321 4.5.3.2.6: a client should wait 10 minutes for the reply to the end of DATA. A
# server that answered 250 after a 30 s client timeout got the digest again on the next run.
DATA_REPLY_SECONDS = 600


class DeliveryError(Exception):
    """The server did not take the message; `permanent` says whether to try again."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    username: str = ""
    password: str = ""
    ca_file: str = ""

    @classmethod
    def from_config(cls, alerts: AlertsConfig) -> SmtpSettings:
        return cls(
            alerts.smtp_host,
            alerts.port,
            alerts.security,
            alerts.username,
            os.environ.get(PASSWORD_ENV, ""),
            alerts.ca_file,
        )

    def describe(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificates and host names verified; a private CA trusted when configured."""
    return ssl.create_default_context(cafile=ca_file or None)


def deliver(message: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Hand the message to the server; DeliveryError when it was not accepted.

    Returns the recipients the server refused while accepting it for the others.
    """
    try:
        with _connect(settings) as smtp:
            _secure_and_login(smtp, settings)
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(
            f"all recipients refused: {_describe(exc.recipients)}",
            permanent=all(500 <= code < 600 for code in codes),
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"login refused ({exc.smtp_code}): check username and ${PASSWORD_ENV}"
        ) from None
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        raise DeliveryError(
            f"server answered {exc.smtp_code} {text}", permanent=500 <= exc.smtp_code < 600
        ) from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS failed with {settings.describe()}: {exc}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(
            f"cannot reach {settings.describe()}: {exc or type(exc).__name__}"
        ) from None
    # Some recipients took it: the alerts are delivered; the others are worth a line, not a resend.
    return [f"{address}: {code}" for address, (code, _) in refused.items()]


class _PatientData:
    """smtplib's DATA, waiting DATA_REPLY_SECONDS for the server's final reply."""

    def data(self, msg):
        self.sock.settimeout(DATA_REPLY_SECONDS)
        try:
            return super().data(msg)
        finally:
            if self.sock is not None:  # smtplib closes the connection on a timeout
                self.sock.settimeout(TIMEOUT_SECONDS)


class _SMTP(_PatientData, smtplib.SMTP):
    pass


class _SMTP_SSL(_PatientData, smtplib.SMTP_SSL):  # noqa: N801 (smtplib's spelling)
    pass


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return _SMTP_SSL(
            settings.host,
            settings.port,
            timeout=TIMEOUT_SECONDS,
            context=tls_context(settings.ca_file),
        )
    return _SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)


def _secure_and_login(smtp: smtplib.SMTP, settings: SmtpSettings) -> None:
    smtp.ehlo()
    if settings.security == "starttls":
        if not smtp.has_extn("starttls"):
            raise DeliveryError(
                f"{settings.describe()} does not offer STARTTLS; refusing to send in the clear"
            )
        smtp.starttls(context=tls_context(settings.ca_file))
        smtp.ehlo()
    if settings.username:
        if not settings.password:
            raise DeliveryError(f"alerts.username is set but ${PASSWORD_ENV} is empty")
        smtp.login(settings.username, settings.password)


def _describe(refused: dict) -> str:
    return "; ".join(f"{address}: {code}" for address, (code, _) in refused.items())
