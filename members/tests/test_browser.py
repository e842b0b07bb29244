"""A visitor finds network A by a misspelled street, then opens the public map; axe on every page."""

import pytest

from networks.models import Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_a_network_by_a_misspelled_street(page, live_server, personas):
    Network.objects.filter(pk=personas.network_a.pk).update(status="active", public_email="bin.a@example.be")
    page.visit("/find/")
    page.locator("#id_postal_code").fill("2000")
    page.locator("#id_street").fill("Meirr")
    page.locator("#id_number").fill("12")
    page.locator("#finder-form button[type=submit]").click()
    page.wait_for_selector('#results [data-network="BIN-11002-1"]')
    assert "bin.a@example.be" in page.locator("#results").inner_text()
    page.check_accessible()

    page.locator('main a[href="/find/map/"]').click()
    page.wait_for_url("**/find/map/")
    page.wait_for_selector("[data-finder-map][data-loaded=true]")
    assert page.locator("[data-finder-map]").get_attribute("data-count") == "2"
    page.check_accessible()
    page.locator("#id_kind").select_option("self_employed")
    page.wait_for_selector("[data-finder-map][data-count='0'][data-loaded=true]")
    page.check_accessible()
