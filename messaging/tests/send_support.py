"""Fixtures and helpers of part "send"'s tests (imported by messaging/tests/test_send_*.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

TEXTS = {
    "nl": {"title": "Inbraak Meir", "body": "Verdachte personen **gezien** aan de Meir.", "sms": "BIN: inbraak Meir"},
    "en": {"title": "Burglary Meir", "body": "Suspicious people seen on the Meir.", "sms": "BIN: burglary Meir"},
}
# A square around the Meir in Antwerp (longitude, latitude).
MEIR_AREA = {
    "type": "Polygon",
    "coordinates": [[[4.40, 51.215], [4.41, 51.215], [4.41, 51.222], [4.40, 51.222], [4.40, 51.215]]],
}
# A square in the Ardennes, far from Antwerp.
ARDENNES_AREA = {
    "type": "Polygon",
    "coordinates": [[[5.60, 50.20], [5.62, 50.20], [5.62, 50.22], [5.60, 50.22], [5.60, 50.20]]],
}


@pytest.fixture
def english(personas):
    """Everybody reads English (pages are asserted in English); tests about a language choose it themselves."""
    from accounts.models import User

    User.objects.exclude(language="en").update(language="en")
    for person in personas.all().values():
        person.language = "en"
    return personas


def charter(network, *, coordinator_types=(), status="conform", feedback_hours=None):
    """A charter of `network` whose communication plan lets coordinators send `coordinator_types` (the police may
    send every type)."""
    from messaging.choices import MessageType
    from networks.models import Charter

    senders = {
        value: ["police", "coordinator"] if value in coordinator_types else ["police"] for value in MessageType.values
    }
    version = Charter.objects.filter(network=network).count() + 1
    return Charter.objects.create(
        network=network,
        version=version,
        status=status,
        senders=senders,
        message_types=list(MessageType.values),
        channels=["email", "sms"],
        feedback_hours=feedback_hours,
        submitted_at=timezone.now(),
        decided_at=timezone.now() if status == "conform" else None,
    )


def network(*, code: str, name: str, zone_code: int = 5345, refnis: str = "11002", area=None, status="active"):
    """Another network (by default in Antwerp, zone 5345)."""
    from geography.models import Municipality, PoliceZone
    from networks.models import Network

    municipality = Municipality.objects.current().get(refnis=refnis)
    created = Network.objects.create(
        code=code,
        name=name,
        kind="residential",
        status=status,
        municipality=municipality,
        zone=PoliceZone.objects.current().get(code=zone_code),
        area_polygon=area,
        merged_into=None,
    )
    created.municipalities.add(municipality)
    return created


def send(personas, *, actor=None, message_type="prevention_tip", networks=None, texts=None, **kwargs):
    """A message sent (or scheduled, with send_at) through the real service."""
    from messaging.services.sending import message_send

    return message_send(
        actor=actor or personas.zone_officer,
        message_type=message_type,
        networks=networks or [personas.network_a],
        texts=texts or TEXTS,
        **kwargs,
    ).message


def compose_data(personas=None, **overrides) -> dict:
    """The compose form's fields for a prevention tip to network A, sent now."""
    data = {
        "type": "prevention_tip",
        "target_kind": "networks",
        "networks": ["BIN-11002-1"],
        "when": "now",
        "title_nl": "Fietsdiefstal",
        "body_nl": "Maak uw fiets **altijd** vast aan iets vasts.",
        "sms_nl": "BIN-tip: maak uw fiets vast aan iets vasts.",
        "title_en": "Bicycle theft",
        "body_en": "Always lock your bicycle to something fixed.",
        "sms_en": "BIN tip: lock your bicycle to something fixed.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def brussels(days: int = 1, hour: int = 9) -> datetime.datetime:
    """A time `days` from today at `hour`:00 in Brussels."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Brussels")
    day = timezone.now().astimezone(tz).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=tz)


def sign_in(client, user):
    client.force_login(user)
    client.cookies["binplp_language"] = "en"
    return client
