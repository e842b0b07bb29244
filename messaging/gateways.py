"""Channels to the outside: e-mail through Django's SMTP backend, SMS through an HTTP gateway (Kannel's sendsms).

Each sender is opened once per batch and reused (one SMTP connection, one HTTP keep-alive pool) and tells the
outbox, per delivery, whether the hand-over worked, failed for now (retry later) or failed for good (with the
reason).
"""

from __future__ import annotations

import contextlib
import http.client
import smtplib
import threading
import time
import urllib.parse

from django.conf import settings
from django.core.mail import get_connection

from .sms import sms_length


class TemporaryFailure(Exception):
    """Try again later (server down, timeout, 4xx)."""


class PermanentFailure(Exception):
    """Will never work for this delivery (refused address, invalid number, 5xx)."""


class GatewayDown(TemporaryFailure):
    """The whole channel is unreachable: stop the batch, retry it later."""


class RateLimiter:
    """At most `rate` hand-overs a second in this process (0 = unlimited)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = 0.0
        self.lock = threading.Lock()  # the SMS sender calls it from several threads

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_at)
            self.next_at = start + self.interval
        if start > now:
            time.sleep(start - now)


class EmailSender:
    """One SMTP connection for a batch, opened by Django's e-mail backend (host, port, TLS, credentials and timeout
    from the settings)."""

    def __init__(self) -> None:
        self.connection = get_connection(fail_silently=False)
        self.limiter = RateLimiter(settings.BINPLP_EMAIL_RATE_PER_SECOND)
        try:
            self.connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            raise GatewayDown(f"SMTP server unreachable: {exc}") from exc

    def send(self, *, from_email: str, to: str, data: bytes) -> str:
        """Hand one finished e-mail (bytes with CRLF line ends) to the SMTP server over the backend's connection."""
        self.limiter.wait()
        smtp = self.connection.connection
        if smtp is None:
            raise GatewayDown("SMTP connection closed")
        try:
            refused = smtp.sendmail(from_email, [to], data)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(f"recipient refused for now ({codes[0]})") from exc
            raise PermanentFailure(f"recipient refused ({codes[0] if codes else '?'})") from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(f"SMTP {exc.smtp_code}") from exc
            raise PermanentFailure(f"SMTP {exc.smtp_code}") from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise GatewayDown(f"SMTP connection lost: {exc}") from exc
        if refused:
            raise PermanentFailure("recipient refused")
        return ""

    def close(self) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()


class KannelGateway:
    """Kannel's smsbox `sendsms` interface, over keep-alive HTTP connections. Delivery reports come back to
    `dlr_url` (mask 1 delivered, 2 not delivered, 8 accepted by the SMSC, 16 refused by the SMSC)."""

    DLR_MASK = 1 | 2 | 8 | 16

    def __init__(self, *, url: str | None = None, username: str | None = None, password: str | None = None) -> None:
        url = (url or settings.BINPLP_SMS_GATEWAY_URL).rstrip("/")
        if not url:
            raise PermanentFailure("no SMS gateway configured")
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PermanentFailure("the SMS gateway address is not an http(s) URL")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.path = (parts.path or "") + "/cgi-bin/sendsms"
        self.username = username if username is not None else settings.BINPLP_SMS_GATEWAY_USERNAME
        self.password = password if password is not None else settings.BINPLP_SMS_GATEWAY_PASSWORD
        self.timeout = settings.BINPLP_SMS_TIMEOUT_SECONDS
        self.limiter = RateLimiter(settings.BINPLP_SMS_RATE_PER_SECOND)
        # One keep-alive connection per sending thread (http.client: the lightest client; the outbox keeps
        # BINPLP_SMS_CONCURRENCY requests in flight, each on its own thread).
        self.local = threading.local()
        self.connections: list[http.client.HTTPConnection] = []
        self.lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            factory = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            connection = factory(self.host, self.port, timeout=self.timeout)
            self.local.connection = connection
            with self.lock:
                self.connections.append(connection)
        return connection

    def send(self, *, to: str, text: str, dlr_url: str) -> str:
        self.limiter.wait()
        length = sms_length(text)
        query = urllib.parse.urlencode(
            {
                "username": self.username,
                "password": self.password,
                "from": settings.BINPLP_SMS_SENDER,  # Kannel drops a message without a sender
                "to": to,
                "text": text,
                "charset": "UTF-8",
                "coding": "2" if length.encoding == "UCS-2" else "0",
                "dlr-mask": str(self.DLR_MASK),
                "dlr-url": dlr_url,
            }
        )
        for attempt in (1, 2):  # a kept-alive connection the gateway closed meanwhile is opened again once
            connection = self._connection()
            try:
                connection.request("GET", f"{self.path}?{query}")
                response = connection.getresponse()
                body = response.read().decode("utf-8", "replace").strip()[:120]
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                connection.close()
                if attempt == 2:
                    raise GatewayDown(f"SMS gateway unreachable: {exc.__class__.__name__}") from exc
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                raise GatewayDown(f"SMS gateway unreachable: {exc.__class__.__name__}") from exc
        if response.status in (200, 202):
            return ""
        if response.status >= 500 or response.status == 429:
            raise TemporaryFailure(f"SMS gateway {response.status}: {body}")
        raise PermanentFailure(f"SMS gateway {response.status}: {body}")

    def close(self) -> None:
        with self.lock:
            for connection in self.connections:
                connection.close()
            self.connections.clear()
