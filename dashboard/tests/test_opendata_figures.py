"""Open data figures against counts made one object at a time, for a dataset with known numbers; the cache and its
invalidation; the number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import opendata_selectors as opendata
from members.models import Membership
from networks.models import NetworkStatusChange

from . import test_opendata_support as support
from .test_opendata_support import (
    ANTWERPEN,
    BOOM,
    GENT,
    HEMIKSEM,
    OOST_VLAANDEREN,
    RUPEL,
    brute_force,
    memberships,
)

pytestmark = pytest.mark.django_db

NUMBERS = [name for name in opendata.columns("country") if name.startswith(("networks_", "messages_", "members"))]


known_dataset = support.known_dataset  # the fixture, under its name in this module


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_threshold(settings):
    """Every member count shown, so that each can be compared with the brute force."""
    settings.BINPLP_OPEN_DATA_MIN_COUNT = 1


def _by_key(level: str, year: int | None = None) -> dict[tuple[str, int], dict]:
    return {(row["code"], row["year"]): row for row in opendata.level_rows(level, year)}


def test_years_run_from_the_first_event_to_this_year(known_dataset):
    assert opendata.available_years() == list(range(2020, timezone.localdate().year + 1))


@pytest.mark.parametrize("level", opendata.LEVELS)
def test_every_figure_matches_a_count_made_object_by_object(known_dataset, no_threshold, level):
    years = opendata.available_years()
    expected = brute_force(level, years)
    rows = _by_key(level)
    assert rows, level
    for (code, year), row in rows.items():
        for name in NUMBERS:
            if name in row and name != "members_suppressed":
                assert row[name] == expected[(code, year)].get(name, 0), (level, code, year, name)
        assert row["members_suppressed"] is False
    # Every place and year with a figure has its row; none is missing.
    for (code, year), figures in expected.items():
        if any(figures.get(name) for name in NUMBERS if name in opendata.columns(level)):
            assert (code, year) in rows, (level, code, year)


def test_known_numbers(known_dataset, no_threshold):
    municipalities = _by_key("municipality")
    members = {(code, year): row["members"] for (code, year), row in municipalities.items()}
    assert members[(BOOM, 2020)] == 12 and (HEMIKSEM, 2020) not in members and members[(GENT, 2020)] == 31
    assert [members[(BOOM, y)] for y in (2021, 2022, 2023, 2024, 2025)] == [19, 19, 12, 12, 12]
    assert [members[(HEMIKSEM, y)] for y in (2021, 2022, 2023, 2024, 2025)] == [5, 7, 7, 5, 5]
    assert [members[(GENT, y)] for y in (2024, 2025)] == [31, 30]
    boom = municipalities[(BOOM, 2023)]
    assert boom["networks_active"] == 1 and boom["networks_dissolved_self_employed"] == 1
    hemiksem = municipalities[(HEMIKSEM, 2022)]
    # N3 was dormant from February to September 2022, active again at the end of the year; N4 founded in 2022.
    assert hemiksem["networks_active_residential"] == 2 and hemiksem["networks_founded"] == 1
    assert municipalities[(HEMIKSEM, 2024)]["networks_merged_residential"] == 1
    assert municipalities[(GENT, 2024)]["networks_active"] == 1  # the network in preparation is not active
    zones = _by_key("zone")
    assert zones[(str(RUPEL), 2023)]["messages_urgent_alert"] == 2 and zones[(str(RUPEL), 2023)]["members"] == 19
    assert zones[(str(RUPEL), 2023)]["province_code"] == ANTWERPEN
    provinces = _by_key("province")
    assert provinces[(OOST_VLAANDEREN, 2025)]["messages_newsletter"] == 1  # sent at 00:30 on 1 January in Brussels
    country = _by_key("country")
    assert country[("BE", 2023)]["practices_published"] == 2 and country[("BE", 2024)]["practices_published"] == 1
    assert country[("BE", 2021)]["networks_active"] == 4 and country[("BE", 2021)]["members"] == 55
    this_year = timezone.localdate().year
    assert zones[(str(RUPEL), this_year)]["officers_mandated"] == 1
    assert zones[(str(RUPEL), this_year)]["officers_trained"] == 0
    assert zones[(str(RUPEL), 2023)]["officers_mandated"] is None  # today's figure only
    assert country[("BE", this_year)]["officers_mandated"] == 1


def test_a_year_filter_keeps_that_year_only(known_dataset):
    rows = opendata.level_rows("zone", 2022)
    assert rows and {row["year"] for row in rows} == {2022}


def test_the_figures_are_cached_until_the_data_changes(known_dataset, no_threshold, django_assert_max_num_queries):
    first = _by_key("municipality")
    with CaptureQueriesContext(connection) as warm:
        assert _by_key("municipality") == first
    fingerprint_queries = len(warm.captured_queries)
    assert fingerprint_queries <= 8  # the fingerprint only
    Membership.objects.filter(network=known_dataset["n5"], status="active").first().delete()
    changed = _by_key("municipality")
    assert changed[(GENT, 2025)]["members"] == first[(GENT, 2025)]["members"] - 1
    # A status change (an update, not an insert elsewhere) is seen too.
    NetworkStatusChange.objects.create(
        network=known_dataset["n5"], from_status="active", to_status="dormant", on=datetime.date(2025, 3, 1), reason="x"
    )
    assert _by_key("municipality")[(GENT, 2025)]["networks_active"] == 0
    memberships(known_dataset["n3"], 1, joined="2025-01-02")
    assert _by_key("municipality")[(HEMIKSEM, 2025)]["members"] == 6
    # An end of membership written as an update moves the fingerprint as well.
    row = Membership.objects.filter(network=known_dataset["n3"], status="active").first()
    Membership.objects.filter(pk=row.pk).update(status="left", ended_on=datetime.date(2025, 6, 1))
    assert _by_key("municipality")[(HEMIKSEM, 2025)]["members"] == 5


def test_computing_takes_a_fixed_number_of_queries(known_dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        opendata.compute_open_data()
    memberships(known_dataset["n5"], 20, joined="2021-01-01")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        opendata.open_data()
    with CaptureQueriesContext(connection) as again:
        cache.clear()
        opendata.open_data()
    assert len(cold.captured_queries) == len(again.captured_queries) <= 40


def test_no_data_no_years(reference_data):
    assert opendata.available_years() == []
    assert opendata.level_rows("country") == []
