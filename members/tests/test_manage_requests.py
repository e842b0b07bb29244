"""Join requests seen by the network's managers: the list, approving, declining (the applicant told in their
language, read from the real SMTP server), double decisions, cancelling, and adding a person met in person."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from members.choices import DocumentKind, JoinRequestStatus, JoinSource, MembershipStatus
from members.models import JoinRequest, Membership
from members.services.documents import document_current
from members.services.joining import join_request_confirm
from members.services.management import (
    join_request_add_in_person,
    join_request_approve,
    join_request_cancel,
    join_request_decline,
)

from . import factories
from .manage_helpers import MANAGERS, NOT_MANAGERS, people, requests_url, sign_in, speak_english, view_events

pytestmark = pytest.mark.django_db


def _action(network, request, name: str) -> str:
    return reverse(f"members_manage:request_{name}", args=[network.code, request.pk])


def _updates(request) -> list[dict]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, content_type__model="joinrequest", object_id=str(request.pk)
        ).values_list("changes", flat=True)
    )


# --- the list ----------------------------------------------------------------------------------------------------


def test_the_requests_page_shows_pending_with_the_area_flag_and_unconfirmed_apart(client, personas):
    speak_english(personas)
    inside = factories.join_request(personas.network_a, last_name="Binnen", in_area=True)
    outside = factories.join_request(
        personas.network_a, last_name="Buiten", in_area=False, street="Kerkstraat", house_number="7"
    )
    waiting = factories.join_request(personas.network_a, last_name="Wachtend", status=JoinRequestStatus.UNCONFIRMED)
    factories.join_request(
        personas.network_a, last_name="Beslist", status=JoinRequestStatus.DECLINED, decline_reason="x"
    )
    factories.join_request(personas.network_b, last_name="Brussel")
    sign_in(client, personas.coordinator)
    response = client.get(requests_url(personas.network_a))
    assert response.context["pending"] == [inside, outside] and response.context["unconfirmed"] == [waiting]
    content = response.content.decode()
    assert "yes, in the area" in content and "no: outside the area" in content and "Kerkstraat 7, 2000" in content
    assert "Beslist" not in content and "Brussel" not in content
    assert _action(personas.network_a, waiting, "cancel") in content
    assert _action(personas.network_a, waiting, "approve") not in content
    [event] = view_events("join requests")
    assert event.changes["join_requests"] == sorted([inside.pk, outside.pk, waiting.pk])


def test_deciding_answers_the_managers_only(client, personas, django_capture_on_commit_callbacks):
    request = factories.join_request(personas.network_a)
    for name in ("approve", "cancel"):
        with django_capture_on_commit_callbacks(execute=True):
            assert_permission_matrix(
                client,
                _action(personas.network_a, request, name),
                method="post",
                allowed=people(personas, MANAGERS),
                hidden=people(personas, NOT_MANAGERS),
                allowed_status=(302,),
            )
    assert_permission_matrix(
        client,
        _action(personas.network_a, request, "decline"),
        allowed=[],
        hidden=people(personas, NOT_MANAGERS),
    )


def test_a_request_of_another_network_is_hidden_through_this_networks_url(client, personas):
    other = factories.join_request(personas.network_b)
    sign_in(client, personas.coordinator)
    assert client.post(_action(personas.network_a, other, "approve")).status_code == 404
    sign_in(client, personas.other_zone_officer)
    assert client.post(_action(personas.network_a, other, "approve")).status_code == 404
    other.refresh_from_db()
    assert other.status == JoinRequestStatus.PENDING


# --- approving ---------------------------------------------------------------------------------------------------


def test_approving_admits_the_person_and_tells_them_in_their_language(
    client, personas, smtp_server, django_capture_on_commit_callbacks
):
    speak_english(personas)
    request = factories.join_request(personas.network_a, first_name="Élise", email="Elise@Example.be", language="fr")
    sign_in(client, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_action(personas.network_a, request, "approve"))
    assert response.status_code == 302 and response["Location"] == requests_url(personas.network_a)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED and request.decided_by == personas.coordinator
    assert request.decision_sent_at is not None
    membership = Membership.objects.get(member__user__email="elise@example.be", network=personas.network_a)
    assert membership.status == MembershipStatus.ACTIVE and request.membership == membership
    assert membership.approved_by == personas.coordinator
    assert {"status": ["pending", "approved"]} in _updates(request)
    [message] = smtp_server.to("elise@example.be")
    assert message["Content-Language"] == "fr"
    text = smtp_server.body(message)
    assert "Élise" in text and personas.network_a.name in text
    assert settings.SITE_URL + "/me/sign-in/" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'lang="fr"' in html and "/me/sign-in/" in html
    assert "is now a member" in client.get(response["Location"]).content.decode()


def test_approving_twice_changes_nothing_the_second_time(
    client, personas, smtp_server, django_capture_on_commit_callbacks
):
    speak_english(personas)
    request = factories.join_request(personas.network_a)
    sign_in(client, personas.coordinator)
    url = _action(personas.network_a, request, "approve")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    decided = JoinRequest.objects.get(pk=request.pk)
    sign_in(client, personas.zone_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "already handled" in response.content.decode()
    again = JoinRequest.objects.get(pk=request.pk)
    assert (again.decided_by, again.decided_at) == (decided.decided_by, decided.decided_at)
    assert Membership.objects.filter(network=personas.network_a, member__user__email=request.email).count() == 1
    assert len(smtp_server.to(request.email)) == 1


def test_a_stale_request_object_cannot_be_decided_again(personas, django_capture_on_commit_callbacks):
    request = factories.join_request(personas.network_a)
    stale = JoinRequest.objects.get(pk=request.pk)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_approve(actor=personas.coordinator, join_request=request)
    assert stale.status == JoinRequestStatus.PENDING
    for call in (
        lambda: join_request_approve(actor=personas.zone_officer, join_request=stale),
        lambda: join_request_decline(actor=personas.zone_officer, join_request=stale, reason="Too late"),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.code == "already_decided"
    stale.refresh_from_db()
    assert stale.status == JoinRequestStatus.APPROVED and stale.decline_reason == ""


def test_an_unconfirmed_request_cannot_be_approved(personas):
    request = factories.join_request(personas.network_a, status=JoinRequestStatus.UNCONFIRMED)
    with pytest.raises(ValidationError):
        join_request_approve(actor=personas.coordinator, join_request=request)
    assert not Membership.objects.filter(member__user__email=request.email).exists()


def test_only_the_networks_managers_decide(personas):
    request = factories.join_request(personas.network_a)
    for actor in (personas.advp_admin, personas.other_zone_officer, personas.municipality_official, None):
        with pytest.raises(PermissionDenied):
            join_request_approve(actor=actor, join_request=request)
        with pytest.raises(PermissionDenied):
            join_request_decline(actor=actor, join_request=request, reason="No")
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING


# --- declining ---------------------------------------------------------------------------------------------------


def test_declining_needs_a_reason_which_the_person_receives(
    client, personas, smtp_server, django_capture_on_commit_callbacks
):
    speak_english(personas)
    request = factories.join_request(personas.network_a, email="kurt@example.be", first_name="Kurt", language="de")
    url = _action(personas.network_a, request, "decline")
    sign_in(client, personas.zone_officer)
    page = client.get(url)
    assert page.status_code == 200 and request.full_name in page.content.decode()
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Die Adresse liegt außerhalb des Gebiets."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.DECLINED and request.decided_by == personas.zone_officer
    assert request.decline_reason == "Die Adresse liegt außerhalb des Gebiets." and request.decision_sent_at
    assert not Membership.objects.filter(member__user__email="kurt@example.be").exists()
    [changes] = _updates(request)
    assert changes == {"status": ["pending", "declined"], "fields": ["decline_reason"]}
    [message] = smtp_server.to("kurt@example.be")
    assert message["Content-Language"] == "de"
    assert "Die Adresse liegt außerhalb des Gebiets." in smtp_server.body(message)
    assert "Kurt" in smtp_server.body(message)
    assert client.get(url).status_code == 302  # decided: back to the list


def test_the_decision_email_is_sent_once(personas, smtp_server, django_capture_on_commit_callbacks):
    from members.services.management import join_request_send_decision

    request = factories.join_request(personas.network_a)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_decline(actor=personas.coordinator, join_request=request, reason="Outside the area")
    assert join_request_send_decision(join_request_id=request.pk) is False
    assert len(smtp_server.to(request.email)) == 1


# --- cancelling an unconfirmed request ---------------------------------------------------------------------------


def test_cancelling_an_unconfirmed_request_withdraws_it_without_email(
    client, personas, smtp_server, django_capture_on_commit_callbacks
):
    request = factories.join_request(personas.network_a, status=JoinRequestStatus.UNCONFIRMED)
    sign_in(client, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_action(personas.network_a, request, "cancel")).status_code == 302
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.WITHDRAWN and request.decided_by == personas.coordinator
    assert _updates(request) == [{"status": ["unconfirmed", "withdrawn"]}]
    assert smtp_server.messages == []
    pending = factories.join_request(personas.network_a)
    with pytest.raises(ValidationError):
        join_request_cancel(actor=personas.coordinator, join_request=pending)


# --- adding a person met in person -------------------------------------------------------------------------------


def _person(**changes) -> dict:
    data = {
        "first_name": "Ria",
        "last_name": "Verbeke",
        "email": "Ria.Verbeke@Example.be",
        "mobile": "0470 12 34 99",
        "street": "Groenplaats",
        "house_number": "5",
        "box": "",
        "postal_code": "2000",
        "language": "nl",
        "by_email": "on",
        "by_sms": "on",
        "adult_confirmed": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_adding_a_person_stores_an_unconfirmed_request_and_sends_the_confirmation(
    client, personas, smtp_server, django_capture_on_commit_callbacks
):
    speak_english(personas)
    sign_in(client, personas.coordinator)
    url = reverse("members_manage:member_add", args=[personas.network_a.code])
    page = client.get(url).content.decode()
    assert "<fieldset>" in page and "<legend>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _person())
    assert response.status_code == 302 and response["Location"] == requests_url(personas.network_a)
    request = JoinRequest.objects.get(email="ria.verbeke@example.be")
    assert (request.status, request.source, request.added_by) == (
        JoinRequestStatus.UNCONFIRMED,
        JoinSource.IN_PERSON,
        personas.coordinator,
    )
    assert request.mobile == "+32470123499" and request.in_area is True and request.adult_confirmed
    assert request.privacy_notice == document_current(kind=DocumentKind.PRIVACY_NOTICE)
    assert request.rules == document_current(kind=DocumentKind.INTERNAL_RULES, network=personas.network_a)
    event = AuditEvent.objects.get(action=AuditAction.CREATE, content_type__model="joinrequest")
    assert event.changes["source"] == "in_person" and "Verbeke" not in str(event.changes)
    [message] = smtp_server.to("ria.verbeke@example.be")
    link = re.search(r"https?://\S+/join/confirm/(\S+?)/", smtp_server.body(message))
    assert link is not None

    join_request_confirm(token=link.group(1))
    membership = Membership.objects.get(member__user__email="ria.verbeke@example.be")
    assert membership.network == personas.network_a and membership.status == MembershipStatus.ACTIVE


def test_an_address_outside_the_area_is_flagged(personas, django_capture_on_commit_callbacks):
    data = {
        "first_name": "Piet",
        "last_name": "Buiten",
        "email": "piet@example.be",
        "mobile": "",
        "street": "Kerkstraat",
        "house_number": "1",
        "box": "",
        "postal_code": "2000",
        "language": "nl",
        "by_email": True,
        "by_sms": False,
        "works_in_area": True,
        "adult_confirmed": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        request = join_request_add_in_person(actor=personas.zone_officer, network=personas.network_a, data=data)
    assert request.in_area is False and request.works_in_area is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "member@test.binplp.be"}, "email", "is already a member of this network"),
        ({"mobile": "03 224 11 11"}, "mobile", "fixed-line number"),
        ({"mobile": "12"}, "mobile", "valid mobile number"),
        ({"adult_confirmed": None}, "adult_confirmed", "18 or older"),
        ({"by_email": None, "by_sms": None}, "by_email", "at least one way"),
        ({"postal_code": "20"}, "postal_code", "four digits"),
        ({"mobile": "", "by_sms": "on"}, "mobile", "need a mobile number"),
    ],
)
def test_bad_or_duplicate_input_is_refused_with_nothing_stored(client, personas, smtp_server, changes, field, message):
    speak_english(personas)
    sign_in(client, personas.coordinator)
    before = JoinRequest.objects.count()
    response = client.post(reverse("members_manage:member_add", args=[personas.network_a.code]), _person(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert JoinRequest.objects.count() == before and smtp_server.messages == []


def test_an_open_request_for_the_same_address_is_refused(client, personas):
    speak_english(personas)
    factories.join_request(personas.network_a, email="ria.verbeke@example.be", status=JoinRequestStatus.UNCONFIRMED)
    sign_in(client, personas.zone_officer)
    response = client.post(reverse("members_manage:member_add", args=[personas.network_a.code]), _person())
    assert response.status_code == 400
    assert "already an open request" in " ".join(response.context["form"].errors["email"])
    assert JoinRequest.objects.filter(email__iexact="ria.verbeke@example.be").count() == 1


def test_the_same_person_may_be_added_to_another_network(personas, django_capture_on_commit_callbacks):
    factories.join_request(personas.network_b, email="ria.verbeke@example.be", status=JoinRequestStatus.UNCONFIRMED)
    data = {
        "first_name": "Ria",
        "last_name": "Verbeke",
        "email": "ria.verbeke@example.be",
        "street": "Meir",
        "house_number": "3",
        "postal_code": "2000",
        "language": "fr",
        "by_email": True,
        "adult_confirmed": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        request = join_request_add_in_person(actor=personas.coordinator, network=personas.network_a, data=data)
    assert request.network == personas.network_a and request.language == "fr"


def test_only_managers_add_people(personas):
    data = {"first_name": "X", "last_name": "Y", "email": "x@example.be", "adult_confirmed": True}
    for actor in (personas.advp_admin, personas.other_zone_officer, personas.member):
        with pytest.raises(PermissionDenied):
            join_request_add_in_person(actor=actor, network=personas.network_a, data=data)
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_at_once_admit_the_person_once(personas):
    """Two requests in flight at the same moment: the row lock lets one decide; the other finds it decided."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    request = factories.join_request(personas.network_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(actor):
        stale = JoinRequest.objects.get(pk=request.pk)
        barrier.wait()
        try:
            join_request_approve(actor=actor, join_request=stale)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(actor,)) for actor in (personas.coordinator, personas.zone_officer)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_decided", "approved"]
    assert Membership.objects.filter(network=personas.network_a, member__user__email=request.email).count() == 1
