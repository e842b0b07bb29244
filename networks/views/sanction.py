"""The sanctions register: a network's sanctions (each reader sees the kinds the sanction rule shows them: member
sanctions name a member), recording sanctions and appeals (the zone's mandated officers; ADVP for coordinators), and
ADVP's national list of coordinator sanctions with filters. Every read starts from `Sanction.objects.for_user`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from ..charter_nav import can_see_national_sanctions
from ..charter_selectors import sanction_changeable_ids, sanction_list, sanction_targets, shown_only
from ..choices import COORDINATOR_ROLES, SanctionMeasure, SanctionTarget
from ..models import Network, Partner, Sanction
from ..sanction_filters import SanctionFilterSet
from ..sanction_forms import AppealForm, CoordinatorSanctionForm, MemberSanctionForm
from ..services.sanction import sanction_create, sanction_record_appeal

PAGE_SIZE = 50


def _network(request, code: str) -> Network:
    return get_for_user(Network.objects.select_related("municipality", "zone"), request.user, "view", code=code)


@require(signed_in)
def network_sanctions(request, code: str):
    network = _network(request, code)
    targets = sanction_targets(request.user, "view", network)
    if not targets:
        raise Http404  # the reader sees the network but none of its sanctions (the Knowledge Centre)
    sanctions = sanction_list(user=request.user).filter(network=network).order_by("-decided_on", "-created_at")
    page = Paginator(sanctions, PAGE_SIZE).get_page(request.GET.get("page"))
    changeable = sanction_changeable_ids(request.user, page)
    return render(
        request,
        "networks/sanctions/network_sanctions.html",
        {
            "network": network,
            "page": page,
            "recordable": sanction_targets(request.user, "create", network),
            "changeable": changeable,
            "show_actions": bool(changeable),
            "shown_only": shown_only(targets),
        },
    )


def _current_coordinators(user, network: Network):
    return (
        Partner.objects.for_user(user, "view")
        .filter(network=network, role__in=sorted(COORDINATOR_ROLES))
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=timezone.localdate()))
        .select_related("user")
        .order_by("role", "last_name", "first_name")
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def sanction_create_view(request, code: str):
    network = _network(request, code)
    targets = sanction_targets(request.user, "create", network)
    if not targets:
        raise PermissionDenied
    target = request.POST.get("target") or request.GET.get("target") or targets[0]
    if target not in SanctionTarget.values:
        target = targets[0]
    if target not in targets:
        raise PermissionDenied  # ADVP records coordinator sanctions only: member sanctions name a member
    data = request.POST or None
    if target == SanctionTarget.COORDINATOR:
        form = CoordinatorSanctionForm(data, partners=_current_coordinators(request.user, network))
    else:
        form = MemberSanctionForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            sanction_create(actor=request.user, network=network, target=target, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sanction has been recorded."))
            return redirect("networks:network_sanctions", code=network.code)
    return render(
        request,
        "networks/sanctions/sanction_form.html",
        {"network": network, "form": form, "target": target, "is_coordinator": target == SanctionTarget.COORDINATOR},
        status=400 if request.method == "POST" else 200,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def sanction_appeal_view(request, code: str, pk: int):
    sanction = get_for_user(
        Sanction.objects.select_related("network", "partner__user"), request.user, "change", network__code=code, pk=pk
    )
    if sanction.measure != SanctionMeasure.PERMANENT_REMOVAL:
        messages.error(request, _("Only a permanent removal can be appealed."))
        return redirect("networks:network_sanctions", code=code)
    form = AppealForm(
        request.POST or None,
        initial={"appeal_lodged_on": sanction.appeal_lodged_on, "appeal_outcome": sanction.appeal_outcome},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sanction_record_appeal(actor=request.user, sanction=sanction, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The appeal has been recorded."))
            return redirect("networks:network_sanctions", code=code)
    return render(
        request,
        "networks/sanctions/sanction_appeal.html",
        {"network": sanction.network, "sanction": sanction, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require(can_see_national_sanctions)
def sanction_national_list(request):
    filterset = SanctionFilterSet(
        request.GET, queryset=sanction_list(user=request.user).order_by("-decided_on", "-created_at"), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "shown_only": shown_only(filterset.visible_targets)}
    if request.htmx:
        return render(request, "networks/sanctions/partials/_national_table.html", context)
    return render(request, "networks/sanctions/national_list.html", context)
