import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from networks.models import AreaStreet, Network, Partner
from networks.tests.network_fixtures import bulk_networks

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _people(personas, *names):
    return [getattr(personas, name) for name in names]


SEE_A = ("advp_admin", "knowledge_centre", "zone_officer", "municipality_official", "coordinator")
NOT_A = ("other_zone_officer", "member", "trainer", "outsider")
CHANGE_A_WRONG_ROLE = ("knowledge_centre", "municipality_official", "coordinator")


@pytest.fixture
def api():
    return APIClient()


def _codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_the_list_needs_sign_in_and_shows_the_scope(api, personas):
    assert_permission_matrix(api, f"{API}/networks/", anonymous=ANONYMOUS_DENIED, allowed=list(personas.all().values()))
    for person, expected in (
        (personas.advp_admin, ["BIN-11002-1", "BIN-21004-1"]),
        (personas.zone_officer, ["BIN-11002-1"]),
        (personas.coordinator, ["BIN-11002-1"]),
        (personas.outsider, []),
    ):
        api.force_authenticate(person)
        assert _codes(api.get(f"{API}/networks/")) == expected


def test_token_authentication_works(api, personas):
    token = Token.objects.create(user=personas.other_zone_officer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert _codes(api.get(f"{API}/networks/")) == ["BIN-21004-1"]


def test_retrieve_is_hidden_outside_the_scope(api, personas):
    assert_permission_matrix(
        api,
        f"{API}/networks/BIN-11002-1/",
        anonymous=ANONYMOUS_DENIED,
        allowed=_people(personas, *SEE_A),
        hidden=_people(personas, *NOT_A),
    )
    api.force_authenticate(personas.coordinator)
    data = api.get(f"{API}/networks/BIN-11002-1/").json()
    assert data["municipalities"] == ["11002"] and data["zone"]["code"] == 5345 and data["street_count"] == 3
    assert data["needs_new_charter_version"] is False


def test_the_api_filters_like_the_pages(api, personas, antwerp):
    bulk_networks(4, municipality=antwerp, zone=personas.network_a.zone)
    api.force_authenticate(personas.advp_admin)
    assert _codes(api.get(f"{API}/networks/", {"province": antwerp.province.pk, "q": "network"})) == ["BIN-11002-1"]
    assert len(_codes(api.get(f"{API}/networks/", {"status": "in_preparation"}))) == 2
    assert _codes(api.get(f"{API}/networks/", {"zone": personas.network_b.zone.pk})) == ["BIN-21004-1"]
    assert _codes(api.get(f"{API}/networks/", {"ordering": "-code"}))[0] == "BIN-21004-1"
    assert len(_codes(api.get(f"{API}/networks/", {"charter_state": "draft"}))) == 2
    response = api.get(f"{API}/networks/", {"status": "asleep"})
    assert response.status_code == 400 and "status" in response.json()


def test_the_list_endpoint_query_count_does_not_grow_with_rows(api, personas, antwerp):
    api.force_authenticate(personas.zone_officer)
    api.get(f"{API}/networks/")  # the same user object serves each request: its grants are read once, here
    bulk_networks(3, municipality=antwerp, zone=personas.network_a.zone)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(f"{API}/networks/").json()["results"]) == 4
    bulk_networks(30, municipality=antwerp, zone=personas.network_a.zone, prefix="More", first=2000)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(f"{API}/networks/").json()["results"]) == 34
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as few_streets:
        api.get(f"{API}/area-streets/")
    bulk_networks(10, municipality=antwerp, zone=personas.network_a.zone, prefix="Most", first=3000)
    with CaptureQueriesContext(connection) as many_streets:
        api.get(f"{API}/area-streets/")
    assert len(many_streets) == len(few_streets), [q["sql"] for q in many_streets.captured_queries]


def test_creating_through_the_api(api, english):
    payload = {"name": "BIN API", "municipality": "11002", "founded_on": "2024-02-01"}
    assert_permission_matrix(
        api,
        f"{API}/networks/",
        method="post",
        data={**payload, "municipality": "not-a-refnis"},
        anonymous=ANONYMOUS_DENIED,
        in_scope_wrong_role=_people(english, "knowledge_centre", "municipality_official", "coordinator", "member"),
        allowed=_people(english, "advp_admin", "zone_officer"),
        allowed_status=(400,),
    )
    api.force_authenticate(english.other_zone_officer)
    assert api.post(f"{API}/networks/", payload, format="json").status_code == 403
    api.force_authenticate(english.zone_officer)
    response = api.post(f"{API}/networks/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["code"] == "BIN-11002-2" and response.json()["zone"]["code"] == 5345
    response = api.post(f"{API}/networks/", {**payload, "kind": "sectoral"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "sector"}
    assert Network.objects.count() == 3


def test_patching_through_the_api(api, english):
    url = f"{API}/networks/BIN-11002-1/"
    assert_permission_matrix(
        api,
        url,
        method="patch",
        data={"public_phone": "03 111 11 11"},
        anonymous=ANONYMOUS_DENIED,
        allowed=_people(english, "advp_admin", "zone_officer"),
        in_scope_wrong_role=_people(english, *CHANGE_A_WRONG_ROLE),
        hidden=_people(english, *NOT_A),
    )
    english.network_a.refresh_from_db()
    assert english.network_a.public_phone == "03 111 11 11" and english.network_a.name == "BIN Network A"
    api.force_authenticate(english.zone_officer)
    # Token clients choose the language of messages with Accept-Language (pages follow the account's choice).
    response = api.patch(url, {"municipalities": ["44021"]}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "belongs to police zone" in response.json()["municipalities"][0]
    assert api.put(url, {"name": "x"}, format="json").status_code == 405


def test_changing_the_status_through_the_api(api, english):
    url = f"{API}/networks/BIN-11002-1/status/"
    assert_permission_matrix(
        api,
        url,
        method="post",
        data={"to_status": "dormant"},
        anonymous=ANONYMOUS_DENIED,
        allowed=_people(english, "zone_officer"),
        in_scope_wrong_role=_people(english, *CHANGE_A_WRONG_ROLE),
        hidden=_people(english, *NOT_A),
        allowed_status=(400,),
    )
    api.force_authenticate(english.advp_admin)
    response = api.post(
        url,
        {"to_status": "merged", "merged_into": "BIN-21004-1", "reason": "Joined", "on": "2025-06-01"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["merged_into"] == "BIN-21004-1"


def test_area_streets_endpoint(api, english):
    assert_permission_matrix(
        api,
        f"{API}/area-streets/?network=BIN-11002-1",
        anonymous=ANONYMOUS_DENIED,
        allowed=list(english.all().values()),
    )
    api.force_authenticate(english.other_zone_officer)
    assert api.get(f"{API}/area-streets/", {"network": "BIN-11002-1"}).json()["results"] == []
    api.force_authenticate(english.municipality_official)
    streets = api.get(f"{API}/area-streets/", {"network": "BIN-11002-1"}).json()["results"]
    assert [s["street"] for s in streets] == ["Groenplaats", "Meir", "Mechelsesteenweg"]
    payload = {"network": "BIN-11002-1", "postal_code": "2000", "street": "Kerkstraat"}
    assert api.post(f"{API}/area-streets/", payload, format="json").status_code == 403
    api.force_authenticate(english.other_zone_officer)
    assert api.post(f"{API}/area-streets/", payload, format="json").status_code == 404
    api.force_authenticate(english.zone_officer)
    response = api.post(f"{API}/area-streets/", payload, format="json")
    assert response.status_code == 201 and response.json()["network"] == "BIN-11002-1"
    response = api.post(f"{API}/area-streets/", {**payload, "postal_code": "1000"}, format="json")
    assert response.status_code == 400 and "postal_code" in response.json()
    street = AreaStreet.objects.get(street="Kerkstraat")
    api.force_authenticate(english.knowledge_centre)
    assert api.delete(f"{API}/area-streets/{street.pk}/").status_code == 403
    api.force_authenticate(english.zone_officer)
    assert api.delete(f"{API}/area-streets/{street.pk}/").status_code == 204
    assert not AreaStreet.objects.filter(pk=street.pk).exists()


def test_partners_endpoint(api, english):
    assert_permission_matrix(api, f"{API}/partners/", anonymous=ANONYMOUS_DENIED, allowed=list(english.all().values()))
    partner = english.network_a.partners.get()
    assert_permission_matrix(
        api,
        f"{API}/partners/{partner.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=_people(english, *SEE_A),
        hidden=_people(english, *NOT_A),
    )
    assert_permission_matrix(
        api,
        f"{API}/partners/{partner.pk}/",
        method="patch",
        data={"phone": "03 222 22 22"},
        anonymous=ANONYMOUS_DENIED,
        allowed=_people(english, "advp_admin", "zone_officer"),
        in_scope_wrong_role=_people(english, *CHANGE_A_WRONG_ROLE),
        hidden=_people(english, *NOT_A),
    )
    api.force_authenticate(english.zone_officer)
    response = api.post(
        f"{API}/partners/",
        {"network": "BIN-11002-1", "role": "coordinator", "last_name": "Nieuw"},
        format="json",
    )
    assert response.status_code == 400
    assert {"adult_confirmed", "screening_on", "screening_result"} <= set(response.json())
    response = api.post(
        f"{API}/partners/",
        {
            "network": "BIN-11002-1",
            "role": "deputy_coordinator",
            "user": english.member.email,
            "adult_confirmed": True,
            "screening_on": "2025-01-01",
            "screening_result": "favourable",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["user"] == english.member.email
    new = Partner.objects.get(pk=response.json()["id"])
    assert english.member.role_assignments.filter(role="coordinator", scope_id=english.network_a.pk).exists()
    response = api.post(f"{API}/partners/{new.pk}/end/", {}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert not english.member.role_assignments.filter(
        role="coordinator", scope_id=english.network_a.pk, revoked_at__isnull=True
    ).exists()


def test_the_schema_still_generates_cleanly(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/networks/{code}/" in schema and "/api/v1/area-streets/" in schema
    assert "/api/v1/partners/{id}/end/" in schema


def _schema_components() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_a_malformed_id_answers_404_not_500(api, personas):
    """Found by core/tests/test_api_fuzz.py: a non-numeric id reached the database lookup and raised a ValueError."""
    api.force_authenticate(personas.advp_admin)
    assert api.patch(f"{API}/partners/abc/", {}, format="json").status_code == 404
    assert api.post(f"{API}/partners/abc/end/", {}, format="json").status_code == 404
    assert api.post(f"{API}/charter-reviews/true/decide/", {}, format="json").status_code == 404
    assert api.post(f"{API}/charters/x/signed-pdf/", {}).status_code == 404


def test_the_schema_allows_a_blank_sector_and_a_hidden_screening(api, personas):
    """Found by the fuzz test: rows answered "sector": "" and "screening_result": null, which the schema refused."""
    api.force_authenticate(personas.coordinator)
    network = api.get(f"{API}/networks/{personas.network_a.code}/").json()
    partner = api.get(f"{API}/partners/").json()["results"][0]
    assert network["sector"] == "" and partner["screening_result"] is None and partner["screening_on"] is None
    components = _schema_components()
    assert {"$ref": "#/components/schemas/BlankEnum"} in components["Network"]["properties"]["sector"]["oneOf"]
    assert components["Partner"]["properties"]["screening_result"]["nullable"] is True
    assert components["Partner"]["properties"]["screening_on"]["nullable"] is True
