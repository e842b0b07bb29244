"""Partners of a network: add, edit and end (coordinators, deputies, steering group, officers, contact)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors

from .. import selectors, services
from ..forms import PartnerEndForm, PartnerForm
from ..models import Partner


def _partner_of(network, pk: int) -> Partner:
    return get_object_or_404(Partner.objects.select_related("user", "network"), pk=pk, network=network)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def partner_add(request, code: str):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    form = PartnerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_add(actor=request.user, network=network, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error, {"user": "user_email"})
        else:
            messages.success(request, _("The partner has been added."))
            return redirect(network.get_absolute_url() + "#partners")
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/partner_form.html", {"form": form, "network": network}, status=status)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def partner_edit(request, code: str, pk: int):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    partner = _partner_of(network, pk)
    form = PartnerForm(request.POST if request.method == "POST" else None, initial=PartnerForm.initial_for(partner))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=request.user, partner=partner, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error, {"user": "user_email"})
        else:
            messages.success(request, _("The partner has been saved."))
            return redirect(network.get_absolute_url() + "#partners")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "networks/partner_form.html", {"form": form, "network": network, "partner": partner}, status=status
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def partner_end(request, code: str, pk: int):
    network = selectors.network_get_for_user(user=request.user, code=code, action="change")
    partner = _partner_of(network, pk)
    form = PartnerEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_end(actor=request.user, partner=partner, active_to=form.cleaned_data["active_to"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner's role has ended."))
            return redirect(network.get_absolute_url() + "#partners")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "networks/partner_end.html", {"form": form, "network": network, "partner": partner}, status=status
    )
