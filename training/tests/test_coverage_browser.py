"""Coverage, statistics and policy pages in a browser, each audited by axe-core (labels, headings, contrast, tables,
the accessible chart)."""

from __future__ import annotations

import pytest

from core.testing.browser import sign_in_as

from .coverage_support import known_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_national_roles_read_coverage_statistics_and_policy(
    page, live_server, personas, make_session, make_trainee, make_officer
):
    known_dataset(personas, make_session, make_trainee, make_officer)
    sign_in_as(page, live_server, personas.advp_admin)
    page.visit("/training/coverage/")
    assert page.locator("svg[role=img]").count() == 1
    page.visit("/training/coverage/?province=brussels")
    page.visit("/training/statistics/")
    page.visit("/training/policy/")
    page.locator("#id_urgent_requires_certificate").check()
    page.locator("main form[method=post] button[type=submit]").click()
    assert page.locator("[data-policy-state=on]").count() == 1


def test_a_zone_officer_reads_their_zone_coverage(
    page, live_server, personas, make_session, make_trainee, make_officer
):
    known_dataset(personas, make_session, make_trainee, make_officer)
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/training/coverage/")
