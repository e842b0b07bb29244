"""A zone officer imports a spreadsheet with two bad rows in a real browser, reads the errors, fixes the file and
imports it. Every state passes the axe-core audit."""

import pytest

from networks.models import Network
from networks.tests.import_helpers import csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, name: str, content: bytes) -> None:
    page.visit("/networks/import/")
    page.locator("input[type=file]").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/networks/import/*-*/")
    page.check_accessible()


def test_a_zone_officer_fixes_two_bad_rows_and_imports(page, live_server, personas):
    from core.testing.browser import sign_in_as

    sign_in_as(page, live_server, personas.zone_officer)
    good = row(name="BIN Kielpark", municipality="11002", founded_on="2021-03-01", streets="Kielstraat;2020")
    bad = [
        good,
        row(name="BIN Havenwijk", municipality="99999", founded_on="2020-05-01"),
        row(name="BIN Zuid", municipality="11002", founded_on="2020-13-01"),
    ]
    _upload(page, "networks.csv", csv_bytes(bad))
    errors = page.locator("#errors + p + .table-wrap table")
    assert errors.locator("tbody th[scope=row]").all_inner_texts() == ["3", "4"]
    text = errors.inner_text()
    assert "99999" in text and "2020-13-01" in text
    assert page.locator("form[action$='/commit/']").count() == 0  # nothing can be imported yet
    page.locator("form[action$='/cancel/'] button").click()
    page.wait_for_url("**/networks/import/")
    page.check_accessible()

    fixed = [
        good,
        row(name="BIN Havenwijk", municipality="11002", founded_on="2020-05-01"),
        row(name="BIN Zuid", municipality="11002", founded_on="2020-12-01"),
    ]
    _upload(page, "networks-fixed.csv", csv_bytes(fixed))
    assert page.locator("#errors").count() == 0
    page.locator("form[action$='/commit/'] button").click()
    page.wait_for_url("**/networks/**")
    page.wait_for_selector(".message--success")
    page.check_accessible()

    created = Network.objects.filter(name__in=["BIN Kielpark", "BIN Havenwijk", "BIN Zuid"])
    assert created.count() == 3
    assert {network.zone.code for network in created} == {5345}
    assert created.get(name="BIN Zuid").founded_on.isoformat() == "2020-12-01"
