"""The member portal's services, called directly: validation, ownership, audit rows, e-mail task."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from members.choices import MembershipStatus
from members.models import Member, Membership
from members.services import portal as services
from members.tasks.portal import send_sign_in_link_task
from members.tests import factories, portal_helpers
from members.tests.portal_helpers import link_in
from members.validation import mobile_normalise

pytestmark = pytest.mark.django_db

# Fixtures shared by the portal's tests.
_fresh_cache = portal_helpers._fresh_cache
member_en = portal_helpers.member_en


@pytest.fixture
def member(member_en):
    return Member.objects.select_related("user").get(user=member_en)


def choices(**changes):
    values = {
        "by_email": True,
        "by_sms": False,
        "urgent_by_sms": True,
        "muted_types": [],
        "language": "en",
        "quiet_from": None,
        "quiet_until": None,
        "paused_from": None,
        "paused_until": None,
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("+32 (0)470/12.34.56", "+32470123456"),
        ("0032470123456", "+32470123456"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("", ""),
    ],
)
def test_it_stores_mobile_numbers_in_e164(given, expected):
    assert mobile_normalise(given) == expected


@pytest.mark.parametrize(
    ("given", "code"), [("12345", "invalid_phone"), ("02 511 11 11", "not_mobile"), ("abc", "invalid_phone")]
)
def test_it_refuses_numbers_that_are_not_mobile(given, code):
    with pytest.raises(ValidationError) as error:
        mobile_normalise(given)
    assert error.value.code == code


def test_urgent_alerts_cannot_be_muted(member, member_en):
    with pytest.raises(ValidationError) as error:
        services.member_choices_set(
            actor=member_en, member=member, **choices(muted_types=["newsletter", "urgent_alert"])
        )
    assert error.value.error_dict["muted_types"][0].code == "urgent_not_mutable"
    member.refresh_from_db()
    assert member.muted_types == []
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_unknown_message_types_are_refused(member, member_en):
    with pytest.raises(ValidationError) as error:
        services.member_choices_set(actor=member_en, member=member, **choices(muted_types=["gossip"]))
    assert "muted_types" in error.value.error_dict


def test_choices_are_stored_and_audited_by_field_name(member, member_en):
    services.member_choices_set(
        actor=member_en,
        member=member,
        **choices(muted_types=["newsletter"], quiet_from=datetime.time(23), quiet_until=datetime.time(6, 30)),
    )
    member.refresh_from_db()
    assert member.muted_types == ["newsletter"] and member.by_sms is False
    [row] = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_repr=f"#{member.pk}")
    assert row.changes == {"fields": ["by_sms", "muted_types", "quiet_from", "quiet_until"]}
    assert row.actor == member_en

    # Saving the same choices again changes nothing and writes no audit row.
    services.member_choices_set(
        actor=member_en,
        member=member,
        **choices(muted_types=["newsletter"], quiet_from=datetime.time(23), quiet_until=datetime.time(6, 30)),
    )
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_repr=f"#{member.pk}").count() == 1


def test_only_the_member_acts_in_the_portal(member, personas):
    membership = Membership.objects.get(member=member)
    for actor in (personas.coordinator, personas.zone_officer, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.member_choices_set(actor=actor, member=member, **choices())
        with pytest.raises(PermissionDenied):
            services.member_update(
                actor=actor,
                member=member,
                first_name="X",
                last_name="Y",
                mobile="",
                street="Meir",
                house_number="1",
                box="",
                postal_code="2000",
            )
        with pytest.raises(PermissionDenied):
            services.membership_leave(actor=actor, membership=membership)
        with pytest.raises(PermissionDenied):
            services.member_pause_end(actor=actor, member=member)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_leaving_twice_is_refused(member, member_en):
    membership = Membership.objects.get(member=member)
    left = services.membership_leave(actor=member_en, membership=membership)
    assert left.status == MembershipStatus.LEFT and left.ended_on == timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.membership_leave(actor=member_en, membership=membership)
    assert error.value.code == "not_current"


def test_a_suspended_member_may_leave(member, member_en):
    Membership.objects.filter(member=member).update(status=MembershipStatus.SUSPENDED)
    left = services.membership_leave(actor=member_en, membership=Membership.objects.get(member=member))
    assert left.status == MembershipStatus.LEFT


def test_a_link_request_for_unknown_inactive_or_non_member_accounts_sends_nothing(
    personas, smtp_server, django_capture_on_commit_callbacks
):
    other = factories.member(personas.network_a, email="inactive@example.be")
    other.user.is_active = False
    other.user.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for email in ("nobody@example.be", "inactive@example.be", personas.outsider.email, ""):
            services.member_sign_in_link_request(email=email)
    assert callbacks == [] and smtp_server.messages == []


def test_the_task_sends_a_link_and_returns_whether_it_did(personas, member_en, smtp_server):
    result = send_sign_in_link_task.enqueue(member_en.pk)
    assert result.return_value is True
    [message] = smtp_server.to(member_en.email)
    assert message["Subject"] == "Your sign-in link for the binplp member portal"
    assert message["Content-Language"] == "en"
    assert link_in(message).startswith("/me/sign-in/")
    assert send_sign_in_link_task.enqueue(personas.outsider.pk).return_value is False


def test_the_task_retries_while_the_smtp_server_is_down(member_en, settings, smtp_server, monkeypatch):
    from core import tasks as core_tasks

    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    attempts = []
    original = core_tasks.retry_delay
    monkeypatch.setattr(core_tasks, "retry_delay", lambda attempt: attempts.append(attempt) or original(attempt))
    send_sign_in_link_task.enqueue(member_en.pk)
    assert attempts == [1, 2, 3, 4, 5, 6]
    assert smtp_server.messages == []


def test_ending_a_pause_that_does_not_exist_is_refused(member, member_en):
    with pytest.raises(ValidationError) as error:
        services.member_pause_end(actor=member_en, member=member)
    assert error.value.code == "no_pause"
