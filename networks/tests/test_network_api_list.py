"""The list endpoint builds its rows from values() (its hot path): they must be exactly NetworkSerializer's."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from rest_framework.test import APIClient

from networks import selectors
from networks.api.networks import NetworkSerializer
from networks.models import Network
from networks.tests.network_fixtures import bulk_networks

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_list_rows_are_the_serializers_rows(personas, language):
    networks = bulk_networks(6, municipality=personas.network_a.municipality, zone=personas.network_a.zone)
    Network.objects.filter(pk=networks[1].pk).update(founded_on=None, local_label="Wijk")
    user = personas.advp_admin
    user.language = language
    user.save(update_fields=["language"])
    api = APIClient()
    api.force_login(user)
    with translation.override(language):
        expected = NetworkSerializer(
            selectors.network_list(user=user)[:50],
            many=True,
            context={"request": RequestFactory().get("/")},
        ).data
    response = api.get("/api/v1/networks/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows == [dict(row) for row in expected]
    assert {row["province"] for row in rows} >= {None, "10000"}  # Brussels has no province
    assert any(row["charter_state"] for row in rows)
    assert any(row["founded_on"] is None for row in rows)
