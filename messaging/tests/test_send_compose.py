"""Compose → preview → send or schedule (/messages/new/): who may compose, what the form offers, the preview's
figures and warnings, the deliveries and audit events once confirmed, feedback on an alert, tips and networks
prefilled, and bad input answered with a specific error while nothing is written."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from messaging.choices import Channel, MessageStatus
from messaging.models import Delivery, Message, Tip
from messaging.services import sending

from . import send_support
from .send_support import MEIR_AREA, brussels, charter, compose_data, network, send, sign_in

pytestmark = pytest.mark.django_db

english = send_support.english
COMPOSE = "/messages/new/"


def _page(response) -> str:
    return response.content.decode()


def _confirm(data: dict) -> dict:
    return {**data, "confirm": "1"}


def _nothing_written(before_events: int) -> None:
    assert not Message.objects.exists() and not Delivery.objects.exists()
    assert AuditEvent.objects.count() == before_events


# --- who may compose ---------------------------------------------------------------------------------------------


def test_mandated_officers_and_coordinators_compose(client, english):
    assert_permission_matrix(
        client,
        COMPOSE,
        allowed=[english.zone_officer, english.other_zone_officer, english.coordinator],
        in_scope_wrong_role=[
            english.advp_admin,
            english.knowledge_centre,
            english.municipality_official,
            english.member,
            english.trainer,
            english.outsider,
        ],
    )
    assert_permission_matrix(
        client,
        COMPOSE,
        method="post",
        data=compose_data(),
        allowed=[english.zone_officer],
        allowed_status=(200,),
        in_scope_wrong_role=[english.municipality_official, english.advp_admin, english.outsider],
    )
    assert not Message.objects.exists()  # previews only


def test_the_officer_gets_every_type_and_kind_of_target(client, english):
    page = _page(sign_in(client, english.zone_officer).get(COMPOSE))
    for value in ("urgent_alert", "feedback", "prevention_tip", "newsletter", "missing_person", "crisis"):
        assert f'value="{value}"' in page
    for kind in ("networks", "zone", "municipality", "area"):
        assert f'name="target_kind" value="{kind}"' in page
    assert 'value="BIN-11002-1"' in page and "BIN-21004-1" not in page
    assert 'id="sms-counter-en"' in page and 'aria-live="polite"' in page
    assert "messaging/compose.js" in page and "leaflet/leaflet.js" in page


def test_a_coordinator_gets_the_types_of_the_charter_and_no_zone(client, english):
    charter(english.network_a, coordinator_types=["prevention_tip", "newsletter"])
    page = _page(sign_in(client, english.coordinator).get(COMPOSE))
    assert 'value="prevention_tip"' in page and 'value="newsletter"' in page
    assert 'value="urgent_alert"' not in page
    assert 'name="target_kind" value="zone"' not in page and 'name="target_kind" value="area"' in page


def test_a_coordinator_without_a_charter_is_told_why_they_cannot_send(client, english):
    page = _page(sign_in(client, english.coordinator).get(COMPOSE))
    assert "does not let coordinators send messages" in page and 'id="compose-form"' not in page


# --- preview -----------------------------------------------------------------------------------------------------


def test_the_preview_counts_recipients_channels_segments_and_cost(client, english, make_members, settings):
    settings.BINPLP_SMS_COST_PER_SEGMENT = "0.065"
    make_members(english.network_a, 3, by_sms=True, language="nl")
    make_members(english.network_a, 2, by_email=False, by_sms=False)
    events = AuditEvent.objects.count()
    long_sms = "a" * 200  # two segments
    response = sign_in(client, english.zone_officer).post(COMPOSE, compose_data(sms_nl=long_sms))
    page = _page(response)
    assert response.status_code == 200
    assert "6 members will receive the message." in page
    assert '<th scope="row">Web inbox</th><td>6</td>' in page
    assert '<th scope="row">E-mail</th><td>4</td>' in page
    assert '<th scope="row">SMS</th><td>4</td>' in page
    # nl: 3 members × 2 segments; the member persona reads English (a fallback to its SMS): 1 × 1.
    assert "Estimated cost: € 0.46 (7 SMS at € 0.065 each)." in page
    assert 'name="confirm" value="1"' in page and "Send now to 6 members" in page
    _nothing_written(events)


def test_the_preview_says_who_waits_for_the_end_of_quiet_hours(client, english, make_members):
    now = timezone.localtime()
    quiet_from = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    quiet_until = (now + datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    make_members(english.network_a, 2, quiet_from=quiet_from, quiet_until=quiet_until)
    page = _page(sign_in(client, english.zone_officer).post(COMPOSE, compose_data()))
    assert "2 members are in their quiet hours: their e-mails and SMS wait until the quiet hours end." in page


def test_the_preview_warns_about_overload_and_names_the_network(client, english, settings):
    settings.BINPLP_WEEKLY_MESSAGE_WARNING = 1
    send(english, message_type="newsletter")
    page = _page(sign_in(client, english.zone_officer).post(COMPOSE, compose_data()))
    assert "Some networks already got many messages this week." in page
    assert "BIN Network A: 1 non-urgent messages in the last 7 days; this one would be number 2." in page
    assert 'name="plate_acknowledged"' not in page  # an overload warning needs no acknowledgement


def test_editing_from_the_preview_shows_the_form_with_the_data(client, english):
    response = sign_in(client, english.zone_officer).post(COMPOSE, {**compose_data(), "edit": "1", "confirm": "1"})
    page = _page(response)
    assert response.status_code == 200 and 'id="compose-form"' in page and 'value="Fietsdiefstal"' in page
    assert not Message.objects.exists()


# --- sending and scheduling --------------------------------------------------------------------------------------


def test_confirming_sends_the_message_with_its_deliveries_and_audit_event(client, english, make_members):
    make_members(english.network_a, 2, by_sms=True)
    response = sign_in(client, english.zone_officer).post(COMPOSE, _confirm(compose_data()))
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messages/{message.pk}/"
    assert message.status == MessageStatus.SENT and message.sender == "police" and message.recipients == 3
    assert message.texts["nl"] == {
        "title": "Fietsdiefstal",
        "body": "Maak uw fiets **altijd** vast aan iets vasts.",
        "sms": "BIN-tip: maak uw fiets vast aan iets vasts.",
    }
    counts = {c: Delivery.objects.filter(message=message, channel=c).count() for c in Channel.values}
    assert counts == {"web": 3, "email": 3, "sms": 3}
    event = AuditEvent.objects.get(action=AuditAction.SEND, object_id=str(message.pk))
    assert event.actor == english.zone_officer and event.changes["networks"] == ["BIN-11002-1"]
    page = _page(client.get(response["Location"]))
    assert "The message has been sent to 3 members." in page


def test_a_scheduled_message_waits_and_can_be_cancelled(client, english):
    when = brussels(days=2, hour=8)
    data = compose_data(when="later", send_at=when.strftime("%Y-%m-%dT%H:%M"))
    preview = _page(sign_in(client, english.zone_officer).post(COMPOSE, data))
    assert "scheduled for" in preview and "(Brussels time)" in preview and "Schedule the message" in preview
    response = client.post(COMPOSE, _confirm(data))
    message = Message.objects.get()
    assert response.status_code == 302
    assert message.status == MessageStatus.SCHEDULED and message.send_at == when
    assert not Delivery.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.SCHEDULE, object_id=str(message.pk)).exists()
    detail = _page(client.get(f"/messages/{message.pk}/"))
    assert "Cancel this scheduled message" in detail
    response = client.post(f"/messages/{message.pk}/cancel/")
    message.refresh_from_db()
    assert response.status_code == 302 and message.status == MessageStatus.CANCELLED
    assert AuditEvent.objects.filter(action=AuditAction.CANCEL, object_id=str(message.pk)).exists()
    assert sending.send_due_messages(now=when + datetime.timedelta(minutes=1)) == 0
    again = client.post(f"/messages/{message.pk}/cancel/", follow=True)
    assert "Only a scheduled message that has not been sent yet can be cancelled." in _page(again)


def test_a_message_to_a_whole_zone_reaches_its_networks(client, english, make_members):
    other = network(code="BIN-11002-2", name="BIN Zuid")
    make_members(other, 2)
    from geography.models import PoliceZone

    zone = PoliceZone.objects.current().get(code=5345)
    data = compose_data(target_kind="zone", networks=None, target_zone=zone.pk)
    preview = _page(sign_in(client, english.zone_officer).post(COMPOSE, data))
    assert "The whole police zone 5345 Antwerpen" in preview and "3 members will receive the message." in preview
    client.post(COMPOSE, _confirm(data))
    message = Message.objects.get()
    assert message.target_kind == "zone" and message.target_zone == zone
    assert set(message.networks.values_list("code", flat=True)) == {"BIN-11002-1", "BIN-11002-2"}


def test_a_message_to_a_municipality(client, english):
    from geography.models import Municipality

    antwerp = Municipality.objects.current().get(refnis="11002")
    data = compose_data(target_kind="municipality", networks=None, target_municipality=antwerp.pk)
    client = sign_in(client, english.zone_officer)
    assert "The whole municipality of" in _page(client.post(COMPOSE, data))
    client.post(COMPOSE, _confirm(data))
    assert Message.objects.get().target_municipality == antwerp


def test_a_message_to_a_drawn_area(client, english, make_members):
    inside = network(code="BIN-11002-2", name="BIN Meir", area=MEIR_AREA)
    make_members(inside, 2)
    data = compose_data(target_kind="area", networks=None, target_area=json.dumps(MEIR_AREA))
    preview = _page(sign_in(client, english.zone_officer).post(COMPOSE, data))
    assert "An area drawn on the map" in preview
    assert "matched by the boundaries of their municipalities" in preview and "BIN Network A" in preview
    client.post(COMPOSE, _confirm(data))
    message = Message.objects.get()
    assert message.target_kind == "area" and message.target_area["type"] == "Polygon"
    assert set(message.networks.values_list("code", flat=True)) == {"BIN-11002-1", "BIN-11002-2"}


# --- coordinators ------------------------------------------------------------------------------------------------


def test_a_coordinator_sends_what_the_charter_allows_and_nothing_else(client, english):
    charter(english.network_a, coordinator_types=["prevention_tip"])
    client = sign_in(client, english.coordinator)
    events = AuditEvent.objects.count()
    response = client.post(COMPOSE, _confirm(compose_data(type="urgent_alert")))
    assert response.status_code == 400
    assert "The communication plan of BIN Network A does not let coordinators send this type of message." in _page(
        response
    )
    _nothing_written(events)
    response = client.post(COMPOSE, _confirm(compose_data()))
    message = Message.objects.get()
    assert response.status_code == 302 and message.sender == "coordinator" and message.author == english.coordinator


# --- number plates -----------------------------------------------------------------------------------------------


def test_a_plate_in_the_text_must_be_acknowledged_before_sending(client, english):
    data = compose_data(body_en="A car 1-ABC-234 drove off at high speed.")
    client = sign_in(client, english.zone_officer)
    preview = _page(client.post(COMPOSE, data))
    assert "The texts seem to contain a number plate." in preview
    assert "“1-ABC-234” in the text (English)" in preview and 'name="plate_acknowledged"' in preview
    events = AuditEvent.objects.count()
    response = client.post(COMPOSE, _confirm(data))
    assert response.status_code == 400
    assert "tick the box to confirm you checked them" in _page(response)
    _nothing_written(events)
    response = client.post(COMPOSE, _confirm({**data, "plate_acknowledged": "on"}))
    assert response.status_code == 302 and Message.objects.count() == 1


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"title_nl": "", "body_nl": "", "sms_nl": "", "title_en": "", "body_en": "", "sms_en": ""},
            "Write the message in at least one language.",
        ),
        ({"body_en": ""}, "Write the text of the message."),
        ({"title_nl": "x" * 151}, "The title is 151 characters long; at most 150."),
        ({"body_nl": "x" * 10001}, "The text is 10001 characters long; at most 10000."),
        ({"sms_en": "a" * 460}, "The SMS text needs 4 messages; at most 3."),
        ({"sms_en": "ç" * 202}, "The SMS text needs 4 messages; at most 3."),
        ({"networks": ["BIN-21004-1"]}, "You may not send messages to these networks: BIN-21004-1."),
        ({"networks": ["BIN-99999-9"]}, "No network has this code: BIN-99999-9."),
        ({"networks": None}, "Choose at least one network."),
        ({"when": "later", "send_at": "2020-01-01T10:00"}, "Choose a time in the future, or send now."),
        ({"when": "later"}, "Choose when to send the message."),
        ({"target_kind": "area", "target_area": ""}, "Draw the area on the map: click at least three corners."),
        ({"type": "gossip"}, "Select a valid choice. gossip is not one of the available choices."),
    ],
)
def test_bad_input_gets_a_specific_error_and_writes_nothing(client, english, changes, message):
    events = AuditEvent.objects.count()
    response = sign_in(client, english.zone_officer).post(COMPOSE, _confirm(compose_data(**changes)))
    page = _page(response)
    assert response.status_code == 400
    assert 'class="message message--error error-summary" role="alert"' in page
    assert message in page
    _nothing_written(events)


# --- feedback ----------------------------------------------------------------------------------------------------


def test_feedback_compose_is_prefilled_from_the_alert_and_closes_it(client, english):
    alert = send(english, message_type="urgent_alert")
    url = f"{COMPOSE}?feedback_for={alert.pk}"
    assert_permission_matrix(
        client,
        url,
        allowed=[english.zone_officer],
        in_scope_wrong_role=[english.coordinator, english.municipality_official, english.advp_admin],
        hidden=[english.other_zone_officer],
    )
    page = _page(sign_in(client, english.zone_officer).get(url))
    assert "Send feedback" in page and 'name="type" value="feedback" required id="id_type_1" checked' in page
    assert f'name="feedback_for" value="{alert.pk}"' in page
    assert 'value="Feedback: Burglary Meir"' in page and 'value="Feedback: Inbraak Meir"' in page
    assert 'value="BIN-11002-1" id="id_networks_0" checked' in page
    data = compose_data(type="feedback", feedback_for=alert.pk, body_nl="Opgelost.", body_en="Solved.")
    response = client.post(COMPOSE, _confirm(data))
    feedback = Message.objects.exclude(pk=alert.pk).get()
    alert.refresh_from_db()
    assert response.status_code == 302 and feedback.feedback_for == alert and alert.feedback_sent_at is not None
    follow = client.get(url)
    assert follow.status_code == 302 and follow["Location"] == f"/messages/{alert.pk}/"


def test_feedback_on_something_else_than_an_owed_alert_is_refused(client, english):
    tip = send(english)
    client = sign_in(client, english.zone_officer)
    assert client.get(f"{COMPOSE}?feedback_for={tip.pk}").status_code == 302
    assert client.get(f"{COMPOSE}?feedback_for=999999").status_code == 404
    assert client.get(f"{COMPOSE}?feedback_for=abc").status_code == 404
    response = client.post(COMPOSE, _confirm(compose_data(type="feedback", feedback_for=tip.pk)))
    assert response.status_code == 400 and "its feedback was already sent" in _page(response)


# --- prefilled from a tip or a network ---------------------------------------------------------------------------


def test_using_a_tip_prefills_a_prevention_tip_in_its_language(client, english):
    tip = Tip.objects.create(language="fr", title="Vélo volé", body="Attachez **le cadre**.", sms="PLP: cadenas")
    page = _page(sign_in(client, english.zone_officer).get(f"{COMPOSE}?tip={tip.pk}"))
    assert 'name="type" value="prevention_tip" required id="id_type_2" checked' in page
    assert 'value="Vélo volé"' in page and "Attachez **le cadre**." in page and "PLP: cadenas</textarea>" in page
    assert "Filled in with the prevention tip" in page
    from geography.models import PoliceZone

    brussels_tip = Tip.objects.create(
        zone=PoliceZone.objects.current().get(code=5339), language="fr", title="Bruxelles", body="x"
    )
    assert client.get(f"{COMPOSE}?tip={brussels_tip.pk}").status_code == 404


def test_a_network_can_be_preselected(client, english):
    network(code="BIN-11002-2", name="BIN Zuid")
    page = _page(sign_in(client, english.zone_officer).get(f"{COMPOSE}?network=BIN-11002-2"))
    assert 'value="BIN-11002-2" id="id_networks_1" checked' in page
    assert 'value="BIN-11002-1" id="id_networks_0" checked' not in page
    page = _page(client.get(f"{COMPOSE}?network=BIN-21004-1"))  # out of scope: simply not preselected
    assert "checked" not in page.split('id="id_networks"')[1].split("</fieldset>")[0]
