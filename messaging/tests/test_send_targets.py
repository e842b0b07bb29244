"""Target resolution and the checked draft (services/targets.py): networks, a zone, a municipality and a drawn area,
always within the networks the sender may reach, with a specific error for every target outside that scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from geography.models import Municipality, PoliceZone
from messaging.services import targets

from .send_support import ARDENNES_AREA, MEIR_AREA, TEXTS, charter, network, send

pytestmark = pytest.mark.django_db


def _errors(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def _draft(personas, **kwargs):
    values = {
        "actor": personas.zone_officer,
        "message_type": "prevention_tip",
        "target_kind": "networks",
        "network_codes": ["BIN-11002-1"],
        "texts": TEXTS,
    }
    values.update(kwargs)
    return targets.draft_build(**values)


# --- networks ----------------------------------------------------------------------------------------------------


def test_officers_reach_the_networks_of_their_zone_and_coordinators_their_own(personas):
    other = network(code="BIN-11002-2", name="BIN Zuid")
    assert {n.code for n in targets.sendable_networks(personas.zone_officer)} == {"BIN-11002-1", "BIN-11002-2"}
    assert {n.code for n in targets.sendable_networks(personas.coordinator)} == {"BIN-11002-1"}
    assert not targets.sendable_networks(personas.municipality_official).exists()
    assert [n.code for n in targets.networks_from_codes(actor=personas.zone_officer, codes=[" bin-11002-2 "])] == [
        other.code
    ]


def test_a_network_outside_the_scope_is_named_in_the_error(personas):
    errors = _errors(targets.networks_from_codes, actor=personas.zone_officer, codes=["BIN-11002-1", "BIN-21004-1"])
    assert errors["networks"] == [
        "You may not send messages to these networks: BIN-21004-1. Mandated officers reach the networks of their "
        "zone, coordinators their own network."
    ]
    network(code="BIN-11002-2", name="BIN Zuid")
    assert (
        "BIN-11002-2"
        in _errors(targets.networks_from_codes, actor=personas.coordinator, codes=["BIN-11002-2"])["networks"][0]
    )


def test_unknown_and_ended_networks_get_their_own_errors(personas):
    assert _errors(targets.networks_from_codes, actor=personas.zone_officer, codes=["BIN-99999-9"]) == {
        "networks": ["No network has this code: BIN-99999-9."]
    }
    assert _errors(targets.networks_from_codes, actor=personas.zone_officer, codes=[]) == {
        "networks": ["Choose at least one network."]
    }
    network(code="BIN-11002-3", name="BIN Oud", status="dissolved")
    assert _errors(targets.networks_from_codes, actor=personas.zone_officer, codes=["BIN-11002-3"]) == {
        "networks": ["These networks were dissolved or merged: BIN-11002-3."]
    }


# --- zone and municipality ---------------------------------------------------------------------------------------


def test_a_whole_zone_is_its_networks_for_its_officers_only(personas):
    network(code="BIN-11002-2", name="BIN Zuid")
    antwerp = PoliceZone.objects.current().get(code=5345)
    zone, networks = targets.networks_of_zone(actor=personas.zone_officer, zone_id=antwerp.pk)
    assert zone == antwerp and [n.code for n in networks] == ["BIN-11002-1", "BIN-11002-2"]
    brussels = PoliceZone.objects.current().get(code=5339)
    assert _errors(targets.networks_of_zone, actor=personas.zone_officer, zone_id=brussels.pk) == {
        "target_zone": [f"You are not a mandated officer of {brussels}: choose your own zone."]
    }
    assert _errors(targets.networks_of_zone, actor=personas.zone_officer, zone_id=999999) == {
        "target_zone": ["Choose a police zone."]
    }


def test_a_whole_municipality_is_the_networks_covering_it_in_the_officers_zone(personas):
    antwerp = Municipality.objects.current().get(refnis="11002")
    municipality, networks = targets.networks_of_municipality(actor=personas.zone_officer, municipality_id=antwerp.pk)
    assert municipality == antwerp and [n.code for n in networks] == ["BIN-11002-1"]
    brussels = Municipality.objects.current().get(refnis="21004")
    errors = _errors(targets.networks_of_municipality, actor=personas.zone_officer, municipality_id=brussels.pk)
    assert errors == {"target_municipality": [f"{brussels.name} does not belong to your police zone."]}


def test_officer_municipalities_are_those_of_the_zone(personas):
    names = set(targets.officer_municipalities(personas.zone_officer).values_list("refnis", flat=True))
    assert "11002" in names and "21004" not in names
    assert not targets.officer_municipalities(personas.coordinator).exists()


# --- area --------------------------------------------------------------------------------------------------------


def test_an_area_reaches_the_networks_whose_area_intersects_it(personas):
    inside = network(code="BIN-11002-2", name="BIN Meir", area=MEIR_AREA)
    far = {
        "type": "Polygon",
        "coordinates": [[[4.30, 51.30], [4.31, 51.30], [4.31, 51.31], [4.30, 51.31], [4.30, 51.30]]],
    }
    network(code="BIN-11002-3", name="BIN Noord", area=far)
    drawn = {
        "type": "Polygon",
        "coordinates": [[[4.405, 51.218], [4.415, 51.218], [4.415, 51.225], [4.405, 51.225], [4.405, 51.218]]],
    }
    match = targets.networks_in_area(actor=personas.zone_officer, area=drawn)
    codes = {n.code for n in match.networks}
    assert inside.code in codes and "BIN-11002-3" not in codes
    # Network A has no area of its own: it is matched by the boundary of Antwerp, which the drawing lies in.
    assert "BIN-11002-1" in codes and [n.code for n in match.by_boundary] == ["BIN-11002-1"]
    assert match.ignored == []


def test_an_area_outside_every_reachable_network_is_an_error(personas):
    assert _errors(targets.networks_in_area, actor=personas.zone_officer, area=ARDENNES_AREA) == {
        "target_area": ["No network you may send to lies in this area."]
    }


def test_networks_without_area_or_known_boundary_are_left_out_and_said(personas):
    from geography.models import MunicipalityBoundary

    MunicipalityBoundary.objects.filter(municipality__refnis="11002").delete()
    inside = network(code="BIN-11002-2", name="BIN Meir", area=MEIR_AREA)
    match = targets.networks_in_area(actor=personas.zone_officer, area=MEIR_AREA)
    assert [n.code for n in match.networks] == [inside.code]
    assert [n.code for n in match.ignored] == ["BIN-11002-1"]


def test_a_coordinator_area_reaches_only_their_network(personas):
    network(code="BIN-11002-2", name="BIN Meir", area=MEIR_AREA)
    match = targets.networks_in_area(actor=personas.coordinator, area=MEIR_AREA)
    assert [n.code for n in match.networks] == ["BIN-11002-1"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Draw the area on the map: click at least three corners."),
        ("{not json", "The area is not valid GeoJSON."),
        ('{"type": "Point", "coordinates": [4.4, 51.2]}', "The area must be a polygon."),
        (
            {"type": "Polygon", "coordinates": [[[4.4, 51.2], [4.41, 51.21], [4.4, 51.2]]]},
            "The area is empty: click at least three corners.",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[4.40, 51.20], [4.41, 51.21], [4.41, 51.20], [4.40, 51.21], [4.40, 51.20]]],
            },
            "The area's edges cross each other: draw its corners in order around it.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[51.2, 4.4], [51.3, 4.4], [51.3, 4.5], [51.2, 4.4]]]},
            "The area lies outside Belgium: coordinates are longitude, latitude (WGS84).",
        ),
    ],
)
def test_a_bad_area_gets_a_clear_error(value, message):
    assert _errors(targets.area_parse, value=value) == {"target_area": [message]}


def test_an_area_may_come_as_json_text_or_a_feature():
    import json

    assert targets.area_parse(json.dumps(MEIR_AREA))["type"] == "Polygon"
    feature = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": MEIR_AREA}]}
    assert targets.area_parse(feature)["coordinates"][0][0] == [4.40, 51.215]


# --- the draft ---------------------------------------------------------------------------------------------------


def test_a_draft_holds_everything_the_send_needs(personas):
    later = timezone.now() + datetime.timedelta(days=1)
    draft = _draft(personas, texts={"nl": {"title": " Titel ", "body": "Tekst", "sms": "a\r\nb"}}, send_at=later)
    assert draft.sender == "police" and [n.code for n in draft.networks] == ["BIN-11002-1"]
    assert draft.texts == {"nl": {"title": "Titel", "body": "Tekst", "sms": "a\nb"}}
    kwargs = draft.send_kwargs()
    assert (
        kwargs["send_at"] == later and kwargs["target_kind"] == "networks" and kwargs["actor"] == personas.zone_officer
    )


def test_a_draft_collects_every_problem_at_once(personas):
    errors = _errors(
        _draft,
        personas=personas,
        message_type="gossip",
        network_codes=["BIN-21004-1"],
        texts={"nl": {"title": "x" * 151, "body": "", "sms": "a" * 500}},
        send_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert errors["type"] == ["Choose a message type."]
    assert errors["networks"][0].startswith("You may not send messages to these networks: BIN-21004-1.")
    assert errors["title_nl"] == ["The title is 151 characters long; at most 150."]
    assert errors["body_nl"] == ["Write the text of the message."]
    assert errors["sms_nl"] == ["The SMS text needs 4 messages; at most 3."]
    assert errors["send_at"] == ["Choose a time in the future, or send now."]


def test_only_officers_target_a_zone_or_municipality(personas):
    errors = _errors(_draft, personas=personas, actor=personas.coordinator, target_kind="zone", zone_id=1)
    assert errors["target_kind"] == ["Only mandated officers send to a whole zone or municipality."]


def test_a_coordinator_sends_only_the_types_of_the_communication_plan(personas):
    charter(personas.network_a, coordinator_types=["prevention_tip", "newsletter"])
    draft = _draft(personas, actor=personas.coordinator)
    assert draft.sender == "coordinator"
    errors = _errors(_draft, personas=personas, actor=personas.coordinator, message_type="urgent_alert")
    assert errors == {
        "type": ["The communication plan of BIN Network A does not let coordinators send this type of message."]
    }


def test_feedback_needs_an_alert_of_the_zone_that_owes_it(personas):
    alert = send(personas, message_type="urgent_alert")
    draft = _draft(personas, message_type="feedback", feedback_for_id=alert.pk)
    assert draft.feedback_for == alert
    assert _errors(_draft, personas=personas, message_type="newsletter", feedback_for_id=alert.pk) == {
        "type": ["Feedback on an alert must be of the type feedback."]
    }
    tip = send(personas)
    assert _errors(_draft, personas=personas, message_type="feedback", feedback_for_id=tip.pk) == {
        "feedback_for": ["This alert does not wait for feedback: its feedback was already sent."]
    }
    errors = _errors(_draft, personas=personas, actor=personas.other_zone_officer, feedback_for_id=alert.pk)
    assert errors["feedback_for"] == ["You cannot give feedback on this message: it is not an alert of your zone."]
