"""ADVP opens the dashboard: axe-core audits the page, the coverage map draws one shape per municipality (then per
zone after switching), and the table fallback holds the same places."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core.testing.browser import sign_in_as

from . import test_board_support as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

dataset = support.dataset  # the fixture, under its name in this module


def _features(page) -> int:
    return page.locator("[data-map-table] tbody tr").count()


def test_advp_opens_the_dashboard_and_the_map_renders(page, live_server, dataset):
    cache.clear()
    sign_in_as(page, live_server, dataset.personas.advp_admin)
    page.visit("/statistics/dashboard/")
    page.wait_for_selector("[data-board-map][data-loaded='true']", timeout=30000)
    paths = page.locator(".leaflet-overlay-pane svg path")
    assert paths.count() == _features(page) > 500
    assert page.locator("[data-list='charters'] tr[data-charter]").count() == 2
    assert page.locator("#years-heading ~ figure svg[role='img']").count() == 1
    assert page.locator("[data-years-table] tr[data-year]").count() >= 1  # networks A and B were founded in 2019
    page.check_accessible()
    page.locator("input[name='level'][value='zone']").check()
    page.locator("#map-heading ~ form button[type=submit]").click()
    page.wait_for_url("**/statistics/dashboard/?level=zone")
    page.wait_for_selector("[data-board-map][data-loaded='true']", timeout=30000)
    assert page.locator(".leaflet-overlay-pane svg path").count() == _features(page) > 100
    page.check_accessible()
