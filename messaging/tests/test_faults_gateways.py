"""Fault tests of the gateways (issue 9): the SMTP server or Kannel goes away and comes back. Deliveries wait in the
outbox with a growing delay, nothing is lost, nothing is handed over twice; an SMS whose gateway stays down past the
last attempt goes by e-mail to the members who did not get it by e-mail already. (The worker killed mid fan-out is
test_outbox_faults.py.)"""

from __future__ import annotations

import collections

import pytest
from django.utils import timezone

from core.testing.smtp import SMTPTestServer, free_port
from messaging.models import Delivery
from messaging.services import outbox, sending

from .conftest import wait_for

pytestmark = pytest.mark.django_db

TEXTS = {"nl": {"title": "Inbraak Meir", "body": "Verdachte personen gezien.", "sms": "BIN: inbraak Meir, bel 101"}}


def _send(personas):
    return sending.message_send(
        actor=personas.zone_officer, message_type="urgent_alert", networks=[personas.network_a], texts=TEXTS
    ).message


def _retry_time_comes(message, channel: str) -> None:
    """The delay a failed attempt set has passed (instead of waiting 30 s, 2 min, 10 min… in the test)."""
    Delivery.objects.filter(message=message, channel=channel, status="queued").update(not_before=timezone.now())


def test_smtp_down_then_back_retries_and_loses_nothing(personas, make_members, settings):
    make_members(personas.network_a, 20, by_sms=False)
    server = SMTPTestServer()  # its port is chosen but nothing listens yet: the mail server is down
    settings.EMAIL_PORT = server.port
    message = _send(personas)
    emails = Delivery.objects.filter(message=message, channel="email")
    expected = set(emails.values_list("pk", flat=True))
    assert len(expected) == 21

    delays = []
    for attempt in (1, 2, 3):
        with pytest.raises(outbox.GatewayDown):
            outbox.outbox_dispatch(channel="email")
        assert set(emails.values_list("status", "attempts").distinct()) == {("queued", attempt)}
        delays.append(min(emails.values_list("not_before", flat=True)) - timezone.now())
        assert outbox.outbox_dispatch(channel="email") == 0  # nothing is due before its retry time
        _retry_time_comes(message, "email")
    assert delays[0].total_seconds() > 20 and delays[0] < delays[1] < delays[2]  # backing off

    server.start()  # the mail server is back
    try:
        assert outbox.outbox_dispatch(channel="email") == 21
        assert outbox.outbox_dispatch(channel="email") == 0
        handed = collections.Counter(int(mail["X-BINPLP-Delivery"]) for mail in server.messages)
        assert set(handed) == expected and set(handed.values()) == {1}  # every one, once
        assert set(emails.values_list("status", "attempts", "error").distinct()) == {("sent", 4, "")}
    finally:
        server.stop()


def test_kannel_down_then_back_retries_the_sms_and_sends_each_once(
    personas, make_members, kannel, dlr_recorder, settings
):
    make_members(personas.network_a, 8, by_sms=True)
    settings.BINPLP_SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}"  # Kannel's smsbox is down
    message = _send(personas)
    sms = Delivery.objects.filter(message=message, channel="sms")
    mobiles = set(sms.values_list("member__mobile", flat=True))
    assert len(mobiles) == 9

    for attempt in (1, 2):
        with pytest.raises(outbox.GatewayDown):
            outbox.outbox_dispatch(channel="sms")
        assert set(sms.values_list("status", "attempts").distinct()) == {("queued", attempt)}
        assert "unreachable" in sms.first().error
        _retry_time_comes(message, "sms")
    assert kannel.received() == []

    settings.BINPLP_SMS_GATEWAY_URL = kannel.url  # back
    assert outbox.outbox_dispatch(channel="sms") == 9
    assert outbox.outbox_dispatch(channel="sms") == 0
    phones = wait_for(lambda: len(kannel.received()) >= 9 and kannel.received())
    received = collections.Counter(entry["to"] for entry in phones)
    assert set(received) == mobiles and set(received.values()) == {1}
    assert set(sms.values_list("status", flat=True)) <= {"sent", "delivered"}
    assert not Delivery.objects.filter(message=message, fallback_of__isnull=False).exists()  # no e-mail needed


def test_kannel_down_for_good_sends_by_email_where_possible(personas, make_members, smtp_server, settings):
    sms_only = make_members(personas.network_a, 3, by_sms=True, by_email=False)
    make_members(personas.network_a, 2, by_sms=True)  # they get the e-mail anyway
    settings.BINPLP_SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}"  # down, and stays down
    message = _send(personas)
    sms = Delivery.objects.filter(message=message, channel="sms")
    emails = Delivery.objects.filter(message=message, channel="email")
    assert sms.count() == 6 and emails.count() == 3  # + the member persona, by SMS and e-mail

    for _attempt in range(settings.BINPLP_OUTBOX_MAX_ATTEMPTS):
        with pytest.raises(outbox.GatewayDown):
            outbox.outbox_dispatch(channel="sms")
        _retry_time_comes(message, "sms")
    assert set(sms.values_list("status", flat=True)) == {"failed"}
    assert sms.first().error.startswith(f"gave up after {settings.BINPLP_OUTBOX_MAX_ATTEMPTS} attempts")

    fallbacks = emails.filter(fallback_of__isnull=False)
    assert set(fallbacks.values_list("member", flat=True)) == {member.pk for member in sms_only}
    assert outbox.outbox_dispatch(channel="email") == 6
    received = collections.Counter(str(mail["To"]) for mail in smtp_server.messages)
    assert len(received) == 6 and set(received.values()) == {1}  # six members, one e-mail each
