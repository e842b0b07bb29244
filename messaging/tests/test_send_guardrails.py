"""Guardrails before sending: the number-plate warning (Belgian and common foreign formats, no false alarms on
ordinary texts) and the weekly overload warning per network."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from messaging import guardrails
from messaging.services import targets

from .send_support import TEXTS, network, send


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Wagen met plaat 1-ABC-234 gezien", ["1-ABC-234"]),
        ("Nummerplaat 1ABC234 in de straat", ["1ABC234"]),
        ("plaat 2-xyz-987, kleine letters", ["2-xyz-987"]),
        ("Plaque 1 ABC 234", ["1 ABC 234"]),
        ("Oude plaat ABC-123 en 123-ABC", ["ABC-123", "123-ABC"]),
        ("Nederlandse wagen XX-999-X", ["XX-999-X"]),
        ("Nederlandse wagen 99-XXX-9", ["99-XXX-9"]),
        ("Voiture française AB-123-CD", ["AB-123-CD"]),
        ("Voiture française AB 123 CD", ["AB 123 CD"]),
        ("Deutsches Auto B-AB 1234", ["B-AB 1234"]),
        ("British car AB12 CDE", ["AB12 CDE"]),
        ("Twee keer 1-ABC-234 en nog eens 1-ABC-234", ["1-ABC-234"]),
    ],
)
def test_number_plates_are_found(text, found):
    assert [match for match, _country in guardrails.plates_in(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "Bel 101 of 112 bij nood.",
        "BEL 101 OF 112",
        "Netwerk BIN-11002-1 in zone 5345",
        "Op 12-05-2024 om 22:30 aan de Meir 12",
        "Postcode 2000 Antwerpen, bel 0470 12 34 56",
        "Card Stop: 078 170 170",
        "Three men walked 100 metres down the street",
        "Een E-bike en een GSM werden gestolen.",
        "Rue Neuve 123, 1000 Bruxelles",
    ],
)
def test_ordinary_texts_raise_no_plate_warning(text):
    assert guardrails.plates_in(text) == []


def test_plate_findings_name_the_language_and_the_part():
    texts = {"nl": {"title": "Inbraak", "body": "Wagen 1-ABC-234 reed weg.", "sms": "Let op 1ABC234"}}
    findings = guardrails.plate_findings(texts)
    assert [(f.language, f.part, f.text) for f in findings] == [("nl", "body", "1-ABC-234"), ("nl", "sms", "1ABC234")]


@pytest.mark.django_db
def test_the_plate_warning_asks_for_an_acknowledgement(personas):
    draft = targets.draft_build(
        actor=personas.zone_officer,
        message_type="urgent_alert",
        target_kind="networks",
        network_codes=["BIN-11002-1"],
        texts={"en": {"title": "Burglary", "body": "A car AB-123-CD drove off.", "sms": ""}},
    )
    [warning] = guardrails.check(draft)
    assert warning.code == guardrails.NUMBER_PLATE and warning.needs_acknowledgement
    assert warning.items == ["“AB-123-CD” in the text (English)"]
    assert guardrails.needs_acknowledgement([warning])


@pytest.mark.django_db
def test_a_network_with_too_many_non_urgent_messages_this_week_is_named(personas, settings):
    settings.BINPLP_WEEKLY_MESSAGE_WARNING = 2
    quiet = network(code="BIN-11002-2", name="BIN Zuid")
    for _index in range(2):
        send(personas, message_type="newsletter")
    send(personas, message_type="urgent_alert")  # urgent messages do not count
    old = send(personas, message_type="newsletter")
    type(old).objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=8))
    loads = guardrails.weekly_load(message_type="prevention_tip", networks=[personas.network_a, quiet])
    assert [(load.network.code, load.count) for load in loads] == [("BIN-11002-1", 2)]
    assert guardrails.weekly_load(message_type="urgent_alert", networks=[personas.network_a]) == []
    draft = targets.draft_build(
        actor=personas.zone_officer,
        message_type="prevention_tip",
        target_kind="networks",
        network_codes=["BIN-11002-1", "BIN-11002-2"],
        texts=TEXTS,
    )
    [warning] = guardrails.check(draft)
    assert warning.code == guardrails.OVERLOAD and not warning.needs_acknowledgement
    assert warning.items == ["BIN Network A: 2 non-urgent messages in the last 7 days; this one would be number 3."]


@pytest.mark.django_db
def test_scheduled_messages_count_for_the_week_they_go_in(personas, settings):
    settings.BINPLP_WEEKLY_MESSAGE_WARNING = 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    send(personas, message_type="newsletter", send_at=tomorrow)
    assert guardrails.weekly_load(message_type="newsletter", networks=[personas.network_a]) == []
    loads = guardrails.weekly_load(
        message_type="newsletter", networks=[personas.network_a], at=tomorrow + datetime.timedelta(hours=1)
    )
    assert [load.count for load in loads] == [1]
