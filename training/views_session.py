"""Pages of part "sessions" under /training/sessions/: the public catalogue and the academy's planning list, a
session's page (public part; the roster for the academy, national roles and the zones with staff enrolled),
planning, changing, publishing and cancelling, attendance and results, closing, and the .ics invitation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.roles import is_national
from core.scoping import can
from geography.models import Academy

from . import permissions
from . import selectors_sessions as selectors
from .choices import SessionStatus
from .forms_session import AttendanceForm, ReasonForm, SessionFilterForm, SessionForm, month_start
from .ics import session_ics
from .models import Certificate
from .services import sessions as services

PAGE_SIZE = 25


def optional_url(name: str, *args) -> str:
    """The URL of another part's page (named here so the links of a row are built in one place)."""
    return reverse(name, args=args)


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@require_GET
def session_list(request):
    """The catalogue for everyone (anonymous visitors too); trainers and national roles also see drafts and
    cancelled sessions in their reach."""
    user = request.user
    filters = SessionFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    academy = data.get("academy")
    queryset = selectors.session_list(
        user=user,
        academy_id=academy.pk if academy else None,
        language=data.get("language", ""),
        month=month_start(data.get("month")),
        past=data.get("when") == "past",
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for session in page:
        session.seats_left = max(0, session.capacity - session.enrolled_total)
    return render(
        request,
        "training/session/session_list.html",
        {
            "filters": filters,
            "page": page,
            "query": _query(request),
            "can_plan": permissions.can_plan_sessions(user),
            "sees_all": selectors.sees_full_list(user),
            "past": data.get("when") == "past",
        },
    )


def _planner_academies(user):
    return Academy.objects.filter(pk__in=permissions.trainer_academies(user)).order_by("code")


@require(permissions.can_plan_sessions)
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = SessionForm(request.POST or None, academies=_planner_academies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, academy=form.chosen_academy(), **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session has been planned as a draft. Publish it to open enrolment."))
            return redirect(session)
    return render(
        request,
        "training/session/session_form.html",
        {"form": form, "session": None},
        status=400 if form.errors else 200,
    )


@require_GET
def session_detail(request, pk: int):
    user = request.user
    session = selectors.session_get(user=user, pk=pk)
    roster = selectors.session_roster(user=user, session=session)
    can_change = can(user, "change", session)
    modules = list(session.version.modules.order_by("position"))
    enrol_url = ""
    if session.is_open_for_enrolment:
        if permissions.can_enrol_staff(user) or can_change:
            enrol_url = optional_url("training:session_enrol", session.pk)
        else:
            enrol_url = optional_url("training:session_request", session.pk)
    certificates = {}
    if roster is not None and session.status == SessionStatus.CLOSED:
        certificates = {
            c.enrolment_id: c for c in Certificate.objects.for_user(user, "view").filter(enrolment__session=session)
        }
        for enrolment in roster["enrolled"]:
            enrolment.issued = certificates.get(enrolment.pk)
    manage = can(user, "manage", session) if user.is_authenticated else False
    if roster is not None:
        for enrolment in roster["enrolled"] + roster["waiting"]:
            enrolment.cancel_url = optional_url("training:enrolment_cancel", enrolment.pk)
        for enrolment in roster["waiting"]:
            enrolment.promote_url = optional_url("training:enrolment_promote", enrolment.pk) if manage else ""
    seats_left = max(0, session.capacity - session.enrolled_total)
    return render(
        request,
        "training/session/session_detail.html",
        {
            "session": session,
            "version": session.version,
            "modules": modules,
            "total_minutes": sum(m.minutes for m in modules),
            "objectives": session.version.objectives,
            "seats_left": seats_left,
            "roster": roster,
            "can_change": can_change,
            "can_record": can(user, "record", session) if user.is_authenticated else False,
            "can_revoke": user.is_authenticated and (permissions.can_edit_course(user) or can_change),
            "enrol_url": enrol_url,
            "enrol_is_request": bool(enrol_url) and not (permissions.can_enrol_staff(user) or can_change),
            "ended": session.ends_at <= timezone.now(),
            "started": session.starts_at <= timezone.now(),
            "show_trainer": user.is_authenticated and (is_national(user) or can_change),
        },
    )


def _session(request, pk: int, action: str):
    return selectors.session_get(user=request.user, pk=pk, action=action)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = _session(request, pk, "change")
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        messages.error(
            request,
            _("A %(status)s session can no longer be changed.") % {"status": session.get_status_display()},
        )
        return redirect(session)
    form = SessionForm(request.POST or None, academies=[session.academy], session=session)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        changed = {name: value for name, value in values.items() if value != getattr(session, name)}
        try:
            services.session_update(actor=request.user, session=session, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if session.status == SessionStatus.PUBLISHED and any(k in services.TOLD_FIELDS for k in changed):
                messages.success(request, _("The session has been saved; its participants get the updated invitation."))
            else:
                messages.success(request, _("The session has been saved."))
            return redirect(session)
    return render(
        request,
        "training/session/session_form.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


@require(signed_in)
@require_POST
def session_publish(request, pk: int):
    session = _session(request, pk, "change")
    try:
        services.session_publish(actor=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session has been published: it is in the catalogue and open for enrolment."))
    return redirect(session)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk: int):
    session = _session(request, pk, "change")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session has been cancelled and its participants told."))
            return redirect(session)
    return render(
        request,
        "training/session/session_cancel.html",
        {"form": form, "session": session, "told": session.enrolled_total + session.waiting_total},
        status=400 if form.errors else 200,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk: int):
    session = _session(request, pk, "record")
    roster = selectors.session_roster(user=request.user, session=session) or {"enrolled": []}
    form = AttendanceForm(request.POST or None, enrolments=roster["enrolled"])
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_record(actor=request.user, session=session, marks=form.marks())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Attendance and results have been saved (%(count)s changed).") % {"count": count}
            )
            return redirect(session)
    return render(
        request,
        "training/session/session_attendance.html",
        {
            "form": form,
            "session": session,
            "rows": form.bound_rows(),
            "recordable": session.status == SessionStatus.PUBLISHED and session.starts_at <= timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def session_close(request, pk: int):
    session = _session(request, pk, "record")
    if request.method == "POST":
        try:
            services.session_close(actor=request.user, session=session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("training:session_attendance", pk=session.pk)
        messages.success(
            request, _("The session has been closed: certificates are issued and sent, attendees invited to evaluate.")
        )
        return redirect(session)
    roster = selectors.session_roster(user=request.user, session=session) or {"enrolled": []}
    passed = [e for e in roster["enrolled"] if e.result == "passed"]
    return render(
        request,
        "training/session/session_close.html",
        {
            "session": session,
            "passed": passed,
            "unmarked": [e for e in roster["enrolled"] if not e.attendance],
            "ended": session.ends_at <= timezone.now(),
        },
    )


@require_GET
def session_ics_download(request, pk: int):
    """The session's calendar event, for anyone who sees the session."""
    session = selectors.session_get(user=request.user, pk=pk)
    if session.status == SessionStatus.DRAFT and not can(request.user, "change", session):
        raise PermissionDenied
    response = HttpResponse(
        session_ics(session, cancel=session.status == SessionStatus.CANCELLED),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
