"""The evaluation form (/training/p/<token>/evaluation/<enrolment>/ and evaluation_submit): built from the version's
questions, open to participants who attended a closed session, once only; bad answers store nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from training.models import Enrolment, EvaluationQuestion, EvaluationResponse
from training.services import enrolments, evaluations

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["binplp_language"] = "en"
    return client


@pytest.fixture
def attended(make_session, make_trainee):
    def make(*, status="closed", attendance="attended"):
        return Enrolment.objects.create(
            session=make_session(days=-5, status=status),
            trainee=make_trainee(),
            status="enrolled",
            source="zone",
            attendance=attendance,
            result="passed" if attendance == "attended" else "",
        )

    return make


def questions(course_version):
    return {q.position: q for q in EvaluationQuestion.objects.filter(version=course_version)}


def url(enrolment) -> str:
    path = "/" + enrolments.participant_url(enrolment.trainee).split("://", 1)[1].split("/", 1)[1]
    return f"{path}evaluation/{enrolment.pk}/"


def test_answers_are_stored_once(attended, course_version):
    enrolment = attended()
    q = questions(course_version)
    response = evaluations.evaluation_submit(
        enrolment=enrolment, answers={q[1].pk: "5", str(q[2].pk): 4, q[3].pk: " Goed "}
    )
    assert response.answers == {str(q[1].pk): 5, str(q[2].pk): 4, str(q[3].pk): "Goed"}
    audit = AuditEvent.objects.get(object_id=str(response.pk), content_type__model="evaluationresponse")
    assert audit.changes == {"questions": 3} and audit.actor_label == "system"
    with pytest.raises(ValidationError, match="already filled in"):
        evaluations.evaluation_submit(enrolment=enrolment, answers={q[1].pk: 1, q[2].pk: 1})
    assert EvaluationResponse.objects.count() == 1


@pytest.mark.parametrize(
    "answers, field, message",
    [
        ({2: 3}, 1, "Answer this question."),
        ({1: 6, 2: 3}, 1, "Choose a score from 1 to 5."),
        ({1: "x", 2: 3}, 1, "Choose a score from 1 to 5."),
        ({1: 3, 2: 3, 3: "x" * 2001}, 3, "Keep the answer under 2000 characters."),
    ],
)
def test_bad_answers_store_nothing(attended, course_version, answers, field, message):
    q = questions(course_version)
    with pytest.raises(ValidationError) as error:
        evaluations.evaluation_submit(enrolment=attended(), answers={q[k].pk: v for k, v in answers.items()})
    assert error.value.message_dict[f"q{q[field].pk}"] == [message]
    assert not EvaluationResponse.objects.exists()


def test_only_attendees_of_closed_sessions_evaluate(attended, course_version):
    q = questions(course_version)
    answers = {q[1].pk: 3, q[2].pk: 3}
    with pytest.raises(ValidationError, match="once the session is closed"):
        evaluations.evaluation_submit(enrolment=attended(status="published"), answers=answers)
    with pytest.raises(ValidationError, match="who attended"):
        evaluations.evaluation_submit(enrolment=attended(attendance="absent"), answers=answers)
    with pytest.raises(ValidationError, match="do not belong"):
        evaluations.evaluation_submit(enrolment=attended(), answers={**answers, 999999: 3})
    assert not EvaluationResponse.objects.exists()


def test_the_form_page_shows_the_questions_and_saves(english, attended, course_version):
    enrolment = attended()
    q = questions(course_version)
    response = english.get(url(enrolment))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Useful?" in html and "Trainer?" in html and "Comments" in html
    assert html.count('type="radio"') == 10
    response = english.post(url(enrolment), {f"q{q[1].pk}": "4"})
    assert response.status_code == 400 and "Answer this question." in response.content.decode()
    assert not EvaluationResponse.objects.exists()
    response = english.post(url(enrolment), {f"q{q[1].pk}": "4", f"q{q[2].pk}": "5", f"q{q[3].pk}": ""})
    assert response.status_code == 302
    assert EvaluationResponse.objects.get().answers == {str(q[1].pk): 4, str(q[2].pk): 5}
    response = english.post(url(enrolment), {f"q{q[1].pk}": "1", f"q{q[2].pk}": "1"})
    assert response.status_code == 409 and "already filled in the evaluation" in response.content.decode()
    assert "Thank you for your evaluation" in english.get(url(enrolment).split("evaluation/")[0]).content.decode()


def test_the_form_is_reached_only_through_the_own_link(client, attended, make_trainee):
    enrolment = attended()
    other = make_trainee()
    path = "/" + enrolments.participant_url(other).split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"{path}evaluation/{enrolment.pk}/").status_code == 404
    assert client.get(f"/training/p/forged/evaluation/{enrolment.pk}/").status_code == 404
    assert client.get(url(enrolment)).status_code == 200
