import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from networks.models import AreaStreet
from networks.selectors import known_streets
from networks.services import (
    area_polygon_set,
    area_street_add,
    area_street_remove,
    area_streets_replace,
    polygon_validate,
)
from networks.tests.network_fixtures import ANTWERP_SQUARE, BOW_TIE, BRUSSELS_SQUARE
from networks.text import normalise_street, parse_street_lines

# --- parsing and normalising (no database) -----------------------------------------------------------


def test_street_names_are_normalised_for_search_and_dedupe():
    assert normalise_street("  Rue de  l’Église ") == "rue de l'eglise"
    assert normalise_street("Ste-Gudulaplein") == normalise_street("ste-gudulaplein")
    assert normalise_street("Düsseldorfer Straße") == "dusseldorfer strasse"


def test_pasted_lines_with_postal_codes_and_numbers():
    parsed = parse_street_lines("Meir;2000\nGroenplaats;2000;1;25\n\nMechelsesteenweg\t2018\t10\t\n")
    assert [(r.line, r.street, r.postal_code, r.number_from, r.number_to) for r in parsed.rows] == [
        (1, "Meir", "2000", None, None),
        (2, "Groenplaats", "2000", 1, 25),
        (4, "Mechelsesteenweg", "2018", 10, None),
    ]
    assert parsed.errors == [] and parsed.duplicates == []


def test_one_street_per_line_takes_the_chosen_postal_code_and_duplicates_are_reported():
    parsed = parse_street_lines("meir\nGroenplaats\nMEIR\nMéir;2000", default_postal_code="2000")
    assert [r.street for r in parsed.rows] == ["Meir", "Groenplaats"]
    assert parsed.duplicates == [(3, 1), (4, 1)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Meir", "postal code is missing"),
        ("Meir;200", "not a Belgian postal code"),
        ("Meir;2000;a", "not a house number"),
        ("Meir;2000;10;2", "lower than the first"),
        ("Meir;2000;1;2;3", "too many parts"),
        (";2000", "street name is missing"),
    ],
)
def test_bad_lines_say_what_is_wrong(line, message):
    from django.utils import translation

    with translation.override("en"):
        parsed = parse_street_lines(line)
    assert parsed.rows == []
    [(number, text)] = parsed.errors
    assert number == 1 and message in text


# --- streets ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_adds_a_street_normalised_and_audited(personas):
    network = personas.network_a
    street = area_street_add(
        actor=personas.zone_officer, network=network, postal_code="2018", street=" kerkstraat ", number_from=2
    )
    assert (street.street, street.street_normalised, street.number_from) == ("Kerkstraat", "kerkstraat", 2)
    event = AuditEvent.objects.filter(object_id=str(network.pk)).latest("pk")
    assert event.changes == {"area_street": [None, "Kerkstraat 2–, 2018"]}


@pytest.mark.django_db
def test_a_street_needs_a_postal_code_of_the_network(english):
    before = AreaStreet.objects.count()
    with pytest.raises(ValidationError) as caught:
        area_street_add(actor=english.zone_officer, network=english.network_a, postal_code="1000", street="Rue Neuve")
    assert caught.value.error_dict["postal_code"][0].code == "postal_code_outside"
    assert "1000" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        area_street_add(actor=english.zone_officer, network=english.network_a, postal_code="2000", street="MEIR")
    assert caught.value.error_dict["street"][0].code == "duplicate_street"
    with pytest.raises(ValidationError) as caught:
        area_street_add(
            actor=english.zone_officer,
            network=english.network_a,
            postal_code="2000",
            street="Lange Nieuwstraat",
            number_from=10,
            number_to=5,
        )
    assert "number_to" in caught.value.error_dict
    assert AreaStreet.objects.count() == before


@pytest.mark.django_db
def test_it_removes_a_street(personas):
    network = personas.network_a
    street = network.streets.get(street="Meir")
    area_street_remove(actor=personas.zone_officer, network=network, street=street)
    assert not network.streets.filter(street="Meir").exists()
    with pytest.raises(PermissionDenied):
        area_street_remove(actor=personas.municipality_official, network=network, street=network.streets.first())


@pytest.mark.django_db
def test_a_pasted_list_replaces_all_or_nothing(english):
    network = english.network_a
    before = sorted(network.streets.values_list("street", flat=True))
    with pytest.raises(ValidationError) as caught:
        area_streets_replace(
            actor=english.zone_officer, network=network, text="Kerkstraat;2000\nRue Neuve;1000\nNoPostcode"
        )
    messages = caught.value.messages
    assert any(m.startswith("Line 2:") and "1000" in m for m in messages)
    assert any(m.startswith("Line 3:") and "postal code is missing" in m for m in messages)
    assert sorted(network.streets.values_list("street", flat=True)) == before

    result = area_streets_replace(
        actor=english.zone_officer,
        network=network,
        text="Kerkstraat\nLange Nieuwstraat;2000;1;99\nkerkstraat\nTurnhoutsebaan;2140",
        default_postal_code="2000",
    )
    assert (result.added, result.removed, result.duplicates) == (3, 3, [(3, 1)])
    assert sorted(network.streets.values_list("postal_code", "street")) == [
        ("2000", "Kerkstraat"),
        ("2000", "Lange Nieuwstraat"),
        ("2140", "Turnhoutsebaan"),
    ]


@pytest.mark.django_db
def test_a_pasted_list_can_add_to_the_streets(personas):
    network = personas.network_a
    result = area_streets_replace(
        actor=personas.zone_officer, network=network, text="Meir;2000\nKerkstraat;2000", replace=False
    )
    assert (result.added, result.removed, result.already_present) == (1, 0, [1])
    assert network.streets.count() == 4


@pytest.mark.django_db
def test_street_suggestions_come_from_the_register(personas):
    assert known_streets(prefix="gro", postal_codes=["2000"]) == ["Groenplaats"]
    assert known_streets(prefix="g", postal_codes=["2000"]) == []  # too short
    assert known_streets(prefix="gro", postal_codes=["1000"]) == []


# --- polygon ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_polygon_in_the_municipality_is_saved(personas):
    network = area_polygon_set(
        actor=personas.zone_officer, network=personas.network_a, geojson=json.dumps(ANTWERP_SQUARE)
    )
    network.refresh_from_db()
    assert network.area_polygon["type"] == "Polygon"
    assert network.area_polygon["coordinates"][0][0] == [4.40, 51.215]
    area_polygon_set(actor=personas.zone_officer, network=network, geojson="")
    network.refresh_from_db()
    assert network.area_polygon is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("{not json", "invalid_json"),
        (json.dumps({"type": "Point", "coordinates": [4.4, 51.2]}), "not_polygon"),
        (json.dumps(BOW_TIE), "invalid_polygon"),
        (json.dumps(BRUSSELS_SQUARE), "outside_municipalities"),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[51.2, 4.4], [51.3, 4.4], [51.3, 4.5], [51.2, 4.4]]]}),
            "outside_belgium",
        ),
        (json.dumps({"type": "Polygon", "coordinates": [[[4.4]]]}), "bad_coordinates"),
    ],
)
def test_bad_polygons_are_refused(personas, value, code):
    with pytest.raises(ValidationError) as caught:
        area_polygon_set(actor=personas.zone_officer, network=personas.network_a, geojson=value)
    assert caught.value.error_dict["area_polygon"][0].code == code
    personas.network_a.refresh_from_db()
    assert personas.network_a.area_polygon is None


@pytest.mark.django_db
def test_features_and_touching_polygons_are_accepted(personas):
    feature = {"type": "Feature", "properties": {}, "geometry": ANTWERP_SQUARE}
    assert polygon_validate(feature, municipalities=[personas.network_a.municipality])["type"] == "Polygon"
    collection = {"type": "FeatureCollection", "features": [feature]}
    assert polygon_validate(json.dumps(collection), municipalities=[personas.network_a.municipality])
