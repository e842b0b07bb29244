"""A network's delivery problems (/messages/networks/<code>/problems/): the current members whose e-mails or SMS
failed in the last 90 days, for the network's coordinators and the officers of its zone only, with the view audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEvent
from core.testing.matrix import assert_permission_matrix
from members.models import Member, Membership
from messaging.models import Delivery

from . import follow_support
from .follow_support import DAY, HOUR, send

pytestmark = pytest.mark.django_db

# Fixtures of follow_support.
english = follow_support.english

PROBLEMS = "/messages/networks/BIN-11002-1/problems/"


def _fail(message, member, channel: str, *, at, error: str) -> None:
    updated = Delivery.objects.filter(message=message, member=member, channel=channel).update(
        status="failed", failed_at=at, error=error, attempts=1
    )
    assert updated == 1


@pytest.fixture
def problems(personas, make_members):
    """In network A: Member1 with two failed e-mails (the latest "mailbox full"), the member persona with a failed
    SMS; a failure 100 days old (Member2), a member who left (Member3) and a member of network B (excluded)."""
    now = timezone.now()
    first, second, gone = make_members(personas.network_a, 3, by_sms=False)
    (brussels,) = make_members(personas.network_b, 1, by_sms=False)
    persona = Member.objects.get(user=personas.member)
    older = send(personas, at=now - 20 * DAY, title="Older alert")
    newer = send(personas, at=now - 2 * DAY, title="Newer alert")
    ancient = send(personas, at=now - 100 * DAY, title="Ancient alert")
    brussels_alert = send(personas, at=now - DAY, actor=personas.other_zone_officer, networks=[personas.network_b])
    _fail(older, first, "email", at=older.sent_at + HOUR, error="550 5.1.1 no such user")
    _fail(newer, first, "email", at=newer.sent_at + HOUR, error="552 5.2.2 mailbox full")
    _fail(newer, persona, "sms", at=newer.sent_at + HOUR, error="DLR: absent subscriber")
    _fail(ancient, second, "email", at=ancient.sent_at + HOUR, error="550 old")
    _fail(newer, gone, "email", at=newer.sent_at + HOUR, error="550 gone")
    Membership.objects.filter(member=gone).update(status="left", ended_on=datetime.date.today())
    _fail(brussels_alert, brussels, "email", at=brussels_alert.sent_at + HOUR, error="550 brussels")
    return {"first": first, "persona": persona, "second": second, "gone": gone, "brussels": brussels}


def test_it_lists_the_members_with_failures_and_audits_the_view(client, english, problems):
    client.force_login(english.coordinator)
    response = client.get(PROBLEMS)
    assert response.status_code == 200
    html = response.content.decode()
    first, persona = problems["first"], problems["persona"]
    row = html.split(f'data-member="{first.pk}" data-channel="email"', 1)[1].split("</tr>", 1)[0]
    assert "Test, Member1" in row and ">2<" in row and "552 5.2.2 mailbox full" in row
    row = html.split(f'data-member="{persona.pk}" data-channel="sms"', 1)[1].split("</tr>", 1)[0]
    assert "Lambert, Mo" in row and ">1<" in row and "DLR: absent subscriber" in row
    assert f"/members/{first.pk}/" in html
    for excluded in ("second", "gone", "brussels"):
        assert f'data-member="{problems[excluded].pk}"' not in html
    assert "2 members and channels with failures" in html
    event = AuditEvent.objects.get(action="view")
    assert event.actor == english.coordinator
    assert event.changes == {"members": sorted([first.pk, persona.pk]), "context": "delivery problems"}
    assert event.object_id == str(english.network_a.pk)


def test_nothing_to_show_records_no_view(client, english):
    client.force_login(english.zone_officer)
    response = client.get(PROBLEMS)
    assert response.status_code == 200 and "No delivery failed in this period." in response.content.decode()
    assert not AuditEvent.objects.filter(action="view").exists()


def test_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        PROBLEMS,
        allowed=[personas.zone_officer, personas.coordinator],
        in_scope_wrong_role=[personas.municipality_official],  # keeps the log, sees no member
        hidden=[
            personas.other_zone_officer,
            personas.advp_admin,
            personas.knowledge_centre,
            personas.member,
            personas.trainer,
            personas.outsider,
        ],
    )


def test_it_takes_the_same_queries_for_few_or_many_problems(client, personas, problems, make_members):
    client.force_login(personas.zone_officer)
    client.get(PROBLEMS)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PROBLEMS).status_code == 200
        return len(captured.captured_queries)

    few = count()
    now = timezone.now()
    members = make_members(personas.network_a, 12, by_sms=False)
    alert = send(personas, at=now - 3 * DAY, title="Another alert")
    for member in members:
        _fail(alert, member, "email", at=now - 2 * DAY, error="550 unknown")
    assert count() == few
