"""Suppression of small member counts: primary (below the threshold) and complementary (so that no hidden count can
be found back by subtracting visible places from a visible total)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from dashboard import opendata_selectors as opendata

from . import test_opendata_support as support
from .test_opendata_support import (
    ANTWERPEN,
    BOOM,
    GENT,
    HEMIKSEM,
    OOST_VLAANDEREN,
    RUPEL,
)

known_dataset = support.known_dataset  # the fixture, under its name in this module


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- the rule on its own ------------------------------------------------------------------------------------------


def test_a_small_count_is_hidden_and_so_is_the_smallest_sibling():
    values = {"a": 5, "b": 20, "c": 30, "T": 55}
    assert opendata.suppress(values, [("T", ["a", "b", "c"])], 10) == {"a", "b"}


def test_hidden_siblings_adding_up_to_less_than_the_threshold_take_one_more():
    values = {"a": 3, "b": 4, "c": 20, "d": 25, "T": 52}
    assert opendata.suppress(values, [("T", ["a", "b", "c", "d"])], 10) == {"a", "b", "c"}


def test_zeros_are_shown_and_never_chosen_as_the_complement():
    values = {"a": 5, "z": 0, "b": 12, "T": 17}
    assert opendata.suppress(values, [("T", ["a", "z", "b"])], 10) == {"a", "b"}


def test_without_a_sibling_to_hide_the_total_is_hidden_and_protected_in_its_own_group():
    # Zone Z = a + b; province P = b + c (c is zero); the country = P + Q.
    values = {"a": 5, "b": 20, "c": 0, "Z": 25, "P": 20, "Q": 40, "BE": 60}
    groups = [("Z", ["a", "b"]), ("P", ["b", "c"]), ("BE", ["P", "Q"])]
    assert opendata.suppress(values, groups, 10) == {"a", "b", "P", "Q"}


def test_nothing_below_the_threshold_nothing_hidden():
    values = {"a": 10, "b": 0, "T": 10}
    assert opendata.suppress(values, [("T", ["a", "b"])], 10) == set()


def _check_no_group_reveals(rows_by_level: dict, raw: dict, threshold: int) -> None:
    """For every year and every group of a visible total: no hidden place, or at least two adding up to the
    threshold or more."""
    for year in {row["year"] for rows in rows_by_level.values() for row in rows}:
        shown = {
            (level, row["code"]): row for level, rows in rows_by_level.items() for row in rows if row["year"] == year
        }
        groups = []
        municipalities = [key for key in shown if key[0] == "municipality"]
        zones = [key for key in shown if key[0] == "zone"]
        for province in [key for key in shown if key[0] == "province"]:
            groups.append((province, [key for key in municipalities if shown[key]["province_code"] == province[1]]))
            groups.append((province, [key for key in zones if shown[key]["province_code"] == province[1]]))
        country = ("country", "BE")
        groups += [(country, [key for key in shown if key[0] == level]) for level in ("province", "zone")]
        groups.append((country, municipalities))
        for total, cells in groups:
            if shown[total]["members_suppressed"]:
                continue
            hidden = [cell for cell in cells if shown[cell]["members_suppressed"]]
            assert not hidden or (len(hidden) > 1 and sum(raw[(*cell, year)] for cell in hidden) >= threshold), (
                year,
                total,
                hidden,
            )


# --- on the known dataset ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_counts_of_the_known_dataset_are_suppressed_where_they_must(known_dataset, settings):
    settings.BINPLP_OPEN_DATA_MIN_COUNT = 1
    raw = {
        (level, row["code"], row["year"]): row["members"]
        for level in opendata.LEVELS
        for row in opendata.level_rows(level)
    }
    settings.BINPLP_OPEN_DATA_MIN_COUNT = 10
    rows = {level: opendata.level_rows(level) for level in opendata.LEVELS}
    shown = {(row["level"], row["code"], row["year"]): row for level_rows in rows.values() for row in level_rows}
    # 2024: Hemiksem has 5 members (hidden); Rupel's 17 are shown, so Boom's 12 are hidden too; Gent's 31 shown.
    assert shown[("municipality", HEMIKSEM, 2024)]["members"] is None
    assert shown[("municipality", HEMIKSEM, 2024)]["members_suppressed"] is True
    assert shown[("municipality", BOOM, 2024)]["members"] is None
    assert shown[("municipality", GENT, 2024)]["members"] == 31
    assert shown[("zone", str(RUPEL), 2024)]["members"] == 17
    assert shown[("province", ANTWERPEN, 2024)]["members"] == 17
    assert shown[("province", OOST_VLAANDEREN, 2024)]["members"] == 31
    assert shown[("country", "BE", 2024)]["members"] == 48
    # 2020: Boom alone in its zone, 12 members: nothing to hide.
    assert shown[("municipality", BOOM, 2020)]["members"] == 12
    # The other figures of a row with hidden members stay.
    assert shown[("municipality", HEMIKSEM, 2024)]["networks_merged"] == 1
    _check_no_group_reveals(rows, raw, 10)
    # Only members is ever withheld.
    for row in shown.values():
        assert all(
            value is not None
            for name, value in row.items()
            if name not in ("members", "officers_mandated", "officers_trained")
        )


@pytest.mark.django_db
def test_a_higher_threshold_hides_more(known_dataset, settings):
    settings.BINPLP_OPEN_DATA_MIN_COUNT = 40
    rows = {(row["code"], row["year"]): row for row in opendata.level_rows("province")}
    assert rows[(OOST_VLAANDEREN, 2024)]["members_suppressed"] and rows[(ANTWERPEN, 2024)]["members_suppressed"]
    country = {row["year"]: row for row in opendata.level_rows("country")}
    assert country[2024]["members"] == 48  # two provinces hidden, adding up to 48 ≥ 40
