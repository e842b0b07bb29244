"""The public finder: forgiving matching, numbers and parity, points, the API, and only public data."""

import pytest
from django.utils import translation

from geography.models import Municipality
from members import selectors
from networks.models import AreaStreet, Network
from networks.tests.network_fixtures import ANTWERP_SQUARE
from networks.text import normalise_street

pytestmark = pytest.mark.usefixtures("reference_data")


def _street(network, postal_code, street, **numbers):
    return AreaStreet.objects.create(
        network=network, postal_code=postal_code, street=street, street_normalised=normalise_street(street), **numbers
    )


def _codes(networks):
    return {network.code for network in networks}


@pytest.mark.parametrize("street", ["Meir", "meir", "MEIR", "Méir", " Meir ", "Meirr"])
def test_it_matches_case_accents_and_typos(personas, street):
    assert _codes(selectors.networks_covering("2000", street)) == {"BIN-11002-1"}


def test_it_forgives_a_transposition_in_a_longer_name(personas):
    assert _codes(selectors.networks_covering("2000", "Groenplaast")) == {"BIN-11002-1"}
    assert selectors.networks_covering("2000", "Kerkstraat") == []


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Mechelsesteenweg", "Mechelsestwg"),
        ("Mechelsesteenweg", "Mechelse stwg."),
        ("Kerkstraat", "Kerkstr."),
        ("Avenue Louise", "av. Louise"),
        ("Avenue Louise", "Ave Louise"),
        ("Boulevard Anspach", "bd Anspach"),
        ("Boulevard Anspach", "Boul. Anspach"),
        ("Place Flagey", "pl. Flagey"),
        ("Chaussée de Wavre", "ch. de Wavre"),
    ],
)
def test_it_writes_out_abbreviations(personas, stored, typed):
    network = personas.network_a
    if stored != "Mechelsesteenweg":
        _street(network, "2018", stored)
    assert _codes(selectors.networks_covering("2018", typed)) == {"BIN-11002-1"}


def test_it_respects_house_number_ranges_and_parity(personas):
    network = personas.network_a
    _street(network, "2018", "Lange Kievitstraat", number_from=10, number_to=40, parity="even")
    assert _codes(selectors.networks_covering("2018", "Lange Kievitstraat", 12)) == {"BIN-11002-1"}
    assert selectors.networks_covering("2018", "Lange Kievitstraat", 13) == []  # odd
    assert selectors.networks_covering("2018", "Lange Kievitstraat", 42) == []  # beyond the range
    assert selectors.networks_covering("2018", "Lange Kievitstraat", 8) == []
    assert _codes(selectors.networks_covering("2018", "Lange Kievitstraat")) == {"BIN-11002-1"}  # no number
    assert _codes(selectors.networks_covering("2000", "Meir", 999)) == {"BIN-11002-1"}  # the whole street


def test_brussels_streets_match_in_either_language(personas):
    network_b = personas.network_b
    _street(network_b, "1000", "Nieuwstraat")
    assert _codes(selectors.networks_covering("1000", "rue neuve")) == {"BIN-21004-1"}
    assert _codes(selectors.networks_covering("1000", "Nieuwstraat")) == {"BIN-21004-1"}
    assert _codes(selectors.networks_covering("1000", "Nieuwstr.")) == {"BIN-21004-1"}


def test_only_active_networks_are_found(personas):
    Network.objects.filter(pk=personas.network_a.pk).update(status="dormant")
    assert selectors.networks_covering("2000", "Meir") == []
    result = selectors.find(postal_code="2000", street="Meir")
    assert result.networks == [] and personas.network_a not in result.nearby


def test_an_unknown_street_gives_the_nearby_networks(personas, client):
    result = selectors.find(postal_code="2000", street="Nergensstraat")
    assert result.networks == []
    assert _codes(result.nearby) == {"BIN-11002-1"}
    assert [m.refnis for m in result.municipalities] == ["11002"]
    with translation.override("en"):
        response = client.get("/find/", {"postal_code": "2000", "street": "Nergensstraat"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "BIN Network A" in html and "/geography/municipalities/" in html


def test_a_point_finds_the_municipality_and_drawn_areas(personas):
    Network.objects.filter(pk=personas.network_a.pk).update(area_polygon=ANTWERP_SQUARE)
    result = selectors.find(lat=51.218, lon=4.405)
    assert [m.refnis for m in result.municipalities] == ["11002"]
    assert _codes(result.networks) == {"BIN-11002-1"}
    outside = selectors.find(lat=51.25, lon=4.45)  # elsewhere in Antwerp, outside the square
    assert outside.networks == [] and _codes(outside.nearby) == {"BIN-11002-1"}
    brussels = selectors.find(lat=50.8466, lon=4.3528)
    assert Municipality.objects.get(pk=brussels.municipalities[0].pk).refnis == "21004"


@pytest.mark.parametrize("code", ["200", "20000", "abcd", "0123"])
def test_a_malformed_postal_code_is_refused_with_a_translated_message(client, code):
    with translation.override("en"):
        response = client.get("/find/", {"postal_code": code, "street": "Meir"}, HTTP_ACCEPT_LANGUAGE="en")
        api = client.get("/api/v1/finder/", {"postal_code": code, "street": "Meir"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "four digits" in response.content.decode()
    assert api.status_code == 400 and "postal_code" in api.json()["errors"]
    with translation.override("nl"):
        dutch = client.get("/find/", {"postal_code": code, "street": "Meir"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 200


def test_the_street_is_required_for_an_address(client):
    assert client.get("/api/v1/finder/", {"postal_code": "2000"}).status_code == 400


def test_the_api_gives_what_the_page_shows(client, personas):
    query = {"postal_code": "2000", "street": "Meirr", "number": "12"}
    body = client.get("/api/v1/finder/", query).json()
    assert [n["code"] for n in body["networks"]] == ["BIN-11002-1"]
    page = client.get("/find/", query)
    assert page.status_code == 200
    assert page.context["result"] == body
    assert "BIN Network A" in page.content.decode()


def test_only_public_fields_are_exposed(client, personas):
    Network.objects.filter(pk=personas.network_a.pk).update(public_email="bin.a@example.be", public_phone="03 123")
    body = client.get("/api/v1/finder/", {"postal_code": "2000", "street": "Meir"}).json()
    (network,) = body["networks"]
    assert set(network) == {
        "code", "name", "kind", "kind_label", "municipality", "municipality_url", "zone", "zone_url",
        "public_description", "public_email", "public_phone", "how_to_join", "join_url",
    }  # fmt: skip
    assert network["join_url"] == "/join/BIN-11002-1/"
    assert "bin.a@example.be" in network["how_to_join"]
    text = client.get("/find/", {"postal_code": "2000", "street": "Meir"}).content.decode()
    assert personas.coordinator.email not in text and personas.coordinator.last_name not in text


def test_the_finder_is_public_and_read_only(client, personas):
    assert client.get("/find/").status_code == 200
    assert client.post("/find/", {}).status_code == 405
    assert client.post("/api/v1/finder/", {}).status_code in (403, 405)
    client.force_login(personas.member)
    assert client.get("/api/v1/finder/", {"postal_code": "2000", "street": "Meir"}).status_code == 200


def test_query_counts_are_bounded(client, personas, django_assert_max_num_queries):
    for index in range(10):
        _street(personas.network_a, "2000", f"Straat {index}")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/finder/", {"postal_code": "2000", "street": "Meir", "number": "3"})
    with django_assert_max_num_queries(8):
        client.get("/api/v1/finder/", {"postal_code": "2000", "street": "Nergens"})
    selectors.find(lat=51.218, lon=4.405)  # warm the per-process geometry
    with django_assert_max_num_queries(8):
        client.get("/api/v1/finder/", {"lat": "51.218", "lon": "4.405"})


def test_the_schema_documents_the_finder(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/finder/" in (tmp_path / "schema.yaml").read_text()
