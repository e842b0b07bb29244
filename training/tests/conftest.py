"""Fixtures of the training tests: a current course version with modules and questions, sessions, trainees, and
mandated officers on networks. Rows are written directly (known state); services are what the tests exercise."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

_counter = itertools.count(1)


@pytest.fixture
def course_version(db):
    """The current version of the BIN course: 3 modules (240 minutes), 2 scale questions and a comment question,
    certificates valid 5 years."""
    from training.choices import QuestionKind, VersionStatus
    from training.models import Course, CourseVersion, EvaluationQuestion, Module

    course = Course.objects.create(
        code="bin-course",
        title_nl="BIN-opleiding",
        title_fr="Formation PLP",
        title_de="BIN-Ausbildung",
        title_en="BIN course",
    )
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        status=VersionStatus.CURRENT,
        objectives_nl="De circulaire kennen\nEen charter opstellen",
        objectives_fr="Connaître la circulaire\nRédiger une charte",
        objectives_en="Know the circular\nDraft a charter",
        published_at=timezone.now(),
    )
    for position, minutes in enumerate((60, 90, 90), start=1):
        Module.objects.create(
            version=version,
            position=position,
            minutes=minutes,
            title_nl=f"Module {position}",
            title_fr=f"Module {position}",
            title_en=f"Module {position}",
        )
    EvaluationQuestion.objects.create(
        version=version, position=1, kind=QuestionKind.SCALE, text_nl="Nuttig?", text_fr="Utile ?", text_en="Useful?"
    )
    EvaluationQuestion.objects.create(
        version=version,
        position=2,
        kind=QuestionKind.SCALE,
        text_nl="Lesgever?",
        text_fr="Formateur ?",
        text_en="Trainer?",
    )
    EvaluationQuestion.objects.create(
        version=version,
        position=3,
        kind=QuestionKind.TEXT,
        required=False,
        text_nl="Opmerkingen",
        text_fr="Remarques",
        text_en="Comments",
    )
    return version


@pytest.fixture
def make_session(course_version, personas):
    """make_session(academy=vesta, days=14, capacity=20, status="published", **fields) -> Session, a day from 9:00 to
    16:30 `days` from today (negative: in the past)."""
    from geography.models import Academy
    from training.models import Session

    def make(*, academy=None, days: int = 14, capacity: int = 20, status: str = "published", **fields):
        day = timezone.localdate() + datetime.timedelta(days=days)
        tz = timezone.get_current_timezone()
        values = {
            "version": course_version,
            "academy": academy or Academy.objects.get(code="vesta"),
            "starts_at": datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz),
            "ends_at": datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=tz),
            "place": "Campus Vesta, Ranst – lokaal 2.14",
            "language": "nl",
            "capacity": capacity,
            "trainer": personas.trainer,
            "status": status,
            "published_at": timezone.now() if status != "draft" else None,
        }
        values.update(fields)
        return Session.objects.create(**values)

    return make


@pytest.fixture
def make_trainee(personas):
    """make_trainee(zone=Antwerp's zone, **fields) -> Trainee with a unique e-mail address, writing in English."""
    from geography.models import PoliceZone
    from training.models import Trainee

    def make(*, zone=None, **fields):
        n = next(_counter)
        values = {
            "zone": zone or PoliceZone.objects.current().get(code=5345),
            "first_name": f"Agent{n}",
            "last_name": "Trainee",
            "email": f"agent{n}@police.test",
            "language": "en",  # their e-mails in English, which the tests read
        }
        values.update(fields)
        return Trainee.objects.create(**values)

    return make


@pytest.fixture
def make_officer(personas):
    """make_officer(network, user=None, email=...) -> the network's active mandated officer (a Partner)."""
    from networks.choices import PartnerRole
    from networks.models import Partner

    def make(network, *, user=None, email: str = "", role: str = PartnerRole.MANDATED_OFFICER, **fields):
        n = next(_counter)
        values = {"first_name": f"Officer{n}", "last_name": "Mandated", "email": email or f"officer{n}@police.test"}
        if user is not None:
            values = {"first_name": "", "last_name": "", "email": ""}
        values.update(fields)
        return Partner.objects.create(
            network=network, role=role, user=user, active_from=datetime.date(2024, 1, 1), **values
        )

    return make
