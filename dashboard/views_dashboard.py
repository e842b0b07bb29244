"""The dashboard (/statistics/dashboard/) and its map's GeoJSON. ADVP and the Knowledge Centre see the country, a
mandated officer their zone(s), a municipal official their municipality; anybody else gets 403 (anonymous visitors
are sent to sign in). Thin: each parses the level and page numbers, calls dashboard_selectors (and dashboard_years
for the figures over the years) and renders."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import require

from . import dashboard_selectors as board
from .dashboard_charts import status_chart, years_chart
from .dashboard_years import years_rows
from .opendata_selectors import fingerprint


def _page_links(request, name: str, page) -> dict:
    """The previous and next links of one of the page's lists (each list has its own page parameter)."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query[name] = number
        return f"?{query.urlencode()}#{name}"

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def _chart(figures: board.BoardFigures):
    labels = [row["label"] for row in figures.chart_rows]
    series = [
        (label, [row["counts"].get(status, 0) for row in figures.chart_rows])
        for status, label, count in figures.by_status
        if count
    ]
    if figures.chart_level == "province":
        title = _("Networks by status, per province")
    else:
        title = _("Networks by status, per police zone")
    description = _("%(networks)s networks in %(places)s places; the same figures are in the table below.") % {
        "networks": figures.networks,
        "places": len(labels),
    }
    return status_chart(labels, series, title=title, description=description)


def _years_chart(rows: list[dict]):
    """Active networks at the end of each year, founded and ended in it; nothing when the scope has no figure yet."""
    if not rows:
        return ""
    series = [
        (_("Active at the end of the year"), [row["active"] for row in rows]),
        (_("Founded in the year"), [row["founded"] for row in rows]),
        (_("Ended in the year (dissolved or merged)"), [row["ended"] for row in rows]),
    ]
    first, last = rows[0], rows[-1]
    description = _(
        "From %(start)s to %(end)s, active networks went from %(first)s to %(last)s; %(founded)s networks were "
        "founded and %(ended)s ended. The same figures are in the table below."
    ) % {
        "start": first["year"],
        "end": last["year"],
        "first": first["active"],
        "last": last["active"],
        "founded": sum(row["founded"] for row in rows),
        "ended": sum(row["ended"] for row in rows),
    }
    return years_chart(
        [row["year"] for row in rows], series, title=_("Networks over the years"), description=description
    )


def _level(request) -> tuple[str, str]:
    """The map's level, and an error message when the one asked for does not exist (the map then shows
    municipalities)."""
    asked = request.GET.get("level")
    if asked and asked not in board.LEVELS:
        return board.check_level(None), _("The map shows municipalities or police zones: choose one of them.")
    return board.check_level(asked), ""


@require(board.can_see_board)
@require_GET
def board_page(request):
    user = request.user
    scope = board.board_scope(user)
    level, level_error = _level(request)
    stamp = fingerprint()
    figures = board.board_figures(user=user, stamp=stamp)
    rows = board.map_rows(user=user, level=level, stamp=stamp)
    covered, places = board.coverage_share(rows, level)
    years = years_rows(user=user, stamp=stamp)
    statuses = [(status, label) for status, label, count in figures.by_status if count]
    chart_table = [
        {
            "label": row["label"],
            "total": row["total"],
            "counts": [row["counts"].get(status, 0) for status, _x in statuses],
        }
        for row in figures.chart_rows
    ]
    context = {
        "scope": scope,
        "figures": figures,
        "chart": _chart(figures),
        "chart_statuses": statuses,
        "chart_table": chart_table,
        "years": years,
        "years_chart": _years_chart(years),
        "charters": _page_links(
            request, "charters", board.waiting_charters(user=user, page=request.GET.get("charters"))
        ),
        "orphans": _page_links(
            request, "orphans", board.networks_without_coordinator(user=user, page=request.GET.get("orphans"))
        ),
        "idle": _page_links(request, "idle", board.idle_networks(user=user, page=request.GET.get("idle"))),
        "level": level,
        "levels": [("municipality", _("Municipalities")), ("zone", _("Police zones"))],
        "map_rows": rows,
        "map_covered": covered,
        "map_places": places,
        "map_percent": 100 * covered / places if places else None,
        "legend": board.legend(level),
        "geojson_url": f"{reverse('dashboard:board_geojson')}?level={level}",
        "idle_days": board.IDLE_DAYS,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    context["level_error"] = level_error
    return render(request, "dashboard/board/board.html", context, status=400 if level_error else 200)


@require(board.can_see_board)
@require_GET
def board_geojson(request):
    level, level_error = _level(request)
    if level_error:
        return JsonResponse({"detail": level_error}, status=400)
    response = HttpResponse(board.map_geojson(user=request.user, level=level), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response
