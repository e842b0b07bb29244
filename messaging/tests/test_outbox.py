"""The outbox end to end: fan-out writes the deliveries, dispatch hands them to the real SMTP server and the real
Kannel, marks them, and never hands over twice what was marked sent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent
from messaging.choices import Channel, DeliveryStatus, MessageStatus
from messaging.models import Delivery, Message
from messaging.services import outbox, sending

from .conftest import wait_for

pytestmark = pytest.mark.django_db

TEXTS = {"nl": {"title": "Inbraak Meir", "body": "Verdachte personen gezien.", "sms": "BIN: inbraak Meir, bel 101"}}


def _send(personas, **kwargs):
    values = {"actor": personas.zone_officer, "message_type": "urgent_alert", "networks": [personas.network_a]}
    values.update({"texts": TEXTS, **kwargs})
    return sending.message_send(**values)


def test_it_writes_one_delivery_per_member_and_channel_with_the_audit_event(personas, make_members):
    make_members(personas.network_a, 3, by_sms=False)
    result = _send(personas)
    message = result.message
    assert message.status == MessageStatus.SENT and message.recipients == 4
    by_channel = {c: Delivery.objects.filter(message=message, channel=c).count() for c in Channel.values}
    assert by_channel == {"web": 4, "email": 4, "sms": 1}  # only the member persona chose SMS
    assert set(Delivery.objects.filter(channel="web").values_list("status", flat=True)) == {"delivered"}
    event = AuditEvent.objects.get(action="send", object_id=str(message.pk))
    assert event.actor == personas.zone_officer and event.changes["networks"] == ["BIN-11002-1"]
    assert message.feedback_due_at == message.sent_at + datetime.timedelta(hours=24)


def test_it_hands_email_to_the_smtp_server_once(personas, make_members, smtp_server):
    make_members(personas.network_a, 5, by_sms=False)
    message = _send(personas).message
    assert outbox.outbox_dispatch(channel="email") == 6
    assert outbox.outbox_dispatch(channel="email") == 0  # nothing twice
    assert len(smtp_server.messages) == 6
    mail = smtp_server.to("member@test.binplp.be")[0]
    assert "Inbraak Meir" in mail["Subject"]
    assert str(mail["List-Unsubscribe"]).strip().startswith("<http")
    assert "/messages/m/" in smtp_server.body(mail)
    assert Delivery.objects.filter(message=message, channel="email", status="sent").count() == 6


def test_it_hands_sms_to_kannel_and_applies_its_delivery_reports(personas, kannel, dlr_recorder, client):
    message = _send(personas).message
    assert outbox.outbox_dispatch(channel="sms") == 1
    assert wait_for(kannel.received) == [
        {"sender": "BIN-PLP", "to": "+32470123456", "text": "BIN: inbraak Meir, bel 101"}
    ]
    delivery = Delivery.objects.get(message=message, channel="sms")
    assert delivery.status == DeliveryStatus.SENT
    assert wait_for(lambda: len(dlr_recorder.calls) >= 2)  # accepted by the SMSC (8), then delivered (1)
    for path in dlr_recorder.calls:
        assert client.get(path).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.delivered_at is not None
    assert client.get(dlr_recorder.calls[0]).status_code == 200  # a replayed report changes nothing
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_sms_without_a_gateway_fail_and_fall_back_to_email(personas, smtp_server, settings):
    settings.BINPLP_SMS_GATEWAY_URL = ""
    message = _send(personas, message_type="prevention_tip").message
    Delivery.objects.filter(message=message, channel="email").delete()  # the member chose SMS only, say
    outbox.outbox_dispatch(channel="sms")
    sms = Delivery.objects.get(message=message, channel="sms")
    assert sms.status == "failed" and sms.error == "no SMS gateway configured"
    fallback = Delivery.objects.get(message=message, channel="email")
    assert fallback.fallback_of == sms
    outbox.outbox_dispatch(channel="email")
    assert len(smtp_server.to("member@test.binplp.be")) == 1


def test_a_dead_smtp_server_puts_the_batch_back_for_later(personas, settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    message = _send(personas).message
    with pytest.raises(outbox.GatewayDown):
        outbox.outbox_dispatch(channel="email")
    delivery = Delivery.objects.get(message=message, channel="email")
    assert delivery.status == "queued" and delivery.attempts == 1 and delivery.not_before > timezone.now()
    assert "SMTP" in delivery.error


def test_rows_of_a_dead_worker_are_claimed_again_once_the_lease_ran_out(personas, smtp_server):
    message = _send(personas).message
    claimed = outbox.outbox_claim(channel="email", limit=10)
    assert outbox.outbox_claim(channel="email", limit=10) == []  # held by the "dead" worker
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert outbox.outbox_claim(channel="email", limit=10, now=later) == claimed
    assert Delivery.objects.get(pk=claimed[0]).attempts == 2
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_an_sms_refused_by_the_gateway_fails_with_its_reason_and_goes_by_email(personas, kannel, settings, smtp_server):
    settings.BINPLP_SMS_GATEWAY_PASSWORD = "wrong"
    message = _send(personas, message_type="prevention_tip").message
    Delivery.objects.filter(message=message, channel="email").delete()  # the member chose SMS only, say
    assert outbox.outbox_dispatch(channel="sms") == 0
    sms = Delivery.objects.get(message=message, channel="sms")
    assert sms.status == "failed" and sms.error.startswith("SMS gateway 403")
    assert Delivery.objects.get(message=message, channel="email").fallback_of == sms
    assert kannel.received() == []


def test_an_unreachable_sms_gateway_keeps_the_batch_for_later(personas, settings):
    from core.testing.smtp import free_port

    settings.BINPLP_SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    message = _send(personas).message
    with pytest.raises(outbox.GatewayDown):
        outbox.outbox_dispatch(channel="sms")
    sms = Delivery.objects.get(message=message, channel="sms")
    assert sms.status == "queued" and sms.attempts == 1 and sms.not_before > timezone.now()
    assert "unreachable" in sms.error


def test_a_delivery_gives_up_after_the_last_attempt(personas, settings):
    settings.EMAIL_PORT = 1
    message = _send(personas).message
    Delivery.objects.filter(message=message, channel="email").update(attempts=settings.BINPLP_OUTBOX_MAX_ATTEMPTS - 1)
    with pytest.raises(outbox.GatewayDown):
        outbox.outbox_dispatch(channel="email")
    email = Delivery.objects.get(message=message, channel="email")
    assert email.status == "failed" and email.error.startswith(f"gave up after {settings.BINPLP_OUTBOX_MAX_ATTEMPTS}")
