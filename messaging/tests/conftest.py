"""Fixtures of the messaging tests: a real Kannel (bearerbox + smsbox + fake SMSC) on loopback, and members."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest

from messaging import kannel as kannel_module


@pytest.fixture(scope="session")
def _kannel():
    if not kannel_module.available():
        pytest.fail(
            "Kannel is not installed: run `bash scripts/system-packages` (Debian packages kannel kannel-extras)"
        )
    gateway = kannel_module.Kannel(Path(tempfile.mkdtemp(prefix="binplp-kannel-"))).start()
    yield gateway
    gateway.remove()


@pytest.fixture
def kannel(_kannel, settings):
    """The SMS gateway of the test: SMS deliveries go to a real Kannel; `kannel.received()` lists what the fake SMSC
    (the phones) got."""
    settings.BINPLP_SMS_GATEWAY_URL = _kannel.url
    settings.BINPLP_SMS_GATEWAY_USERNAME = _kannel.username
    settings.BINPLP_SMS_GATEWAY_PASSWORD = _kannel.password
    _kannel.clear()
    return _kannel


@pytest.fixture
def make_members(personas):
    """make_members(network, count, **member_fields) -> list of Member, active in `network`."""
    from accounts.models import User
    from members.models import Member, Membership

    counter = {"n": 0}

    def make(network, count: int = 1, *, language: str = "nl", **fields):
        created = []
        for _ in range(count):
            counter["n"] += 1
            n = counter["n"]
            user = User.objects.create(
                email=f"m{n}.{network.pk}@members.test", first_name=f"Member{n}", last_name="Test", language=language
            )
            values = {"mobile": f"+3247{n:07d}", "street": "Meir", "house_number": str(n), "postal_code": "2000"}
            values.update(fields)
            member = Member.objects.create(user=user, **values)
            Membership.objects.create(member=member, network=network, joined_on=datetime.date(2024, 1, 1))
            created.append(member)
        return created

    return make


@pytest.fixture
def dlr_recorder(settings):
    """An HTTP server on loopback standing in for our site's address in Kannel's delivery-report callbacks: it
    records each call's path, which the test then plays against the app with the test client (the app's database
    stays in the test's thread)."""
    import http.server
    import threading

    calls: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's hook name
            calls.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BINPLP_SMS_CALLBACK_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    server.calls = calls
    yield server
    server.shutdown()


def wait_for(predicate, timeout: float = 10.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()
