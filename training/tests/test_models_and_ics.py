"""Database constraints of the training models (each with its translated message) and the .ics invitations."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from icalendar import Calendar

from training.choices import Attendance, EnrolmentSource, EnrolmentStatus, Result, VersionStatus
from training.ics import session_ics, session_uid
from training.models import Certificate, CourseVersion, Enrolment, Material, TrainingPolicy


def _violation(instance) -> str:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return " ".join(str(m) for messages in caught.value.message_dict.values() for m in messages)


def test_it_refuses_a_session_ending_before_it_starts(make_session):
    session = make_session()
    session.ends_at = session.starts_at - datetime.timedelta(hours=1)
    assert "must end after it starts" in _violation(session)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_it_refuses_a_capacity_out_of_range(make_session):
    session = make_session()
    session.capacity = 0
    assert "between 1 and 500 seats" in _violation(session)


def test_it_keeps_one_current_version_per_course(course_version):
    second = CourseVersion(course=course_version.course, number=2, status=VersionStatus.CURRENT)
    assert "one current version" in _violation(second)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_it_enrols_a_person_once_per_session(make_session, make_trainee):
    session, trainee = make_session(), make_trainee()
    Enrolment.objects.create(
        session=session, trainee=trainee, status=EnrolmentStatus.ENROLLED, source=EnrolmentSource.ZONE
    )
    again = Enrolment(session=session, trainee=trainee, status=EnrolmentStatus.WAITING, source=EnrolmentSource.SELF)
    assert "already enrolled" in _violation(again)
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


def test_it_gives_a_result_only_to_who_attended(make_session, make_trainee):
    enrolment = Enrolment(
        session=make_session(),
        trainee=make_trainee(),
        status=EnrolmentStatus.ENROLLED,
        source=EnrolmentSource.ZONE,
        attendance=Attendance.ABSENT,
        result=Result.PASSED,
    )
    assert "Only someone who attended" in _violation(enrolment)
    waiting = Enrolment(
        session=enrolment.session,
        trainee=make_trainee(),
        status=EnrolmentStatus.WAITING,
        source=EnrolmentSource.ZONE,
        attendance=Attendance.ATTENDED,
    )
    assert "enrolled participants only" in _violation(waiting)


def test_it_wants_a_material_to_be_a_file_or_a_link(course_version):
    neither = Material(version=course_version, language="nl", title="Slides")
    assert "either a file or a link" in _violation(neither)


def test_certificate_validity(make_session, make_trainee):
    enrolment = Enrolment.objects.create(
        session=make_session(days=-3),
        trainee=make_trainee(),
        status=EnrolmentStatus.ENROLLED,
        source=EnrolmentSource.ZONE,
        attendance=Attendance.ATTENDED,
        result=Result.PASSED,
    )
    issued = datetime.date(2025, 5, 2)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        code="ABCD-EFGH-JKMN-P",
        holder_name="A B",
        course_title="BIN course",
        issued_on=issued,
        valid_until=datetime.date(2030, 5, 2),
    )
    assert certificate.is_valid_on(datetime.date(2030, 5, 2))
    assert not certificate.is_valid_on(datetime.date(2030, 5, 3))
    certificate.valid_until = issued
    assert "valid after the day it is issued" in _violation(certificate)


def test_policy_is_off_until_changed(db):
    assert TrainingPolicy.current().urgent_requires_certificate is False
    assert TrainingPolicy.objects.count() == 1


def test_the_invitation_and_its_cancellation_are_one_event(make_session, make_trainee):
    session = make_session(online_url="https://meet.example.be/bin")
    trainee = make_trainee(first_name="Els", last_name="Peeters", email="els.peeters@police.test", language="fr")
    invitation = Calendar.from_ical(session_ics(session, trainee=trainee))
    assert invitation["METHOD"] == "REQUEST"
    event = invitation.walk("VEVENT")[0]
    assert str(event["UID"]) == session_uid(session)
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == session.starts_at and event.decoded("DTEND") == session.ends_at
    assert str(event["SUMMARY"]).startswith("Formation PLP")  # the trainee's language
    assert str(event["ATTENDEE"]) == "mailto:els.peeters@police.test"
    assert "https://meet.example.be/bin" in str(event["DESCRIPTION"])

    session.sequence = 2
    cancel = Calendar.from_ical(session_ics(session, trainee=trainee, cancel=True))
    event = cancel.walk("VEVENT")[0]
    assert cancel["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 2
    assert str(event["UID"]) == session_uid(session)
