"""Certificate pages: the public verification (by form or by the code in the URL printed on the certificate), the
PDF for staff who see the enrolment, and revoking.

The verification page shows the holder's name, the course title, the date of issue and the validity — nothing else
— and is limited per client address (`BINPLP_TRAINING_VERIFY_RATE_PER_HOUR`), so codes cannot be guessed in bulk."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from .forms_session import ReasonForm, VerifyForm
from .models import Certificate
from .services import certificates as services

DEFAULT_RATE_PER_HOUR = 30


def verify_rate_per_hour() -> int:
    return int(getattr(settings, "BINPLP_TRAINING_VERIFY_RATE_PER_HOUR", DEFAULT_RATE_PER_HOUR))


def _client_key(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    # Only a digest of the address is kept, and only for the hour the limit counts.
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()[:24]


def _over_rate_limit(request) -> bool:
    """Count this lookup against the client address's hourly allowance; True once it is used up."""
    window = int(time.time() // 3600)
    key = f"binplp:training-verify-rate:{_client_key(request)}:{window}"
    cache.add(key, 0, 3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600 + 60)
        count = 1
    return count > verify_rate_per_hour()


def _rate_limited(request):
    return render(request, "training/certificate/rate_limited.html", {"limit": verify_rate_per_hour()}, status=429)


@require_GET
def certificate_verify(request):
    """The public form; a submitted code goes to its own page (the URL printed on the certificate)."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    status = 200
    if form.is_bound:
        if _over_rate_limit(request):
            return _rate_limited(request)
        if form.is_valid():
            try:
                code = services.certificate_code_normalise(form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                return redirect("training:certificate_verify_code", code=code)
        status = 400
    return render(request, "training/certificate/verify.html", {"form": form}, status=status)


@require_GET
def certificate_verify_code(request, code: str):
    if _over_rate_limit(request):
        return _rate_limited(request)
    form = VerifyForm(initial={"code": code})
    try:
        certificate = services.certificate_lookup(code)
    except ValidationError as error:
        return render(
            request,
            "training/certificate/verify.html",
            {"form": form, "malformed": True, "error": " ".join(error.messages), "code": code},
            status=400,
        )
    if certificate is None:
        return render(
            request, "training/certificate/verify.html", {"form": form, "unknown": True, "code": code}, status=404
        )
    today = timezone.localdate()
    return render(
        request,
        "training/certificate/verify.html",
        {
            "form": form,
            "result": {
                "code": certificate.code,
                "holder_name": certificate.holder_name,
                "course_title": certificate.course_title,
                "issued_on": certificate.issued_on,
                "valid_until": certificate.valid_until,
                "revoked": certificate.revoked_at is not None,
                "expired": certificate.revoked_at is None
                and certificate.valid_until is not None
                and certificate.valid_until < today,
                "valid": certificate.is_valid_on(today),
            },
        },
    )


def _certificate(request, pk: int, action: str) -> Certificate:
    return get_for_user(
        Certificate.objects.select_related(
            "enrolment__trainee", "enrolment__session__academy", "enrolment__session__version__course"
        ),
        request.user,
        action,
        pk=pk,
    )


@require(signed_in)
@require_GET
def certificate_pdf(request, pk: int):
    certificate = _certificate(request, pk, "view")
    language = request.GET.get("language") or certificate.enrolment.trainee.language
    response = HttpResponse(services.certificate_pdf(certificate, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{services.certificate_filename(certificate)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require(signed_in)
@require_http_methods(["GET", "POST"])
def certificate_revoke(request, pk: int):
    certificate = _certificate(request, pk, "change")
    session = certificate.enrolment.session
    if certificate.revoked_at is not None:
        messages.info(request, _("This certificate was already revoked."))
        return redirect(session)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The certificate %(code)s has been revoked.") % {"code": certificate.code})
            return redirect(session)
    return render(
        request,
        "training/certificate/revoke.html",
        {"form": form, "certificate": certificate, "session": session},
        status=400 if form.errors else 200,
    )
