"""API of part "send": /api/v1/messages/ (list, send or schedule), /api/v1/messages/<id>/ (with tracking),
/api/v1/messages/<id>/cancel/, /api/v1/messages/preview/ and /api/v1/tips/."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent
from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from geography.models import PoliceZone
from messaging.models import Delivery, Message, Tip

from . import send_support
from .send_support import TEXTS, charter, network, send

pytestmark = pytest.mark.django_db

english = send_support.english
MESSAGES = "/api/v1/messages/"
PREVIEW = "/api/v1/messages/preview/"
TIPS = "/api/v1/tips/"


@pytest.fixture
def api():
    return APIClient(headers={"Accept-Language": "en"})


def _body(**changes) -> dict:
    body = {"type": "prevention_tip", "target_kind": "networks", "networks": ["BIN-11002-1"], "texts": TEXTS}
    body.update(changes)
    return body


# --- list --------------------------------------------------------------------------------------------------------


def test_the_list_answers_those_who_follow_messages_with_their_messages(api, english):
    ours = send(english)
    send(english, actor=english.other_zone_officer, networks=[english.network_b])
    assert_permission_matrix(
        api,
        MESSAGES,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.coordinator, english.municipality_official],
        in_scope_wrong_role=[english.advp_admin, english.member, english.trainer, english.outsider],
    )
    api.force_authenticate(english.zone_officer)
    body = api.get(MESSAGES).json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == ours.pk and row["networks"] == ["BIN-11002-1"] and row["title"] == "Burglary Meir"
    assert row["status"] == "sent" and row["sender"] == "police" and row["zone"] == 5345 and row["recipients"] == 1
    assert api.get(MESSAGES, {"type": "newsletter"}).json()["count"] == 0
    assert api.get(MESSAGES, {"network": "BIN-11002-1"}).json()["count"] == 1


def test_the_list_takes_the_same_queries_for_few_or_many_messages(api, english, django_assert_num_queries):
    send(english)
    api.force_authenticate(english.zone_officer)
    api.get(MESSAGES)
    with CaptureQueriesContext(connection) as few:
        api.get(MESSAGES)
    other = network(code="BIN-11002-2", name="BIN Zuid")
    for index in range(10):
        send(english, networks=[english.network_a, other] if index % 2 else [other])
    with django_assert_num_queries(len(few)):
        assert len(api.get(MESSAGES).json()["results"]) == 11


# --- send, schedule, preview -------------------------------------------------------------------------------------


def test_sending_through_the_api_writes_the_message_deliveries_and_audit(api, english, make_members):
    make_members(english.network_a, 2, by_sms=True)
    assert_permission_matrix(
        api,
        MESSAGES,
        method="post",
        data=_body(networks=["BIN-99999-9"]),  # never sent: the allowed ones get 400
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.coordinator],
        allowed_status=(400,),
        in_scope_wrong_role=[english.municipality_official, english.advp_admin, english.member, english.outsider],
    )
    api.force_authenticate(english.zone_officer)
    response = api.post(MESSAGES, _body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    message = Message.objects.get(pk=body["id"])
    assert body["status"] == "sent" and body["recipients"] == 3
    assert body["tracking"]["deliveries"]["web"]["delivered"] == 3
    assert body["tracking"]["deliveries"]["sms"]["queued"] == 3 and body["tracking"]["pending"] == 6
    assert Delivery.objects.filter(message=message).count() == 9
    assert AuditEvent.objects.filter(action=AuditAction.SEND, object_id=str(message.pk)).exists()


def test_scheduling_and_cancelling_through_the_api(api, english):
    api.force_authenticate(english.zone_officer)
    when = timezone.now() + datetime.timedelta(days=1)
    response = api.post(MESSAGES, _body(send_at=when.isoformat()), format="json")
    message = Message.objects.get(pk=response.json()["id"])
    assert response.status_code == 201 and message.status == "scheduled" and not Delivery.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.SCHEDULE, object_id=str(message.pk)).exists()
    url = f"{MESSAGES}{message.pk}/cancel/"
    assert_permission_matrix(
        api,
        url,
        method="post",
        anonymous=ANONYMOUS_DENIED,
        in_scope_wrong_role=[english.coordinator, english.municipality_official],
        hidden=[english.other_zone_officer, english.outsider],
    )
    api.force_authenticate(english.zone_officer)
    response = api.post(url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert AuditEvent.objects.filter(action=AuditAction.CANCEL, object_id=str(message.pk)).exists()
    assert api.post(url).status_code == 409


def test_the_preview_gives_counts_cost_and_warnings_without_writing(api, english, make_members, settings):
    settings.BINPLP_WEEKLY_MESSAGE_WARNING = 1
    send(english, message_type="newsletter")
    make_members(english.network_a, 2, by_sms=True, language="nl")
    messages = Message.objects.count()
    api.force_authenticate(english.zone_officer)
    texts = {"nl": {"title": "Inbraak", "body": "Wagen 1-ABC-234 gezien.", "sms": "a" * 200}}
    assert_permission_matrix(
        api,
        PREVIEW,
        method="post",
        data=_body(texts=texts),
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer],
        in_scope_wrong_role=[english.municipality_official, english.outsider],
    )
    api.force_authenticate(english.zone_officer)
    body = api.post(PREVIEW, _body(texts=texts), format="json").json()
    assert body["members"] == 3 and body["deliveries"] == {"web": 3, "email": 3, "sms": 3}
    assert body["sms"] == [{"language": "nl", "recipients": 3, "encoding": "GSM-7", "characters": 200, "segments": 2}]
    assert body["sms_segments"] == 6 and body["cost"] == "0.42" and body["networks"] == ["BIN-11002-1"]
    assert [w["code"] for w in body["warnings"]] == ["overload", "number_plate"]
    assert body["warnings"][1]["needs_acknowledgement"] is True
    assert Message.objects.count() == messages


def test_a_plate_needs_the_acknowledgement_in_the_api_too(api, english):
    api.force_authenticate(english.zone_officer)
    texts = {"en": {"title": "Burglary", "body": "A car AB-123-CD drove off.", "sms": ""}}
    response = api.post(MESSAGES, _body(texts=texts), format="json")
    assert response.status_code == 400 and "plate_acknowledged" in response.json()
    assert not Message.objects.exists()
    response = api.post(MESSAGES, _body(texts=texts, plate_acknowledged=True), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"texts": {}}, "texts", "Write the message in at least one language."),
        (
            {"texts": {"nl": {"title": "x" * 151, "body": "b"}}},
            "title_nl",
            "The title is 151 characters long; at most 150.",
        ),
        ({"texts": {"nl": {"title": "t", "body": ""}}}, "body_nl", "Write the text of the message."),
        (
            {"texts": {"nl": {"title": "t", "body": "b", "sms": "a" * 460}}},
            "sms_nl",
            "The SMS text needs 4 messages; at most 3.",
        ),
        ({"texts": {"xx": {"title": "t", "body": "b"}}}, "texts", "Unknown language: xx."),
        ({"networks": ["BIN-21004-1"]}, "networks", "You may not send messages to these networks: BIN-21004-1."),
        ({"networks": ["BIN-99999-9"]}, "networks", "No network has this code: BIN-99999-9."),
        ({"send_at": "2020-01-01T10:00:00+01:00"}, "send_at", "Choose a time in the future, or send now."),
        ({"type": "gossip"}, "type", "Choose a message type."),
        (
            {"target_kind": "area", "target_area": {"type": "Point", "coordinates": [4.4, 51.2]}},
            "target_area",
            "The area must be a polygon.",
        ),
        ({"feedback_for": 999999, "type": "feedback"}, "feedback_for", "You cannot give feedback on this message"),
    ],
)
def test_bad_input_is_a_400_keyed_by_field_and_writes_nothing(api, english, changes, field, message):
    api.force_authenticate(english.zone_officer)
    events = AuditEvent.objects.count()
    response = api.post(MESSAGES, _body(**changes), format="json")
    assert response.status_code == 400
    assert any(error.startswith(message) for error in response.json()[field]), response.json()
    assert not Message.objects.exists() and AuditEvent.objects.count() == events


def test_a_coordinator_is_held_to_the_communication_plan(api, english):
    charter(english.network_a, coordinator_types=["newsletter"])
    api.force_authenticate(english.coordinator)
    response = api.post(MESSAGES, _body(), format="json")
    assert response.status_code == 400 and response.json()["type"] == [
        "The communication plan of BIN Network A does not let coordinators send this type of message."
    ]
    zone = PoliceZone.objects.current().get(code=5345)
    response = api.post(MESSAGES, _body(type="newsletter", target_kind="zone", target_zone=zone.pk), format="json")
    assert response.status_code == 400 and "target_kind" in response.json()
    assert api.post(MESSAGES, _body(type="newsletter"), format="json").status_code == 201


# --- detail --------------------------------------------------------------------------------------------------------


def test_the_detail_answers_those_who_see_the_message(api, english):
    message = send(english)
    assert_permission_matrix(
        api,
        f"{MESSAGES}{message.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.coordinator, english.municipality_official],
        hidden=[english.other_zone_officer, english.advp_admin, english.member, english.outsider],
    )
    api.force_authenticate(english.coordinator)
    body = api.get(f"{MESSAGES}{message.pk}/").json()
    assert body["texts"]["nl"]["title"] == "Inbraak Meir" and body["tracking"]["totals"]["delivered"] == 1
    assert body["tracking"]["useful"] == 0 and body["tracking"]["replies"] == 0


# --- tips ----------------------------------------------------------------------------------------------------------


def test_the_tips_endpoint_lists_and_keeps_tips_by_scope(api, english):
    antwerp = PoliceZone.objects.current().get(code=5345)
    national = Tip.objects.create(language="en", title="Bicycle locks", body="Two locks.")
    Tip.objects.create(language="nl", title="Fietssloten", body="Twee sloten.")
    assert_permission_matrix(
        api,
        TIPS,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.coordinator, english.advp_admin],
        in_scope_wrong_role=[english.municipality_official, english.member, english.outsider],
    )
    api.force_authenticate(english.coordinator)
    assert api.get(TIPS).json()["count"] == 2
    assert [t["title"] for t in api.get(TIPS, {"language": "nl"}).json()["results"]] == ["Fietssloten"]
    assert [t["title"] for t in api.get(TIPS, {"q": "locks"}).json()["results"]] == ["Bicycle locks"]
    assert api.get(f"{TIPS}{national.pk}/").json()["zone"] is None
    assert api.patch(f"{TIPS}{national.pk}/", {"title": "x"}, format="json").status_code == 403
    assert api.post(TIPS, {"language": "en", "title": "t", "body": "b"}, format="json").status_code == 403

    api.force_authenticate(english.zone_officer)
    response = api.post(TIPS, {"zone": antwerp.pk, "language": "en", "title": "Engrave", "body": "b"}, format="json")
    assert response.status_code == 201 and response.json()["zone"] == antwerp.pk
    local = Tip.objects.get(pk=response.json()["id"])
    assert api.post(TIPS, {"language": "en", "title": "t", "body": "b"}, format="json").status_code == 403
    bad = api.post(
        TIPS, {"zone": antwerp.pk, "language": "en", "title": "t", "body": "b", "sms": "ç" * 202}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["sms"] == ["The SMS text needs 4 messages; at most 3."]
    response = api.patch(f"{TIPS}{local.pk}/", {"title": "Engrave your bicycle"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Engrave your bicycle"
    assert api.put(f"{TIPS}{local.pk}/", {"title": "x"}, format="json").status_code == 405
    assert api.delete(f"{TIPS}{local.pk}/").status_code == 204
    assert not Tip.objects.filter(pk=local.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(local.pk)).exists()

    api.force_authenticate(english.other_zone_officer)
    assert api.get(f"{TIPS}{national.pk}/").status_code == 200
    api.force_authenticate(english.municipality_official)
    assert api.get(f"{TIPS}{national.pk}/").status_code == 403


def test_a_zone_tip_is_hidden_from_other_zones(api, english):
    antwerp = PoliceZone.objects.current().get(code=5345)
    local = Tip.objects.create(zone=antwerp, language="en", title="Local", body="x")
    url = f"{TIPS}{local.pk}/"
    assert_permission_matrix(
        api,
        url,
        anonymous=ANONYMOUS_DENIED,
        allowed=[english.zone_officer, english.coordinator, english.advp_admin],
        hidden=[english.other_zone_officer],
        in_scope_wrong_role=[english.outsider, english.member],
    )
    for method, data in (("patch", {"title": "x"}), ("delete", None)):
        assert_permission_matrix(
            api,
            url,
            method=method,
            data=data,
            anonymous=ANONYMOUS_DENIED,
            allowed=[],
            hidden=[english.other_zone_officer],
            in_scope_wrong_role=[english.coordinator, english.advp_admin],
        )
    assert Tip.objects.get(pk=local.pk).title == "Local"


def test_the_tip_list_takes_the_same_queries_for_few_or_many_tips(api, english, django_assert_num_queries):
    Tip.objects.create(language="en", title="One", body="x")
    api.force_authenticate(english.zone_officer)
    api.get(TIPS)
    with CaptureQueriesContext(connection) as few:
        api.get(TIPS)
    antwerp = PoliceZone.objects.current().get(code=5345)
    Tip.objects.bulk_create(Tip(zone=antwerp, language="en", title=f"Tip {n}", body="x") for n in range(10))
    with django_assert_num_queries(len(few)):
        assert api.get(TIPS).json()["count"] == 11


def test_the_schema_documents_the_endpoints(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/messages/", "/api/v1/messages/{id}/", "/api/v1/messages/{id}/cancel/"):
        assert f"{path}:" in schema
    assert "/api/v1/messages/preview/:" in schema and "/api/v1/tips/{id}/:" in schema
    assert "operationId: message_send" in schema and "plate_acknowledged" in schema


def test_a_malformed_tip_id_answers_404_not_500(api, personas):
    """Found by core/tests/test_api_fuzz.py: int() of a non-numeric id raised a ValueError."""
    api.force_authenticate(personas.advp_admin)
    assert api.get(f"{TIPS}abc/").status_code == 404
    assert api.delete(f"{TIPS}abc/").status_code == 404
