"""Pages of part "enrol": a zone enrolling its staff (/training/sessions/<pk>/enrol/), the public request to enrol with
its confirmation link and rate limit, and approving, declining, cancelling and promoting — who may, what the pages
say, and what is stored."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.testing.matrix import ANONYMOUS_ALLOWED, assert_permission_matrix
from geography.models import Academy, PoliceZone
from training.choices import EnrolmentStatus
from training.models import Enrolment, Trainee
from training.services import enrolments as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate limits and "sent once" marks from other tests
    yield
    cache.clear()


@pytest.fixture
def english(client, personas):
    """A client reading English: the cookie for visitors, and every persona's account language."""
    from accounts.models import User

    User.objects.update(language="en")
    client.cookies["binplp_language"] = "en"
    return client


def antwerp():
    return PoliceZone.objects.current().get(code=5345)


def page(response) -> str:
    return response.content.decode()


def main(response) -> str:
    """The page's main content (the rest carries per-request nonces and tokens)."""
    return re.search(r"<main.*?</main>", page(response), re.S).group(0)


def other_academy():
    return Academy.objects.exclude(code="vesta").order_by("code").first()


# --- enrolling staff -------------------------------------------------------------------------------------------


def test_the_enrol_page_answers_zone_officers_and_the_academys_trainers(client, personas, make_session):
    session = make_session()
    assert_permission_matrix(
        client,
        f"/training/sessions/{session.pk}/enrol/",
        allowed=[personas.zone_officer, personas.other_zone_officer, personas.trainer],
        in_scope_wrong_role=[personas.coordinator, personas.outsider, personas.member, personas.advp_admin],
    )
    elsewhere = make_session(academy=other_academy())
    assert_permission_matrix(
        client,
        f"/training/sessions/{elsewhere.pk}/enrol/",
        allowed=[personas.zone_officer],
        in_scope_wrong_role=[personas.trainer],
    )
    draft = make_session(status="draft")
    assert_permission_matrix(
        client,
        f"/training/sessions/{draft.pk}/enrol/",
        allowed=[personas.trainer],
        hidden=[personas.zone_officer, personas.outsider],
    )


def test_the_enrol_form_lists_mandated_officers_first_then_other_trainees(
    english, personas, make_session, make_trainee, make_officer
):
    make_officer(personas.network_a, first_name="Olga", last_name="Officer", email="olga@police.test")
    make_officer(personas.network_b, first_name="Bruno", last_name="Elsewhere")
    make_trainee(first_name="Aaron", last_name="Agent")
    make_trainee(zone=PoliceZone.objects.current().get(code=5339), first_name="Brussels", last_name="Person")
    session = make_session()
    english.force_login(personas.zone_officer)
    html = page(english.get(f"/training/sessions/{session.pk}/enrol/"))
    assert html.index("Olga Officer") < html.index("Aaron Agent")
    assert "mandated officer of BIN Network A" in html
    assert "Bruno" not in html and "Brussels Person" not in html


def test_a_zone_enrols_an_officer_a_trainee_and_a_new_person(
    english, personas, make_session, make_trainee, make_officer, smtp_server, django_capture_on_commit_callbacks
):
    officer = make_officer(personas.network_a, first_name="Olga", last_name="Officer", email="olga@police.test")
    trainee = make_trainee(first_name="Aaron", last_name="Agent")
    session = make_session(capacity=2)
    english.force_login(personas.zone_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(
            f"/training/sessions/{session.pk}/enrol/",
            {
                "people": [f"partner-{officer.pk}", f"trainee-{trainee.pk}"],
                "first_name": "Nina",
                "last_name": "Nieuw",
                "email": "nina@police.test",
                "function": "inspecteur",
                "language": "fr",
            },
        )
    assert response.status_code == 200
    html = page(response)
    seated = re.search(r'data-result="seated">(.*?)</ul>', html, re.S).group(1)
    waiting = re.search(r'data-result="waiting">(.*?)</ul>', html, re.S).group(1)
    assert "Nina Nieuw" in seated and "Olga Officer" in seated and "Aaron Agent" in waiting
    new = Trainee.objects.get(email="nina@police.test")
    assert (new.zone.code, new.language, new.function) == (5345, "fr", "inspecteur")
    assert Trainee.objects.filter(email="olga@police.test", zone__code=5345).exists()
    assert dict(Enrolment.objects.values_list("trainee__email", "status")) == {
        "nina@police.test": "enrolled",
        "olga@police.test": "enrolled",
        trainee.email: "waiting",
    }
    assert len(smtp_server.messages) == 3


def test_an_officer_with_an_account_is_enrolled_under_their_account(english, personas, make_session, make_officer):
    officer = make_officer(personas.network_a, user=personas.zone_officer)
    session = make_session()
    english.force_login(personas.zone_officer)
    english.post(f"/training/sessions/{session.pk}/enrol/", {"people": [f"partner-{officer.pk}"], "language": "nl"})
    trainee = Trainee.objects.get()
    assert trainee.user == personas.zone_officer and trainee.email == personas.zone_officer.email


def test_enrolling_someone_twice_says_so_on_the_result_page(english, personas, make_session, make_trainee):
    trainee = make_trainee(first_name="Dubbel", last_name="Op")
    session = make_session()
    services.enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)
    english.force_login(personas.zone_officer)
    response = english.post(
        f"/training/sessions/{session.pk}/enrol/", {"people": [f"trainee-{trainee.pk}"], "language": "nl"}
    )
    refused = re.search(r'data-result="refused">(.*?)</ul>', page(response), re.S).group(1)
    assert "Dubbel Op is already enrolled in this session." in refused
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"language": "nl"}, "Choose at least one person of your staff, or fill in a new person."),
        ({"first_name": "Nina", "language": "nl"}, "Enter the last name."),
        ({"first_name": "N", "last_name": "N", "email": "bad", "language": "nl"}, "Enter a valid professional"),
    ],
)
def test_bad_enrol_forms_are_answered_with_the_reason(english, personas, make_session, data, message):
    session = make_session()
    english.force_login(personas.zone_officer)
    response = english.post(f"/training/sessions/{session.pk}/enrol/", data)
    assert response.status_code == 400 and message in page(response)
    assert not Enrolment.objects.exists() and not Trainee.objects.exists()


def test_a_new_person_of_another_zone_is_refused_and_nothing_is_saved(english, personas, make_session, make_trainee):
    make_trainee(zone=PoliceZone.objects.current().get(code=5339), email="brussels@police.test")
    session = make_session()
    english.force_login(personas.zone_officer)
    response = english.post(
        f"/training/sessions/{session.pk}/enrol/",
        {"first_name": "B", "last_name": "X", "email": "brussels@police.test", "language": "nl"},
    )
    assert response.status_code == 400 and "another police zone" in page(response)
    assert not Enrolment.objects.exists()


def test_a_trainee_of_another_zone_cannot_be_picked(english, personas, make_session, make_trainee):
    stranger = make_trainee(zone=PoliceZone.objects.current().get(code=5339))
    session = make_session()
    english.force_login(personas.zone_officer)
    response = english.post(
        f"/training/sessions/{session.pk}/enrol/", {"people": [f"trainee-{stranger.pk}"], "language": "nl"}
    )
    assert response.status_code == 400 and 'id="error-summary"' in page(response)
    assert not Enrolment.objects.exists()


def test_a_trainer_enrols_a_new_person_of_any_zone(english, personas, make_session):
    session = make_session()
    english.force_login(personas.trainer)
    html = page(english.get(f"/training/sessions/{session.pk}/enrol/"))
    assert "Police zone of the new person" in html
    zone = PoliceZone.objects.current().get(code=5339)
    english.post(
        f"/training/sessions/{session.pk}/enrol/",
        {"first_name": "Jean", "last_name": "Dupont", "email": "jean@police.test", "zone": zone.pk, "language": "fr"},
    )
    enrolment = Enrolment.objects.get()
    assert enrolment.source == "academy" and enrolment.trainee.zone == zone


def test_a_session_not_open_says_why(english, personas, make_session):
    session = make_session(days=-1)
    english.force_login(personas.zone_officer)
    response = english.get(f"/training/sessions/{session.pk}/enrol/")
    assert "already started" in page(response) and 'id="enrol-form"' not in page(response)
    response = english.post(f"/training/sessions/{session.pk}/enrol/", {"first_name": "X"})
    assert response.status_code == 400 and not Trainee.objects.exists()


# --- the public request ----------------------------------------------------------------------------------------


def request_data(**overrides) -> dict:
    data = {
        "first_name": "Nora",
        "last_name": "Nieuw",
        "email": "nora@police.test",
        "zone": antwerp().pk,
        "function": "",
        "language": "en",
        "website": "",
    }
    data.update(overrides)
    return data


def test_anyone_may_ask_to_enrol_in_a_published_session(client, personas, make_session):
    session = make_session()
    assert_permission_matrix(
        client,
        f"/training/sessions/{session.pk}/request/",
        anonymous=ANONYMOUS_ALLOWED,
        allowed=[personas.outsider, personas.zone_officer, personas.member],
    )
    draft = make_session(status="draft")
    assert client.get(f"/training/sessions/{draft.pk}/request/").status_code == 404
    closed = make_session(days=-1)
    response = client.get(f"/training/sessions/{closed.pk}/request/")
    assert response.status_code == 410


def test_the_same_answer_whether_or_not_the_address_is_known(
    english, personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session()
    known = make_trainee(email="known@police.test")
    services.enrolment_create(actor=personas.zone_officer, session=session, trainee=known)
    smtp_server.clear()
    answers = []
    for email in ("nora@police.test", "known@police.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = english.post(f"/training/sessions/{session.pk}/request/", request_data(email=email))
        assert response.status_code == 302 and response["Location"] == f"/training/sessions/{session.pk}/request/sent/"
        answers.append(main(english.get(response["Location"])))
    assert answers[0] == answers[1]
    assert Enrolment.objects.filter(session=session).count() == 2
    assert "Confirm your request" in smtp_server.to("nora@police.test")[0]["Subject"]
    assert "already enrolled" in smtp_server.body(smtp_server.to("known@police.test")[0])


def test_the_request_form_names_each_mistake(english, personas, make_session):
    session = make_session()
    response = english.post(
        f"/training/sessions/{session.pk}/request/", request_data(first_name="", email="x", zone="")
    )
    html = page(response)
    assert response.status_code == 400
    for message in ("Enter the first name.", "Enter a valid professional e-mail address", "Choose your police zone."):
        assert message in html
    assert not Trainee.objects.exists()


def test_requests_are_limited_per_client_address(english, personas, make_session, settings):
    settings.BINPLP_TRAINING_REQUEST_RATE_PER_HOUR = 2
    session = make_session()
    for n in range(2):
        assert (
            english.post(
                f"/training/sessions/{session.pk}/request/", request_data(email=f"r{n}@police.test")
            ).status_code
            == 302
        )
    response = english.post(f"/training/sessions/{session.pk}/request/", request_data(email="r3@police.test"))
    assert response.status_code == 429 and "Too many requests to enrol" in page(response)
    assert not Trainee.objects.filter(email="r3@police.test").exists()


def test_the_honeypot_answers_as_if_it_worked(english, personas, make_session):
    session = make_session()
    response = english.post(f"/training/sessions/{session.pk}/request/", request_data(website="http://spam"))
    assert response.status_code == 302 and not Trainee.objects.exists()


def test_confirming_a_request_through_the_page(
    english, personas, make_session, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        english.post(f"/training/sessions/{session.pk}/request/", request_data())
    body = smtp_server.body(smtp_server.to("nora@police.test")[0])
    path = re.search(r"https?://[^\s]+?(/training/requests/[^/\s]+/)", body).group(1)
    response = english.get(path)
    assert response.status_code == 200 and "Confirm my request" in page(response)
    assert Enrolment.objects.get().status == "unconfirmed"  # opening the link alone confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(path)
    assert response.status_code == 200 and "your request is confirmed" in page(response)
    assert Enrolment.objects.get().status == "requested"
    assert smtp_server.to(personas.zone_officer.email)
    response = english.post(path)
    assert response.status_code == 409 and "already confirmed" in page(response)


def test_forged_and_expired_confirmation_links(english, personas, make_session, smtp_server):
    assert english.get("/training/requests/forged-token/").status_code == 404
    assert english.post("/training/requests/forged-token/").status_code == 404
    from unittest import mock

    from training import tokens

    enrolment = Enrolment.objects.create(
        session=make_session(),
        trainee=Trainee.objects.create(zone=antwerp(), first_name="A", last_name="B", email="ab@police.test"),
        status="unconfirmed",
        source="self",
    )
    token = tokens.request_token(enrolment, zone_id=antwerp().pk)
    import time

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 49 * 3600):
        response = english.get(f"/training/requests/{token}/")
    assert response.status_code == 410 and "This confirmation link has expired" in page(response)


# --- approve, decline, cancel, promote -------------------------------------------------------------------------


@pytest.fixture
def requested(personas, make_session, make_trainee):
    def make(**fields):
        return Enrolment.objects.create(
            session=make_session(),
            trainee=make_trainee(**fields),
            status=EnrolmentStatus.REQUESTED,
            source="self",
            confirmed_at=timezone.now(),
        )

    return make


def test_approving_is_for_the_trainees_zone(client, personas, requested):
    enrolment = requested()
    assert_permission_matrix(
        client,
        f"/training/enrolments/{enrolment.pk}/approve/",
        method="post",
        hidden=[personas.other_zone_officer, personas.outsider, personas.coordinator],
        in_scope_wrong_role=[personas.trainer, personas.advp_admin],
        allowed=[personas.zone_officer],
        allowed_status=(302,),
    )
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    assert client.get(f"/training/enrolments/{enrolment.pk}/approve/").status_code in (302, 405)


def test_declining_asks_for_a_reason(
    english, client, personas, requested, smtp_server, django_capture_on_commit_callbacks
):
    enrolment = requested(email="declined@police.test", language="en")
    url = f"/training/enrolments/{enrolment.pk}/decline/"
    assert_permission_matrix(
        client,
        url,
        hidden=[personas.other_zone_officer, personas.outsider],
        in_scope_wrong_role=[personas.trainer],
        allowed=[personas.zone_officer],
    )
    english.force_login(personas.zone_officer)
    response = english.post(url, {"reason": ""})
    assert response.status_code == 400 and "Give a reason: the person is told it." in page(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url, {"reason": "Al gevolgd in 2024"})
    assert response.status_code == 302 and response["Location"] == "/training/zone/"
    assert Enrolment.objects.get(pk=enrolment.pk).status == "declined"
    assert "Al gevolgd in 2024" in smtp_server.body(smtp_server.to("declined@police.test")[0])


def test_cancelling_is_for_the_zone_and_the_academy(client, english, personas, make_session, make_trainee):
    session = make_session()
    enrolment = services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())
    url = f"/training/enrolments/{enrolment.pk}/cancel/"
    assert_permission_matrix(
        client,
        url,
        hidden=[personas.other_zone_officer, personas.outsider, personas.coordinator],
        allowed=[personas.zone_officer, personas.trainer],
    )
    english.force_login(personas.trainer)
    response = english.post(url, {"reason": "Dubbel", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == f"/training/sessions/{session.pk}/"
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled" and enrolment.reason == "Dubbel"
    response = english.post(url, {"reason": ""})
    assert response.status_code == 400 and "already cancelled" in page(response)


def test_promoting_is_for_the_academy(client, english, personas, make_session, make_trainee):
    session = make_session(capacity=1)
    services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())
    waiting = services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())
    url = f"/training/enrolments/{waiting.pk}/promote/"
    assert_permission_matrix(
        client,
        url,
        hidden=[personas.other_zone_officer, personas.outsider],
        in_scope_wrong_role=[personas.zone_officer],
        allowed=[personas.trainer],
    )
    english.force_login(personas.trainer)
    response = english.post(url, follow=True)
    assert "No seat is free in this session" in page(response)
    session.capacity = 2
    session.save(update_fields=["capacity"])
    response = english.post(url)
    assert response.status_code == 302 and Enrolment.objects.get(pk=waiting.pk).status == "enrolled"
