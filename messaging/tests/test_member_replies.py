"""The senders' replies inbox (/messages/replies/): who sees which replies, unread first, marking read, the audited
view of members' names, and the home page's counts for officers, coordinators and members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing.matrix import assert_permission_matrix
from messaging.models import Reply
from messaging.services import feedback

from . import member_support
from .member_support import make_report, send

pytestmark = pytest.mark.django_db

english = member_support.english
member = member_support.member
coordinator_may_send = member_support.coordinator_may_send

REPLIES = reverse("messaging:reply_list")


def _reply(member, message, body: str) -> Reply:
    return feedback.reply_create(member=member, message=message, body=body).reply


def test_the_replies_inbox_answers_senders_only(client, english, member):
    _reply(member, send(english), "Thanks for the tip.")
    assert_permission_matrix(
        client,
        REPLIES,
        allowed=[english.zone_officer, english.other_zone_officer, english.coordinator],
        in_scope_wrong_role=[
            english.member,
            english.municipality_official,
            english.advp_admin,
            english.knowledge_centre,
            english.trainer,
            english.outsider,
        ],
    )


def test_each_sender_sees_the_replies_to_the_messages_they_follow(client, english, member, coordinator_may_send):
    _reply(member, send(english), "To the police.")
    _reply(member, send(english, actor=english.coordinator), "To the coordinator.")
    seen = {}
    for name in ("zone_officer", "other_zone_officer", "coordinator"):
        client.force_login(getattr(english, name))
        content = client.get(REPLIES).content.decode()
        seen[name] = {body for body in ("To the police.", "To the coordinator.") if body in content}
    # The officers of the sending zone see every reply to its messages (a coordinator's message is sent as the zone
    # of the network); the coordinator sees the replies to coordinators' messages only.
    assert seen == {
        "zone_officer": {"To the police.", "To the coordinator."},
        "other_zone_officer": set(),
        "coordinator": {"To the coordinator."},
    }


def test_a_reply_to_a_message_with_two_coordinated_networks_is_listed_once(
    client, english, member, make_members, coordinator_may_send
):
    from accounts.models import RoleAssignment
    from core.roles import Role
    from networks.models import Charter, Network

    second = Network.objects.create(
        code="BIN-11002-7",
        name="BIN Network A2",
        kind="residential",
        status="active",
        municipality=english.network_a.municipality,
        zone=english.network_a.zone,
        founded_on=english.network_a.founded_on,
    )
    Charter.objects.create(
        network=second,
        version=1,
        status="conform",
        senders=coordinator_may_send.senders,
        submitted_at=coordinator_may_send.submitted_at,
    )
    RoleAssignment.objects.create(
        user=english.coordinator,
        role=Role.COORDINATOR,
        scope_type=RoleAssignment._meta.get_field("scope_type").related_model.objects.get_for_model(Network),
        scope_id=second.pk,
        granted_at=coordinator_may_send.decided_at,
    )
    message = send(english, actor=english.coordinator, networks=[english.network_a, second])
    _reply(member, message, "Only once, please.")
    client.force_login(english.coordinator)
    content = client.get(REPLIES).content.decode()
    assert content.count("Only once, please.") == 1 and "1 unread reply." in content


def test_unread_replies_come_first_and_are_marked_read(client, english, member):
    message = send(english)
    older = _reply(member, message, "Older and unread.")
    newer = _reply(member, message, "Newer but read.")
    feedback.reply_mark_read(actor=english.zone_officer, reply=newer)
    client.force_login(english.zone_officer)
    content = client.get(REPLIES).content.decode()
    assert content.index("Older and unread.") < content.index("Newer but read.")
    assert "1 unread reply." in content and "Mo Lambert" in content
    assert "Zoë Peeters" in content  # who read it

    response = client.post(reverse("messaging:reply_read", args=[older.pk]), {"next": REPLIES + "?page=1"})
    assert response.status_code == 302 and response["Location"] == REPLIES + "?page=1"
    older.refresh_from_db()
    assert older.read_at is not None and older.read_by == english.zone_officer
    unread_only = client.get(REPLIES, {"unread": "1"}).content.decode()
    assert "No unread reply." in unread_only
    outside = client.post(reverse("messaging:reply_read", args=[older.pk]), {"next": "https://evil.example/"})
    assert outside["Location"] == REPLIES


def test_marking_read_with_htmx_returns_the_row(client, english, member):
    reply = _reply(member, send(english), "Row please.")
    client.force_login(english.zone_officer)
    response = client.post(reverse("messaging:reply_read", args=[reply.pk]), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert f'id="reply-{reply.pk}"' in content and "Mark as read" not in content


def test_marking_read_answers_the_senders_only(client, english, member):
    reply = _reply(member, send(english), "Who may mark me?")
    assert_permission_matrix(
        client,
        reverse("messaging:reply_read", args=[reply.pk]),
        method="post",
        allowed=[english.zone_officer],
        allowed_status=(302,),
        in_scope_wrong_role=[english.member],  # the member sees their own reply, but does not mark it
        hidden=[english.other_zone_officer, english.coordinator, english.outsider],
    )
    client.force_login(english.zone_officer)
    assert client.get(reverse("messaging:reply_read", args=[reply.pk])).status_code == 405


def test_the_list_records_whose_names_were_shown(client, english, member, make_members):
    message = send(english)
    other = make_members(english.network_a, 1)[0]
    _reply(member, message, "One.")
    _reply(other, message, "Two.")
    client.force_login(english.zone_officer)
    client.get(REPLIES)
    event = AuditEvent.objects.get(action="view")
    assert event.actor == english.zone_officer
    assert event.changes == {"members": sorted([member.pk, other.pk]), "context": "replies inbox"}


def test_the_list_takes_the_same_queries_for_few_or_many_replies(client, english, member, make_members):
    message = send(english)
    _reply(member, message, "First.")
    client.force_login(english.zone_officer)
    client.get(REPLIES)
    with CaptureQueriesContext(connection) as few:
        client.get(REPLIES)
    for number, other in enumerate(make_members(english.network_a, 6)):
        _reply(other, send(english), f"Reply {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(REPLIES).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- home page -----------------------------------------------------------------------------------------------------


def test_the_home_page_counts_new_reports_and_unread_replies_for_senders(client, english, member):
    _reply(member, send(english), "Hello police.")
    make_report(english, member)
    make_report(english, member, status="acknowledged")
    client.force_login(english.zone_officer)
    content = client.get("/").content.decode()
    assert "1 new report from members" in content and "1 unread reply to your messages" in content
    assert reverse("messaging:report_list") + "?status=new" in content

    client.force_login(english.coordinator)
    content = client.get("/").content.decode()
    assert "0 unread replies to your messages" in content and "new report" not in content


def test_the_home_page_counts_a_members_unread_messages(client, english, member):
    send(english)
    send(english)
    client.force_login(english.member)
    content = client.get("/").content.decode()
    assert "2 unread messages" in content and reverse("messaging_portal:inbox") in content
    client.force_login(english.outsider)
    assert "unread message" not in client.get("/").content.decode()


def test_the_counts_for_the_messaging_subnavigation(english, member):
    from messaging.nav_member import subnav_counts

    feedback.reply_create(member=member, message=send(english), body="Hello.")
    make_report(english, member)
    assert subnav_counts(english.zone_officer) == {"messaging:report_list": 1, "messaging:reply_list": 1}
    assert subnav_counts(english.other_zone_officer) == {"messaging:report_list": 0, "messaging:reply_list": 0}
    assert subnav_counts(english.coordinator) == {"messaging:reply_list": 0}
    assert subnav_counts(english.member) == {}
