"""The public map: active networks only, polygons or municipality centres, filtered by kind."""

import pytest

from networks.models import Network
from networks.tests.network_fixtures import ANTWERP_SQUARE

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_map_page_is_public(client):
    response = client.get("/find/map/")
    assert response.status_code == 200
    assert b"data-networks-url" in response.content


def test_the_geojson_holds_active_networks_only(client, personas):
    Network.objects.filter(pk=personas.network_b.pk).update(status="in_preparation")
    Network.objects.filter(pk=personas.network_a.pk).update(area_polygon=ANTWERP_SQUARE)
    response = client.get("/find/networks.geojson")
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"]["code"] for f in features] == ["BIN-11002-1"]
    assert features[0]["geometry"] == ANTWERP_SQUARE
    assert set(features[0]["properties"]) == {"code", "name", "kind"}


def test_streets_only_networks_are_a_point_in_their_municipality(client, personas):
    features = client.get("/find/networks.geojson").json()["features"]
    by_code = {f["properties"]["code"]: f["geometry"] for f in features}
    lon, lat = by_code["BIN-11002-1"]["coordinates"]
    assert by_code["BIN-11002-1"]["type"] == "Point"
    assert 51.1 < lat < 51.4 and 4.2 < lon < 4.5


def test_the_kind_filters_the_layer(client, personas):
    Network.objects.filter(pk=personas.network_b.pk).update(kind="self_employed")

    def codes(kind):
        features = client.get(f"/find/networks.geojson?kind={kind}").json()["features"]
        return [f["properties"]["code"] for f in features]

    assert codes("self_employed") == ["BIN-21004-1"]
    assert codes("residential") == ["BIN-11002-1"]
    assert sorted(codes("nonsense")) == ["BIN-11002-1", "BIN-21004-1"]


def test_the_geojson_queries_are_bounded(client, personas, django_assert_max_num_queries):
    client.get("/find/networks.geojson")
    with django_assert_max_num_queries(3):
        client.get("/find/networks.geojson")


def test_everyone_sees_the_nav_entry(client, personas):
    assert b'href="/find/"' in client.get("/find/map/").content
    client.force_login(personas.advp_admin)
    assert b'href="/find/"' in client.get("/geography/").content
