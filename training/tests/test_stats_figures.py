"""Statistics per academy and year (training/selectors_stats.py and /training/statistics/) against a dataset whose
figures are counted by hand in the docstring of `dataset`."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from training.models import Enrolment, EvaluationQuestion, EvaluationResponse
from training.selectors_stats import evaluation_comments, training_statistics

from .coverage_support import certify, make_network

pytestmark = pytest.mark.django_db

URL = "/training/statistics/"


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def dataset(personas, make_session, make_trainee, make_officer, course_version):
    """Vesta 2025: S1 closed (10 seats; 4 enrolled: 2 passed, 1 failed, 1 absent; 1 cancelled enrolment), S2 closed
    (8 seats; 2 passed), S3 cancelled (12 seats), a draft (ignored), and S4 starting 31 December 2025 at 23:30 UTC, i.e.
    1 January 2026 in Brussels (published, counted in 2026). Held 2, cancelled 1, seats 18, filled 6, attended 5,
    passed 4, certificates 4; of the 4 holders, one is a mandated officer by account and one by e-mail (a third
    only of a dissolved network): 2 trained officers. Evaluations on S1: (4, 5, "Great course") and (2, 3): question 1
    averages 3, question 2 averages 4, overall 3.5.
    PAULO 2024: one closed session (5 seats), one participant who passed."""
    from accounts.models import User
    from geography.models import Academy

    paulo = Academy.objects.get(code="paulo")

    def session(when, *, status="closed", capacity=10, academy=None):
        return make_session(
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=7),
            status=status,
            capacity=capacity,
            academy=academy,
        )

    s1 = session(_at(2025, 3, 10), capacity=10)
    s2 = session(_at(2025, 9, 15), capacity=8)
    session(_at(2025, 10, 1), status="cancelled", capacity=12)
    session(_at(2025, 11, 1), status="draft", capacity=30)
    late = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    make_session(starts_at=late, ends_at=late + datetime.timedelta(hours=2), status="published", capacity=7)
    officer_user = User.objects.create_user(email="stat.officer@police.test", password="x")
    make_officer(personas.network_a, user=officer_user)
    make_officer(make_network(), email="Officer.By.Mail@police.test")
    make_officer(make_network(status="dissolved"), email="gone@police.test")

    passed = [
        certify(make_trainee(user=officer_user), session=s1),
        certify(make_trainee(email="officer.by.mail@police.test"), session=s1),
        certify(make_trainee(email="gone@police.test"), session=s2),
        certify(make_trainee(), session=s2),
    ]
    failed = certify(make_trainee(), session=s1, result="failed")
    absent = certify(make_trainee(), session=s1, result="")
    Enrolment.objects.create(session=s1, trainee=make_trainee(), status="cancelled", source="zone")
    q1, q2, q3 = EvaluationQuestion.objects.filter(version=course_version).order_by("position")
    EvaluationResponse.objects.create(
        enrolment=passed[0], answers={str(q1.pk): 4, str(q2.pk): 5, str(q3.pk): "Great course"}
    )
    EvaluationResponse.objects.create(enrolment=failed, answers={str(q1.pk): 2, str(q2.pk): 3})
    certify(make_trainee(), session=session(_at(2024, 5, 6), capacity=5, academy=paulo))
    return {"s1": s1, "s2": s2, "absent": absent, "paulo": paulo, "questions": (q1, q2, q3)}


def test_it_counts_per_academy_and_year(dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        rows = training_statistics()
    keyed = {(row["academy_code"], row["year"]): row for row in rows}
    assert list(keyed) == [("vesta", 2026), ("vesta", 2025), ("paulo", 2024)]  # latest year first
    vesta = keyed[("vesta", 2025)]
    expected = {
        "sessions_held": 2,
        "sessions_cancelled": 1,
        "sessions_planned": 0,
        "seats_offered": 18,
        "seats_filled": 6,
        "attended": 5,
        "passed": 4,
        "certificates": 4,
        "trained_officers": 2,
        "evaluations": 2,
    }
    assert {key: vesta[key] for key in expected} == expected
    assert vesta["attendance_rate"] == pytest.approx(5 / 6) and vesta["pass_rate"] == pytest.approx(4 / 5)
    assert vesta["fill_rate"] == pytest.approx(6 / 18)
    assert vesta["evaluation_average"] == pytest.approx(3.5)
    q1, q2, _q3 = dataset["questions"]
    assert [(q["question_id"], q["average"], q["answers"]) for q in vesta["evaluation_questions"]] == [
        (q1.pk, 3.0, 2),
        (q2.pk, 4.0, 2),
    ]
    assert keyed[("vesta", 2026)]["sessions_planned"] == 1 and keyed[("vesta", 2026)]["pass_rate"] is None
    paulo = keyed[("paulo", 2024)]
    assert (paulo["sessions_held"], paulo["seats_offered"], paulo["passed"], paulo["evaluation_average"]) == (
        1,
        5,
        1,
        None,
    )


def test_filters_by_year_and_academy(dataset):
    assert [row["academy_code"] for row in training_statistics(year=2024)] == ["paulo"]
    assert [row["year"] for row in training_statistics(academy_ids=[dataset["paulo"].pk])] == [2024]
    assert training_statistics(academy_ids=[]) == []


def test_comments_are_anonymous(dataset):
    comments = evaluation_comments()
    assert comments == [
        {"academy_id": dataset["s1"].academy_id, "year": 2025, "question": "Comments", "text": "Great course"}
    ]


def test_the_page_answers_national_roles_and_trainers(client, personas):
    assert reverse("training:statistics") == URL
    assert_permission_matrix(
        client,
        URL,
        allowed=[personas.advp_admin, personas.knowledge_centre, personas.trainer],
        in_scope_wrong_role=[
            personas.zone_officer,
            personas.coordinator,
            personas.municipality_official,
            personas.member,
            personas.outsider,
        ],
    )


def test_the_page_shows_the_figures_in_scope(client, dataset, personas):
    from accounts.models import User

    User.objects.update(language="en")
    client.force_login(personas.advp_admin)
    page = client.get(URL).content.decode()
    assert 'data-row="vesta-2025"' in page and 'data-row="paulo-2024"' in page
    assert "83&nbsp;%" in page and "80&nbsp;%" in page  # attendance 5/6, pass rate 4/5
    assert 'role="img"' in page and "Great course" in page
    client.force_login(personas.trainer)
    page = client.get(URL).content.decode()
    assert 'data-row="vesta-2025"' in page and 'data-row="paulo-2024"' not in page and "Great course" in page
    page = client.get(URL, {"year": 2026}).content.decode()
    assert 'data-row="vesta-2025"' not in page and 'data-row="vesta-2026"' in page
    assert client.get(URL, {"year": "1999"}).status_code == 400
