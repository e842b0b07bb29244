"""Pages of the reference geography: everyone reads them; ADVP corrects police zones."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import can, get_for_user

from . import selectors, sources
from .filters import AcademyFilterSet, MunicipalityFilterSet, PoliceZoneFilterSet
from .forms import ZoneEditForm, ZoneMergeForm
from .models import Academy, Municipality, MunicipalityBoundary, PoliceZone, PoliceZoneBoundary, ZoneMembership
from .services import zone_merge, zone_update
from .text import sources_html

PAGE_SIZE = 50


def _map_settings() -> dict:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _list_page(request, filterset, template: str, partial: str, **context):
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, partial if request.htmx else template, {"filter": filterset, "page": page, **context})


def index(request):
    regions = list(selectors.region_list(user=request.user))
    return render(
        request,
        "geography/index.html",
        {
            "regions": regions,
            "municipality_total": sum(region.municipality_count for region in regions),
            "zone_count": PoliceZone.objects.for_user(request.user).current().count(),
            "academy_count": Academy.objects.for_user(request.user).count(),
        },
    )


def municipality_list(request):
    filterset = MunicipalityFilterSet(
        request.GET, queryset=selectors.municipality_list(user=request.user), request=request
    )
    return _list_page(
        request, filterset, "geography/municipality_list.html", "geography/partials/_municipality_table.html"
    )


def municipality_detail(request, pk: int):
    municipality = get_for_user(
        Municipality.objects.select_related("province", "region").prefetch_related("postal_codes"), request.user, pk=pk
    )
    history = list(selectors.municipality_zone_history(municipality))
    return render(
        request,
        "geography/municipality_detail.html",
        {
            "municipality": municipality,
            "current_membership": next((m for m in history if m.valid_to is None), None),
            "former_memberships": [m for m in history if m.valid_to is not None],
            "predecessors": municipality.predecessors.all(),
            "successors": municipality.successors.all(),
            "has_boundary": MunicipalityBoundary.objects.filter(municipality=municipality).exists(),
            "municipality_geojson_url": f"{reverse('geography:municipalities_geojson')}?id={municipality.pk}",
            **_map_settings(),
        },
    )


def zone_list(request):
    filterset = PoliceZoneFilterSet(request.GET, queryset=selectors.zone_list(user=request.user), request=request)
    return _list_page(request, filterset, "geography/zone_list.html", "geography/partials/_zone_table.html")


def zone_detail(request, pk: int):
    zone = get_for_user(PoliceZone.objects.all(), request.user, pk=pk)
    memberships = ZoneMembership.objects.filter(zone=zone).select_related(
        "municipality__province", "municipality__region"
    )
    return render(
        request,
        "geography/zone_detail.html",
        {
            "zone": zone,
            "current_memberships": sorted(
                (m for m in memberships if m.valid_to is None), key=lambda m: m.municipality.name
            ),
            "former_memberships": [m for m in memberships if m.valid_to is not None],
            "predecessors": zone.predecessors.all(),
            "successors": zone.successors.all(),
            "has_boundary": PoliceZoneBoundary.objects.filter(zone=zone).exists(),
            "zone_geojson_url": f"{reverse('geography:zones_geojson')}?id={zone.pk}",
            "members_geojson_url": f"{reverse('geography:municipalities_geojson')}?zone={zone.pk}",
            "can_change": can(request.user, "change", zone),
            **_map_settings(),
        },
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def zone_edit(request, pk: int):
    zone = get_for_user(PoliceZone.objects.all(), request.user, "change", pk=pk)
    form = ZoneEditForm(request.POST or None, initial={"code": zone.code, "name": zone.name, "note": zone.note})
    if request.method == "POST" and form.is_valid():
        try:
            zone_update(actor=request.user, zone=zone, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The police zone has been saved."))
            return redirect(zone)
    return render(request, "geography/zone_edit.html", {"zone": zone, "form": form})


@require(signed_in)
@require_http_methods(["GET", "POST"])
def zone_merge_view(request, pk: int):
    zone = get_for_user(PoliceZone.objects.all(), request.user, "change", pk=pk)
    choices = PoliceZone.objects.for_user(request.user, "change").current().order_by("name")
    form = ZoneMergeForm(request.POST or None, zone=zone, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_zone = zone_merge(
                actor=request.user,
                zones=[zone, *data["zones"]],
                name=data["name"],
                code=data["code"],
                code_status=data["code_status"],
                language=data["language"],
                date=data["date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The merger has been recorded."))
            return redirect(new_zone)
    return render(request, "geography/zone_merge.html", {"zone": zone, "form": form})


def academy_list(request):
    filterset = AcademyFilterSet(request.GET, queryset=selectors.academy_list(user=request.user), request=request)
    return _list_page(
        request,
        filterset,
        "geography/academy_list.html",
        "geography/partials/_academy_table.html",
        sources=sources.academy_sources(),
    )


def academy_detail(request, pk: int):
    academy = get_for_user(Academy.objects.select_related("province", "region"), request.user, pk=pk)
    return render(request, "geography/academy_detail.html", {"academy": academy})


def map_view(request):
    return render(request, "geography/map.html", _map_settings())


def _ids(request, name: str) -> list[int] | None:
    values = request.GET.getlist(name)
    if not values:
        return None
    if not all(value.isdigit() for value in values):
        raise ValueError(name)
    return [int(value) for value in values]


def _geojson_response(payload: bytes) -> HttpResponse:
    return HttpResponse(payload, content_type="application/geo+json")


@require_GET
@gzip_page
@cache_control(max_age=300)
def zones_geojson(request):
    """Current police zones as GeoJSON (`?id=` for some zones, current or not)."""
    try:
        ids = _ids(request, "id")
    except ValueError:
        return HttpResponseBadRequest(_("Zone ids are numbers."))
    return _geojson_response(selectors.zones_geojson(user=request.user, zone_ids=ids))


@require_GET
@gzip_page
@cache_control(max_age=300)
def municipalities_geojson(request):
    """Current municipalities as GeoJSON (`?id=` for some municipalities, `?zone=` for a zone's members)."""
    try:
        ids, zone_ids = _ids(request, "id"), _ids(request, "zone")
    except ValueError:
        return HttpResponseBadRequest(_("Ids are numbers."))
    if zone_ids is not None:
        members = ZoneMembership.objects.filter(zone__in=zone_ids, valid_to__isnull=True)
        ids = [*(ids or []), *members.values_list("municipality_id", flat=True)]
    return _geojson_response(
        selectors.municipalities_geojson(user=request.user, municipality_ids=ids, language=get_language() or "nl")
    )


def about_data(request):
    return render(request, "geography/about_data.html", {"sources_html": sources_html(), **_map_settings()})
