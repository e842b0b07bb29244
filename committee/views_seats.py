"""Composition pages under /committee/: the seats with their holders, vacancies, coming rotations and history
(ADVP, the Knowledge Centre and the committee's members), and ADVP's changes (categories, terms)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from . import permissions, selectors
from .forms import CategoryForm, TermEndForm, TermForm
from .models import SeatCategory, SeatTerm
from .services import seats as services


def _require_editor(user) -> None:
    permissions.require_reader(user)
    if not permissions.can_edit_seats(user):
        raise PermissionDenied


@require_GET
@require(signed_in)
def composition(request):
    permissions.require_reader(request.user)
    return render(
        request,
        "committee/seats/composition.html",
        {
            "composition": selectors.composition(user=request.user),
            "can_edit": permissions.can_edit_seats(request.user),
            "sees_contacts": permissions.can_prepare(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@require(signed_in)
def category_create(request):
    _require_editor(request.user)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
            return redirect("committee:composition")
    return render(request, "committee/seats/category_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require(signed_in)
def category_edit(request, pk: int):
    category = get_for_user(SeatCategory.objects, request.user, "change", pk=pk)
    form = CategoryForm(request.POST or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Category saved."))
            return redirect("committee:composition")
    return render(request, "committee/seats/category_form.html", {"form": form, "category": category})


@require_http_methods(["GET", "POST"])
@require(signed_in)
def term_create(request):
    _require_editor(request.user)
    initial = {}
    for name in ("category", "seat_number"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The seat is filled."))
            return redirect("committee:composition")
    return render(request, "committee/seats/term_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require(signed_in)
def term_end(request, pk: int):
    term = get_for_user(SeatTerm.objects.select_related("user", "category"), request.user, "change", pk=pk)
    form = TermEndForm(request.POST or None, initial={"ends_on": term.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.term_end(actor=request.user, term=term, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The term's end is saved."))
            return redirect("committee:composition")
    return render(request, "committee/seats/term_end.html", {"form": form, "term": term})
