"""Real alert receivers on 127.0.0.1 for tests: an SMTP server (aiosmtpd) and an HTTP webhook.

``SmtpReceiver`` speaks plain SMTP with AUTH (no TLS) and keeps every message
decoded; it can be stopped and started again on the same port, and can hold
back its "250 OK" to a message it has already taken in (``holding``). ``WebhookReceiver``
(the demo's inbox) keeps every POSTed JSON body and can answer 500 to its first
``fail_first`` requests.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from monitor.demo.inbox import WebhookReceiver

SMTP_USER, SMTP_PASSWORD = "alerts", "Sm7p-s3cret-Pw"
logging.getLogger("mail.log").setLevel(
    logging.ERROR
)  # aiosmtpd's own chatter (and a deprecation notice)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@dataclass(frozen=True)
class Mail:
    subject: str
    sender: str
    to: str
    text: str
    html: str
    raw: bytes


class _MailHandler:
    def __init__(self, inbox: list[Mail], holding: threading.Event) -> None:
        self.inbox = inbox
        self.holding = holding

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {
            part.get_content_type(): part.get_content()
            for part in message.walk()
            if not part.is_multipart()
        }
        self.inbox.append(
            Mail(
                subject=str(message["Subject"]),
                sender=str(message["From"]),
                to=str(message["To"]),
                text=parts.get("text/plain", ""),
                html=parts.get("text/html", ""),
                raw=envelope.content,
            )
        )
        while self.holding.is_set():  # the message is in, its "250 OK" not yet sent
            await asyncio.sleep(0.05)
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, data) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=ok)


class SmtpReceiver:
    """An SMTP server on 127.0.0.1 that requires AUTH (over plain SMTP) and keeps what it gets."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox: list[Mail] = []
        self.holding = threading.Event()  # set: keep each accepted message's reply back
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        """The apprise URL that sends here."""
        return (
            f"mailto://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{self.port}"
            "?from=nw@example.com&to=office@example.com&mode=insecure"
        )

    def start(self) -> SmtpReceiver:
        self._controller = Controller(
            _MailHandler(self.inbox, self.holding),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticate,
            auth_require_tls=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._controller.start()
        return self

    def stop(self) -> None:
        self.holding.clear()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Mail]:
        wait_until(lambda: len(self.inbox) >= count, timeout)
        return list(self.inbox)


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def flaky_webhook() -> Iterator[WebhookReceiver]:
    """Answers 500 to its first two requests, then 200."""
    receiver = WebhookReceiver(fail_first=2).start()
    yield receiver
    receiver.stop()
