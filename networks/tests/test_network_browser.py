"""A zone officer works on networks in a real browser: the list filters, the detail, the area drawn on the map.
Every page passes the axe-core audit."""

import pytest

from core.testing.browser import sign_in_as
from networks.models import Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_zone_officer_filters_the_list_and_opens_a_network(page, live_server, personas):
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/networks/")
    page.locator("#id_q").fill("network a")
    page.locator("#id_q").press("Enter")
    page.wait_for_selector('#results a[href="/networks/BIN-11002-1/"]')
    page.check_accessible()
    page.locator('#results a[href="/networks/BIN-11002-1/"]').click()
    page.wait_for_url("**/networks/BIN-11002-1/")
    page.wait_for_selector("[data-area-map][data-loaded=true]")
    page.check_accessible()


def test_a_zone_officer_draws_the_area_on_the_map(page, live_server, personas):
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/networks/BIN-11002-1/area/")
    page.wait_for_selector("[data-area-map][data-loaded=true]")
    page.check_accessible()
    page.locator("#area-map").scroll_into_view_if_needed()
    box = page.locator("#area-map").bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-30, -30), (30, -30), (30, 30), (-30, 30), (0, 50)):
        page.mouse.click(centre_x + dx, centre_y + dy)
    page.locator('[data-area-action="undo"]').click()  # the fifth corner was a mistake
    assert '"Polygon"' in page.locator("#id_area_polygon").input_value()
    page.locator('[data-area-action="save"]').click()
    page.wait_for_url("**/networks/BIN-11002-1/area/")
    page.wait_for_selector(".message--success")
    network = Network.objects.get(code="BIN-11002-1")
    assert network.area_polygon["type"] == "Polygon"
    assert len(network.area_polygon["coordinates"][0]) == 5  # four corners, closed
    page.check_accessible()


def test_a_zone_officer_adds_a_street_with_suggestions(page, live_server, personas):
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/networks/BIN-11002-1/area/")
    page.locator("#id_postal_code").fill("2018")
    page.locator("#id_street").press_sequentially("Mech")
    page.wait_for_selector('#street-suggestions option[value="Mechelsesteenweg"]', state="attached")
    page.locator("#id_street").fill("Kerkstraat")
    page.locator('#area-streets form.filters button[type="submit"]').click()
    page.wait_for_selector("#area-streets >> text=Kerkstraat")
    page.check_accessible()
    assert Network.objects.get(code="BIN-11002-1").streets.filter(street="Kerkstraat", postal_code="2018").exists()
