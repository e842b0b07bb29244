"""Action items (committee/services/actions.py): creation, status, and the reminders (a week before the due date and
once overdue, each sent once and marked in its transaction), through the periodic task."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from committee.models import ActionItem
from committee.services import actions as services
from committee.tasks import action_reminders_task
from core.models import AuditEvent

from .conftest import at

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_it_records_an_action(english, seats, make_meeting):
    action = services.action_create(
        actor=english.knowledge_centre,
        meeting=make_meeting(),
        title="Draft the FAQ",
        due_on=days(20),
        owner_term=seats["contact"],
    )
    assert action.status == "open" and action.owner == seats["contact"].holder_name
    assert AuditEvent.objects.filter(object_id=str(action.pk), action="create").exists()


def test_it_refuses_an_action_without_owner_or_from_a_member(english, seats, make_meeting):
    meeting = make_meeting()
    with pytest.raises(ValidationError) as error:
        services.action_create(actor=english.advp_admin, meeting=meeting, title="x", due_on=days(3))
    assert "owns the action" in error.value.message_dict["owner_text"][0]
    with pytest.raises(PermissionDenied):
        services.action_create(actor=english.member, meeting=meeting, title="x", due_on=days(3), owner_text="A")
    assert not ActionItem.objects.exists()


def test_it_moves_the_status(english, make_meeting):
    action = ActionItem.objects.create(meeting=make_meeting(), title="x", owner_text="A", due_on=days(3))
    action = services.action_set_status(actor=english.advp_admin, action=action, status="done")
    assert action.done_at is not None
    assert AuditEvent.objects.get(object_id=str(action.pk)).changes == {"status": ["open", "done"]}
    with pytest.raises(ValidationError):
        services.action_set_status(actor=english.advp_admin, action=action, status="finished")


def test_reminders_leave_once_each(english, seats, make_meeting, smtp_server):
    meeting = make_meeting(days=-30, ends_at=at(-30, 12))
    soon = ActionItem.objects.create(meeting=meeting, title="Soon", owner_term=seats["contact"], due_on=days(5))
    late = ActionItem.objects.create(meeting=meeting, title="Late", owner_term=seats["member"], due_on=days(-2))
    later = ActionItem.objects.create(meeting=meeting, title="Later", owner_term=seats["contact"], due_on=days(30))
    ActionItem.objects.create(
        meeting=meeting, title="Done", owner_term=seats["contact"], due_on=days(-2), status="done"
    )
    ActionItem.objects.create(meeting=meeting, title="Free", owner_text="Someone", due_on=days(-2))

    assert action_reminders_task.call() == 2
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == ["Overdue: “Late”", "Reminder: “Soon” is due soon"]
    assert [m["To"] for m in smtp_server.to(english.member.email)] == [english.member.email]
    soon.refresh_from_db()
    late.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_before_at and late.reminded_overdue_at and not later.reminded_before_at
    assert AuditEvent.objects.filter(object_id=str(late.pk), action="send").count() == 1

    assert action_reminders_task.call() == 0
    assert services.action_remind(action_id=soon.pk) == ""
    assert len(smtp_server.messages) == 2
    # Once the action is overdue, the second (and last) reminder leaves.
    assert services.action_remind(action_id=soon.pk, today=days(6)) == "overdue"
    assert services.action_remind(action_id=soon.pk, today=days(7)) == ""
    assert len(smtp_server.messages) == 3
