"""API of part "member": /api/v1/reports/ (list, detail, acknowledge, answer, close) and /api/v1/replies/."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from messaging.models import Report
from messaging.services import feedback

from . import member_support
from .member_support import make_report, send

pytestmark = pytest.mark.django_db

english = member_support.english
member = member_support.member

REPORTS = "/api/v1/reports/"
REPLIES = "/api/v1/replies/"


def test_the_report_list_answers_zone_officers_with_their_zones_reports(client, english, member):
    make_report(english, member)
    assert_permission_matrix(
        client,
        REPORTS,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.other_zone_officer],
        in_scope_wrong_role=[english.member, english.coordinator, english.municipality_official, english.outsider],
    )
    client.force_login(english.other_zone_officer)
    assert client.get(REPORTS).json()["count"] == 0
    client.force_login(english.zone_officer)
    [row] = client.get(REPORTS).json()["results"]
    assert row["network"] == "BIN-11002-1" and row["status"] == "new" and row["place"] == "Meir 20"
    assert "member" not in row  # the list names nobody
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_report_list_filters_and_orders_like_the_page(client, english, member):
    make_report(english, member, place="Closed", status="closed")
    make_report(english, member, place="New")
    client.force_login(english.zone_officer)
    assert [r["place"] for r in client.get(REPORTS).json()["results"]] == ["New", "Closed"]
    assert [r["place"] for r in client.get(REPORTS, {"status": "closed"}).json()["results"]] == ["Closed"]
    assert client.get(REPORTS, {"network": english.network_a.code}).json()["count"] == 2
    assert client.get(REPORTS, {"network": english.network_b.code}).status_code == 400  # not in the officer's zone


def test_the_report_list_takes_the_same_queries_for_few_or_many(client, english, member):
    make_report(english, member)
    client.force_login(english.zone_officer)
    client.get(REPORTS)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORTS)
    for number in range(7):
        make_report(english, member, place=f"Place {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(REPORTS).json()["count"] == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_report_detail_names_the_member_for_its_zone_only_and_is_audited(client, english, member):
    report = make_report(english, member)
    url = f"{REPORTS}{report.pk}/"
    assert_permission_matrix(
        client,
        url,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer],
        in_scope_wrong_role=[english.member],
        hidden=[english.other_zone_officer, english.coordinator, english.outsider],
    )
    AuditEvent.objects.filter(action="view").delete()
    client.force_login(english.zone_officer)
    data = client.get(url).json()
    assert data["member"] == {
        "id": member.pk,
        "first_name": "Mo",
        "last_name": "Lambert",
        "email": "member@test.binplp.be",
        "mobile": "+32470123456",
    }
    event = AuditEvent.objects.get(action="view")
    assert event.changes == {"members": [member.pk], "context": "report detail (API)"}


def test_the_officer_handles_a_report_through_the_api(client, english, member, smtp_server):
    report = make_report(english, member)
    client.force_login(english.zone_officer)
    base = f"{REPORTS}{report.pk}"

    assert client.post(f"{base}/acknowledge/").json()["status"] == "acknowledged"
    conflict = client.post(f"{base}/acknowledge/")
    assert conflict.status_code == 409 and "already acknowledged" in conflict.json()["detail"]

    empty = client.post(f"{base}/answer/", {"answer": ""}, content_type="application/json")
    assert empty.status_code == 400 and "answer" in empty.json()
    answered = client.post(
        f"{base}/answer/", {"answer": "Patrol sent.", "close": True}, content_type="application/json"
    ).json()
    assert answered["answer"] == "Patrol sent." and answered["status"] == "closed"
    assert answered["answered_by"] == "Zoë Peeters"

    late = client.post(f"{base}/answer/", {"answer": "More"}, content_type="application/json")
    assert late.status_code == 409
    assert client.post(f"{base}/close/").status_code == 409
    assert Report.objects.get(pk=report.pk).answer == "Patrol sent."


def test_report_actions_answer_the_zone_officers_only(client, english, member):
    report = make_report(english, member)
    for action, data in (("acknowledge", None), ("close", None), ("answer", {"answer": "Hi"})):
        assert_permission_matrix(
            client,
            f"{REPORTS}{report.pk}/{action}/",
            method="post",
            data=data,
            anonymous=ANONYMOUS_DENIED,
            in_scope_wrong_role=[english.member],
            hidden=[english.other_zone_officer, english.coordinator, english.outsider],
        )
    assert Report.objects.get(pk=report.pk).status == "new"


def test_the_replies_list_answers_senders_and_is_audited(client, english, member):
    message = send(english)
    first = feedback.reply_create(member=member, message=message, body="First.").reply
    feedback.reply_create(member=member, message=message, body="Second.")
    feedback.reply_mark_read(actor=english.zone_officer, reply=first)
    assert_permission_matrix(
        client,
        REPLIES,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.coordinator],
        in_scope_wrong_role=[english.member, english.municipality_official, english.advp_admin, english.outsider],
    )
    AuditEvent.objects.filter(action="view").delete()
    client.force_login(english.zone_officer)
    rows = client.get(REPLIES).json()["results"]
    assert [row["body"] for row in rows] == ["Second.", "First."]  # unread first
    assert rows[0]["member_name"] == "Mo Lambert" and rows[0]["message_title"] == "Burglary Meir"
    assert rows[0]["message"] == message.pk and rows[0]["read_at"] is None
    assert [row["body"] for row in client.get(REPLIES, {"unread": "true"}).json()["results"]] == ["Second."]
    events = AuditEvent.objects.filter(action="view")
    assert {tuple(e.changes["members"]) for e in events} == {(member.pk,)}
    client.force_login(english.other_zone_officer)
    assert client.get(REPLIES).json()["count"] == 0


def test_the_replies_list_takes_the_same_queries_for_few_or_many(client, english, member, make_members):
    feedback.reply_create(member=member, message=send(english), body="First.")
    client.force_login(english.zone_officer)
    client.get(REPLIES)
    with CaptureQueriesContext(connection) as few:
        client.get(REPLIES)
    for number, other in enumerate(make_members(english.network_a, 5)):
        feedback.reply_create(member=other, message=send(english), body=f"Reply {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(REPLIES).json()["count"] == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_schema_documents_the_endpoints(client, personas):
    client.force_login(personas.advp_admin)
    content = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/acknowledge/",
        "/api/v1/reports/{id}/answer/",
        "/api/v1/reports/{id}/close/",
        "/api/v1/replies/",
    ):
        assert path in content, path
    assert "report_answer" in content and "ReportAnswerInput" in content
