"""The public finder and map: no sign-in, only active networks, only public fields."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from networks.choices import NetworkKind

from . import selectors
from .forms import FinderForm
from .public import result_public


def _map_settings() -> dict:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


@require_GET
def find(request):
    searched = any(request.GET.get(name) for name in ("postal_code", "street", "number", "lat", "lon"))
    form = FinderForm(request.GET if searched else None)
    result = None
    if searched and form.is_valid():
        result = result_public(selectors.find(**form.query()))
    return render(request, "members/find.html", {"form": form, "result": result, **_map_settings()})


@require_GET
def public_map(request):
    kind = request.GET.get("kind", "")
    return render(
        request,
        "members/map.html",
        {"kinds": NetworkKind.choices, "kind": kind if kind in NetworkKind.values else "", **_map_settings()},
    )


@require_GET
@gzip_page
@cache_control(max_age=60, public=True)
def networks_geojson(request):
    kind = request.GET.get("kind", "")
    if kind not in NetworkKind.values:
        kind = ""
    return HttpResponse(selectors.networks_geojson(kind=kind), content_type="application/geo+json")
