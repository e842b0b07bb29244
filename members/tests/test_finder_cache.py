"""The finder keeps its reads while the database is unchanged (SQLite) and sees every change at once: its own writes
(bulk ones and queryset updates too), other connections' commits, and nothing kept inside a transaction."""

import threading

import pytest
from django.db import connection, transaction

from members import selectors
from networks.models import AreaStreet, Network
from networks.text import normalise_street

pytestmark = pytest.mark.django_db(transaction=True)


def _codes(networks):
    return {network.code for network in networks}


def _in_another_connection(function):
    """Run `function` in a thread: Django gives it its own database connection, which it commits and closes."""
    errors = []

    def run():
        try:
            function()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors


def test_warm_searches_read_the_database_only_when_it_changed(personas, django_assert_num_queries):
    network = personas.network_a
    assert _codes(selectors.find(postal_code="2000", street="Meir").networks) == {"BIN-11002-1"}
    assert _codes(selectors.find(postal_code="2000", street="Nergensstraat").nearby) == {"BIN-11002-1"}
    warm = 0 if connection.vendor == "sqlite" else 6
    with django_assert_num_queries(warm):
        assert _codes(selectors.find(postal_code="2000", street="Meirr", number=12).networks) == {"BIN-11002-1"}
        assert _codes(selectors.find(postal_code="2000", street="Nergenstraat").nearby) == {"BIN-11002-1"}

    # Its own writes, even those that send no signal (queryset updates, bulk inserts).
    Network.objects.filter(pk=network.pk).update(status="dormant")
    assert selectors.networks_covering("2000", "Meir") == []
    Network.objects.filter(pk=network.pk).update(status="active")
    AreaStreet.objects.bulk_create(
        [AreaStreet(network=network, postal_code="2000", street="Kammenstraat", street_normalised="kammenstraat")]
    )
    assert _codes(selectors.networks_covering("2000", "Kammenstraat")) == {"BIN-11002-1"}

    # Another connection's commit (another worker process, the background worker).
    _in_another_connection(lambda: AreaStreet.objects.filter(street_normalised="kammenstraat").delete())
    assert selectors.networks_covering("2000", "Kammenstraat") == []
    _in_another_connection(lambda: Network.objects.filter(pk=network.pk).update(name="BIN Renamed"))
    assert [n.name for n in selectors.networks_covering("2000", "Meir")] == ["BIN Renamed"]

    # Inside a transaction nothing is kept: what it wrote may yet roll back.
    with transaction.atomic():
        AreaStreet.objects.create(
            network=network, postal_code="2000", street="Lange Nieuwstraat", street_normalised="lange nieuwstraat"
        )
        assert _codes(selectors.networks_covering("2000", "Lange Nieuwstraat")) == {"BIN-11002-1"}
        transaction.set_rollback(True)
    assert selectors.networks_covering("2000", "Lange Nieuwstraat") == []
    assert normalise_street("Lange Nieuwstraat") not in selectors.matching_street_names("2000", "Lange Nieuwstraat")
