"""Fault test of the outbox (issue 5): worker processes are killed (SIGKILL) in the middle of a 10,000-recipient
fan-out; new workers finish the job. Every delivery reaches the real SMTP server and the real Kannel, and nothing
that was marked sent before the kill is handed over again. The one delivery per channel that a worker was handing
over at the instant it died may arrive twice (no protocol tells a sender whether its last message was kept) — for
SMS, the requests in flight and the group not marked yet (2 × BINPLP_SMS_CONCURRENCY): the test proves duplicates
happen only there."""

from __future__ import annotations

import collections
import datetime
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User
from members.models import Member, Membership
from messaging.models import Delivery
from messaging.services import sending

from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 10_000
SMS_SHARE = 0.3
ROOT = Path(settings.BASE_DIR)


def _bulk_members(network, count: int) -> None:
    users = User.objects.bulk_create(
        [
            User(email=f"fault{n}@members.test", first_name=f"F{n}", last_name="Test", language="nl", password="!")
            for n in range(count)
        ],
        batch_size=2000,
    )
    sms_every = round(1 / SMS_SHARE)
    members = Member.objects.bulk_create(
        [
            Member(user=user, mobile=f"+3248{n:07d}", by_email=True, by_sms=n % sms_every == 0, postal_code="2000")
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [Membership(member=m, network=network, joined_on=datetime.date(2024, 1, 1)) for m in members], batch_size=2000
    )


def _database_for_workers(tmp: Path) -> tuple[str, callable]:
    """A DATABASE_URL the worker processes can open, and a function returning a DB-API connection to read it."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        url = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        return url, None
    # The SQLite test database lives in memory: copy it into a file the workers share.
    path = tmp / "fault.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return f"sqlite:///{path}", lambda: sqlite3.connect(path, timeout=20)


def _worker(env: dict, channel: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            "manage.py",
            "dispatch_outbox",
            "--channel",
            channel,
            "--follow",
            "--poll",
            "0.2",
            "--until-idle",
            "3",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _status_counts(read, message_id: int) -> dict:
    sql = "SELECT channel, status, COUNT(*) FROM messaging_delivery WHERE message_id = %s GROUP BY channel, status"
    if read is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [message_id])
            rows = cursor.fetchall()
    else:
        with read() as db:
            rows = db.execute(sql.replace("%s", "?"), [message_id]).fetchall()
    return {(channel, status): count for channel, status, count in rows}


def _ids_in(read, message_id: int, status: str) -> dict[str, set[int]]:
    sql = "SELECT channel, id, member_id FROM messaging_delivery WHERE message_id = %s AND status = %s"
    if read is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [message_id, status])
            rows = cursor.fetchall()
    else:
        with read() as db:
            rows = db.execute(sql.replace("%s", "?"), [message_id, status]).fetchall()
    result: dict[str, set[int]] = collections.defaultdict(set)
    for channel, pk, member_id in rows:
        result[channel].add(pk if channel == "email" else member_id)
    return result


def test_killed_workers_lose_nothing_and_resend_nothing_marked_sent(
    personas, smtp_server, kannel, dlr_recorder, monkeypatch
):
    monkeypatch.setattr(sending, "dispatch_enqueue", lambda *args, **kwargs: None)  # only the worker processes send
    _bulk_members(personas.network_a, RECIPIENTS - 1)  # + the member persona
    message = sending.message_send(
        actor=personas.zone_officer,
        message_type="urgent_alert",
        networks=[personas.network_a],
        texts={"nl": {"title": "Fouttest", "body": "Tienduizend ontvangers.", "sms": "BIN fouttest"}},
    ).message
    expected_email = Delivery.objects.filter(message=message, channel="email").count()
    expected_sms = Delivery.objects.filter(message=message, channel="sms").count()
    assert expected_email == RECIPIENTS and expected_sms >= RECIPIENTS * SMS_SHARE * 0.9
    mobiles = dict(
        Member.objects.filter(deliveries__message=message, deliveries__channel="sms").values_list("mobile", "pk")
    )

    tmp = Path(tempfile.mkdtemp(prefix="binplp-fault-"))
    try:
        url, read = _database_for_workers(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
            "BINPLP_TEST_SMTP_PORT": str(smtp_server.port),
            "SMS_GATEWAY_URL": kannel.url,
            "SMS_GATEWAY_USERNAME": kannel.username,
            "SMS_GATEWAY_PASSWORD": kannel.password,
            "SMS_CALLBACK_BASE_URL": settings.BINPLP_SMS_CALLBACK_BASE_URL,
            "OUTBOX_LEASE_SECONDS": "3",
            "OUTBOX_BATCH": "100",
        }
        # Kill both workers once a good part of each channel is marked sent, in the middle of their batches.
        print("start", time.strftime("%X"))
        first = {channel: _worker(env, channel, tmp / f"first-{channel}.log") for channel in ("email", "sms")}
        targets = {"email": expected_email // 3, "sms": expected_sms // 3}
        for channel, process in first.items():
            reached = wait_for(
                lambda c=channel: _status_counts(read, message.pk).get((c, "sent"), 0) >= targets[c], timeout=120
            )
            assert reached, f"the {channel} worker made no progress: {(tmp / f'first-{channel}.log').read_text()}"
            process.send_signal(signal.SIGKILL)
            process.wait()
            print(channel, "killed at", time.strftime("%X"), _status_counts(read, message.pk))
        sent_before_kill = _ids_in(read, message.pk, "sent")
        in_flight = _ids_in(read, message.pk, "sending")
        assert sent_before_kill["email"] and in_flight["email"], "the kill did not land mid-batch"

        second = {channel: _worker(env, channel, tmp / f"second-{channel}.log") for channel in ("email", "sms")}
        for process in second.values():
            assert process.wait(timeout=300) == 0

        counts = _status_counts(read, message.pk)
        assert counts.get(("email", "sent"), 0) == expected_email, counts
        assert counts.get(("sms", "sent"), 0) + counts.get(("sms", "delivered"), 0) == expected_sms, counts

        # What the SMTP server got: every e-mail delivery at least once; a second copy only of one in flight.
        handed = collections.Counter(int(m["X-BINPLP-Delivery"]) for m in smtp_server.messages)
        email_ids = set(Delivery.objects.filter(message=message, channel="email").values_list("pk", flat=True))
        assert set(handed) == email_ids
        twice = {pk for pk, n in handed.items() if n > 1}
        assert twice <= in_flight["email"] and len(twice) <= 1
        assert not twice & sent_before_kill["email"]

        # What the phones got (Kannel's fake SMSC): every SMS recipient, a second copy only of one in flight.
        phones = wait_for(lambda: len(kannel.received()) >= expected_sms and kannel.received(), timeout=60)
        received = collections.Counter(mobiles[sms["to"]] for sms in phones)
        assert set(received) == set(mobiles.values())
        twice = {member for member, n in received.items() if n > 1}
        # The requests in flight and those not marked yet (SMS are marked in groups of BINPLP_SMS_CONCURRENCY).
        assert twice <= in_flight["sms"] and len(twice) <= 2 * settings.BINPLP_SMS_CONCURRENCY
        assert not twice & sent_before_kill["sms"]
    finally:
        for process in [*locals().get("first", {}).values(), *locals().get("second", {}).values()]:
            if process.poll() is None:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
