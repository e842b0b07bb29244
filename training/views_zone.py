"""Pages of a police zone's officers (and the academy's trainers) for enrolments: the zone overview (staff with
their certificates, requests to approve, enrolments), enrolling staff in a session, approving, declining and
cancelling, and the trainer moving someone up from the waiting list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import can, get_for_user
from geography.models import PoliceZone

from . import selectors_enrol as selectors
from .choices import EnrolmentSource, EnrolmentStatus
from .forms_enrol import CancelForm, DeclineForm, EnrolForm
from .models import Enrolment, Session
from .permissions import can_enrol_staff, officer_zones
from .services import enrolments as services


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def _session_url(session: Session) -> str:
    try:
        return session.get_absolute_url()
    except Exception:  # noqa: BLE001 - the session pages belong to another part; fall back to the overview
        return reverse("training:zone_overview")


def _enrolment(request, pk: int, action: str) -> Enrolment:
    queryset = Enrolment.objects.select_related("trainee__zone", "session__academy", "session__version__course")
    return get_for_user(queryset, request.user, action, pk=pk)


# --- The zone's overview -------------------------------------------------------------------------------------


@require(can_enrol_staff)
@require_GET
def zone_overview(request):
    zone = selectors.chosen_zone(request.user, request.GET.get("zone"))
    staff = selectors.zone_staff(user=request.user, zone=zone)
    officers = [row for row in staff if row.is_officer]
    context = {
        "zone": zone,
        "zones": selectors.officer_zone_list(request.user),
        "officers": officers,
        "others": [row for row in staff if not row.is_officer],
        "officers_trained": sum(1 for row in officers if row.certificate.state == "valid"),
        "requests": list(selectors.zone_requests(user=request.user, zone=zone)),
        "enrolments": list(selectors.zone_enrolments(user=request.user, zone=zone)),
        "sessions_url": reverse("training:session_list"),
    }
    return render(request, "training/zone/overview.html", context)


# --- Enrolling -----------------------------------------------------------------------------------------------


def _status_label(status: str | None) -> str:
    labels = {
        EnrolmentStatus.ENROLLED: _("already enrolled"),
        EnrolmentStatus.WAITING: _("already on the waiting list"),
        EnrolmentStatus.REQUESTED: _("asked to enrol: waiting for your approval"),
        EnrolmentStatus.UNCONFIRMED: _("asked to enrol (not confirmed yet)"),
    }
    return labels.get(status, "")


def _people(session: Session, rows) -> list[tuple[str, str]]:
    statuses = selectors.session_enrolment_statuses(session, [row.trainee.pk for row in rows if row.trainee])
    choices = []
    for row in rows:
        parts = [row.name]
        if row.is_officer:
            parts.append(_("mandated officer of %(networks)s") % {"networks": ", ".join(n.name for n in row.networks)})
        if row.certificate.state == "valid":
            parts.append(_("trained"))
        status = statuses.get(row.trainee.pk) if row.trainee else None
        if status:
            parts.append(_status_label(status))
        choices.append((row.key, " – ".join(str(part) for part in parts)))
    return choices


@require(signed_in)
@require_http_methods(["GET", "POST"])
def session_enrol(request, pk: int):
    """Enrol one or more people in a published session: the zone's mandated officers (listed first) and other
    trainees, or a new person. Trainers of the session's academy enrol new people of any zone."""
    session = get_for_user(Session.objects.select_related("academy", "version__course"), request.user, "view", pk=pk)
    if not selectors.can_enrol_in_session(request.user, session):
        raise PermissionDenied
    is_officer = bool(officer_zones(request.user))
    zone = selectors.chosen_zone(request.user, request.POST.get("for_zone") or request.GET.get("zone"))
    source = EnrolmentSource.ZONE if is_officer else EnrolmentSource.ACADEMY
    context = {
        "session": session,
        "session_url": _session_url(session),
        "zone": zone,
        "zones": selectors.officer_zone_list(request.user),
        "seats": selectors.session_seat_counts(session),
    }
    try:
        services.session_open_check(session)
    except ValidationError as error:
        context["closed_reason"] = " ".join(error.messages)
        return render(request, "training/enrol/enrol.html", context, status=200 if request.method == "GET" else 400)
    rows = selectors.zone_staff(user=request.user, zone=zone) if zone is not None else []
    rows_by_key = {row.key: row for row in rows}
    zone_choices = None if is_officer else PoliceZone.objects.current().order_by("name")
    form = EnrolForm(
        request.POST if request.method == "POST" else None,
        people_choices=_people(session, rows),
        zone_choices=zone_choices,
    )
    context.update({"form": form, "has_staff": bool(rows)})
    if request.method == "POST" and form.is_valid():
        results = []
        if form.has_new_person:
            try:
                enrolment = services.person_enrol(
                    actor=request.user,
                    session=session,
                    zone=zone if is_officer else form.cleaned_data["zone"],
                    source=source,
                    **form.person_values(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
                return render(request, "training/enrol/enrol.html", context, status=400)
            results.append({"name": enrolment.trainee.full_name, "status": enrolment.status})
        for key in form.cleaned_data["people"]:
            row = rows_by_key[key]
            try:
                if row.trainee is not None:
                    enrolment = services.enrolment_create(
                        actor=request.user, session=session, trainee=row.trainee, source=source
                    )
                else:
                    enrolment = services.person_enrol(
                        actor=request.user, session=session, zone=zone, source=source, partner=row.partner
                    )
            except ValidationError as error:
                results.append({"name": row.name, "error": " ".join(error.messages)})
            else:
                results.append({"name": enrolment.trainee.full_name, "status": enrolment.status})
        context.update(
            {
                "results": results,
                "seated": [r for r in results if r.get("status") == EnrolmentStatus.ENROLLED],
                "waiting": [r for r in results if r.get("status") == EnrolmentStatus.WAITING],
                "refused": [r for r in results if "error" in r],
                "seats": selectors.session_seat_counts(session),
            }
        )
        return render(request, "training/enrol/result.html", context)
    return render(request, "training/enrol/enrol.html", context, status=400 if form.is_bound else 200)


# --- Acting on one enrolment ---------------------------------------------------------------------------------


@require(signed_in)
@require_POST
def enrolment_approve(request, pk: int):
    enrolment = _enrolment(request, pk, "change")
    try:
        enrolment = services.enrolment_approve(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrolment.status == EnrolmentStatus.ENROLLED:
            text = _("%(name)s has a seat in the session; they get the invitation by e-mail.")
        else:
            text = _("The session is full: %(name)s is on the waiting list and has been told so.")
        messages.success(request, text % {"name": enrolment.trainee.full_name})
    return redirect(_next_url(request, reverse("training:zone_overview")))


@require(signed_in)
@require_http_methods(["GET", "POST"])
def enrolment_decline(request, pk: int):
    enrolment = _enrolment(request, pk, "change")
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_decline(actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request of %(name)s is declined; they are told why by e-mail.")
                % {"name": enrolment.trainee.full_name},
            )
            return redirect(_next_url(request, reverse("training:zone_overview")))
    return render(
        request,
        "training/zone/decline.html",
        {"enrolment": enrolment, "form": form},
        status=400 if form.is_bound else 200,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def enrolment_cancel(request, pk: int):
    """The zone (its staff) or the academy (its sessions) cancels an enrolment, a place on the waiting list or a
    request. GET asks to confirm."""
    enrolment = _enrolment(request, pk, "view")
    if not (can(request.user, "change", enrolment) or can(request.user, "manage", enrolment)):
        raise PermissionDenied
    default = (
        reverse("training:zone_overview")
        if enrolment.trainee.zone_id in officer_zones(request.user)
        else _session_url(enrolment.session)
    )
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_cancel(actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The enrolment of %(name)s is cancelled; they are told by e-mail.")
                % {"name": enrolment.trainee.full_name},
            )
            return redirect(_next_url(request, default))
    return render(
        request,
        "training/zone/cancel.html",
        {"enrolment": enrolment, "form": form, "next": _next_url(request, default)},
        status=400 if form.is_bound else 200,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def enrolment_promote(request, pk: int):
    """A trainer gives a free seat to someone on the waiting list. GET asks to confirm."""
    enrolment = _enrolment(request, pk, "manage")
    back = _next_url(request, _session_url(enrolment.session))
    if request.method == "GET":
        return render(
            request,
            "training/zone/promote.html",
            {"enrolment": enrolment, "next": back, "seats": selectors.session_seat_counts(enrolment.session)},
        )
    try:
        services.enrolment_promote(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s has a seat in the session; they get the invitation by e-mail.")
            % {"name": enrolment.trainee.full_name},
        )
    return redirect(back)
