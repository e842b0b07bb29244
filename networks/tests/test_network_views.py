import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing.matrix import assert_permission_matrix
from geography.models import PoliceZone
from networks.models import AreaStreet, Network, Partner
from networks.tests.network_fixtures import ANTWERP_SQUARE, BRUSSELS_SQUARE, bulk_networks

pytestmark = pytest.mark.django_db


def _people(personas, *names):
    return [getattr(personas, name) for name in names]


# --- permission matrix on every page -----------------------------------------------------------------

EVERYONE_ELSE = ("member", "trainer", "outsider")


def test_the_list_is_for_roles_that_see_networks(client, personas):
    assert_permission_matrix(
        client,
        reverse("networks:network_list"),
        allowed=_people(
            personas,
            "advp_admin",
            "knowledge_centre",
            "zone_officer",
            "other_zone_officer",
            "municipality_official",
            "coordinator",
        ),
        in_scope_wrong_role=_people(personas, *EVERYONE_ELSE),
    )


def test_the_detail_is_hidden_outside_the_scope(client, personas):
    assert_permission_matrix(
        client,
        personas.network_a.get_absolute_url(),
        allowed=_people(
            personas, "advp_admin", "knowledge_centre", "zone_officer", "municipality_official", "coordinator"
        ),
        hidden=_people(personas, "other_zone_officer", *EVERYONE_ELSE),
    )


def test_an_unknown_code_is_a_404(client, personas):
    client.force_login(personas.advp_admin)
    assert client.get("/networks/BIN-11002-999/").status_code == 404


@pytest.mark.parametrize(
    ("url_name", "extra"),
    [
        ("networks:network_edit", ()),
        ("networks:network_status", ()),
        ("networks:area_edit", ()),
        ("networks:partner_add", ()),
        ("networks:area_street_suggestions", ()),
        ("networks:partner_edit", ("partner",)),
        ("networks:partner_end", ("partner",)),
    ],
)
def test_change_pages_are_for_advp_and_the_zone(client, personas, url_name, extra):
    args = [personas.network_a.code]
    if extra:
        args.append(personas.network_a.partners.get().pk)
    assert_permission_matrix(
        client,
        reverse(url_name, args=args),
        allowed=_people(personas, "advp_admin", "zone_officer"),
        in_scope_wrong_role=_people(personas, "knowledge_centre", "municipality_official", "coordinator"),
        hidden=_people(personas, "other_zone_officer", *EVERYONE_ELSE),
    )


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("networks:area_street_add", {"postal_code": "2000", "street": "Kerkstraat", "parity": "all"}),
        ("networks:area_streets_paste", {"text": "Kerkstraat;2000", "mode": "add"}),
        ("networks:area_polygon", {"area_polygon": ""}),
    ],
)
def test_area_posts_are_for_advp_and_the_zone(client, personas, url_name, data):
    url = reverse(url_name, args=[personas.network_a.code])
    assert_permission_matrix(
        client,
        url,
        method="post",
        data=data,
        allowed=_people(personas, "zone_officer"),
        in_scope_wrong_role=_people(personas, "knowledge_centre", "municipality_official", "coordinator"),
        hidden=_people(personas, "other_zone_officer", *EVERYONE_ELSE),
        allowed_status=(302,),
    )


def test_removing_a_street_is_for_advp_and_the_zone(client, personas):
    street = personas.network_a.streets.get(street="Meir")
    url = reverse("networks:area_street_remove", args=[personas.network_a.code, street.pk])
    assert_permission_matrix(
        client,
        url,
        method="post",
        data={},
        in_scope_wrong_role=_people(personas, "knowledge_centre", "municipality_official", "coordinator"),
        hidden=_people(personas, "other_zone_officer", *EVERYONE_ELSE),
    )
    client.force_login(personas.zone_officer)
    assert client.post(url).status_code == 302
    assert not AreaStreet.objects.filter(pk=street.pk).exists()


def test_creating_is_for_advp_and_zone_officers(client, personas):
    assert_permission_matrix(
        client,
        reverse("networks:network_create"),
        allowed=_people(personas, "advp_admin", "zone_officer", "other_zone_officer"),
        in_scope_wrong_role=_people(
            personas, "knowledge_centre", "municipality_official", "coordinator", *EVERYONE_ELSE
        ),
    )


def test_the_area_geojson_follows_the_detail(client, personas):
    Network.objects.filter(pk=personas.network_a.pk).update(area_polygon=ANTWERP_SQUARE)
    url = reverse("networks:area_geojson", args=[personas.network_a.code])
    assert_permission_matrix(
        client,
        url,
        allowed=_people(
            personas, "advp_admin", "knowledge_centre", "zone_officer", "municipality_official", "coordinator"
        ),
        hidden=_people(personas, "other_zone_officer", *EVERYONE_ELSE),
    )
    client.force_login(personas.coordinator)
    data = json.loads(client.get(url).content)
    assert data["features"][0]["geometry"] == ANTWERP_SQUARE


# --- list --------------------------------------------------------------------------------------------


def _codes(response) -> list[str]:
    return [network.code for network in response.context["page"]]


def test_each_role_lists_its_own_networks(client, personas, antwerp):
    for person, expected in (
        (personas.advp_admin, ["BIN-11002-1", "BIN-21004-1"]),
        (personas.knowledge_centre, ["BIN-11002-1", "BIN-21004-1"]),
        (personas.zone_officer, ["BIN-11002-1"]),
        (personas.other_zone_officer, ["BIN-21004-1"]),
        (personas.municipality_official, ["BIN-11002-1"]),
        (personas.coordinator, ["BIN-11002-1"]),
    ):
        client.force_login(person)
        assert _codes(client.get(reverse("networks:network_list"))) == expected, person


def test_the_list_filters_sorts_and_refreshes_with_htmx(client, personas, antwerp):
    bulk_networks(5, municipality=antwerp, zone=personas.network_a.zone)
    client.force_login(personas.advp_admin)
    url = reverse("networks:network_list")
    assert _codes(client.get(url, {"zone": personas.network_b.zone.pk})) == ["BIN-21004-1"]
    assert len(_codes(client.get(url, {"q": "bulk"}))) == 5
    assert _codes(client.get(url, {"q": "network b"})) == ["BIN-21004-1"]
    assert len(_codes(client.get(url, {"status": "in_preparation"}))) == 3
    assert len(_codes(client.get(url, {"status": "in_preparation,active"}))) == 7
    assert len(_codes(client.get(url, {"charter_state": "draft"}))) == 2
    assert len(_codes(client.get(url, {"charter_state": "none"}))) == 5
    assert _codes(client.get(url, {"founded_year": 2019, "province": antwerp.province.pk})) == ["BIN-11002-1"]
    assert _codes(client.get(url, {"region": personas.network_b.municipality.region.pk})) == ["BIN-21004-1"]
    assert _codes(client.get(url, {"municipality": personas.network_b.municipality.pk})) == ["BIN-21004-1"]
    assert _codes(client.get(url, {"ordering": "-code"}))[0] == "BIN-21004-1"
    response = client.get(url, {"q": "bulk"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content and "Bulk 000" in content
    full = client.get(url).content.decode()
    assert 'hx-get="/networks/"' in full and 'hx-target="#results"' in full


def test_bad_filters_are_reported(client, english):
    client.force_login(english.advp_admin)
    response = client.get(reverse("networks:network_list"), {"status": "asleep"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(client, personas, antwerp):
    client.force_login(personas.zone_officer)
    url = reverse("networks:network_list")
    bulk_networks(3, municipality=antwerp, zone=personas.network_a.zone, prefix="Few")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    bulk_networks(30, municipality=antwerp, zone=personas.network_a.zone, prefix="Many", first=2000)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 34
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- detail ----------------------------------------------------------------------------------------


def test_the_detail_shows_the_network(client, english):
    client.force_login(english.municipality_official)
    response = client.get(english.network_a.get_absolute_url())
    content = response.content.decode()
    for text in ("BIN Network A", "BIN-11002-1", "Meir", "Groenplaats", "Cas Wouters", "Status history", "Charter"):
        assert text in content
    assert "data-area-map" in content
    # Only those who may change it see the buttons.
    assert reverse("networks:network_edit", args=["BIN-11002-1"]) not in content
    client.force_login(english.zone_officer)
    content = client.get(english.network_a.get_absolute_url()).content.decode()
    assert reverse("networks:network_edit", args=["BIN-11002-1"]) in content


# --- create, edit, status ----------------------------------------------------------------------------


def test_a_zone_officer_creates_a_network_in_their_zone(client, english, antwerp):
    client.force_login(english.zone_officer)
    url = reverse("networks:network_create")
    form = client.get(url).context["form"]
    choices = form.fields["municipality"].queryset
    assert antwerp in choices and not choices.filter(refnis="21004").exists()
    response = client.post(url, {"name": "BIN Het Zuid", "kind": "residential", "municipality": antwerp.pk})
    network = Network.objects.get(name="BIN Het Zuid")
    assert response.status_code == 302 and response["Location"] == network.get_absolute_url()
    assert network.code == "BIN-11002-2" and network.zone.code == 5345


def test_create_errors_are_shown_on_their_fields(client, english, antwerp):
    client.force_login(english.advp_admin)
    response = client.post(
        reverse("networks:network_create"), {"name": "bin network a", "kind": "sectoral", "municipality": antwerp.pk}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "already has a network called" in errors["name"][0]
    assert errors["sector"] == ["A sectoral network needs its sector."]
    assert Network.objects.count() == 2


def test_editing_a_network(client, english):
    client.force_login(english.zone_officer)
    url = reverse("networks:network_edit", args=["BIN-11002-1"])
    assert client.get(url).context["form"].initial["name"] == "BIN Network A"
    response = client.post(url, {"name": "BIN Network A+", "kind": "residential", "public_email": "a@example.be"})
    assert response.status_code == 302
    english.network_a.refresh_from_db()
    assert (english.network_a.name, english.network_a.public_email) == ("BIN Network A+", "a@example.be")


def test_the_status_form_offers_allowed_steps_and_explains_errors(client, english):
    client.force_login(english.zone_officer)
    url = reverse("networks:network_status", args=["BIN-11002-1"])
    choices = [value for value, _label in client.get(url).context["form"].fields["to_status"].choices]
    assert choices == ["charter_submitted", "dormant", "dissolved", "merged"]
    response = client.post(
        url, {"to_status": "merged", "merged_into": "BIN-21004-1", "reason": "r", "on": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "No network you can see has the code BIN-21004-1." in response.context["form"].errors["merged_into"]
    response = client.post(url, {"to_status": "dormant"})
    assert set(response.context["form"].errors) == {"reason", "on"}
    response = client.post(url, {"to_status": "dormant", "reason": "Coordinator moved", "on": "2025-01-01"})
    assert response.status_code == 302
    english.network_a.refresh_from_db()
    assert english.network_a.status == "dormant"


# --- area editor -----------------------------------------------------------------------------------


def test_the_area_editor_adds_and_removes_streets_with_htmx(client, english):
    client.force_login(english.zone_officer)
    network = english.network_a
    page = client.get(reverse("networks:area_edit", args=[network.code])).content.decode()
    assert '<datalist id="postal-codes">' in page and 'value="2000"' in page and 'value="1000"' not in page
    add = reverse("networks:area_street_add", args=[network.code])
    response = client.post(
        add, {"postal_code": "2000", "street": "Kerkstraat", "parity": "all"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and "Kerkstraat" in content
    response = client.post(
        add, {"postal_code": "1000", "street": "Rue Neuve", "parity": "all"}, headers={"HX-Request": "true"}
    )
    assert "does not serve a municipality of this network" in response.content.decode()
    street = network.streets.get(street="Kerkstraat")
    remove = reverse("networks:area_street_remove", args=[network.code, street.pk])
    response = client.post(remove, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Kerkstraat" not in response.content.decode()
    # A street of another network cannot be removed through this one.
    other = english.network_b.streets.get()
    assert client.post(reverse("networks:area_street_remove", args=[network.code, other.pk])).status_code == 404


def test_the_area_editor_without_javascript(client, english):
    client.force_login(english.zone_officer)
    network = english.network_a
    add = reverse("networks:area_street_add", args=[network.code])
    response = client.post(add, {"postal_code": "2000", "street": "Kerkstraat", "parity": "all"})
    assert response.status_code == 302
    response = client.post(add, {"postal_code": "2000", "street": "kerkstraat", "parity": "all"})
    assert response.status_code == 400 and "already in the area" in response.content.decode()


def test_pasting_a_street_list(client, english):
    client.force_login(english.zone_officer)
    url = reverse("networks:area_streets_paste", args=[english.network_a.code])
    response = client.post(url, {"text": "Kerkstraat\nRue Neuve;1000", "postal_code": "2000", "mode": "replace"})
    assert response.status_code == 400
    assert "Line 2:" in response.content.decode()
    response = client.post(
        url, {"text": "Kerkstraat\nkerkstraat\nMeir", "postal_code": "2000", "mode": "replace"}, follow=True
    )
    content = response.content.decode()
    assert "2 streets added." in content and "Line 2 repeats line 1: skipped." in content
    assert sorted(english.network_a.streets.values_list("street", flat=True)) == ["Kerkstraat", "Meir"]


def test_drawing_the_area(client, english):
    client.force_login(english.zone_officer)
    network = english.network_a
    url = reverse("networks:area_polygon", args=[network.code])
    response = client.post(url, {"area_polygon": json.dumps(BRUSSELS_SQUARE)})
    assert response.status_code == 400
    assert "must lie in or touch the network" in response.content.decode()
    assert client.post(url, {"area_polygon": json.dumps(ANTWERP_SQUARE)}).status_code == 302
    network.refresh_from_db()
    assert network.area_polygon["type"] == "Polygon"
    editor = client.get(reverse("networks:area_edit", args=[network.code])).content.decode()
    assert "js/area-map.js" in editor and "data-editable" in editor and 'data-area-action="undo"' in editor


def test_street_suggestions_are_a_datalist(client, personas):
    client.force_login(personas.zone_officer)
    url = reverse("networks:area_street_suggestions", args=[personas.network_a.code])
    response = client.get(url, {"street": "mech", "postal_code": ""}, headers={"HX-Request": "true"})
    assert response.content.decode().strip() == (
        '<datalist id="street-suggestions"><option value="Mechelsesteenweg"></option></datalist>'
    )


# --- partners --------------------------------------------------------------------------------------


def test_adding_editing_and_ending_partners(client, english):
    client.force_login(english.zone_officer)
    network = english.network_a
    url = reverse("networks:partner_add", args=[network.code])
    response = client.post(url, {"role": "coordinator", "last_name": "Jansens"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"adult_confirmed", "screening_on", "screening_result"}
    response = client.post(url, {"role": "steering_group", "user_email": "nobody@example.be"})
    assert "No user of the platform has this e-mail address." in response.context["form"].errors["user_email"]
    response = client.post(
        url,
        {"role": "mandated_officer", "user_email": english.zone_officer.email, "phone": "03 000 00 00"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(role="mandated_officer")
    assert partner.user == english.zone_officer
    edit = reverse("networks:partner_edit", args=[network.code, partner.pk])
    assert client.get(edit).context["form"].initial["user_email"] == english.zone_officer.email
    assert client.post(edit, {"role": "deputy_officer", "user_email": english.zone_officer.email}).status_code == 302
    partner.refresh_from_db()
    assert partner.role == "deputy_officer"
    end = reverse("networks:partner_end", args=[network.code, partner.pk])
    response = client.post(end, {})
    assert response.status_code == 302, response.context["form"].errors
    partner.refresh_from_db()
    assert not partner.is_active
    # A partner of another network is not reachable through this one.
    other = Partner.objects.create(network=english.network_b, role="steering_group", last_name="B")
    client.force_login(english.advp_admin)
    assert client.get(reverse("networks:partner_edit", args=[network.code, other.pk])).status_code == 404


# --- home and navigation -----------------------------------------------------------------------------


def test_home_sections_and_navigation(client, english):
    client.force_login(english.zone_officer)
    response = client.get("/")
    content = response.content.decode()
    assert "Networks of your police zone" in content and "BIN Network A" in content
    assert "Networks" in [str(item["label"]) for item in response.context["nav_items"]]
    client.force_login(english.coordinator)
    content = client.get("/").content.decode()
    assert "The network you coordinate" in content and "BIN Network A" in content
    client.force_login(english.trainer)
    response = client.get("/")
    assert "Networks" not in [str(item["label"]) for item in response.context["nav_items"]]


def test_a_zone_has_its_zone_filter(client, personas):
    # The zone filter offers current zones only.
    client.force_login(personas.advp_admin)
    form = client.get(reverse("networks:network_list")).context["filter"].form
    assert form.fields["zone"].queryset.count() == PoliceZone.objects.current().count()
