"""A participant's own pages reached by the signed link (/training/p/<token>/): their sessions, cancelling, the .ics
and certificate downloads, expired and forged links, a fresh link by e-mail, and /training/me/ for a linked account."""

from __future__ import annotations

import datetime
import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from training import tokens
from training.models import Certificate, Enrolment
from training.services import enrolments as services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies["binplp_language"] = "en"
    return client


def path_of(trainee) -> str:
    url = services.participant_url(trainee)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def later(days: int):
    return mock.patch("django.core.signing.time.time", return_value=time.time() + days * 86400)


def test_the_link_opens_the_participants_page_for_anyone_holding_it(english, personas, make_session, make_trainee):
    trainee = make_trainee(first_name="Pia", last_name="Deelnemer")
    upcoming = services.enrolment_create(actor=personas.zone_officer, session=make_session(), trainee=trainee)
    past_session = make_session(days=-30, status="closed")
    past = Enrolment.objects.create(
        session=past_session, trainee=trainee, status="enrolled", source="zone", attendance="attended", result="passed"
    )
    certificate = Certificate.objects.create(
        enrolment=past,
        code="ABCD-1234",
        holder_name="Pia Deelnemer",
        course_title="BIN course",
        issued_on=timezone.localdate() - datetime.timedelta(days=29),
        valid_until=timezone.localdate() + datetime.timedelta(days=1000),
    )
    other = make_trainee(first_name="Someone", last_name="Else")
    services.enrolment_create(actor=personas.zone_officer, session=make_session(), trainee=other)
    for user in (None, personas.outsider):
        if user:
            english.force_login(user)
        response = english.get(path_of(trainee))
        html = response.content.decode()
        assert response.status_code == 200 and response["Referrer-Policy"] == "same-origin"
        assert "Pia Deelnemer" in html and "Someone Else" not in html
        assert f"/training/sessions/{upcoming.session.pk}/calendar.ics" in html
        assert f"/enrolments/{upcoming.pk}/cancel/" in html
        assert f"/evaluation/{past.pk}/" in html
        assert f"/certificates/{certificate.pk}/pdf/" in html and certificate.code in html
        english.logout()


def test_a_forged_link_is_not_found_and_an_expired_one_offers_a_fresh_link(english, personas, make_trainee):
    trainee = make_trainee()
    assert english.get("/training/p/forged/").status_code == 404
    token = tokens.participant_token(trainee)
    assert english.get(f"/training/p/{token[:-3]}abc/").status_code == 404
    with later(366):
        response = english.get(f"/training/p/{token}/")
    assert response.status_code == 410 and "This link has expired" in response.content.decode()


def test_an_expired_link_of_a_signed_in_linked_user_renews_itself(client, personas, make_trainee):
    trainee = make_trainee(user=personas.member)
    token = tokens.participant_token(trainee)
    client.force_login(personas.member)
    with later(366):
        response = client.get(f"/training/p/{token}/")
    assert response.status_code == 302 and response["Location"].startswith("/training/p/")
    assert client.get(response["Location"]).status_code == 200


def test_me_sends_a_linked_user_to_their_page(client, personas, make_trainee):
    trainee = make_trainee(user=personas.member)
    response = client.get("/training/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(personas.member)
    response = client.get("/training/me/")
    assert response.status_code == 302
    assert services.participant_from_token(response["Location"].split("/")[3]) == trainee
    client.force_login(personas.outsider)
    assert client.get("/training/me/").status_code == 404


def test_the_participant_cancels_an_upcoming_enrolment(
    english, personas, make_session, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    trainee = make_trainee(email="pia@police.test")
    enrolment = services.enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)
    waiting = services.enrolment_create(
        actor=personas.zone_officer, session=session, trainee=make_trainee(email="next@police.test")
    )
    path = path_of(trainee)
    other = make_trainee()
    assert english.post(f"{path_of(other)}enrolments/{enrolment.pk}/cancel/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(f"{path}enrolments/{enrolment.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == path
    assert Enrolment.objects.get(pk=enrolment.pk).status == "cancelled"
    assert Enrolment.objects.get(pk=waiting.pk).status == "enrolled"
    assert smtp_server.to("pia@police.test") and smtp_server.to("next@police.test")
    response = english.post(f"{path}enrolments/{enrolment.pk}/cancel/", follow=True)
    assert "already cancelled" in response.content.decode()


def test_the_certificate_pdf_is_downloaded_through_the_link(client, personas, make_session, make_trainee):
    trainee = make_trainee()
    past = Enrolment.objects.create(
        session=make_session(days=-30, status="closed"),
        trainee=trainee,
        status="enrolled",
        source="zone",
        attendance="attended",
        result="passed",
    )
    certificate = Certificate.objects.create(
        enrolment=past,
        code="ABCD-1234",
        holder_name=trainee.full_name,
        course_title="BIN course",
        issued_on=timezone.localdate() - datetime.timedelta(days=29),
    )
    with mock.patch("training.services.certificates.certificate_pdf", return_value=b"%PDF-1.7 test") as pdf:
        response = client.get(f"{path_of(trainee)}certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 test" and pdf.call_args.args[0] == certificate
    assert client.get(f"{path_of(make_trainee())}certificates/{certificate.pk}/pdf/").status_code == 404


def test_the_real_certificate_pdf(client, personas, make_session, make_trainee):
    trainee = make_trainee()
    past = Enrolment.objects.create(
        session=make_session(days=-30, status="closed"),
        trainee=trainee,
        status="enrolled",
        source="zone",
        attendance="attended",
        result="passed",
    )
    from training.services.certificates import certificate_code_new

    certificate = Certificate.objects.create(
        enrolment=past,
        code=certificate_code_new(),
        holder_name=trainee.full_name,
        course_title="BIN course",
        issued_on=timezone.localdate() - datetime.timedelta(days=29),
    )
    response = client.get(f"{path_of(trainee)}certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_fresh_link_goes_to_a_known_address_with_the_same_answer(
    english, personas, make_trainee, smtp_server, django_capture_on_commit_callbacks
):
    make_trainee(email="pia@police.test")
    answers = []
    for email in ("PIA@police.test", "nobody@police.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = english.post("/training/participant-link/", {"email": email})
        assert response.status_code == 200
        answers.append(re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0))
    assert answers[0] == answers[1]
    [message] = smtp_server.messages
    assert message["To"] == "pia@police.test" and "/training/p/" in smtp_server.body(message)
    response = english.post("/training/participant-link/", {"email": "nope"})
    assert response.status_code == 400


def test_fresh_links_are_rate_limited(english, personas, settings):
    settings.BINPLP_TRAINING_REQUEST_RATE_PER_HOUR = 1
    assert english.post("/training/participant-link/", {"email": "a@police.test"}).status_code == 200
    response = english.post("/training/participant-link/", {"email": "b@police.test"})
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
