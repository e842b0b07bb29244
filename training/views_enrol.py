"""Public pages of part "enrol": a member of police staff asks to enrol in a session (no account needed), confirms
the request from the e-mail, and their zone then decides. The answer page is the same whether or not the address
was known; submissions are limited per client address."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from core.scoping import get_for_user

from .forms_enrol import HONEYPOT_FIELD, RequestForm
from .models import Session
from .services import enrolments as services


def _client_key(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    # Only a digest of the address is kept, and only for the hour the limit counts.
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()[:24]


def over_rate_limit(request, scope: str) -> bool:
    """Count this submission against the client address's hourly allowance for `scope`; True once it is used up."""
    window = int(time.time() // 3600)
    key = f"binplp:training-{scope}-rate:{_client_key(request)}:{window}"
    cache.add(key, 0, 3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600 + 60)
        count = 1
    return count > settings.BINPLP_TRAINING_REQUEST_RATE_PER_HOUR


def _session(request, pk: int) -> Session:
    return get_for_user(Session.objects.select_related("academy", "version__course"), request.user, "view", pk=pk)


@require_http_methods(["GET", "POST"])
def session_request(request, pk: int):
    """Ask to enrol in a published session."""
    session = _session(request, pk)
    context = {"session": session, "request_hours": settings.BINPLP_TRAINING_REQUEST_HOURS}
    try:
        services.session_open_check(session)
    except ValidationError as error:
        context["closed_reason"] = " ".join(error.messages)
        return render(request, "training/enrol/request_form.html", context, status=410)
    if request.method == "POST":
        if over_rate_limit(request, "request"):
            return render(request, "training/enrol/rate_limited.html", context, status=429)
        if request.POST.get(HONEYPOT_FIELD):
            return redirect("training:request_sent", pk=session.pk)
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_request_submit(session=session, zone=form.cleaned_data["zone"], **form.person_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("training:request_sent", pk=session.pk)
    context["form"] = form
    return render(request, "training/enrol/request_form.html", context, status=400 if form.is_bound else 200)


@require_GET
def request_sent(request, pk: int):
    """The same answer after every accepted request, whatever the e-mail address."""
    session = _session(request, pk)
    return render(
        request,
        "training/enrol/request_sent.html",
        {"session": session, "request_hours": settings.BINPLP_TRAINING_REQUEST_HOURS},
    )


@require_http_methods(["GET", "POST"])
def request_confirm(request, token: str):
    """GET asks to press a button (mail scanners that open links must not confirm); POST confirms."""
    try:
        if request.method == "POST":
            enrolment = services.enrolment_request_confirm(token=token)
            return render(request, "training/enrol/request_confirmed.html", {"enrolment": enrolment})
        enrolment = services.enrolment_request_from_token(token)
    except services.RequestLinkError as error:
        return render(
            request,
            "training/enrol/request_link_unusable.html",
            {"reason": error.message, "code": error.code},
            status=error.status,
        )
    return render(request, "training/enrol/request_confirm.html", {"enrolment": enrolment})
