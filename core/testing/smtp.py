"""A real SMTP server for the test suite (aiosmtpd on loopback): Django's SMTP backend talks to it."""

from __future__ import annotations

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class _Collector:
    """Keeps the raw bytes of each message; they are parsed when a test reads them (parsing in the server's thread
    would slow down every sender sharing the interpreter)."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.parsed: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        with self.lock:
            fresh = self.raw[len(self.parsed) :]
        parsed = [email.message_from_bytes(data, policy=email.policy.default) for data in fresh]
        with self.lock:
            self.parsed.extend(parsed)
            return list(self.parsed)

    def clear(self) -> None:
        with self.lock:
            self.raw.clear()
            self.parsed.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPTestServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.collector = _Collector()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.collector.messages()

    @property
    def count(self) -> int:
        with self.collector.lock:
            return len(self.collector.raw)

    def clear(self) -> None:
        self.collector.clear()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    @staticmethod
    def body(message) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""
