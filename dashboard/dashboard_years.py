"""The dashboard's figures over the years: for the user's scope (dashboard_selectors.BoardScope), per calendar year
from the first year with a network figure to this year, the networks active on 31 December (today for this year),
founded in the year and ended in the year (dissolved + merged).

The figures are the open-data rows (opendata_selectors.compute_open_data), so the dashboard and the published open
data never disagree:
- the country (ADVP, the Knowledge Centre): the country's rows;
- a mandated officer: the sum of the rows of their zones (a zone row's `code` is the zone's code, or "id<pk>" when
  the zone has none);
- a municipal official: the sum of the rows of their municipalities (code: REFNIS);
- a user holding both roles: the rows of their zones plus those of their municipalities that are not (currently) in
  one of those zones, so that a network is not counted twice. A network whose main municipality left one of the
  zones, but which is still attached to that zone, could still be counted twice; the register has none today.

Open data places a network at its main municipality (and its zone), whereas the rest of the dashboard counts, for a
municipality, every network whose area covers it: a municipal official's figures over the years can therefore be
lower than the key figures above them (a network of the neighbouring municipality reaching into theirs is not here).

One or two queries when the open data is in the cache (the zones' codes, the municipalities' REFNIS codes), plus the
open data's own otherwise; the result is kept in the cache under the fingerprint and the scope, so a warm page reads
none.
"""

from __future__ import annotations

from django.core.cache import cache

from geography.models import Municipality, PoliceZone, ZoneMembership

from . import opendata_selectors as opendata
from .dashboard_selectors import CACHE_SECONDS, BoardScope, board_scope

FIGURES = ("active", "founded", "dissolved", "merged")
_CACHE_PREFIX = "dashboard:board:years:v1"


def years_rows(*, user, stamp: str | None = None) -> list[dict]:
    """One row per year of the user's scope, oldest first: {"year", "active", "founded", "dissolved", "merged",
    "ended"}. Empty when the scope has no network figure yet. `stamp`: the fingerprint, when the caller already read
    it (seven queries saved)."""
    scope = board_scope(user)
    stamp = stamp or opendata.fingerprint()
    key = f"{_CACHE_PREFIX}:{scope.key}:{stamp}"
    rows = cache.get(key)
    if rows is None:
        rows = compute_years_rows(scope=scope, data=_open_data(stamp))
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def compute_years_rows(*, scope: BoardScope, data: opendata.OpenData) -> list[dict]:
    totals = {year: dict.fromkeys(FIGURES, 0) for year in data.years}
    for level, codes in _levels_and_codes(scope):
        for row in opendata.level_rows(level, data=data):
            if codes is None or row["code"] in codes:
                for figure in FIGURES:
                    totals[row["year"]][figure] += row[f"networks_{figure}"] or 0
    years = sorted(totals)
    while years and not any(totals[years[0]].values()):  # from the first year with a figure
        years.pop(0)
    return [
        {"year": year, **totals[year], "ended": totals[year]["dissolved"] + totals[year]["merged"]} for year in years
    ]


def _levels_and_codes(scope: BoardScope) -> list[tuple[str, set[str] | None]]:
    """The open-data levels to add up and the codes of their rows to keep (None: every row)."""
    if scope.national:
        return [("country", None)]
    levels = []
    if scope.zone_ids:
        zones = PoliceZone.objects.filter(pk__in=scope.zone_ids).values_list("pk", "code")
        levels.append(("zone", {str(code) if code else f"id{pk}" for pk, code in zones}))
    if scope.municipality_ids:
        in_zones = ZoneMembership.objects.filter(zone_id__in=scope.zone_ids, valid_to__isnull=True)
        municipalities = Municipality.objects.filter(pk__in=scope.municipality_ids)
        if scope.zone_ids:
            municipalities = municipalities.exclude(pk__in=in_zones.values("municipality"))
        levels.append(("municipality", set(municipalities.values_list("refnis", flat=True))))
    return levels


def _open_data(stamp: str) -> opendata.OpenData:
    """opendata_selectors.open_data() for a fingerprint already read: the same cache entry (open data is kept under
    its prefix and the fingerprint), computed and stored on a miss."""
    key = f"{opendata._CACHE_PREFIX}:{stamp}"
    data = cache.get(key)
    if data is None:
        data = opendata.compute_open_data()
        cache.set(key, data, opendata.CACHE_SECONDS)
    return data
