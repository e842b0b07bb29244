"""Pages of the networks register: list, detail, create, edit and status changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import can
from geography.models import MunicipalityBoundary

from .. import selectors, services
from ..filters import NetworkFilterSet
from ..forms import NetworkCreateForm, NetworkEditForm, NetworkStatusForm
from ..models import Network
from ..permissions import can_create_network, can_see_networks

PAGE_SIZE = 50


def map_settings() -> dict:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def municipalities_geojson_url(network) -> str:
    ids = "&".join(f"id={pk}" for pk in network.municipalities.values_list("pk", flat=True))
    return f"{reverse('geography:municipalities_geojson')}?{ids}"


@require(can_see_networks)
def network_list(request):
    filterset = NetworkFilterSet(request.GET, queryset=selectors.network_list(user=request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "networks/partials/_network_table.html" if request.htmx else "networks/network_list.html"
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "can_create": can_create_network(request.user)},
    )


@require(signed_in)
def network_detail(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code)
    can_change = can(request.user, "change", network)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "can_change": can_change,
            "municipalities": network.municipalities.select_related("province", "region").order_by("name_nl"),
            "history": selectors.network_status_history(network),
            "streets": selectors.network_streets(network),
            "partners": selectors.network_partners(network, include_ended=True),
            "needs_new_charter_version": selectors.network_needs_new_charter_version(network),
            "merged_from": Network.objects.for_user(request.user).filter(merged_into=network).order_by("name"),
            "has_boundary": MunicipalityBoundary.objects.filter(municipality__networks=network).exists(),
            "municipalities_geojson_url": municipalities_geojson_url(network),
            **map_settings(),
        },
    )


@require(can_create_network)
@require_http_methods(["GET", "POST"])
def network_create(request):
    form = NetworkCreateForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.network_create(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network %(code)s has been created.") % {"code": network.code})
            return redirect(network)
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/network_form.html", {"form": form, "network": None}, status=status)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def network_edit(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    initial = {name: getattr(network, name) for name in services.NETWORK_FIELDS}
    initial["municipalities"] = list(network.municipalities.all())
    form = NetworkEditForm(request.POST if request.method == "POST" else None, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network has been saved."))
            return redirect(network)
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/network_form.html", {"form": form, "network": network}, status=status)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def network_status(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    form = NetworkStatusForm(request.POST if request.method == "POST" else None, network=network, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_change_status(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect(network)
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/network_status.html", {"form": form, "network": network}, status=status)
