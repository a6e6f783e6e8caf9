"""Real SMTP servers on loopback (aiosmtpd) for the alert tests."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "watcher", "s3cret-pass"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """Keeps what the server accepted; answers DATA with the next scripted reply, then 250."""

    def __init__(self, replies: list[str] | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.replies = list(replies or [])

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


def start_server(mailbox: Mailbox, port: int | None = None, **options) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port(), **options)
    controller.start()
    return controller
