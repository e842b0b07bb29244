"""The SMS gateway's delivery-report callback: signed path, forward-only status changes, bad input refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.models import Delivery
from messaging.services import outbox, sending
from messaging.tokens import dlr_token

pytestmark = pytest.mark.django_db
TEXTS = {"nl": {"title": "Titel", "body": "Tekst", "sms": "SMS"}}


@pytest.fixture
def sms_delivery(personas, settings):
    settings.BINPLP_SMS_GATEWAY_URL = ""
    message = sending.message_send(
        actor=personas.zone_officer, message_type="urgent_alert", networks=[personas.network_a], texts=TEXTS
    ).message
    delivery = Delivery.objects.get(message=message, channel="sms")
    Delivery.objects.filter(pk=delivery.pk).update(status="sent")
    return delivery


def _url(pk: int, report_type) -> str:
    return reverse("messaging:sms_status", args=[dlr_token(pk)]) + f"?type={report_type}"


def test_it_moves_a_delivery_forward_only(client, sms_delivery):
    assert client.get(_url(sms_delivery.pk, 8)).status_code == 200
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == "sent"
    assert client.get(_url(sms_delivery.pk, 1)).status_code == 200
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == "delivered"
    assert client.get(_url(sms_delivery.pk, 16)).status_code == 200  # a late failure report cannot undo delivery
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == "delivered"


def test_a_failure_report_falls_back_to_email(client, sms_delivery):
    Delivery.objects.filter(message=sms_delivery.message, channel="email").delete()
    assert client.get(_url(sms_delivery.pk, 2)).status_code == 200
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == "failed" and sms_delivery.error == "not delivered to the phone"
    assert Delivery.objects.get(message=sms_delivery.message, channel="email").fallback_of == sms_delivery
    assert client.get(_url(sms_delivery.pk, 2)).status_code == 200  # replayed: still one fallback
    assert Delivery.objects.filter(message=sms_delivery.message, channel="email").count() == 1


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("forged", 404),
        ("unknown", 404),
        ("email", 404),
        ("no-type", 400),
        ("bad-type", 400),
        ("odd-type", 400),
    ],
)
def test_bad_callbacks_change_nothing(client, sms_delivery, path, status):
    email = Delivery.objects.get(message=sms_delivery.message, channel="email")
    url = {
        "forged": reverse("messaging:sms_status", args=[f"{sms_delivery.pk}:forged"]) + "?type=1",
        "unknown": _url(10**9, 1),
        "email": _url(email.pk, 1),
        "no-type": reverse("messaging:sms_status", args=[dlr_token(sms_delivery.pk)]),
        "bad-type": _url(sms_delivery.pk, "x"),
        "odd-type": _url(sms_delivery.pk, 3),
    }[path]
    assert client.get(url).status_code == status
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == "sent"


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_claim_disjoint_batches(personas, make_members, monkeypatch):
    """Four workers claiming at once never share a delivery (FOR UPDATE SKIP LOCKED)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: its single UPDATE … RETURNING cannot interleave")
    make_members(personas.network_a, 400, by_sms=False)
    monkeypatch.setattr(sending, "dispatch_enqueue", lambda *args, **kwargs: None)
    message = sending.message_send(
        actor=personas.zone_officer, message_type="urgent_alert", networks=[personas.network_a], texts=TEXTS
    ).message
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def worker():
        try:
            while ids := outbox.outbox_claim(channel="email", limit=7):
                with lock:
                    claimed.append(ids)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [pk for batch in claimed for pk in batch]
    assert len(flat) == len(set(flat)) == Delivery.objects.filter(message=message, channel="email").count() == 401
