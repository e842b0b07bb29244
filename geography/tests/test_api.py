import pytest
from django.core.management import call_command

from core.models import AuditAction, AuditEvent
from core.testing.matrix import ANONYMOUS_ALLOWED, ANONYMOUS_DENIED, assert_permission_matrix
from geography.models import Municipality, PoliceZone

pytestmark = pytest.mark.usefixtures("reference_data")

API = "/api/v1"


@pytest.fixture
def antwerp_zone():
    return PoliceZone.objects.current().get(code=5345)


def _json(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("regions/", 3),
        ("provinces/", 10),
        ("municipalities/", 565),
        ("police-zones/", 176),
        ("postal-codes/", 1152),
        ("academies/", 10),
    ],
)
def test_reference_lists_are_public_and_paginated(client, path, count):
    body = _json(client.get(f"{API}/{path}"))
    assert body["count"] == count
    assert len(body["results"]) == min(count, 50)


def test_lists_are_readable_by_every_persona(client, personas):
    assert_permission_matrix(
        client, f"{API}/police-zones/", anonymous=ANONYMOUS_ALLOWED, allowed=list(personas.all().values())
    )


def test_municipalities_carry_language_postal_codes_and_zone(client, antwerp_zone):
    body = _json(client.get(f"{API}/municipalities/", {"q": "Eupen"}))
    assert body["count"] == 1
    eupen = body["results"][0]
    assert (eupen["refnis"], eupen["language"], eupen["name_de"], eupen["province"]) == (
        "63023",
        "de",
        "Eupen",
        "60000",
    )
    assert "4700" in eupen["postal_codes"]
    assert eupen["police_zone"]["id"] == Municipality.objects.get(refnis="63023").current_zone().pk

    brussels = _json(client.get(f"{API}/municipalities/", {"q": "21004"}))["results"][0]
    assert brussels["province"] is None and brussels["letter_languages"] == ["nl", "fr"]

    members = _json(client.get(f"{API}/municipalities/", {"zone": antwerp_zone.pk}))
    assert [m["refnis"] for m in members["results"]] == ["11002"]


def test_police_zones_filters_and_detail(client):
    body = _json(client.get(f"{API}/police-zones/", {"code_status": "unknown"}))
    assert body["count"] == 5 and all(zone["code"] is None for zone in body["results"])
    assert _json(client.get(f"{API}/police-zones/", {"period": "all"}))["count"] == 209
    rivierenland = _json(client.get(f"{API}/police-zones/", {"q": "5913"}))["results"][0]
    predecessors = PoliceZone.objects.filter(pk__in=rivierenland["predecessors"])
    assert set(predecessors.values_list("code", flat=True)) == {5356, 5357, 5358}

    former = PoliceZone.objects.get(code=5356, is_current=False)
    detail = _json(client.get(f"{API}/police-zones/{former.pk}/"))
    assert detail["is_current"] is False and detail["municipalities"] == []
    antwerp = _json(client.get(f"{API}/police-zones/", {"q": "5345"}))["results"][0]
    assert antwerp["municipalities"] == ["11002"]


def test_bad_filters_are_refused(client):
    response = client.get(f"{API}/police-zones/", {"code_status": "bogus"})
    assert response.status_code == 400 and "code_status" in response.json()


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("municipalities/?page=2", 4),  # count, page, prefetches (zone, postal codes)
        ("municipalities/?page=3&region=2", 5),  # + the chosen region
        ("police-zones/?page=2", 4),  # count, page, prefetches (municipalities, predecessors)
        ("postal-codes/?page=4", 2),
        ("academies/", 2),
        ("provinces/", 2),
    ],
)
def test_list_endpoints_make_a_constant_number_of_queries(client, django_assert_num_queries, path, queries):
    client.get(f"{API}/{path}")
    with django_assert_num_queries(queries):
        assert client.get(f"{API}/{path}").status_code == 200


def test_only_advp_patches_a_zone(client, personas, antwerp_zone):
    assert_permission_matrix(
        client,
        f"{API}/police-zones/{antwerp_zone.pk}/",
        method="patch",
        data={"note": "Checked."},
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[personas.zone_officer, personas.knowledge_centre, personas.outsider, personas.member],
    )
    antwerp_zone.refresh_from_db()
    assert antwerp_zone.note == "Checked." and antwerp_zone.code == 5345


def test_advp_confirms_a_code_through_the_api(client, personas):
    zone = PoliceZone.objects.current().get(code=5911)
    client.force_login(personas.advp_admin)
    response = client.patch(f"{API}/police-zones/{zone.pk}/", {"code": 5911}, content_type="application/json")
    body = _json(response)
    assert (body["code"], body["code_status"], body["code_is_uncertain"]) == (5911, "confirmed", False)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(zone.pk)).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"code": 5339}, "code"), ({"code": 6000}, "code"), ({"code": None, "code_status": "verified"}, "code_status")],
)
def test_invalid_patches_are_refused_with_a_reason(client, personas, antwerp_zone, data, field):
    client.force_login(personas.advp_admin)
    response = client.patch(f"{API}/police-zones/{antwerp_zone.pk}/", data, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    antwerp_zone.refresh_from_db()
    assert antwerp_zone.code == 5345


def test_other_writes_are_not_offered(client, personas, antwerp_zone):
    client.force_login(personas.advp_admin)
    assert client.put(f"{API}/police-zones/{antwerp_zone.pk}/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"{API}/police-zones/{antwerp_zone.pk}/").status_code == 405
    assert client.post(f"{API}/municipalities/", {}, content_type="application/json").status_code == 405


def test_schema_generates_without_warnings_and_docs_render(client, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/police-zones/{id}/" in (tmp_path / "schema.yaml").read_text()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
