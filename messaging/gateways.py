"""Channels to the outside: e-mail through Django's SMTP backend, SMS through an HTTP gateway (Kannel's sendsms).

Each sender is opened once per batch and reused (one SMTP connection, one HTTP keep-alive pool) and tells the
outbox, per delivery, whether the hand-over worked, failed for now (retry later) or failed for good (with the
reason).
"""

from __future__ import annotations

import contextlib
import smtplib
import threading
import time

import urllib3
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
    """Kannel's smsbox `sendsms` interface, over one keep-alive HTTP pool. Delivery reports come back to
    `dlr_url` (mask 1 delivered, 2 not delivered, 8 accepted by the SMSC, 16 refused by the SMSC)."""

    DLR_MASK = 1 | 2 | 8 | 16

    def __init__(self, *, url: str | None = None, username: str | None = None, password: str | None = None) -> None:
        self.url = (url or settings.BINPLP_SMS_GATEWAY_URL).rstrip("/")
        if not self.url:
            raise PermanentFailure("no SMS gateway configured")
        self.username = username if username is not None else settings.BINPLP_SMS_GATEWAY_USERNAME
        self.password = password if password is not None else settings.BINPLP_SMS_GATEWAY_PASSWORD
        timeout = settings.BINPLP_SMS_TIMEOUT_SECONDS
        self.pool = urllib3.PoolManager(
            num_pools=2,
            maxsize=max(1, settings.BINPLP_SMS_CONCURRENCY),
            block=True,
            retries=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
        )
        self.limiter = RateLimiter(settings.BINPLP_SMS_RATE_PER_SECOND)

    def send(self, *, to: str, text: str, dlr_url: str) -> str:
        self.limiter.wait()
        length = sms_length(text)
        fields = {
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
        try:
            response = self.pool.request("GET", f"{self.url}/cgi-bin/sendsms", fields=fields)
        except urllib3.exceptions.HTTPError as exc:
            raise GatewayDown(f"SMS gateway unreachable: {exc.__class__.__name__}") from exc
        except OSError as exc:
            raise GatewayDown(f"SMS gateway unreachable: {exc}") from exc
        body = response.data.decode("utf-8", "replace").strip()[:120]
        if response.status in (200, 202):
            return ""
        if response.status >= 500 or response.status == 429:
            raise TemporaryFailure(f"SMS gateway {response.status}: {body}")
        raise PermanentFailure(f"SMS gateway {response.status}: {body}")

    def close(self) -> None:
        self.pool.clear()
