"""Member counts for national roles, municipalities, zones and coordinators: numbers per province, zone,
municipality and network (never a name), members over time, the chart, the page, its CSV and the API."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from members.charts import chart_table, members_over_time_chart
from members.choices import CURRENT_STATUSES, MembershipStatus
from members.manage_selectors import (
    growth_dates,
    member_counts,
    member_counts_growth,
    member_growth,
    network_member_stats,
)
from members.models import Membership
from networks.tests.network_fixtures import bulk_networks

from . import factories
from .manage_helpers import COUNT_READERS, NO_COUNTS, people, sign_in, speak_english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """National counts are cached: each test starts and ends without them."""
    cache.clear()
    yield
    cache.clear()


TODAY = datetime.date(2026, 6, 15)


def _membership(network, *, joined: str, status: str = MembershipStatus.ACTIVE, ended: str | None = None):
    member = factories.member(network)
    membership = Membership.objects.get(member=member, network=network)
    membership.joined_on = datetime.date.fromisoformat(joined)
    membership.status = status
    membership.ended_on = datetime.date.fromisoformat(ended) if ended else None
    if status == MembershipStatus.ERASED:
        membership.member = None
    membership.save()
    return membership


@pytest.fixture
def dataset(personas):
    """Network A: the persona member (joined 2024-01-15, active) and memberships joining and ending at known dates;
    network B: two current members."""
    a, b = personas.network_a, personas.network_b
    _membership(a, joined="2023-01-01")
    _membership(a, joined="2025-03-10")
    _membership(a, joined="2024-01-01", status=MembershipStatus.LEFT, ended="2025-06-20")
    _membership(a, joined="2025-01-15", status=MembershipStatus.ERASED, ended="2026-02-01")
    _membership(a, joined="2024-05-01", status=MembershipStatus.REMOVED)  # no end date: cannot be placed in time
    _membership(a, joined="2026-06-01", status=MembershipStatus.SUSPENDED)
    _membership(a, joined="2022-01-01", status=MembershipStatus.LEFT, ended="2023-01-01")
    _membership(a, joined="2026-01-10", status=MembershipStatus.REMOVED, ended="2026-04-30")
    _membership(b, joined="2025-09-01")
    _membership(b, joined="2026-02-14", status=MembershipStatus.SUSPENDED)
    return personas


def _brute_force(memberships, day: datetime.date) -> int:
    count = 0
    for row in memberships:
        if row.joined_on > day:
            continue
        if row.ended_on is not None:
            count += row.ended_on > day
        else:
            count += row.status in CURRENT_STATUSES
    return count


# --- selectors ---------------------------------------------------------------------------------------------------


def test_growth_dates_are_the_month_ends_and_today():
    dates = growth_dates(today=TODAY)
    assert len(dates) == 24
    assert dates[0] == datetime.date(2024, 7, 31) and dates[-2] == datetime.date(2026, 5, 31)
    assert dates[-1] == TODAY and datetime.date(2025, 2, 28) in dates and datetime.date(2024, 2, 29) not in dates


def test_members_over_time_count_each_membership_while_it_lasted(dataset):
    a = dataset.network_a
    points = member_growth(Membership.objects.filter(network=a), today=TODAY)
    rows = list(Membership.objects.filter(network=a))
    assert points == [(day, _brute_force(rows, day)) for day in growth_dates(today=TODAY)]
    by_day = dict(points)
    # persona (2024-01-15) + 2023-01-01 + left one (2024-01-01 → 2025-06-20)
    assert by_day[datetime.date(2024, 7, 31)] == 3
    # + 2025-01-15 (erased later) + 2025-03-10
    assert by_day[datetime.date(2025, 5, 31)] == 5
    assert by_day[datetime.date(2025, 6, 30)] == 4  # the left one ended on 2025-06-20
    assert by_day[datetime.date(2026, 1, 31)] == 5  # erased one still a member, 2026-01-10 one joined
    assert by_day[datetime.date(2026, 2, 28)] == 4  # erased on 2026-02-01
    assert by_day[datetime.date(2026, 4, 30)] == 3  # removed on 2026-04-30
    assert by_day[TODAY] == 4  # the suspended one joined on 2026-06-01


def test_the_last_point_is_the_current_count(dataset):
    points = member_counts_growth(user=dataset.advp_admin, today=datetime.date.today())
    assert points[-1][1] == Membership.objects.filter(status__in=sorted(CURRENT_STATUSES)).count() == 6


def test_the_network_panel_counts(dataset):
    stats = network_member_stats(network=dataset.network_a, today=TODAY)
    assert (stats["active"], stats["suspended"]) == (3, 1)
    # joined after 2025-06-15: 2026-01-10 and 2026-06-01; ended after it: 2025-06-20, 2026-02-01, 2026-04-30
    assert (stats["joined"], stats["left"]) == (2, 3)
    assert stats["pending"] == 0


def test_counts_per_grouping_for_a_national_role(dataset):
    advp = dataset.advp_admin
    provinces = {row["key"]: (row["networks"], row["count"]) for row in member_counts(user=advp, by="province")}
    antwerp_province = dataset.network_a.municipality.province.refnis
    assert provinces == {antwerp_province: (1, 4), "04000": (1, 2)}
    zones = {row["key"]: row["count"] for row in member_counts(user=advp, by="zone")}
    assert zones == {"5345": 4, "5339": 2}
    municipalities = {row["key"]: row["count"] for row in member_counts(user=advp, by="municipality")}
    assert municipalities == {"11002": 4, "21004": 2}
    networks = member_counts(user=advp, by="network", sort="-count")
    assert [(row["code"], row["count"]) for row in networks] == [("BIN-11002-1", 4), ("BIN-21004-1", 2)]
    assert set(networks[0]) == {
        "key",
        "code",
        "name",
        "municipality",
        "zone",
        "status",
        "status_label",
        "networks",
        "count",
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("knowledge_centre", {"BIN-11002-1": 4, "BIN-21004-1": 2}),
        ("zone_officer", {"BIN-11002-1": 4}),
        ("municipality_official", {"BIN-11002-1": 4}),
        ("other_zone_officer", {"BIN-21004-1": 2}),
        ("coordinator", {"BIN-11002-1": 4}),
        ("member", {}),
        ("outsider", {}),
    ],
)
def test_counts_cover_the_networks_the_reader_sees(dataset, persona, expected):
    user = getattr(dataset, persona)
    assert {row["code"]: row["count"] for row in member_counts(user=user, by="network")} == expected
    growth = member_counts_growth(user=user, today=datetime.date.today())
    assert growth[-1][1] == sum(expected.values())


# --- the chart ---------------------------------------------------------------------------------------------------


def test_the_chart_is_an_accessible_self_contained_svg():
    points = [(day, index * 2) for index, day in enumerate(growth_dates(today=TODAY))]
    svg = str(members_over_time_chart(points, title="Members of A"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    identifier = re.search(r'<svg[^>]* id="(chart-[0-9a-f]+)"', svg).group(1)
    assert f'aria-labelledby="{identifier}-title {identifier}-desc"' in svg
    assert f'<title id="{identifier}-title">Members of A</title>' in svg
    assert "From 07/2024 to 06/2026, members went from 0 to 46." in svg
    # Nothing the page's CSP would block (no inline script, stylesheet or style attribute), and no tooltips.
    for forbidden in ("<script", "<style", " style=", "tooltip-overlay", "<!--"):
        assert forbidden not in svg
    assert 'class="line reactive nofill" fill="none" stroke-width="3"' in svg and 'stroke="#0b5394"' in svg
    assert ">07/2024</text>" in svg and ">04/2026</text>" in svg
    assert [row["change"] for row in chart_table(points)[:3]] == [None, 2, 2]


def test_the_pages_chart_shows_the_scope(client, dataset):
    speak_english(dataset)
    sign_in(client, dataset.zone_officer)
    response = client.get(reverse("members_manage:counts"))
    rows = response.context["growth_rows"]
    assert len(rows) == 24 and rows[-1]["count"] == 4
    assert "Members of the networks you see" in response.content.decode()


# --- the page, its CSV and the API -------------------------------------------------------------------------------


def test_the_counts_page_groups_sorts_and_shows_no_names(client, dataset):
    speak_english(dataset)
    sign_in(client, dataset.knowledge_centre)
    url = reverse("members_manage:counts")
    response = client.get(url)
    assert response.status_code == 200 and response.context["by"] == "province" and response.context["total"] == 6
    content = response.content.decode()
    assert "Lambert" not in content and "member@test.binplp.be" not in content
    assert 'aria-current="page"' in content and 'scope="col"' in content
    response = client.get(url, {"by": "network", "sort": "-count"})
    assert [row["code"] for row in response.context["rows"]] == ["BIN-11002-1", "BIN-21004-1"]
    response = client.get(url, {"by": "zone", "sort": "count"})
    assert [row["count"] for row in response.context["rows"]] == [2, 4]
    assert 'aria-sort="ascending"' in response.content.decode()
    assert client.get(url, {"by": "nonsense"}).context["by"] == "province"


def test_the_networks_table_pages_by_fifty(client, personas):
    network = personas.network_a
    bulk_networks(60, municipality=network.municipality, zone=network.zone)
    sign_in(client, personas.zone_officer)
    response = client.get(reverse("members_manage:counts"), {"by": "network"})
    assert len(response.context["rows"]) == 50 and response.context["page"].paginator.count == 61


def test_the_counts_csv(client, dataset):
    speak_english(dataset)
    sign_in(client, dataset.municipality_official)
    response = client.get(reverse("members_manage:counts_csv"), {"by": "network"})
    assert response["Content-Disposition"].startswith('attachment; filename="binplp-member-counts-network-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Code", "Network", "Municipality", "Police zone", "Status", "Members"]
    assert rows[1][0] == "BIN-11002-1" and rows[1][-1] == "4" and rows[1][4] == "active" and len(rows) == 2
    response = client.get(reverse("members_manage:counts_csv"), {"by": "province"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Code", "Province", "Networks", "Members"] and rows[1][2:] == ["1", "4"]


def test_the_counts_page_takes_the_same_queries_for_few_or_many_networks(client, personas, django_assert_num_queries):
    network = personas.network_a
    sign_in(client, personas.advp_admin)
    url = reverse("members_manage:counts")
    client.get(url, {"by": "network"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"by": "network"})
    for other in bulk_networks(12, municipality=network.municipality, zone=network.zone):
        factories.member(other)
    with django_assert_num_queries(len(few)):
        client.get(url, {"by": "network"})


def test_the_counts_api(dataset):
    api = APIClient(headers={"Accept-Language": "en"})
    url = "/api/v1/member-counts/"
    assert_permission_matrix(
        api,
        url,
        anonymous=ANONYMOUS_DENIED,
        allowed=people(dataset, COUNT_READERS),
        in_scope_wrong_role=people(dataset, NO_COUNTS),
    )
    api.force_authenticate(dataset.zone_officer)
    body = api.get(url, {"by": "network"}).json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "key": "BIN-11002-1",
            "name": "BIN Network A",
            "networks": 1,
            "count": 4,
            "municipality": "Antwerpen / Anvers",  # names in English: both official names
            "zone": str(dataset.network_a.zone),
            "status": "active",
        }
    ]
    api.force_authenticate(dataset.advp_admin)
    provinces = api.get(url, {"by": "province", "sort": "-count"}).json()["results"]
    assert [row["count"] for row in provinces] == [4, 2]
    assert api.get(url, {"by": "street"}).status_code == 400


def test_national_counts_are_kept_for_a_while_and_local_ones_are_always_fresh(dataset):
    assert {row["code"]: row["count"] for row in member_counts(user=dataset.advp_admin, by="network")}[
        "BIN-11002-1"
    ] == 4
    factories.member(dataset.network_a)
    national = {row["code"]: row["count"] for row in member_counts(user=dataset.advp_admin, by="network")}
    local = {row["code"]: row["count"] for row in member_counts(user=dataset.zone_officer, by="network")}
    assert (national["BIN-11002-1"], local["BIN-11002-1"]) == (4, 5)
    cache.clear()
    national = {row["code"]: row["count"] for row in member_counts(user=dataset.advp_admin, by="network")}
    assert national["BIN-11002-1"] == 5
