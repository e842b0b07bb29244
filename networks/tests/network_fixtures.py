"""Fixtures of the networks-core tests (N1), imported by name into each test module that uses them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from networks.models import Network


@pytest.fixture
def english(personas):
    """The personas with English as their interface language, so assertions can read the messages."""
    from accounts.models import User

    people = list(personas.all().values())
    User.objects.filter(pk__in=[person.pk for person in people]).update(language="en")
    for person in people:
        person.language = "en"
    with translation.override("en"):
        yield personas


@pytest.fixture
def antwerp(reference_data):
    from geography.models import Municipality

    return Municipality.objects.current().get(refnis="11002")


@pytest.fixture
def make_network(personas):
    """Create networks through the service as ADVP (Antwerp unless told otherwise)."""
    from geography.models import Municipality
    from networks.services import network_create

    def _make(name="Test network", refnis="11002", actor=None, **values) -> Network:
        municipality = Municipality.objects.current().get(refnis=refnis)
        return network_create(actor=actor or personas.advp_admin, name=name, municipality=municipality, **values)

    return _make


def bulk_networks(count: int, *, municipality, zone, prefix: str = "Bulk", first: int = 1000) -> list[Network]:
    """Many networks at once, written directly (for query-count tests), each with two streets."""
    from networks.models import AreaStreet, Charter

    networks = Network.objects.bulk_create(
        Network(
            code=f"BIN-{municipality.refnis}-{first + index}",
            name=f"{prefix} {index:03d}",
            municipality=municipality,
            zone=zone,
            status="active" if index % 2 else "in_preparation",
            founded_on=datetime.date(2010 + index % 8, 1, 1),
        )
        for index in range(count)
    )
    through = Network.municipalities.through
    through.objects.bulk_create(through(network_id=n.pk, municipality_id=municipality.pk) for n in networks)
    AreaStreet.objects.bulk_create(
        AreaStreet(network=n, postal_code="2000", street=f"Straat {i}", street_normalised=f"straat {i}")
        for n in networks
        for i in range(2)
    )
    Charter.objects.bulk_create(Charter(network=n, version=1) for n in networks[::3])
    return networks


# A small square in the centre of Antwerp, one in Brussels, and a self-crossing "bow tie".
ANTWERP_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.40, 51.215], [4.41, 51.215], [4.41, 51.222], [4.40, 51.222], [4.40, 51.215]]],
}
BRUSSELS_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.35, 50.845], [4.36, 50.845], [4.36, 50.85], [4.35, 50.85], [4.35, 50.845]]],
}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[4.40, 51.215], [4.41, 51.222], [4.41, 51.215], [4.40, 51.222], [4.40, 51.215]]],
}
