"""The member portal (/me/): sign-in by e-mailed link, my networks, my data, my choices, download, erasure.

Every page reads the signed-in person's own rows only. Someone signed in without a member profile gets a page
explaining what the portal is for."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

import markdown
import nh3
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from . import portal_selectors as selectors
from .choices import CURRENT_STATUSES
from .forms_portal import EraseForm, MemberChoicesForm, MemberDataForm, SignInLinkForm
from .models import Membership, PolicyDocument
from .services import portal as services
from .services.membership import audit_member_view
from .tokens import check_sign_in_link

# The backend that signs members in by link: allauth's, so the session looks like any other allauth sign-in.
LINK_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
# Sign-in link requests per hour: per e-mail address (so one inbox is not flooded) and per client address.
RATE_PER_EMAIL = getattr(settings, "BINPLP_MAGIC_LINK_RATE_PER_EMAIL", 5)
RATE_PER_IP = getattr(settings, "BINPLP_MAGIC_LINK_RATE_PER_IP", 20)
RATE_WINDOW = 3600


def member_page(view):
    """Sign-in first (to the usual sign-in page); then the member profile of the signed-in person is passed to the
    view, or a page explains that the portal is for members. Responses are never cached."""

    @require(signed_in)
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = selectors.member_for_user(user=request.user)
        if member is None:
            return render(request, "members/portal/not_a_member.html")
        response = view(request, member, *args, **kwargs)
        add_never_cache_headers(response)  # personal data: not kept by browsers or proxies
        return response

    return wrapper


# --- Sign-in by e-mailed link ------------------------------------------------------------------------------------


def _within_rate(key: str, limit: int) -> bool:
    """Count one hit in a fixed one-hour window; whether the count stays within `limit`."""
    if cache.add(key, 1, RATE_WINDOW):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        return True
    return count <= limit


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Ask for a sign-in link. The answer is the same whether the address belongs to a member or not."""
    if request.method == "POST":
        form = SignInLinkForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            email_key = hashlib.sha256(email.encode()).hexdigest()
            by_ip = _within_rate(f"binplp:portal-link:ip:{_client_address(request)}", RATE_PER_IP)
            by_email = _within_rate(f"binplp:portal-link:email:{email_key}", RATE_PER_EMAIL)
            if not (by_ip and by_email):
                return render(request, "members/portal/sign_in.html", {"form": form, "limited": True}, status=429)
            services.member_sign_in_link_request(email=email)
            return redirect("members_portal:sign_in_sent")
        return render(request, "members/portal/sign_in.html", {"form": form}, status=400)
    if request.user.is_authenticated and selectors.member_for_user(user=request.user) is not None:
        return redirect("members_portal:home")
    return render(request, "members/portal/sign_in.html", {"form": SignInLinkForm()})


def sign_in_sent(request):
    return render(request, "members/portal/sign_in_sent.html", {"minutes": settings.BINPLP_MAGIC_LINK_MINUTES})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, uidb64: str, token: str):
    """The e-mailed link. Opening it (GET) only shows a button, so mail scanners that follow links do not use it
    up; the button (POST) signs the member in."""
    check = check_sign_in_link(uidb64, token)
    if not check.valid:
        expired = check.state == "expired"
        return render(
            request,
            "members/portal/sign_in_link_invalid.html",
            {"expired": expired, "form": SignInLinkForm()},
            status=410 if expired else 400,
        )
    user = check.user
    if not services.can_sign_in_by_link(user):
        return render(request, "members/portal/sign_in_refused.html", status=403)
    if request.method == "POST":
        login(request, user, backend=LINK_BACKEND)
        messages.success(request, _("You are signed in. Welcome to your member portal."))
        return redirect("members_portal:home")
    return render(request, "members/portal/sign_in_link.html", {"link_user": user})


# --- My networks -------------------------------------------------------------------------------------------------


@member_page
def home(request, member):
    memberships = list(selectors.member_memberships(member=member))
    return render(
        request,
        "members/portal/home.html",
        {
            "member": member,
            "memberships": memberships,
            "current": [m for m in memberships if m.status in CURRENT_STATUSES],
            "has_password": request.user.has_usable_password(),
        },
    )


def _own_membership(request, member, pk: int) -> Membership:
    return get_for_user(Membership.objects.filter(member=member).select_related("network"), request.user, pk=pk)


@member_page
@require_http_methods(["GET", "POST"])
def membership_leave(request, member, pk: int):
    membership = _own_membership(request, member, pk)
    errors = []
    if request.method == "POST":
        try:
            services.membership_leave(actor=request.user, membership=membership)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("You left %(network)s. You no longer receive its messages.") % {"network": membership.network.name},
            )
            if not selectors.member_has_current_membership(member=member):
                messages.info(
                    request,
                    _(
                        "You are no longer a member of any network. Your account and your data stay until you delete "
                        "them: you can do that under “Delete my account”."
                    ),
                )
            return redirect("members_portal:home")
    return render(
        request,
        "members/portal/leave.html",
        {"membership": membership, "errors": errors, "is_current": membership.status in CURRENT_STATUSES},
        status=400 if errors else 200,
    )


@member_page
def document(request, member, pk: int):
    """A document the member accepted (internal rules, privacy notice), in their language when it exists."""
    policy = get_object_or_404(PolicyDocument.objects.for_user(request.user, "view").select_related("network"), pk=pk)
    language, text = policy.text(getattr(request, "LANGUAGE_CODE", None))
    body = nh3.clean(markdown.markdown(text.get("body", "")))
    return render(
        request,
        "members/portal/document.html",
        {"document": policy, "title": text.get("title") or str(policy), "body": mark_safe(body), "language": language},  # noqa: S308 - nh3-cleaned Markdown  # nosec B308 B703
    )


# --- My data -----------------------------------------------------------------------------------------------------


@member_page
@require_http_methods(["GET", "POST"])
def member_data(request, member):
    user = member.user
    if request.method == "POST":
        form = MemberDataForm(request.POST)
        if form.is_valid():
            try:
                services.member_update(actor=request.user, member=member, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your data has been saved."))
                return redirect("members_portal:member_data")
    else:
        form = MemberDataForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "mobile": member.mobile,
                "street": member.street,
                "house_number": member.house_number,
                "box": member.box,
                "postal_code": member.postal_code,
            }
        )
    return render(
        request, "members/portal/member_data.html", {"member": member, "form": form}, status=400 if form.errors else 200
    )


# --- My choices --------------------------------------------------------------------------------------------------


@member_page
@require_http_methods(["GET", "POST"])
def choices(request, member):
    if request.method == "POST":
        form = MemberChoicesForm(request.POST)
        if form.is_valid():
            try:
                services.member_choices_set(actor=request.user, member=member, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error, {"muted_types": "wanted_types"})
            else:
                messages.success(request, _("Your choices have been saved."))
                response = redirect("members_portal:choices")
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    form.cleaned_data["language"],
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                )
                return response
    else:
        form = MemberChoicesForm(initial=MemberChoicesForm.initial_for(member))
    return render(
        request,
        "members/portal/choices.html",
        {"member": member, "form": form, "paused_now": member.is_paused(), "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@member_page
@require_POST
def pause_end(request, member):
    try:
        services.member_pause_end(actor=request.user, member=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your holiday pause has ended: you receive messages again from now on."))
    return redirect("members_portal:choices")


# --- Download my data --------------------------------------------------------------------------------------------


@member_page
def download(request, member):
    """Everything binplp holds about the member, as a readable page (with a link to the JSON file)."""
    data = selectors.member_data(member=member)
    audit_member_view(actor=request.user, members=[member], context="portal_download_page", obj=member)
    return render(request, "members/portal/download.html", {"member": member, "data": data})


@member_page
def download_json(request, member):
    data = selectors.member_data(member=member)
    audit_member_view(actor=request.user, members=[member], context="portal_download_json", obj=member)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"binplp-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Delete my account -------------------------------------------------------------------------------------------


@member_page
@require_http_methods(["GET", "POST"])
def erase(request, member):
    blockers = services.erasure_blockers(request.user)
    form = EraseForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if blockers:
            status = 403
        elif form.is_valid():
            try:
                services.member_erase(actor=request.user, member=member)
            except ValidationError as error:
                blockers = error.messages
                status = 403
            else:
                logout(request)
                return redirect("members_portal:erased")
        else:
            status = 400
    return render(
        request, "members/portal/erase.html", {"member": member, "form": form, "blockers": blockers}, status=status
    )


def erased(request):
    return render(request, "members/portal/erased.html")
