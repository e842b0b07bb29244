"""The dashboard page and its map's GeoJSON: permission matrix, scoped contents, figures against counts made object by
object, the lists to follow up (charters waiting with their age, no coordinator, idle), the map figures, queries."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing.matrix import assert_permission_matrix
from dashboard import dashboard_selectors as board
from networks.models import Network

from . import test_board_support as support
from .test_board_support import ANTWERP_ZONE, ANTWERPEN, BRUSSEL

pytestmark = pytest.mark.django_db

dataset = support.dataset  # the fixture, under its name in this module

PAGE = "/statistics/dashboard/"
GEOJSON = "/statistics/dashboard/map.geojson"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _geojson(client, user, level: str) -> dict:
    client.force_login(user)
    response = client.get(GEOJSON, {"level": level})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def _codes(response, list_name: str) -> list[str]:
    page = response.context[list_name]["page"]
    return [item.network.code if list_name == "charters" else item.code for item in page.object_list]


# --- access ----------------------------------------------------------------------------------------------------------


def test_it_has_the_url_names():
    assert reverse("dashboard:board") == PAGE
    assert reverse("dashboard:board_geojson") == GEOJSON


@pytest.mark.parametrize("url", [PAGE, GEOJSON + "?level=municipality", GEOJSON + "?level=zone"])
def test_it_checks_permissions(client, personas, url):
    assert_permission_matrix(
        client,
        url,
        allowed=[
            personas.advp_admin,
            personas.knowledge_centre,
            personas.zone_officer,
            personas.municipality_official,
        ],
        in_scope_wrong_role=[personas.outsider, personas.member, personas.coordinator, personas.trainer],
    )


def test_it_is_in_the_navigation_of_allowed_users_only(client, personas):
    client.force_login(personas.zone_officer)
    assert PAGE.encode() in client.get("/").content
    client.force_login(personas.coordinator)
    assert PAGE.encode() not in client.get("/").content


# --- figures ---------------------------------------------------------------------------------------------------------


def test_it_counts_the_country(client, dataset):
    client.force_login(dataset.personas.advp_admin)
    response = client.get(PAGE)
    assert response.status_code == 200
    figures = response.context["figures"]
    networks = support.networks_in(None)
    by_status = Counter(n.status for n in networks)
    assert {status: count for status, _label, count in figures.by_status if count} == dict(by_status)
    assert figures.networks == len(networks) == 7
    # network A's member + idle 1 + busy 3 (the one who left does not count)
    assert figures.members == support.current_members(networks) == 5
    assert figures.messages_sent == 2  # the message of 400 days ago is older than 12 months
    assert (figures.alerts, figures.alerts_with_feedback) == (2, 1)
    assert (figures.officers, figures.officers_trained) == (1, 0)
    assert figures.chart_level == "province"
    assert sum(row["total"] for row in figures.chart_rows) == len(networks)
    content = response.content.decode()
    assert 'role="img"' in content and "<svg" in content
    assert "Geheimstraat" not in content and "Partner" not in content  # counts only, no personal data


def test_it_counts_the_zone_of_a_mandated_officer(client, dataset):
    client.force_login(dataset.personas.zone_officer)
    figures = client.get(PAGE).context["figures"]
    networks = support.networks_in({ANTWERP_ZONE})
    assert figures.networks == len(networks) == 5
    assert dict(Counter(n.status for n in networks)) == {s: c for s, _label, c in figures.by_status if c}
    assert figures.members == support.current_members(networks) == 5
    assert (figures.messages_sent, figures.alerts, figures.alerts_with_feedback) == (1, 1, 1)
    assert figures.chart_level == "zone"
    assert [row["label"] for row in figures.chart_rows] == [str(dataset.busy_antwerp.zone)]


def test_it_counts_the_municipality_of_an_official(client, dataset):
    client.force_login(dataset.personas.municipality_official)
    figures = client.get(PAGE).context["figures"]
    covering = [n for n in Network.objects.all() if ANTWERPEN in {m.refnis for m in n.municipalities.all()}]
    assert figures.networks == len(covering) == 5
    assert (figures.officers, figures.officers_trained) == (1, 0)


# --- lists -----------------------------------------------------------------------------------------------------------


def test_it_lists_charters_waiting_oldest_first_with_their_age(client, dataset):
    client.force_login(dataset.personas.advp_admin)
    response = client.get(PAGE)
    page = response.context["charters"]["page"]
    assert [(c.network.code, c.age_days) for c in page.object_list] == [
        (dataset.idle_brussels.code, 30),
        (dataset.prep_antwerp.code, 12),
    ]
    assert reverse("networks:charter_detail", args=[dataset.prep_antwerp.code, 1]).encode() in response.content


def test_it_lists_networks_without_a_coordinator(client, dataset):
    client.force_login(dataset.personas.advp_admin)
    response = client.get(PAGE)
    expected = {
        dataset.idle_antwerp.code,
        dataset.prep_antwerp.code,
        dataset.personas.network_b.code,
        dataset.idle_brussels.code,  # its coordinator left yesterday
    }
    assert set(_codes(response, "orphans")) == expected  # not network A nor busy (coordinators), not the dissolved one


def test_it_lists_idle_networks(client, dataset):
    client.force_login(dataset.personas.advp_admin)
    response = client.get(PAGE)
    # busy: a message 10 days ago; A and B: created today; prep: not active nor dormant; ended: dissolved
    assert set(_codes(response, "idle")) == {dataset.idle_antwerp.code, dataset.idle_brussels.code}


def test_a_member_joining_makes_a_network_not_idle(client, dataset):
    support.members(dataset.idle_antwerp, 1, joined_days_ago=3)
    client.force_login(dataset.personas.advp_admin)
    assert _codes(client.get(PAGE), "idle") == [dataset.idle_brussels.code]


def test_the_lists_of_a_mandated_officer_hold_their_zone_only(client, dataset):
    client.force_login(dataset.personas.zone_officer)
    response = client.get(PAGE)
    assert _codes(response, "charters") == [dataset.prep_antwerp.code]
    assert set(_codes(response, "orphans")) == {dataset.idle_antwerp.code, dataset.prep_antwerp.code}
    assert _codes(response, "idle") == [dataset.idle_antwerp.code]
    assert b"Idle Brussels" not in response.content and b"PLP Network B" not in response.content


def test_the_lists_are_paginated(client, dataset, settings):
    for number in range(board.PAGE_SIZE + 1):
        support.network(ANTWERPEN, ANTWERP_ZONE, f"Orphan {number:02d}")
    client.force_login(dataset.personas.zone_officer)
    first = client.get(PAGE)
    assert len(first.context["orphans"]["page"].object_list) == board.PAGE_SIZE
    assert "orphans=2" in first.context["orphans"]["next"]
    second = client.get(PAGE, {"orphans": 2})
    assert second.context["orphans"]["page"].number == 2


# --- the map ---------------------------------------------------------------------------------------------------------


def test_the_map_counts_active_networks_per_municipality(client, dataset):
    collection = _geojson(client, dataset.personas.advp_admin, "municipality")
    properties = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert properties[ANTWERPEN]["networks"] == support.active_networks_of(ANTWERPEN) == 3
    assert properties[BRUSSEL]["networks"] == support.active_networks_of(BRUSSEL) == 1  # the dormant one does not
    assert properties["44021"]["networks"] == 0
    assert properties[ANTWERPEN]["band"] == 2 and properties["44021"]["band"] == 0
    assert all(feature["geometry"]["type"] in ("Polygon", "MultiPolygon") for feature in collection["features"])
    assert len(collection["features"]) > 500


def test_the_map_counts_the_share_per_zone(client, dataset):
    collection = _geojson(client, dataset.personas.advp_admin, "zone")
    properties = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    antwerp = properties[str(ANTWERP_ZONE)]
    municipalities = support.zone_municipalities(ANTWERP_ZONE)
    covered = sum(1 for refnis in municipalities if support.active_networks_of(refnis))
    assert (antwerp["municipalities"], antwerp["covered"]) == (len(municipalities), covered)
    assert antwerp["share"] == round(100 * covered / len(municipalities), 1)


def test_the_map_of_a_mandated_officer_holds_their_zone_only(client, dataset):
    municipalities = _geojson(client, dataset.personas.zone_officer, "municipality")
    assert {f["properties"]["code"] for f in municipalities["features"]} == support.zone_municipalities(ANTWERP_ZONE)
    zones = _geojson(client, dataset.personas.zone_officer, "zone")
    assert [f["properties"]["code"] for f in zones["features"]] == [str(ANTWERP_ZONE)]
    official = _geojson(client, dataset.personas.municipality_official, "municipality")
    assert [f["properties"]["code"] for f in official["features"]] == [ANTWERPEN]


def test_the_page_has_the_map_table_and_legend(client, dataset):
    client.force_login(dataset.personas.zone_officer)
    response = client.get(PAGE, {"level": "zone"})
    content = response.content.decode()
    assert "data-board-map" in content and f"{GEOJSON}?level=zone" in content
    assert f'data-place="{ANTWERP_ZONE}"' in content
    assert "data-legend" in content and "nonce=" in content
    assert response.context["map_covered"] == 1 and response.context["map_places"] == 1


def test_a_bad_level_is_refused_with_its_reason(client, dataset):
    official = dataset.personas.municipality_official
    official.language = "en"  # the account's language wins over the cookie
    official.save(update_fields=["language"])
    client.force_login(official)
    response = client.get(reverse("dashboard:board_geojson"), {"level": "nonsense"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The map shows municipalities or police zones: choose one of them."}
    response = client.get(reverse("dashboard:board"), {"level": "nonsense"})
    assert response.status_code == 400 and 'id="level-error"' in response.content.decode()
    assert "choose one of them" in response.content.decode()


# --- queries ---------------------------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["advp_admin", "zone_officer", "municipality_official"])
@pytest.mark.parametrize("url", [PAGE, PAGE + "?level=zone", GEOJSON + "?level=municipality", GEOJSON + "?level=zone"])
def test_the_queries_do_not_grow_with_the_networks(client, dataset, django_assert_max_num_queries, persona, url):
    client.force_login(getattr(dataset.personas, persona))
    before = _queries(client, url)
    for number in range(12):
        extra = support.network(ANTWERPEN, ANTWERP_ZONE, f"Extra {number}", age_days=500)
        support.members(extra, 2, joined_days_ago=400)
        support.message(extra, days_ago=3, alert=True)
        support.charter(extra, status="submitted", submitted_days_ago=number)
    assert _queries(client, url) == before
    cache.clear()
    # cold: session, grants, fingerprint, figures, map, lists; the page also reads the figures over the years
    # (dashboard_years: three grouped queries over the scope's networks — never the whole open data)
    with django_assert_max_num_queries(30 if url.startswith(GEOJSON) else 34):
        client.get(url)
    with django_assert_max_num_queries(19):  # warm: the figures and the map come from the cache (fingerprint: 8)
        client.get(url)
