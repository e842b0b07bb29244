"""The area editor of a network: its streets (added one by one, pasted as a list) and its polygon on the map."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors

from .. import selectors, services
from ..forms import AreaPolygonForm, AreaStreetForm, AreaStreetPasteForm, postal_codes_of
from ..models import AreaStreet
from .network import map_settings, municipalities_geojson_url


def _forms(request, network, *, street_form=None, paste_form=None, polygon_form=None) -> dict:
    postal_codes = postal_codes_of(network)
    datalist_url = reverse("networks:area_street_suggestions", args=[network.code])
    return {
        "network": network,
        "postal_codes": postal_codes,
        "streets": selectors.network_streets(network),
        "street_form": street_form or AreaStreetForm(postal_codes=postal_codes, datalist_url=datalist_url),
        "paste_form": paste_form or AreaStreetPasteForm(postal_codes=postal_codes),
        "polygon_form": polygon_form
        or AreaPolygonForm(initial={"area_polygon": json.dumps(network.area_polygon) if network.area_polygon else ""}),
        "polygon_json": json.dumps(network.area_polygon) if network.area_polygon else "",
        "municipalities_geojson_url": municipalities_geojson_url(network),
        **map_settings(),
    }


def _editor(request, network, status: int = 200, **forms) -> HttpResponse:
    return render(request, "networks/area_edit.html", _forms(request, network, **forms), status=status)


def _streets_fragment(request, network, status: int = 200, **forms) -> HttpResponse:
    return render(request, "networks/partials/_area_streets.html", _forms(request, network, **forms), status=status)


@require(signed_in)
@require_GET
def area_edit(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    return _editor(request, network)


@require(signed_in)
@require_POST
def area_street_add(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    postal_codes = postal_codes_of(network)
    datalist_url = reverse("networks:area_street_suggestions", args=[network.code])
    form = AreaStreetForm(request.POST, postal_codes=postal_codes, datalist_url=datalist_url)
    if form.is_valid():
        try:
            services.area_street_add(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The street has been added."))
            if request.htmx:
                return _streets_fragment(request, network)
            return redirect("networks:area_edit", network.code)
    render_with = _streets_fragment if request.htmx else _editor
    # htmx swaps 4xx responses only when told to; the fragment carries the errors, so answer 200 to htmx.
    return render_with(request, network, status=200 if request.htmx else 400, street_form=form)


@require(signed_in)
@require_POST
def area_street_remove(request, code: str, pk: int):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    street = get_object_or_404(AreaStreet, pk=pk, network=network)
    try:
        services.area_street_remove(actor=request.user, network=network, street=street)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The street has been removed."))
    if request.htmx:
        return _streets_fragment(request, network)
    return redirect("networks:area_edit", network.code)


@require(signed_in)
@require_POST
def area_streets_paste(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    form = AreaStreetPasteForm(request.POST, postal_codes=postal_codes_of(network))
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.area_streets_replace(
                actor=request.user,
                network=network,
                text=data["text"],
                default_postal_code=data["postal_code"],
                replace=data["mode"] == AreaStreetPasteForm.REPLACE,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s street added.", "%(count)s streets added.", result.added) % {"count": result.added},
            )
            if result.removed:
                messages.info(
                    request,
                    ngettext("%(count)s street removed.", "%(count)s streets removed.", result.removed)
                    % {"count": result.removed},
                )
            for line, first in result.duplicates:
                messages.warning(
                    request,
                    _("Line %(line)s repeats line %(first)s: skipped.") % {"line": line, "first": first},
                )
            for line in result.already_present:
                messages.warning(request, _("Line %(line)s is already in the area: skipped.") % {"line": line})
            return redirect("networks:area_edit", network.code)
    return _editor(request, network, status=400, paste_form=form)


@require(signed_in)
@require_POST
def area_polygon(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    form = AreaPolygonForm(request.POST)
    if form.is_valid():
        try:
            services.area_polygon_set(actor=request.user, network=network, geojson=form.cleaned_data["area_polygon"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if network.area_polygon is None and not form.cleaned_data["area_polygon"]:
                messages.success(request, _("The area on the map has been cleared."))
            else:
                messages.success(request, _("The area on the map has been saved."))
            return redirect("networks:area_edit", network.code)
    return _editor(request, network, status=400, polygon_form=form)


@require(signed_in)
@require_GET
def area_street_suggestions(request, code: str):
    """htmx: a <datalist> of streets already in the register for the typed prefix, within the network's postal
    codes (or the one typed)."""
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    postal_codes = postal_codes_of(network)
    typed = (request.GET.get("postal_code") or "").strip()
    if typed in postal_codes:
        postal_codes = [typed]
    streets = selectors.known_streets(prefix=request.GET.get("street", ""), postal_codes=postal_codes)
    return render(request, "networks/partials/_street_datalist.html", {"streets": streets})


@require(signed_in)
@require_http_methods(["GET"])
def area_geojson(request, code: str):
    """The network's drawn area as GeoJSON (an empty collection when none is drawn)."""
    network = selectors.network_get_for_user(user=request.user, code=code)
    features = []
    if network.area_polygon:
        features.append(
            {
                "type": "Feature",
                "geometry": network.area_polygon,
                "properties": {"name": network.name, "code": network.code, "url": network.get_absolute_url()},
            }
        )
    payload = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return HttpResponse(payload, content_type="application/geo+json")
