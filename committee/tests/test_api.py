"""The committee API (/api/v1/committee/…): the permission matrix of every endpoint, the writes through the services,
and bounded queries on the lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.models import ActionItem, AgendaItem, Meeting
from core.models import AuditEvent
from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix

from .conftest import at

pytestmark = pytest.mark.django_db


def hidden(p):
    return [p.outsider, p.zone_officer, p.coordinator, p.trainer]


@pytest.fixture
def world(english, seats, make_meeting):
    meeting = make_meeting()
    AgendaItem.objects.create(meeting=meeting, position=1, title_en="Welcome", owner_term=seats["contact"])
    action = ActionItem.objects.create(meeting=meeting, title="Draft", owner_text="KC", due_on=timezone.localdate())
    return {"meeting": meeting, "action": action, **seats}


@pytest.mark.parametrize("url", ["/api/v1/committee/seats/", "/api/v1/committee/terms/"])
def test_composition_endpoints(client, english, world, url):
    assert_permission_matrix(
        client,
        url,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.advp_admin, english.knowledge_centre],
        in_scope_wrong_role=[english.member],
        hidden=hidden(english),
    )


@pytest.mark.parametrize("url", ["/api/v1/committee/meetings/", "MEETING", "/api/v1/committee/actions/", "ACTION"])
def test_reading_endpoints(client, english, world, url):
    url = url.replace("MEETING", f"/api/v1/committee/meetings/{world['meeting'].pk}/").replace(
        "ACTION", f"/api/v1/committee/actions/{world['action'].pk}/"
    )
    assert_permission_matrix(
        client,
        url,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.advp_admin, english.knowledge_centre, english.member],
        hidden=hidden(english),
    )


def test_meeting_create_endpoint(client, english, world):
    data = {
        "title": "Extra meeting",
        "starts_at": at(60).isoformat(),
        "ends_at": at(60, 12).isoformat(),
        "video_url": "https://meet.example.test/x",
    }
    assert_permission_matrix(
        client,
        "/api/v1/committee/meetings/",
        method="post",
        data=data,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.knowledge_centre],
        in_scope_wrong_role=[english.member],
        hidden=hidden(english),
        allowed_status=(201,),
    )
    assert Meeting.objects.filter(title="Extra meeting").count() == 1
    client.force_login(english.advp_admin)
    response = client.post(
        "/api/v1/committee/meetings/",
        {**data, "starts_at": at(-3).isoformat(), "ends_at": at(-3, 12).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and "past" in response.json()["starts_at"][0]


def test_action_update_endpoint(client, english, world):
    url = f"/api/v1/committee/actions/{world['action'].pk}/"
    assert_permission_matrix(
        client,
        url,
        method="patch",
        data={"status": "done"},
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.advp_admin],
        in_scope_wrong_role=[english.member],
        hidden=hidden(english),
    )
    assert ActionItem.objects.get().status == "done"
    assert AuditEvent.objects.filter(object_id=str(world["action"].pk), action="update").count() == 1
    client.force_login(english.advp_admin)
    response = client.patch(url, {"status": "finished"}, content_type="application/json")
    assert response.status_code == 400


def test_meeting_detail_has_the_agenda(client, english, world):
    client.force_login(english.member)
    body = client.get(f"/api/v1/committee/meetings/{world['meeting'].pk}/").json()
    assert body["agenda"][0]["title"] == "Welcome" and body["agenda"][0]["owner"] == world["contact"].holder_name
    assert body["minutes"] == ""


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/committee/seats/",
        "/api/v1/committee/terms/",
        "/api/v1/committee/meetings/",
        "/api/v1/committee/actions/",
    ],
)
def test_lists_make_a_constant_number_of_queries(client, english, world, make_meeting, make_term, url):
    client.force_login(english.advp_admin)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        meeting = make_meeting(days=50 + n)
        ActionItem.objects.create(meeting=meeting, title=f"A{n}", owner_term=world["contact"], due_on=at(3).date())
        make_term("self-employed", 1 + n % 2, days_ago=1000 - 100 * n, ends_on=at(-900 + 100 * n).date())
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
