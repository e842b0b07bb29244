"""The public join form /join/<code>/: validation, what is stored, the e-mail sent, duplicates, current members,
spam protection (honeypot, rate limit) and no user enumeration."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from members.choices import DocumentKind, JoinRequestStatus, JoinSource
from members.models import JoinRequest, PolicyDocument
from members.services import joining
from members.tests import factories
from members.tests.join_support import PASSWORD_FREE_EMAIL, confirm_path, ensure_first_documents, html_of, join_data
from members.validation import mobile_normalise
from networks.models import Network

URL = "/join/BIN-11002-1/"
SENT = "/join/BIN-11002-1/sent/"


@pytest.fixture(autouse=True)
def _documents_and_fresh_cache(db):
    ensure_first_documents()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies["binplp_language"] = "en"
    return client


@pytest.fixture
def submit(english, personas, django_capture_on_commit_callbacks):
    """POST the join form of network A (e-mail tasks run as after a real commit)."""

    def _submit(network=None, **overrides):
        network = network or personas.network_a
        with django_capture_on_commit_callbacks(execute=True):
            return english.post(f"/join/{network.code}/", join_data(network, **overrides))

    return _submit


def _join_audit_rows():
    return AuditEvent.objects.filter(content_type__model="joinrequest")


def test_it_shows_the_form_with_the_versions_in_force(english, personas):
    response = english.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Join BIN Network A" in page
    assert 'href="/join/documents/rules/2026-1/"' in page
    assert 'href="/join/documents/privacy/2026-1/"' in page
    rules = PolicyDocument.objects.get(kind=DocumentKind.INTERNAL_RULES, network=None, version="2026-1")
    privacy = PolicyDocument.objects.get(kind=DocumentKind.PRIVACY_NOTICE, version="2026-1")
    assert f'name="rules_document" value="{rules.pk}"' in page
    assert f'name="privacy_document" value="{privacy.pk}"' in page
    assert '<option value="en" selected>' in page  # the reader's language is the default
    assert "<legend>" in page and 'autocomplete="postal-code"' in page


def test_it_answers_404_for_networks_that_are_not_active_or_unknown(english, personas):
    Network.objects.filter(pk=personas.network_a.pk).update(status="dormant")
    data = join_data(personas.network_a)
    assert english.get(URL).status_code == 404
    assert english.post(URL, data).status_code == 404
    assert english.get("/join/BIN-99999-9/").status_code == 404
    assert english.get(SENT).status_code == 404
    assert not JoinRequest.objects.exists()


def test_a_new_request_is_stored_audited_and_the_confirmation_emailed(submit, personas, smtp_server):
    response = submit(email="Nora.Nieuwlid@Example.BE")

    assert response.status_code == 302 and response["Location"] == SENT
    request = JoinRequest.objects.get()
    assert request.network == personas.network_a
    assert request.status == JoinRequestStatus.UNCONFIRMED and request.source == JoinSource.PUBLIC
    assert request.email == "nora.nieuwlid@example.be"
    assert request.mobile == "+32470123456"  # E.164
    assert (request.street, request.house_number, request.postal_code) == ("Meir", "25", "2000")
    assert request.in_area is True and request.works_in_area is False
    assert (request.by_email, request.by_sms, request.language) == (True, False, "en")
    assert request.rules.version == "2026-1" and request.rules.network is None
    assert request.privacy_notice.version == "2026-1"
    assert request.confirmation_sent_at is not None and request.confirmed_at is None

    [row] = _join_audit_rows()
    assert row.action == AuditAction.CREATE and row.actor is None
    assert row.changes == {"status": [None, "unconfirmed"], "source": [None, "public"]}
    assert "nora" not in json.dumps(row.changes).lower() and "Nora" not in row.object_repr

    [message] = smtp_server.to("nora.nieuwlid@example.be")
    assert message["Subject"] == "Confirm your request to join BIN Network A"
    assert message["Content-Language"] == "en"
    path = confirm_path(message)
    assert path in html_of(message) and 'lang="en"' in html_of(message)
    assert "nora.nieuwlid" not in path.lower()  # links never carry the address


def test_the_email_is_written_in_the_chosen_language(submit, smtp_server):
    submit(language="fr")
    [message] = smtp_server.messages
    assert message["Content-Language"] == "fr"
    assert 'lang="fr"' in html_of(message)


def test_the_sent_page_says_to_check_the_email(english, submit):
    page = english.get(SENT)
    assert page.status_code == 200
    assert "Check your e-mail" in page.content.decode()


def test_in_area_comes_from_the_finder(submit, personas):
    submit(email="out@example.be", street="Kerkstraat", house_number="3")
    submit(email="typo@example.be", street="meirr", house_number="7")
    submit(email="other@example.be", street="Mechelsesteenweg", postal_code="2018", house_number="12b")
    in_area = dict(JoinRequest.objects.values_list("email", "in_area"))
    assert in_area == {"out@example.be": False, "typo@example.be": True, "other@example.be": True}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postal_code": "20000"}, "postal_code", "Enter a Belgian postal code: four digits"),
        ({"postal_code": "20A0"}, "postal_code", "Enter a Belgian postal code: four digits"),
        ({"postal_code": "9999"}, "postal_code", "9999 is not a Belgian postal code."),
        ({"mobile": "12345"}, "mobile", "Enter a valid mobile number"),
        ({"mobile": "03 201 23 45"}, "mobile", "This is a fixed-line number: enter a mobile number"),
        ({"accept_privacy": None}, "accept_privacy", "Accept the privacy notice to join."),
        ({"accept_rules": None}, "accept_rules", "Accept the internal rules of the network to join it."),
        ({"adult_confirmed": None}, "adult_confirmed", "Members must be 18 or older"),
        (
            {"by_email": None, "by_sms": "on", "mobile": ""},
            "mobile",
            "Enter a mobile number to receive messages by SMS.",
        ),
        ({"by_email": None}, "by_email", "Choose at least one way to receive messages"),
        ({"first_name": ""}, "first_name", "Enter your first name."),
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address"),
        ({"house_number": ""}, "house_number", "Enter your house number."),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_stored(submit, smtp_server, overrides, field, message):
    response = submit(**overrides)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert 'aria-invalid="true"' in page
    assert not JoinRequest.objects.exists()
    assert not _join_audit_rows().exists()
    assert smtp_server.messages == []


def test_a_foreign_mobile_number_is_accepted_in_e164(submit):
    submit(mobile="+31 6 12345678", by_sms="on")
    assert JoinRequest.objects.get().mobile == "+31612345678"


def test_the_honeypot_answers_like_success_but_stores_nothing(submit, smtp_server):
    response = submit(website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == SENT
    assert not JoinRequest.objects.exists()
    assert smtp_server.messages == []


def test_too_many_submissions_from_one_address_get_429(submit, settings, smtp_server):
    settings.BINPLP_JOIN_RATE_PER_HOUR = 2
    assert submit(email="one@example.be").status_code == 302
    assert submit(email="two@example.be").status_code == 302
    response = submit(email="three@example.be")

    assert response.status_code == 429
    assert "Too many join requests" in response.content.decode()
    assert set(JoinRequest.objects.values_list("email", flat=True)) == {"one@example.be", "two@example.be"}
    assert len(smtp_server.messages) == 2


def test_a_duplicate_request_makes_no_new_row_and_resends_at_most_every_ten_minutes(submit, smtp_server):
    submit()
    first = JoinRequest.objects.get()
    assert submit(email=PASSWORD_FREE_EMAIL.upper()).status_code == 302  # at once: nothing new
    assert JoinRequest.objects.count() == 1
    assert len(smtp_server.messages) == 1

    JoinRequest.objects.filter(pk=first.pk).update(confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=11))
    assert submit(first_name="Other").status_code == 302
    assert JoinRequest.objects.count() == 1
    assert len(smtp_server.messages) == 2  # the confirmation again
    first.refresh_from_db()
    assert first.first_name == "Nora"  # a repeated form never overwrites the request

    JoinRequest.objects.filter(pk=first.pk).update(
        status=JoinRequestStatus.PENDING, confirmation_sent_at=timezone.now() - datetime.timedelta(days=1)
    )
    submit()
    assert JoinRequest.objects.count() == 1
    assert len(smtp_server.messages) == 2  # confirmed already: nothing is sent


def test_a_current_member_is_told_by_email_and_no_request_is_made(submit, personas, smtp_server):
    response = submit(email="Member@test.binplp.be")
    assert response.status_code == 302 and response["Location"] == SENT
    assert not JoinRequest.objects.exists()
    [message] = smtp_server.to("member@test.binplp.be")
    assert message["Subject"] == "You are already a member of BIN Network A"
    assert "/me/" in message.get_body(preferencelist=("plain",)).get_content()

    submit(email="member@test.binplp.be")  # within ten minutes: no second e-mail
    assert len(smtp_server.messages) == 1


def test_a_former_member_may_ask_again(submit, personas):
    from members.models import Membership

    Membership.objects.filter(member__user=personas.member).update(status="left", ended_on=timezone.localdate())
    submit(email="member@test.binplp.be")
    assert JoinRequest.objects.filter(email="member@test.binplp.be").exists()


def _body_without_tokens(response) -> str:
    """The page without what changes on every response anyway (CSP nonces, masked CSRF tokens)."""
    body = response.content.decode()
    body = re.sub(r'nonce="[^"]+"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_the_answer_does_not_tell_whether_an_address_is_known(submit, english, smtp_server):
    known = submit(email="member@test.binplp.be")
    unknown = submit(email="nobody.known@example.be")
    honeypot = submit(email="bot@example.be", website="x")
    assert known.status_code == unknown.status_code == honeypot.status_code == 302
    assert known["Location"] == unknown["Location"] == honeypot["Location"]
    assert known.content == unknown.content == honeypot.content
    pages = [_body_without_tokens(english.get(response["Location"])) for response in (known, unknown, honeypot)]
    assert pages[0] == pages[1] == pages[2]


def test_a_version_published_while_the_form_was_open_must_be_accepted_first(submit, personas, english):
    data = join_data(personas.network_a)
    factories.document(DocumentKind.INTERNAL_RULES, network=personas.network_a, version="own-1")
    PolicyDocument.objects.filter(version="own-1").update(published_on=timezone.localdate())

    response = english.post(URL, data)
    assert response.status_code == 400
    assert "The internal rules have just changed" in response.content.decode()
    assert not JoinRequest.objects.exists()

    # The form now shows (and records) the network's own rules.
    page = english.get(URL).content.decode()
    assert 'href="/join/BIN-11002-1/rules/own-1/"' in page
    submit()
    assert JoinRequest.objects.get().rules.version == "own-1"


def test_the_service_reports_each_outcome(personas):
    network = personas.network_a
    values = {
        key: value
        for key, value in join_data(network).items()
        if key not in ("accept_rules", "accept_privacy", "rules_document", "privacy_document", "website")
    }
    values.update(by_email=True, by_sms=False, works_in_area=False, adult_confirmed=True)
    documents = {
        "rules": PolicyDocument.objects.get(kind="internal_rules", network=None, version="2026-1"),
        "privacy_notice": PolicyDocument.objects.get(kind="privacy_notice", version="2026-1"),
        "rules_accepted": True,
        "privacy_accepted": True,
    }
    outcome = joining.join_request_submit(network=network, **values, **documents)
    assert outcome == joining.JoinOutcome.CREATED
    assert joining.join_request_submit(network=network, **values, **documents) == joining.JoinOutcome.UNCHANGED
    values["email"] = "member@test.binplp.be"
    assert joining.join_request_submit(network=network, **values, **documents) == joining.JoinOutcome.ALREADY_MEMBER


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0470 12 34 56", "+32470123456"), ("+32 470/12.34.56", "+32470123456"), ("0032470123456", "+32470123456")],
)
def test_mobile_numbers_are_stored_in_e164(typed, stored):
    assert mobile_normalise(typed) == stored


def test_without_documents_in_force_joining_waits(english, personas):
    PolicyDocument.objects.all().delete()
    response = english.get(URL)
    assert response.status_code == 503
    assert "Joining is not possible right now" in response.content.decode()
    assert english.post(URL, {"first_name": "X"}).status_code == 503
    assert not JoinRequest.objects.exists()


def test_join_without_a_network_leads_to_the_finder(client):
    response = client.get("/join/")
    assert response.status_code == 302 and response["Location"] == "/find/"
