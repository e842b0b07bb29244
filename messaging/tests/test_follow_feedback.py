"""The feedback duty: the officers' list of alerts owing feedback (/messages/feedback/), the home-page section, and the
hourly reminders e-mailed to the zone's mandated officers — to the real SMTP server of the tests."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import RoleAssignment, User
from core.roles import Role
from core.testing.matrix import assert_permission_matrix
from messaging.models import Message
from messaging.services.feedback_duty import feedback_reminder_deliver, feedback_reminders_send

from . import follow_support
from .follow_support import DAY, HOUR, feedback, send, url_or_none

pytestmark = pytest.mark.django_db

# Fixtures of follow_support.
english = follow_support.english

FEEDBACK = "/messages/feedback/"


def _officer(zone, email: str, language: str) -> User:
    user = User.objects.create_user(email=email, password="x-secret-2026", first_name="Fien", language=language)
    RoleAssignment.objects.create(
        user=user,
        role=Role.ZONE_OFFICER,
        scope_type=ContentType.objects.get_for_model(zone),
        scope_id=zone.pk,
        granted_at=timezone.now(),
    )
    return user


def _run(capture, now=None) -> dict:
    with capture(execute=True):
        return feedback_reminders_send(now=now)


# --- the page --------------------------------------------------------------------------------------------------------


def test_the_page_lists_the_alerts_owing_feedback_most_urgent_first(client, english):
    now = timezone.now()
    overdue = send(english, at=now - 30 * HOUR, title="Overdue alert")
    soon = send(english, at=now - 23 * HOUR, title="Due soon alert")
    fresh = send(english, at=now - HOUR, title="Fresh alert")
    done = send(english, at=now - 3 * DAY, title="Answered alert")
    feedback(english, done, at=done.sent_at + 5 * HOUR, title="Thanks, we caught them")
    late = send(english, at=now - 5 * DAY, title="Late answered alert")
    feedback(english, late, at=late.sent_at + 40 * HOUR)
    send(english, at=now - 2 * HOUR, message_type="prevention_tip", title="A tip owes nothing")
    send(english, at=now - 2 * HOUR, actor=english.other_zone_officer, networks=[english.network_b], title="Brussels")

    client.force_login(english.zone_officer)
    response = client.get(FEEDBACK)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="owed">3<' in html and 'data-figure="overdue">1<' in html
    order = [
        html.index(f'data-alert="{alert.pk}" data-state="{state}"')
        for alert, state in ((overdue, "overdue"), (soon, "due_soon"), (fresh, "due"))
    ]
    assert order == sorted(order)
    assert "Brussels" not in html and "A tip owes nothing" not in html
    compose = url_or_none("messaging:compose")
    if compose is not None:
        assert f'href="{compose}?feedback_for={overdue.pk}"' in html
    closed = html.split('id="closed-heading"', 1)[1]
    assert "Answered alert" in closed and "Thanks, we caught them" in closed and "5\xa0hours" in closed
    assert "on time" in closed.split("Answered alert", 1)[1].split("</tr>", 1)[0]
    assert "late" in closed.split("Late answered alert", 1)[1].split("</tr>", 1)[0]
    assert "Overdue alert" not in closed


def test_the_home_page_counts_owed_and_overdue_for_officers(client, english):
    now = timezone.now()
    send(english, at=now - 30 * HOUR)
    send(english, at=now - 2 * HOUR)
    client.force_login(english.zone_officer)
    html = client.get("/").content.decode()
    assert 'data-feedback-owed="2" data-feedback-overdue="1"' in html
    assert "2 alerts of your zone owe the members feedback" in html and "1 of them overdue" in html
    client.force_login(english.coordinator)
    html = client.get("/").content.decode()
    assert "data-feedback-owed" not in html
    assert "/messages/networks/BIN-11002-1/log/" in html and "/messages/networks/BIN-11002-1/problems/" in html
    client.force_login(english.advp_admin)
    html = client.get("/").content.decode()
    assert "data-feedback-owed" not in html and "/messages/statistics/" in html


def test_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        FEEDBACK,
        allowed=[personas.zone_officer, personas.other_zone_officer],
        in_scope_wrong_role=[
            personas.coordinator,
            personas.municipality_official,
            personas.advp_admin,
            personas.knowledge_centre,
            personas.member,
            personas.trainer,
            personas.outsider,
        ],
    )


def test_the_page_takes_the_same_queries_for_few_or_many_alerts(client, personas):
    now = timezone.now()
    send(personas, at=now - 30 * HOUR)
    done = send(personas, at=now - 3 * DAY)
    feedback(personas, done, at=done.sent_at + HOUR)
    client.force_login(personas.zone_officer)
    client.get(FEEDBACK)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(FEEDBACK).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for hours in range(2, 20):
        alert = send(personas, at=now - hours * HOUR, title=f"Alert {hours}")
        if hours % 2:
            feedback(personas, alert, at=now - HOUR)
    assert count() == few


# --- the reminders ---------------------------------------------------------------------------------------------------


def test_reminders_go_to_the_zone_officers_in_their_language(personas, smtp_server, django_capture_on_commit_callbacks):
    now = timezone.now()
    _officer(personas.network_a.zone, "colleague@test.binplp.be", "fr")
    soon = send(personas, at=now - 23 * HOUR, title="Due soon")  # due in an hour
    overdue = send(personas, at=now - 30 * HOUR, title="Overdue")
    send(personas, at=now - 10 * HOUR, title="Not yet")  # due in 14 hours: no reminder
    answered = send(personas, at=now - 28 * HOUR, title="Answered")
    feedback(personas, answered, at=now - 2 * HOUR)
    brussels = send(personas, at=now - 26 * HOUR, actor=personas.other_zone_officer, networks=[personas.network_b])

    assert _run(django_capture_on_commit_callbacks, now) == {"alerts": 3, "emails": 5}
    mails = smtp_server.messages
    assert sorted(str(mail["To"]) for mail in mails) == sorted(
        ["officer@test.binplp.be", "colleague@test.binplp.be"] * 2 + ["officer.brussels@test.binplp.be"]
    )
    officer_mails = smtp_server.to("officer@test.binplp.be")
    assert {mail["Content-Language"] for mail in officer_mails} == {"nl"}
    assert {mail["Content-Language"] for mail in smtp_server.to("colleague@test.binplp.be")} == {"fr"}
    assert smtp_server.to("officer.brussels@test.binplp.be")[0]["Content-Language"] == "fr"
    assert not smtp_server.to("coordinator@test.binplp.be")
    body = smtp_server.body(next(m for m in officer_mails if "Overdue" in str(m["Subject"])))
    assert f"{settings.SITE_URL}/messages/feedback/" in body
    compose = url_or_none("messaging:compose")
    if compose is not None:
        assert f"{settings.SITE_URL}{compose}?feedback_for={overdue.pk}" in body
    for alert in (soon, overdue, brussels):
        alert.refresh_from_db()
        assert alert.feedback_reminders == 1 and alert.feedback_reminded_at == now


def test_reminders_are_not_sent_twice_within_the_interval(personas, smtp_server, django_capture_on_commit_callbacks):
    now = timezone.now()
    alert = send(personas, at=now - 30 * HOUR)
    assert _run(django_capture_on_commit_callbacks, now)["alerts"] == 1
    assert _run(django_capture_on_commit_callbacks, now)["alerts"] == 0  # the same run twice
    later = now + datetime.timedelta(hours=settings.BINPLP_FEEDBACK_REMINDER_HOURS) - datetime.timedelta(minutes=1)
    assert _run(django_capture_on_commit_callbacks, later)["alerts"] == 0
    assert len(smtp_server.messages) == 1
    after = now + datetime.timedelta(hours=settings.BINPLP_FEEDBACK_REMINDER_HOURS)
    assert _run(django_capture_on_commit_callbacks, after) == {"alerts": 1, "emails": 1}
    assert len(smtp_server.messages) == 2
    alert.refresh_from_db()
    assert alert.feedback_reminders == 2 and alert.feedback_reminded_at == after


def test_reminders_stop_once_the_feedback_is_sent(personas, smtp_server, django_capture_on_commit_callbacks):
    now = timezone.now()
    alert = send(personas, at=now - 30 * HOUR)
    assert _run(django_capture_on_commit_callbacks, now)["alerts"] == 1
    feedback(personas, alert, at=now + HOUR)
    much_later = now + datetime.timedelta(days=3)
    assert _run(django_capture_on_commit_callbacks, much_later) == {"alerts": 0, "emails": 0}
    assert len(smtp_server.messages) == 1


def test_a_queued_reminder_sends_nothing_once_outdated(personas, smtp_server, django_capture_on_commit_callbacks):
    now = timezone.now()
    alert = send(personas, at=now - 30 * HOUR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        feedback_reminders_send(now=now)
    assert len(callbacks) == 1 and not smtp_server.messages
    officer = personas.zone_officer.pk
    assert feedback_reminder_deliver(alert_id=alert.pk, user_id=officer, reminder=0) is False  # superseded
    assert feedback_reminder_deliver(alert_id=alert.pk, user_id=personas.coordinator.pk, reminder=1) is False
    RoleAssignment.objects.filter(user=personas.zone_officer).update(revoked_at=now)
    assert feedback_reminder_deliver(alert_id=alert.pk, user_id=officer, reminder=1) is False
    RoleAssignment.objects.filter(user=personas.zone_officer).update(revoked_at=None)
    feedback(personas, alert, at=now + HOUR)
    assert feedback_reminder_deliver(alert_id=alert.pk, user_id=officer, reminder=1) is False
    assert not smtp_server.messages


def test_a_racing_second_run_claims_nothing(personas, smtp_server, django_capture_on_commit_callbacks):
    """Two workers see the same alert due; the conditional update lets only the first remind."""
    now = timezone.now()
    alert = send(personas, at=now - 30 * HOUR)
    Message.objects.filter(pk=alert.pk).update(feedback_reminded_at=now - datetime.timedelta(minutes=1))
    assert _run(django_capture_on_commit_callbacks, now)["alerts"] == 0
    assert not smtp_server.messages


def test_the_hourly_task_is_registered_and_runs_the_reminders(
    personas, smtp_server, django_capture_on_commit_callbacks
):
    from core.schedule import periodic_tasks
    from messaging.tasks_follow import feedback_reminders_task

    entries = {entry.path: entry for entry in periodic_tasks()}
    entry = entries["messaging.tasks_follow.feedback_reminders_task"]
    assert entry.every == datetime.timedelta(hours=1)
    send(personas, at=timezone.now() - 30 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        result = feedback_reminders_task.enqueue()
    assert result.return_value == {"alerts": 1, "emails": 1}
    assert len(smtp_server.to("officer@test.binplp.be")) == 1
