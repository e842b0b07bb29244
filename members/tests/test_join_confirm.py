"""Confirming a join request by the e-mailed link /join/confirm/<token>/: the button (GET changes nothing), the
managers told without personal data, requests entered in person admitted at once, and every unusable link."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from core.models import AuditAction, AuditEvent
from core.roles import Role
from members.choices import JoinRequestStatus, JoinSource
from members.models import Consent, JoinRequest, Membership
from members.services import joining
from members.tests import factories
from members.tests.join_support import confirm_path, ensure_first_documents, html_of, join_data, text_of


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
def requested(english, personas, smtp_server, django_capture_on_commit_callbacks):
    """A visitor filled in network A's join form; returns (request, confirmation path)."""
    with django_capture_on_commit_callbacks(execute=True):
        english.post("/join/BIN-11002-1/", join_data(personas.network_a, email="nora@example.be"))
    [message] = smtp_server.to("nora@example.be")
    smtp_server.clear()
    return JoinRequest.objects.get(email="nora@example.be"), confirm_path(message)


@pytest.fixture
def post(english, django_capture_on_commit_callbacks):
    def _post(path):
        with django_capture_on_commit_callbacks(execute=True):
            return english.post(path)

    return _post


def test_opening_the_link_asks_for_a_click_and_changes_nothing(english, requested):
    request, path = requested
    response = english.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm your request" in page and "BIN Network A" in page
    assert '<form method="post">' in page
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.UNCONFIRMED and request.confirmed_at is None


def test_confirming_makes_the_request_pending_and_tells_the_managers(post, requested, personas, smtp_server):
    User.objects.filter(pk=personas.coordinator.pk).update(language="en")
    request, path = requested
    response = post(path)

    assert response.status_code == 200
    assert "Request confirmed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING and request.confirmed_at is not None
    row = AuditEvent.objects.filter(content_type__model="joinrequest", action=AuditAction.UPDATE).get()
    assert row.changes == {"status": ["unconfirmed", "pending"]} and row.object_id == str(request.pk)

    # The coordinator of network A and the mandated officer of its zone, nobody else.
    assert {str(message["To"]) for message in smtp_server.messages} == {
        personas.coordinator.email,
        personas.zone_officer.email,
    }
    message = smtp_server.to(personas.coordinator.email)[0]
    assert message["Subject"] == "A new join request for BIN Network A"
    assert "/members/networks/BIN-11002-1/requests/" in text_of(message)
    assert "/members/networks/BIN-11002-1/requests/" in html_of(message)
    for personal in ("Nora", "Nieuwlid", "nora@example.be", "Meir", "470"):
        assert personal not in text_of(message) and personal not in html_of(message)


def test_a_manager_is_written_in_their_own_language(post, requested, personas, smtp_server):
    from accounts.models import User

    User.objects.filter(pk=personas.zone_officer.pk).update(language="fr")
    post(requested[1])
    assert smtp_server.to(personas.zone_officer.email)[0]["Content-Language"] == "fr"
    assert smtp_server.to(personas.coordinator.email)[0]["Content-Language"] == "nl"


def test_a_reused_link_says_it_was_confirmed_already(english, post, requested, smtp_server):
    request, path = requested
    post(path)
    smtp_server.clear()
    for response in (english.get(path), post(path)):
        assert response.status_code == 409
        assert "You have already confirmed this request" in response.content.decode()
    assert smtp_server.messages == []
    assert AuditEvent.objects.filter(content_type__model="joinrequest", action=AuditAction.UPDATE).count() == 1


class _Clock:
    """`time` for django.core.signing only, moved forward."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def time(self) -> float:
        return time.time() + self.seconds


def test_a_link_works_until_it_expires(english, post, requested, monkeypatch, settings):
    request, path = requested
    hours = settings.BINPLP_JOIN_CONFIRMATION_HOURS
    monkeypatch.setattr(signing, "time", _Clock(hours * 3600 + 5))
    for response in (english.get(path), post(path)):
        assert response.status_code == 410
        assert "This confirmation link has expired" in response.content.decode()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.UNCONFIRMED

    monkeypatch.setattr(signing, "time", _Clock(hours * 3600 - 60))
    assert post(path).status_code == 200
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING


@pytest.mark.parametrize(
    "forge",
    [
        lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:],  # one character changed
        lambda path: "/join/confirm/" + signing.dumps({"r": 1, "b": "x"}, salt="another.salt") + "/",
        lambda path: "/join/confirm/not-a-token/",
    ],
)
def test_a_forged_link_is_refused(english, post, requested, forge, smtp_server):
    request, path = requested
    forged = forge(path)
    for response in (english.get(forged), post(forged)):
        assert response.status_code == 400
        assert "This confirmation link is not valid" in response.content.decode()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.UNCONFIRMED
    assert smtp_server.messages == []


def test_a_signed_link_for_another_request_with_the_same_id_is_refused(english, requested):
    request, _path = requested
    token = signing.dumps({"r": request.pk, "b": "0" * 20}, salt=joining.CONFIRMATION_SALT)
    response = english.post(f"/join/confirm/{token}/")
    assert response.status_code == 410
    assert "This request no longer exists" in response.content.decode()


def test_a_decided_or_purged_request_cannot_be_confirmed(english, post, requested):
    request, path = requested
    JoinRequest.objects.filter(pk=request.pk).update(
        status=JoinRequestStatus.DECLINED, decline_reason="Not in the area", decided_at=timezone.now()
    )
    response = post(path)
    assert response.status_code == 410
    assert "This request has already been dealt with" in response.content.decode()
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.DECLINED

    JoinRequest.objects.filter(pk=request.pk).delete()
    response = post(path)
    assert response.status_code == 410
    assert "This request no longer exists" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_the_whole_flow_reads_the_link_from_the_real_email(
    english, personas, smtp_server, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        english.post("/join/BIN-11002-1/", join_data(personas.network_a, email="flow@example.be", language="nl"))
    [message] = smtp_server.to("flow@example.be")
    assert message["Content-Language"] == "nl"
    path = confirm_path(message)
    assert english.get(path).status_code == 200
    assert post(path).status_code == 200
    assert JoinRequest.objects.get(email="flow@example.be").status == JoinRequestStatus.PENDING


# --- Requests entered in person by a coordinator or officer ------------------------------------------------


@pytest.fixture
def in_person(personas, smtp_server, django_capture_on_commit_callbacks):
    """What the member management area does: an unconfirmed in-person request, then our confirmation e-mail."""
    request = factories.join_request(
        personas.network_a,
        status=JoinRequestStatus.UNCONFIRMED,
        source=JoinSource.IN_PERSON,
        added_by=personas.coordinator,
        email="met.in.person@example.be",
        language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        joining.join_request_send_confirmation(join_request=request)
    [message] = smtp_server.to("met.in.person@example.be")
    smtp_server.clear()
    return request, message


def test_an_in_person_request_gets_its_own_confirmation_email(in_person):
    request, message = in_person
    assert "The coordinator or the police entered your request" in text_of(message)
    request.refresh_from_db()
    assert request.confirmation_sent_at is not None


def test_confirming_an_in_person_request_admits_the_person_and_welcomes_them(english, post, in_person, smtp_server):
    request, message = in_person
    path = confirm_path(message)
    page = english.get(path).content.decode()
    assert "By confirming, you accept" in page and "/join/documents/privacy/" in page

    response = post(path)

    assert response.status_code == 200
    assert "Welcome to BIN Network A" in response.content.decode()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED and request.decided_by is None
    assert request.confirmed_at is not None and request.decision_sent_at is not None
    membership = Membership.objects.get(member__user__email="met.in.person@example.be")
    assert membership.network == request.network and membership.status == "active"
    assert request.membership == membership
    user = membership.member.user
    assert user.role_assignments.filter(role=Role.MEMBER).exists()
    assert Consent.objects.filter(member=membership.member).count() == 2
    [welcome] = smtp_server.to("met.in.person@example.be")
    assert welcome["Subject"] == "Welcome to BIN Network A"
    assert "/me/" in text_of(welcome)
    assert len(smtp_server.messages) == 1  # nobody else is told: there is nothing left to decide

    # The welcome leaves once, however often its task runs.
    assert joining.join_request_send_welcome(join_request_id=request.pk) is False


def test_the_confirmation_email_leaves_once_per_request_for_it(in_person, smtp_server):
    request, _message = in_person
    requested_before = request.created_at
    assert (
        joining.join_request_send_confirmation_email(join_request_id=request.pk, requested_at=requested_before) is False
    )
    assert smtp_server.messages == []
