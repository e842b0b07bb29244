"""API of member management: the member list and join requests of a network (its managers only, 404 for everybody
else), deciding requests, and the schema."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from members.choices import JoinRequestStatus, MembershipStatus
from members.models import JoinRequest, Member, Membership

from . import factories
from .manage_helpers import MANAGERS, NOT_MANAGERS, people, view_events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """National counts are cached: each test starts and ends without them."""
    cache.clear()
    yield
    cache.clear()


API = "/api/v1"


@pytest.fixture
def api():
    return APIClient(headers={"Accept-Language": "en"})


def _members_url(network) -> str:
    return f"{API}/networks/{network.code}/members/"


def _requests_url(network) -> str:
    return f"{API}/networks/{network.code}/join-requests/"


def test_the_member_and_request_lists_answer_the_managers_only(api, personas):
    for url in (_members_url(personas.network_a), _requests_url(personas.network_a)):
        assert_permission_matrix(
            api,
            url,
            anonymous=ANONYMOUS_DENIED,
            allowed=people(personas, MANAGERS),
            hidden=people(personas, NOT_MANAGERS),
        )
    assert_permission_matrix(
        api,
        _members_url(personas.network_b),
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.other_zone_officer],
        hidden=[personas.zone_officer, personas.coordinator, personas.advp_admin],
    )


def test_the_member_list_holds_the_networks_members_filtered_and_audited(api, personas):
    factories.member(personas.network_a, last_name="Peeters", by_sms=True)
    factories.member(personas.network_a, last_name="Weg", status=MembershipStatus.LEFT)
    factories.member(personas.network_b, last_name="Bruxellois")
    api.force_authenticate(personas.zone_officer)
    body = api.get(_members_url(personas.network_a)).json()
    assert body["count"] == 2
    assert [row["last_name"] for row in body["results"]] == ["Lambert", "Peeters"]
    lambert = body["results"][0]
    member = Member.objects.get(user=personas.member)
    assert lambert["member"] == member.pk and lambert["email"] == "member@test.binplp.be"
    assert lambert["mobile"] == "+32470123456" and lambert["status"] == "active"
    assert lambert["url"] == f"/members/{member.pk}/"
    assert [
        r["last_name"] for r in api.get(_members_url(personas.network_a), {"status": "left"}).json()["results"]
    ] == ["Weg"]
    assert api.get(_members_url(personas.network_a), {"q": "peet"}).json()["count"] == 1
    assert api.get(_members_url(personas.network_a), {"in_area": "maybe"}).status_code == 400
    first = view_events("member list (API)").first()
    assert first.actor == personas.zone_officer and len(first.changes["members"]) == 2


def test_the_member_list_takes_the_same_queries_for_few_or_many_members(api, personas, django_assert_num_queries):
    api.force_authenticate(personas.coordinator)
    url = _members_url(personas.network_a)
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    for _index in range(15):
        factories.member(personas.network_a)
    with django_assert_num_queries(len(few)):
        assert len(api.get(url).json()["results"]) == 16


def test_the_request_list_holds_the_pending_requests_only(api, personas):
    pending = factories.join_request(personas.network_a, in_area=False)
    factories.join_request(personas.network_a, status=JoinRequestStatus.UNCONFIRMED)
    factories.join_request(personas.network_b)
    api.force_authenticate(personas.coordinator)
    body = api.get(_requests_url(personas.network_a)).json()
    assert [(row["id"], row["in_area"], row["status"]) for row in body["results"]] == [(pending.pk, False, "pending")]
    assert view_events("join requests (API)").get().changes["join_requests"] == [pending.pk]


def test_approving_through_the_api_and_a_second_time(api, personas, smtp_server, django_capture_on_commit_callbacks):
    request = factories.join_request(personas.network_a, language="nl")
    url = f"{_requests_url(personas.network_a)}{request.pk}/approve/"
    api.force_authenticate(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    membership = Membership.objects.get(pk=response.json()["membership"])
    assert membership.network == personas.network_a
    assert len(smtp_server.to(request.email)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(url)
    assert again.status_code == 409 and "already handled" in again.json()["detail"]
    assert len(smtp_server.to(request.email)) == 1


def test_declining_through_the_api_needs_a_reason(api, personas, smtp_server, django_capture_on_commit_callbacks):
    request = factories.join_request(personas.network_a)
    url = f"{_requests_url(personas.network_a)}{request.pk}/decline/"
    api.force_authenticate(personas.zone_officer)
    assert api.post(url, {}, format="json").status_code == 400
    assert api.post(url, {"reason": "  "}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"reason": "Outside the area"}, format="json")
    assert response.status_code == 200 and response.json()["decline_reason"] == "Outside the area"
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.DECLINED
    assert "Outside the area" in smtp_server.body(smtp_server.to(request.email)[0])


def test_deciding_through_the_api_is_hidden_outside_the_scope(api, personas):
    request = factories.join_request(personas.network_a)
    for action in ("approve", "decline"):
        assert_permission_matrix(
            api,
            f"{_requests_url(personas.network_a)}{request.pk}/{action}/",
            method="post",
            data={"reason": "No"},
            anonymous=ANONYMOUS_DENIED,
            hidden=people(personas, NOT_MANAGERS),
        )
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.PENDING


def test_the_schema_describes_the_member_endpoints(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/networks/{code}/members/",
        "/api/v1/networks/{code}/join-requests/",
        "/api/v1/networks/{code}/join-requests/{id}/approve/",
        "/api/v1/member-counts/",
    ):
        assert path in schema
