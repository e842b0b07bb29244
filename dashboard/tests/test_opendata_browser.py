"""A visitor (not signed in) reads the public statistics, opens the open data and downloads a CSV; axe-core audits
every page they pass."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache

from dashboard import opendata_selectors as opendata

from . import test_opendata_support as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

known_dataset = support.known_dataset  # the fixture, under its name in this module


def test_a_visitor_downloads_open_data(page, known_dataset):
    cache.clear()
    page.visit("/statistics/")
    assert page.locator("[data-country]").count() == 1
    assert page.locator("tr[data-row='10000']").count() == 1
    page.locator("a[href='/statistics/open-data/']").first.click()
    page.wait_for_url("**/statistics/open-data/")
    page.check_accessible()
    assert page.locator("tr[data-column='members_suppressed']").count() == 1
    page.select_option("#id_year", "2024")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/statistics/open-data/?year=2024")
    page.check_accessible()
    with page.expect_download() as download:
        page.locator("a[data-download='csv-municipality']").click()
    path = download.value.path()
    assert download.value.suggested_filename == "binplp-open-data-municipality-2024.csv"
    text = open(path, encoding="utf-8-sig").read()  # noqa: PTH123, SIM115
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == opendata.columns("municipality")
    assert {line[table[0].index("year")] for line in table[1:]} == {"2024"}
    # A bad year is told on the page, which stays accessible.
    page.goto("/statistics/open-data/?year=1999")
    assert page.locator("[data-error]").count() == 1
    page.check_accessible()
