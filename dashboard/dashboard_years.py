"""The dashboard's figures over the years: for the user's scope (dashboard_selectors.BoardScope), per calendar year
from the first year with a network figure to this year, the networks active on 31 December (today for this year),
founded in the year and ended in the year (dissolved + merged).

Counted as the open data counts them (opendata_selectors.network_history: status changes entering and leaving
"active", founding dates, dissolutions and mergers, grouped by the database), over the scope's networks only — so
the dashboard and the published open data never disagree, and the page never waits for the whole open data (whose
member history is the costly part):
- the country (ADVP, the Knowledge Centre): every network;
- a mandated officer: the networks of their zones;
- a municipal official: the networks whose main municipality is theirs;
- a user holding both roles: the union of the two (a network is counted once).

Open data places a network at its main municipality, whereas the rest of the dashboard counts, for a municipality,
every network whose area covers it: a municipal official's figures over the years can therefore be lower than the key
figures above them (a network of the neighbouring municipality reaching into theirs is not here).

Three grouped queries; the result is kept in the cache under the fingerprint and the scope, so a warm page reads none.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from networks.models import Network

from . import opendata_selectors as opendata
from .dashboard_selectors import CACHE_SECONDS, BoardScope, board_scope

FIGURES = ("active", "founded", "dissolved", "merged")
_CACHE_PREFIX = "dashboard:board:years:v1"


def years_rows(*, user, stamp: str | None = None) -> list[dict]:
    """One row per year of the user's scope, oldest first: {"year", "active", "founded", "dissolved", "merged",
    "ended"}. Empty when the scope has no network figure yet. `stamp`: the fingerprint, when the caller already read
    it."""
    scope = board_scope(user)
    stamp = stamp or opendata.fingerprint()
    key = f"{_CACHE_PREFIX}:{scope.key}:{stamp}"
    rows = cache.get(key)
    if rows is None:
        rows = compute_years_rows(scope=scope)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def _scope_networks(scope: BoardScope):
    """The networks counted for the scope (None: every network)."""
    if scope.national:
        return None
    condition = Q(pk__in=[])
    if scope.zone_ids:
        condition |= Q(zone_id__in=scope.zone_ids)
    if scope.municipality_ids:
        condition |= Q(municipality_id__in=scope.municipality_ids)
    return Network.objects.filter(condition)


def compute_years_rows(*, scope: BoardScope, today: datetime.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    history = opendata.network_history(today=today, networks=_scope_networks(scope))
    if not history.years:
        return []
    flows: dict = {figure: defaultdict(int) for figure in ("in", "out", *FIGURES[1:])}
    for source, figure in ((history.entered, "in"), (history.left, "out"), (history.founded, "founded")):
        for (_cell, _kind, year), n in source.items():
            flows[figure][year] += n
    for status, counts in history.ended.items():
        for (_cell, _kind, year), n in counts.items():
            flows[status][year] += n
    rows, active = [], 0
    for year in range(min(history.years), today.year + 1):
        active += flows["in"][year] - flows["out"][year]
        row = {"year": year, "active": active, **{figure: flows[figure][year] for figure in FIGURES[1:]}}
        row["ended"] = row["dissolved"] + row["merged"]
        rows.append(row)
    while rows and not any(rows[0][figure] for figure in FIGURES):  # from the first year with a figure
        rows.pop(0)
    return rows
