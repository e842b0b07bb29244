"""Services of part "sessions" (training/services/sessions.py): planning, changing, publishing, cancelling,
attendance and closing — the database, the audit rows and the e-mails received by the real SMTP server (with the
.ics METHOD and SEQUENCE)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from core.models import AuditEvent
from geography.models import Academy
from training.choices import EnrolmentStatus, SessionStatus, VersionStatus
from training.models import Certificate, Enrolment, Session
from training.services import sessions as services

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())


def plan(personas, version, **overrides):
    values = {
        "actor": personas.trainer,
        "academy": Academy.objects.get(code="vesta"),
        "version": version,
        "starts_at": at(20),
        "ends_at": at(20, 16),
        "place": "Campus Vesta, lokaal 1",
        "language": "nl",
        "capacity": 12,
        "trainer": personas.trainer,
    }
    values.update(overrides)
    return services.session_create(**values)


def enrol(session, trainee, status=EnrolmentStatus.ENROLLED, **fields):
    now = timezone.now()
    return Enrolment.objects.create(
        session=session,
        trainee=trainee,
        status=status,
        source="zone",
        enrolled_at=now if status == EnrolmentStatus.ENROLLED else None,
        waiting_since=now if status == EnrolmentStatus.WAITING else None,
        **fields,
    )


def ics_of(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no .ics attached")


def audit(obj, action=None):
    events = AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return events.filter(action=action) if action else events


# --- planning ------------------------------------------------------------------------------------------------------


def test_it_plans_a_draft_session(personas, course_version):
    session = plan(personas, course_version)
    assert session.status == SessionStatus.DRAFT and session.created_by == personas.trainer
    assert session.sequence == 0 and session.published_at is None
    assert audit(session, "create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": at(20, 8)}, "ends_at", "The session must end after it starts."),
        ({"starts_at": at(-1), "ends_at": at(-1, 16)}, "starts_at", "The session cannot start in the past."),
        ({"capacity": 0}, "capacity", "A session has between 1 and 500 seats."),
        ({"capacity": 501}, "capacity", "A session has between 1 and 500 seats."),
        ({"place": "  "}, "place", "Say where the session takes place."),
        ({"language": "en"}, "language", "Choose Dutch, French or German."),
    ],
)
def test_it_refuses_bad_plans(personas, course_version, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        plan(personas, course_version, **overrides)
    assert message in error.value.message_dict[field]
    assert not Session.objects.exists()


def test_the_trainer_must_be_a_trainer_of_the_academy(personas, course_version):
    with pytest.raises(ValidationError) as error:
        plan(personas, course_version, trainer=personas.zone_officer)
    assert "is not a trainer of" in error.value.message_dict["trainer"][0]
    assert not Session.objects.exists()


def test_only_the_current_version_is_planned(personas, course_version):
    course_version.status = VersionStatus.RETIRED
    course_version.save()
    with pytest.raises(ValidationError) as error:
        plan(personas, course_version)
    assert error.value.message_dict["version"] == ["New sessions use the current version of the course."]


def test_only_the_academys_trainers_plan(personas, course_version):
    with pytest.raises(PermissionDenied):
        plan(personas, course_version, actor=personas.zone_officer)
    with pytest.raises(PermissionDenied):
        plan(personas, course_version, academy=Academy.objects.exclude(code="vesta").first())
    assert not Session.objects.exists()


# --- publishing and changing ---------------------------------------------------------------------------------------


def test_it_publishes_a_draft(personas, course_version):
    session = services.session_publish(actor=personas.trainer, session=plan(personas, course_version))
    assert session.status == SessionStatus.PUBLISHED and session.published_at is not None
    with pytest.raises(ValidationError, match="Only a draft session can be published."):
        services.session_publish(actor=personas.trainer, session=session)


def test_a_change_of_a_published_session_sends_the_updated_invitation(
    personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session()
    seated = enrol(session, make_trainee(language="fr"))
    enrol(session, make_trainee(), status=EnrolmentStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(actor=personas.trainer, session=session, place="Campus Vesta, aula")
    session.refresh_from_db()
    assert session.place == "Campus Vesta, aula" and session.sequence == 1
    old_place = "Campus Vesta, Ranst – lokaal 2.14"
    assert audit(session, "update").get().changes["place"] == [old_place, "Campus Vesta, aula"]
    [message] = smtp_server.messages
    assert message["To"] == seated.trainee.email and message["Content-Language"] == "fr"
    calendar = ics_of(message)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 1 and str(event["LOCATION"]) == "Campus Vesta, aula"


def test_the_update_task_is_idempotent(personas, make_session, make_trainee, smtp_server):
    session = make_session()
    seated = enrol(session, make_trainee())
    Session.objects.filter(pk=session.pk).update(sequence=3)
    assert services.session_send_update(enrolment_id=seated.pk, sequence=3) is True
    assert services.session_send_update(enrolment_id=seated.pk, sequence=3) is False
    assert services.session_send_update(enrolment_id=seated.pk, sequence=2) is False  # superseded
    assert len(smtp_server.messages) == 1


def test_a_change_nobody_is_told_of_keeps_the_revision(
    personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session()
    enrol(session, make_trainee())
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(actor=personas.trainer, session=session, capacity=30)
    session.refresh_from_db()
    assert session.capacity == 30 and session.sequence == 0 and smtp_server.messages == []


def test_capacity_cannot_drop_below_the_enrolled(personas, make_session, make_trainee):
    session = make_session(capacity=3)
    for _i in range(3):
        enrol(session, make_trainee())
    with pytest.raises(ValidationError) as error:
        services.session_update(actor=personas.trainer, session=session, capacity=2)
    assert error.value.message_dict["capacity"] == [
        "The capacity cannot be below the current enrolments: 3 people hold a seat."
    ]
    session.refresh_from_db()
    assert session.capacity == 3 and not audit(session).exists()


def test_more_seats_go_to_the_waiting_list_in_order(
    personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    from training.services.enrolments import enrolment_create

    session = make_session(capacity=1)
    trainees = [make_trainee() for _i in range(4)]
    for trainee in trainees:
        enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(actor=personas.trainer, session=session, capacity=3)
    statuses = dict(Enrolment.objects.filter(session=session).values_list("trainee_id", "status"))
    assert [statuses[t.pk] for t in trainees] == ["enrolled", "enrolled", "enrolled", "waiting"]
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([trainees[1].email, trainees[2].email])


def test_an_edit_with_end_before_start_is_refused(personas, make_session):
    session = make_session()
    with pytest.raises(ValidationError) as error:
        services.session_update(actor=personas.trainer, session=session, ends_at=session.starts_at)
    assert error.value.message_dict["ends_at"] == ["The session must end after it starts."]


def test_another_academys_trainer_cannot_change(personas, make_session):
    session = make_session(academy=Academy.objects.exclude(code="vesta").first())
    with pytest.raises(PermissionDenied):
        services.session_update(actor=personas.trainer, session=session, place="Elsewhere")


# --- cancelling ----------------------------------------------------------------------------------------------------


def test_cancelling_tells_everyone_with_a_cancel_invitation(
    personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session()
    seated, waiting = enrol(session, make_trainee()), enrol(session, make_trainee(), status=EnrolmentStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(actor=personas.trainer, session=session, reason="Trainer ill")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason == "Trainer ill"
    assert session.sequence == 1
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.CANCELLED}
    assert audit(session, "cancel").get().changes["enrolments_cancelled"] == 2
    messages = smtp_server.messages
    assert sorted(m["To"] for m in messages) == sorted([seated.trainee.email, waiting.trainee.email])
    for message in messages:
        calendar = ics_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
        assert "Trainer ill" in message.get_body(("plain",)).get_content()


def test_cancelling_needs_a_reason(personas, make_session):
    session = make_session()
    with pytest.raises(ValidationError) as error:
        services.session_cancel(actor=personas.trainer, session=session, reason=" ")
    assert "reason" in error.value.message_dict
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


# --- attendance and closing ----------------------------------------------------------------------------------------


def test_attendance_is_recorded_with_an_audit_row(personas, make_session, make_trainee):
    session = make_session(days=-1)
    first, second = enrol(session, make_trainee()), enrol(session, make_trainee())
    changed = services.attendance_record(
        actor=personas.trainer,
        session=session,
        marks={first.pk: ("attended", "passed"), second.pk: ("absent", "")},
    )
    assert changed == 2
    first.refresh_from_db()
    assert (first.attendance, first.result) == ("attended", "passed")
    assert audit(session, "update").get().changes["attendance"][str(second.pk)] == [["", ""], ["absent", ""]]


def test_a_result_needs_attendance(personas, make_session, make_trainee):
    session = make_session(days=-1)
    absent = enrol(session, make_trainee(first_name="Ann", last_name="Absent"))
    with pytest.raises(ValidationError, match="Ann Absent: only someone who attended can pass or fail."):
        services.attendance_record(actor=personas.trainer, session=session, marks={absent.pk: ("absent", "passed")})
    absent.refresh_from_db()
    assert absent.attendance == "" and absent.result == ""


def test_attendance_only_for_seats_of_this_session(personas, make_session, make_trainee):
    session = make_session(days=-1)
    waiting = enrol(session, make_trainee(), status=EnrolmentStatus.WAITING)
    with pytest.raises(ValidationError, match="only for people holding a seat"):
        services.attendance_record(actor=personas.trainer, session=session, marks={waiting.pk: ("attended", "")})


def test_attendance_waits_for_the_start(personas, make_session, make_trainee):
    session = make_session(days=3)
    seated = enrol(session, make_trainee())
    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_record(actor=personas.trainer, session=session, marks={seated.pk: ("attended", "")})


def test_closing_needs_the_end_and_everyones_attendance(personas, make_session, make_trainee):
    future = make_session(days=2)
    with pytest.raises(ValidationError, match="only after it has ended"):
        services.session_close(actor=personas.trainer, session=future)
    session = make_session(days=-1)
    enrol(session, make_trainee(first_name="Marked"), attendance="attended", result="passed")
    enrol(session, make_trainee(first_name="Nomark", last_name="Person"))
    with pytest.raises(
        ValidationError, match="Record the attendance of everyone enrolled before closing: Nomark Person"
    ):
        services.session_close(actor=personas.trainer, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED and not Certificate.objects.exists()


def test_closing_issues_certificates_and_invites_to_the_evaluation(
    personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session(days=-1)
    passed = enrol(session, make_trainee(language="fr"), attendance="attended", result="passed")
    failed = enrol(session, make_trainee(), attendance="attended", result="failed")
    enrol(session, make_trainee(), attendance="absent")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=personas.trainer, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.closed_at is not None
    certificate = Certificate.objects.get()
    assert certificate.enrolment == passed and certificate.holder_name == passed.trainee.full_name
    assert certificate.course_title == "Formation PLP"  # in the holder's language
    assert certificate.valid_until == certificate.issued_on.replace(year=certificate.issued_on.year + 5)
    assert certificate.emailed_at is not None
    assert audit(certificate, "create").exists() and audit(session, "update").get().changes["certificates"] == 1
    by_address = {}
    for message in smtp_server.messages:
        by_address.setdefault(message["To"], []).append(message)
    [certificate_mail] = [
        m
        for m in by_address[passed.trainee.email]
        if m.get_filename() or any(part.get_content_type() == "application/pdf" for part in m.walk())
    ]
    assert certificate.code in certificate_mail.get_body(("plain",)).get_content()
    # Both attendees are invited to the evaluation (not the absent one).
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("training:participant", args=["x"])
    except NoReverseMatch:
        pytest.skip("part B's participant page is not routed yet: the evaluation invitation cannot be built")
    invited = [
        a for a, ms in by_address.items() if any("/training/p/" in m.get_body(("plain",)).get_content() for m in ms)
    ]
    assert sorted(invited) == sorted([passed.trainee.email, failed.trainee.email])


def test_a_certificate_without_expiry(
    personas, course_version, make_session, make_trainee, django_capture_on_commit_callbacks
):
    course_version.certificate_valid_years = None
    course_version.save()
    session = make_session(days=-1)
    enrol(session, make_trainee(), attendance="attended", result="passed")
    services.session_close(actor=personas.trainer, session=session)
    assert Certificate.objects.get().valid_until is None
