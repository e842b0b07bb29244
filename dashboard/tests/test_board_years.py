"""The dashboard's networks over the years (dashboard_years.years_rows, its chart and table): each scope's rows
against counts made network by network, zones and municipalities kept apart, the page in English, queries."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import RoleAssignment
from core.roles import Role, forget_grants
from core.testing.personas import _grant
from dashboard.dashboard_years import years_rows
from dashboard.opendata_selectors import fingerprint
from geography.models import Municipality, PoliceZone, ZoneMembership
from networks.models import Network

from . import test_board_support as support
from .test_board_support import ANTWERP_ZONE, ANTWERPEN, BRUSSEL, BRUSSELS_ZONE
from .test_opendata_support import BOOM, RUPEL, status_on, year_end
from .test_opendata_support import network as history_network

pytestmark = pytest.mark.django_db

dataset = support.dataset  # the fixture, under its name in this module

PAGE = "/statistics/dashboard/"
THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def histories(dataset):
    """On top of the board's dataset (networks without a founding date nor a history) and personas' networks A and B
    (founded 2019-03-01, no history): networks with known histories in the zones of Antwerpen, Brussels and Rupel,
    and one of Boom whose area reaches into Antwerpen."""
    made = {
        "a_long": history_network(ANTWERPEN, ANTWERP_ZONE, "Antwerpen Lang", "residential", "2019-04-01", [
            ("active", "2019-04-01"),
        ]),
        "a_dissolved": history_network(ANTWERPEN, ANTWERP_ZONE, "Antwerpen Weg", "residential", "2020-01-15", [
            ("in_preparation", "2019-11-01"), ("active", "2020-01-15"), ("dissolved", "2022-06-30"),
        ]),
        "a_merged": history_network(ANTWERPEN, ANTWERP_ZONE, "Antwerpen Samen", "self_employed", "2021-03-01", [
            ("active", "2021-03-01"), ("merged", "2023-02-01"),
        ]),
        "b_dormant": history_network(BRUSSEL, BRUSSELS_ZONE, "Brussel Slaap", "residential", "2017-05-01", [
            ("active", "2017-05-01"), ("dormant", "2021-01-01"), ("active", "2022-09-01"),
        ]),
        "boom": history_network(BOOM, RUPEL, "Boom Rand", "residential", "2020-09-01", [
            ("active", "2020-09-01"), ("dissolved", "2024-01-10"),
        ]),
        "a_new": history_network(ANTWERPEN, ANTWERP_ZONE, "Antwerpen Nieuw", "residential", f"{THIS_YEAR}-01-02", [
            ("active", f"{THIS_YEAR}-01-02"),
        ]),
    }  # fmt: skip
    made["boom"].municipalities.add(Municipality.objects.current().get(refnis=ANTWERPEN))
    return made


def expected(keep) -> list[dict]:
    """The rows counted network by network, for the networks `keep(network)` accepts; from the first year with a
    figure to this year."""
    networks = [n for n in Network.objects.select_related("municipality", "zone") if keep(n)]
    rows = []
    for year in range(2000, THIS_YEAR + 1):
        row = {"year": year, "active": 0, "founded": 0, "dissolved": 0, "merged": 0}
        for item in networks:
            row["active"] += status_on(item, year_end(year)) == "active"
            row["founded"] += bool(item.founded_on and item.founded_on.year == year)
            for change in item.status_changes.all():
                if change.on.year == year and change.to_status in ("dissolved", "merged"):
                    row[change.to_status] += 1
        row["ended"] = row["dissolved"] + row["merged"]
        if rows or any(value for name, value in row.items() if name != "year"):
            rows.append(row)
    return rows


def _in_zones(*codes: int):
    return lambda n: n.zone.code in codes


def _at(*refnis: str):
    return lambda n: n.municipality.refnis in refnis


# --- the rows of each scope ------------------------------------------------------------------------------------------


def test_the_country_has_every_network_year_by_year(histories, dataset):
    rows = years_rows(user=dataset.personas.advp_admin)
    assert rows == expected(lambda n: True)
    assert years_rows(user=dataset.personas.knowledge_centre) == rows
    by_year = {row["year"]: row for row in rows}
    assert rows[0]["year"] == 2017 and rows[-1]["year"] == THIS_YEAR  # Brussel Slaap founded in 2017
    assert by_year[2019]["founded"] == 3  # Antwerpen Lang, and personas' networks A and B
    assert (by_year[2021]["active"], by_year[2021]["ended"]) == (4, 0)  # Brussel Slaap is dormant
    assert (by_year[2022]["active"], by_year[2022]["dissolved"]) == (4, 1)
    assert (by_year[2023]["active"], by_year[2023]["merged"], by_year[2023]["ended"]) == (3, 1, 1)
    assert (by_year[2024]["active"], by_year[2024]["ended"]) == (2, 1)
    assert (by_year[THIS_YEAR]["active"], by_year[THIS_YEAR]["founded"]) == (3, 1)


def test_a_mandated_officer_sees_their_zone_only(histories, dataset):
    rows = years_rows(user=dataset.personas.zone_officer)
    assert rows == expected(_in_zones(ANTWERP_ZONE))
    assert rows[0]["year"] == 2019  # not 2017: Brussel Slaap is in another zone
    by_year = {row["year"]: row for row in rows}
    assert (by_year[2020]["active"], by_year[2020]["founded"]) == (2, 1)  # Boom Rand (zone Rupel) is not counted
    assert by_year[2024]["ended"] == 0  # Boom Rand's dissolution neither
    assert years_rows(user=dataset.personas.other_zone_officer) == expected(_in_zones(BRUSSELS_ZONE))


def test_a_municipal_official_sees_the_networks_based_in_their_municipality(histories, dataset):
    rows = years_rows(user=dataset.personas.municipality_official)
    # Boom Rand's area reaches into Antwerpen, but open data places it in Boom, its main municipality
    assert rows == expected(_at(ANTWERPEN))
    assert {row["year"]: row["active"] for row in rows}[2021] == 3


def test_a_user_with_both_roles_is_not_counted_twice(histories, dataset):
    officer = dataset.personas.zone_officer
    antwerpen = Municipality.objects.current().get(refnis=ANTWERPEN)
    assert ZoneMembership.objects.filter(zone__code=ANTWERP_ZONE, municipality=antwerpen, valid_to=None).exists()
    _grant(officer, Role.MUNICIPAL_OFFICIAL, antwerpen)  # a municipality of their zone: counted once
    assert years_rows(user=officer) == expected(_in_zones(ANTWERP_ZONE))
    _grant(officer, Role.MUNICIPAL_OFFICIAL, Municipality.objects.current().get(refnis=BOOM))  # outside the zone
    forget_grants(officer)
    assert RoleAssignment.objects.filter(user=officer).count() == 3
    assert years_rows(user=officer) == expected(lambda n: n.zone.code == ANTWERP_ZONE or n.municipality.refnis == BOOM)


def test_a_scope_without_any_figure_has_no_year(dataset):
    # the board's networks have no founding date nor history; personas' A and B were founded in 2019
    assert years_rows(user=dataset.personas.zone_officer) == expected(_in_zones(ANTWERP_ZONE))
    Network.objects.filter(founded_on__isnull=False).update(founded_on=None)
    cache.clear()
    assert years_rows(user=dataset.personas.zone_officer) == []


def test_a_zone_without_a_code_is_found_by_its_id(histories, dataset):
    zone = PoliceZone.objects.current().get(code=RUPEL)
    PoliceZone.objects.filter(pk=zone.pk).update(code=None)
    officer = dataset.personas.other_zone_officer
    RoleAssignment.objects.filter(user=officer).delete()
    _grant(officer, Role.ZONE_OFFICER, zone)
    forget_grants(officer)
    rows = years_rows(user=officer)
    assert rows == expected(lambda n: n.zone_id == zone.pk)
    assert {row["year"]: row["dissolved"] for row in rows}[2024] == 1


# --- the page --------------------------------------------------------------------------------------------------------


def _in_english(user):
    user.language = "en"  # the account's language wins over the cookie
    user.save(update_fields=["language"])
    return user


def test_the_page_shows_the_chart_and_the_table(client, histories, dataset):
    client.force_login(_in_english(dataset.personas.zone_officer))
    response = client.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    section = content[content.index('id="years-heading"') : content.index('id="charters"')]
    assert "Networks over the years" in section
    assert section.count("<svg") == 1 and 'role="img"' in section
    assert "Active at the end of the year" in section and "Ended in the year (dissolved or merged)" in section
    rows = expected(_in_zones(ANTWERP_ZONE))
    description = re.search(r"<desc[^>]*>(.*?)</desc>", section).group(1)
    assert description.startswith(f"From {rows[0]['year']} to {THIS_YEAR}, active networks went from ")
    assert f"{sum(row['founded'] for row in rows)} networks were founded" in description
    table = section[section.index("<table data-years-table>") :]
    assert '<div class="table-wrap" tabindex="0">' in section and '<th scope="col">Year</th>' in table
    for row in rows:
        assert (
            f'<tr data-year="{row["year"]}"><th scope="row">{row["year"]}</th>'
            f'<td data-figure="active">{row["active"]}</td><td data-figure="founded">{row["founded"]}</td>'
            f'<td data-figure="ended">{row["ended"]}</td></tr>'
        ) in table
    assert table.count("<tr data-year=") == len(rows) == THIS_YEAR - 2019 + 1
    assert "Brussel Slaap" not in content


def test_the_page_says_when_there_is_no_figure_yet(client, dataset):
    Network.objects.update(founded_on=None)
    client.force_login(_in_english(dataset.personas.municipality_official))
    content = client.get(PAGE).content.decode()
    section = content[content.index('id="years-heading"') : content.index('id="charters"')]
    assert "<svg" not in section and "No network yet." in section


# --- queries ---------------------------------------------------------------------------------------------------------


def _queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(PAGE).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["advp_admin", "zone_officer", "municipality_official", "both"])
def test_the_queries_do_not_grow_with_the_networks_and_their_years(client, histories, dataset, persona):
    if persona == "both":
        user = dataset.personas.zone_officer
        _grant(user, Role.MUNICIPAL_OFFICIAL, Municipality.objects.current().get(refnis=BOOM))
    else:
        user = getattr(dataset.personas, persona)
    client.force_login(user)
    before = _queries(client)
    for number in range(8):
        year = 2010 + number
        for refnis, zone in ((ANTWERPEN, ANTWERP_ZONE), (BOOM, RUPEL), (BRUSSEL, BRUSSELS_ZONE)):
            history_network(refnis, zone, f"Extra {number}", "residential", f"{year}-02-01", [
                ("active", f"{year}-02-01"), ("dormant", f"{year + 3}-05-01"), ("dissolved", f"{year + 5}-07-01"),
            ])  # fmt: skip
    assert years_rows(user=user)[0]["year"] == 2010
    assert _queries(client) == before


def test_the_years_are_kept_in_the_cache(dataset):
    user = dataset.personas.zone_officer
    stamp = fingerprint()
    with CaptureQueriesContext(connection) as cold:
        first = years_rows(user=user, stamp=stamp)
    with CaptureQueriesContext(connection) as warm:
        assert years_rows(user=user, stamp=stamp) == first
    assert len(warm.captured_queries) <= 1 < len(cold.captured_queries)  # the user's grants at most
