"""A visitor browses the reference geography in a real browser; every page passes the axe-core audit."""

import pytest

from core.testing.browser import sign_in_as
from geography.models import PoliceZone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_a_zone_and_its_map(page, reference_data):
    page.visit("/geography/")
    # Selectors by address and id, not by text: the interface language may change.
    page.locator('main a[href="/geography/zones/"]').first.click()
    page.wait_for_url("**/geography/zones/")
    page.check_accessible()

    page.locator("#id_code_status").select_option("unknown")
    page.wait_for_selector("#results >> text=Noord-Limburg")
    page.check_accessible()

    zone = PoliceZone.objects.current().get(code=5345)
    page.visit(zone.get_absolute_url())
    page.wait_for_selector("[data-map][data-loaded=true]")
    assert page.locator(".leaflet-interactive").count() >= 2  # the zone and its municipality
    page.check_accessible()


def test_the_map_toggles_its_layers(page, reference_data):
    page.visit("/geography/map/")
    page.wait_for_selector("[data-map][data-loaded=true]", timeout=30000)
    zones_only = page.locator(".leaflet-interactive").count()
    assert zones_only == 176
    page.locator(".leaflet-control-layers-overlays input").nth(1).check()
    page.locator(".leaflet-interactive").nth(176).wait_for()  # the municipalities are fetched when first shown
    page.check_accessible()


def test_about_and_lists_are_accessible(page, reference_data):
    for path in ("/geography/about-the-data/", "/geography/municipalities/", "/geography/academies/"):
        page.visit(path)


def test_advp_corrects_a_zone_code_in_the_browser(page, live_server, personas):
    sign_in_as(page, live_server, personas.advp_admin)
    zone = PoliceZone.objects.current().get(name="Vlaamse Ardennen")
    page.visit(f"/geography/zones/{zone.pk}/edit/")
    page.locator("#id_code").fill("5339")  # the code of another current zone
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".errorlist")
    page.check_accessible()

    page.locator("#id_code").fill("5425")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/geography/zones/{zone.pk}/")
    page.check_accessible()
    zone.refresh_from_db()
    assert (zone.code, zone.code_status) == (5425, "confirmed")

    page.visit(f"/geography/zones/{zone.pk}/merge/")
