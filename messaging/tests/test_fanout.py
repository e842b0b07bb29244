"""Who gets a message by which channel and from when (members' choices, quiet hours, holiday pauses, muted types),
and the scheduled path: fan-out when due, cancel before."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from members.models import Membership
from messaging.models import Delivery, Message
from messaging.services import fanout, sending

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
TEXTS = {"nl": {"title": "Titel", "body": "Tekst", "sms": "SMS"}}
NIGHT = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=BRUSSELS)  # inside 22:00–07:00
DAY = datetime.datetime(2026, 12, 4, 14, 0, tzinfo=BRUSSELS)


def _channels(message, member) -> dict[str, Delivery]:
    return {d.channel: d for d in Delivery.objects.filter(message=message, member=member)}


def _send(personas, message_type="prevention_tip", now=None, **kwargs):
    return sending.message_send(
        actor=personas.zone_officer,
        message_type=message_type,
        networks=[personas.network_a],
        texts=TEXTS,
        now=now,
        **kwargs,
    ).message


@pytest.mark.parametrize(
    ("message_type", "now", "fields", "expected"),
    [
        # Non-urgent in quiet hours: e-mail and SMS wait for 07:00.
        ("prevention_tip", NIGHT, {"by_sms": True}, {"web": None, "email": "07:00", "sms": "07:00"}),
        ("prevention_tip", DAY, {"by_sms": True}, {"web": None, "email": "now", "sms": "now"}),
        # Urgent in quiet hours: SMS only with "urgent alerts by SMS even in quiet hours".
        ("urgent_alert", NIGHT, {"by_sms": True, "urgent_by_sms": True}, {"web": None, "email": "now", "sms": "now"}),
        ("urgent_alert", NIGHT, {"by_sms": True, "urgent_by_sms": False}, {"web": None, "email": "now"}),
        ("urgent_alert", DAY, {"by_sms": True, "urgent_by_sms": False}, {"web": None, "email": "now", "sms": "now"}),
        # Holiday pause: non-urgent only in the inbox; urgent by e-mail, SMS only if chosen for urgent alerts.
        ("newsletter", DAY, {"paused": True, "by_sms": True}, {"web": None}),
        ("crisis", DAY, {"paused": True, "by_sms": True, "urgent_by_sms": False}, {"web": None, "email": "now"}),
        ("missing_person", DAY, {"paused": True, "by_sms": True}, {"web": None, "email": "now", "sms": "now"}),
        # Muted types reach the inbox only; urgent types cannot be muted.
        ("newsletter", DAY, {"muted_types": ["newsletter"], "by_sms": True}, {"web": None}),
        ("urgent_alert", DAY, {"muted_types": ["urgent_alert"]}, {"web": None, "email": "now"}),
        # No e-mail chosen, no mobile number.
        ("prevention_tip", DAY, {"by_email": False, "by_sms": True, "mobile": ""}, {"web": None}),
    ],
)
def test_it_follows_the_members_choices(personas, make_members, message_type, now, fields, expected):
    fields = dict(fields)
    if fields.pop("paused", False):
        fields.update(paused_from=now.date() - datetime.timedelta(days=1), paused_until=now.date())
    fields.setdefault("quiet_from", datetime.time(22, 0))
    fields.setdefault("quiet_until", datetime.time(7, 0))
    (member,) = make_members(personas.network_a, **fields)
    message = _send(personas, message_type, now=now.astimezone(datetime.UTC))
    deliveries = _channels(message, member)
    assert set(deliveries) == set(expected)
    for channel, when in expected.items():
        delivery = deliveries[channel]
        if channel == "web":
            assert delivery.status == "delivered"
        elif when == "now":
            assert delivery.not_before == now
        else:
            assert delivery.not_before.astimezone(BRUSSELS) == datetime.datetime(2026, 12, 5, 7, 0, tzinfo=BRUSSELS)


def test_a_member_of_two_target_networks_gets_it_once(personas, make_members):
    (member,) = make_members(personas.network_a, by_sms=False)
    personas.zone_officer.role_assignments.create(
        role="zone_officer",
        scope_type_id=personas.zone_officer.role_assignments.first().scope_type_id,
        scope_id=personas.network_b.zone_id,
    )
    from core.roles import forget_grants

    forget_grants(personas.zone_officer)
    Membership.objects.create(member=member, network=personas.network_b, joined_on=datetime.date(2024, 1, 1))
    message = sending.message_send(
        actor=personas.zone_officer,
        message_type="urgent_alert",
        networks=[personas.network_a, personas.network_b],
        texts=TEXTS,
    ).message
    assert Delivery.objects.filter(message=message, member=member).count() == 2  # web + e-mail, once each


def test_suspended_and_former_members_and_closed_accounts_get_nothing(personas, make_members):
    suspended, left, closed = make_members(personas.network_a, 3)
    Membership.objects.filter(member=suspended).update(status="suspended")
    Membership.objects.filter(member=left).update(status="left")
    closed.user.is_active = False
    closed.user.save()
    message = _send(personas)
    assert not Delivery.objects.filter(message=message, member__in=[suspended, left, closed]).exists()
    assert message.recipients == 1  # the member persona


def test_the_preview_plan_counts_without_writing(personas, make_members):
    make_members(personas.network_a, 4, by_sms=True)
    plan = fanout.plan(message_id=None, message_type="urgent_alert", network_ids=[personas.network_a.pk])
    assert plan.members == 5 and plan.per_channel == {"email": 5, "sms": 5, "web": 5}
    assert not Delivery.objects.exists()


def test_a_coordinator_sends_only_what_the_communication_plan_allows(personas):
    with pytest.raises(ValidationError) as error:
        sending.message_send(
            actor=personas.coordinator, message_type="newsletter", networks=[personas.network_a], texts=TEXTS
        )
    assert "type" in error.value.message_dict
    assert not Message.objects.exists()


def test_targets_outside_the_senders_scope_are_refused(personas):
    with pytest.raises(PermissionDenied):
        sending.message_send(
            actor=personas.zone_officer, message_type="urgent_alert", networks=[personas.network_b], texts=TEXTS
        )
    with pytest.raises(PermissionDenied):
        sending.message_send(
            actor=personas.member, message_type="newsletter", networks=[personas.network_a], texts=TEXTS
        )
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("texts", "key"),
    [
        ({}, "texts"),
        ({"nl": {"title": "", "body": "x"}}, "title_nl"),
        ({"nl": {"title": "x", "body": ""}}, "body_nl"),
        ({"nl": {"title": "x" * 151, "body": "x"}}, "title_nl"),
        ({"nl": {"title": "x", "body": "x" * 10001}}, "body_nl"),
        ({"nl": {"title": "x", "body": "x", "sms": "ç" * 300}}, "sms_nl"),
        ({"xx": {"title": "x", "body": "x"}}, "texts"),
    ],
)
def test_bad_texts_get_a_specific_error_and_nothing_is_written(personas, texts, key):
    with pytest.raises(ValidationError) as error:
        sending.message_send(
            actor=personas.zone_officer, message_type="urgent_alert", networks=[personas.network_a], texts=texts
        )
    assert key in error.value.message_dict
    assert not Message.objects.exists() and not Delivery.objects.exists()


def test_a_scheduled_message_goes_when_due_and_a_cancelled_one_never(personas):
    now = timezone.now()
    later = now + datetime.timedelta(hours=2)
    scheduled = _send(personas, send_at=later)
    cancelled = _send(personas, send_at=later)
    assert scheduled.status == "scheduled" and not Delivery.objects.exists()
    assert AuditEvent.objects.filter(action="schedule", object_id=str(scheduled.pk)).exists()
    sending.message_cancel(actor=personas.zone_officer, message=cancelled)
    assert AuditEvent.objects.filter(action="cancel", object_id=str(cancelled.pk)).exists()
    assert sending.send_due_messages(now=now) == 0
    assert sending.send_due_messages(now=later + datetime.timedelta(seconds=1)) == 1
    assert sending.send_due_messages(now=later + datetime.timedelta(seconds=2)) == 0  # not twice
    scheduled.refresh_from_db()
    cancelled.refresh_from_db()
    assert scheduled.status == "sent" and Delivery.objects.filter(message=scheduled).count() == 3
    assert cancelled.status == "cancelled" and not Delivery.objects.filter(message=cancelled).exists()
    with pytest.raises(ValidationError):
        sending.message_cancel(actor=personas.zone_officer, message=scheduled)
    with pytest.raises(ValidationError):
        _send(personas, send_at=now - datetime.timedelta(minutes=1))


def test_feedback_closes_the_alerts_duty(personas):
    alert = _send(personas, "urgent_alert")
    assert alert.owes_feedback and alert.feedback_due_at is not None
    with pytest.raises(ValidationError):
        _send(personas, "prevention_tip", feedback_for=alert)
    feedback = _send(personas, "feedback", feedback_for=alert)
    alert.refresh_from_db()
    assert not alert.owes_feedback and alert.feedback_sent_at == feedback.sent_at
    tip = _send(personas)
    with pytest.raises(ValidationError):
        _send(personas, "feedback", feedback_for=tip)  # only urgent alerts owe feedback
