from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from . import selectors, services
from .filters import InvitationFilterSet, UserFilterSet
from .forms import AcceptInvitationForm, InvitationForm, RoleGrantForm, RoleScopeForm
from .models import Invitation, RoleAssignment, User
from .permissions import can_manage_users
from .services import InvitationLinkError

PAGE_SIZE = 50


@require_POST
def set_language(request):
    """Switch the interface language: kept in a cookie for visitors and on the account for users."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available; the page stays in the current language."))
        return response
    if request.user.is_authenticated:
        try:
            services.user_set_language(actor=request.user, user=request.user, language=code)
        except ValidationError:  # pragma: no cover - the code was checked just above
            return response
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@require(signed_in)
def profile(request):
    """The signed-in user's own account: roles with their scopes, language, second factor."""
    assignments = request.user.role_assignments.filter(revoked_at__isnull=True).select_related("scope_type")
    return render(request, "accounts/profile.html", {"assignments": assignments})


# --- Users (ADVP) ----------------------------------------------------------------------------------


@require(can_manage_users)
def user_list(request):
    """Everyone with an account, searchable by name or e-mail and filterable by role."""
    filterset = UserFilterSet(request.GET, queryset=selectors.user_list(actor=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "accounts/partials/_user_table.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@require(can_manage_users)
def user_detail(request, pk: int):
    subject = selectors.user_get(actor=request.user, pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "assignments": selectors.user_assignments(actor=request.user, user=subject),
            "grant_form": RoleGrantForm(user=request.user, html_prefix="grant"),
        },
    )


@require(can_manage_users)
@require_POST
def role_grant(request, pk: int):
    subject = get_for_user(User.objects.all(), request.user, "change", pk=pk)
    form = RoleGrantForm(request.POST, user=request.user, html_prefix="grant")
    if form.is_valid():
        try:
            assignment = services.role_grant(
                actor=request.user, user=subject, role=form.cleaned_data["role"], scope=form.cleaned_data["scope"]
            )
        except ValidationError as error:
            add_service_errors(form, error, {"scope": form.scope_field_for(form.cleaned_data["role"])})
        else:
            messages.success(
                request, _("%(user)s now holds the role %(role)s.") % {"user": subject, "role": assignment}
            )
            return redirect(subject)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": selectors.user_get(actor=request.user, pk=pk),
            "assignments": selectors.user_assignments(actor=request.user, user=subject),
            "grant_form": form,
        },
        status=400,
    )


@require(can_manage_users)
@require_POST
def role_revoke(request, pk: int, assignment_pk: int):
    subject = get_for_user(User.objects.all(), request.user, "change", pk=pk)
    assignment = get_for_user(RoleAssignment.objects.filter(user=subject), request.user, "change", pk=assignment_pk)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Role revoked: %(role)s.") % {"role": assignment})
    return redirect(subject)


# --- Invitations (ADVP) ----------------------------------------------------------------------------


@require(can_manage_users)
def invitation_list(request):
    filterset = InvitationFilterSet(request.GET, queryset=selectors.invitation_list(actor=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "accounts/partials/_invitation_table.html" if request.htmx else "accounts/invitation_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@require(can_manage_users)
def invitation_create(request):
    """Invite someone by e-mail with one role and, for scoped roles, the zone, municipality or academy."""
    if request.method == "POST":
        form = InvitationForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = services.invitation_create(
                    actor=request.user,
                    email=data["email"],
                    role=data["role"],
                    scope=data["scope"],
                    language=data["language"],
                )
            except ValidationError as error:
                add_service_errors(form, error, {"scope": form.scope_field_for(data["role"])})
            else:
                messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": invitation.email})
                return redirect("accounts:invitation_list")
        status = 400
    else:
        form = InvitationForm(user=request.user, initial={"language": translation.get_language()})
        status = 200
    return render(
        request,
        "accounts/invitation_form.html",
        {"form": form, "invitation_valid_days": settings.INVITATION_VALID_DAYS},
        status=status,
    )


@require(can_manage_users)
@require_GET
def scope_fields(request):
    """HTMX fragment: only the scope select that matches the chosen role."""
    prefix = "grant" if request.GET.get("prefix") == "grant" else "id"
    form = RoleScopeForm(user=request.user, html_prefix=prefix)
    names = form.scope_fields
    form.initial = {name: request.GET.get(name) for name in names if request.GET.get(name)}
    role = request.GET.get("role", "")
    return render(
        request,
        "accounts/partials/_scope_fields.html",
        {"fields": form.visible_scope_fields(role), "role_chosen": bool(role), "narrowed": True},
    )


@require(can_manage_users)
@require_POST
def invitation_cancel(request, pk: int):
    invitation = get_for_user(Invitation.objects.all(), request.user, "change", pk=pk)
    try:
        services.invitation_cancel(actor=request.user, invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email})
    return redirect("accounts:invitation_list")


# --- Accepting an invitation (public, by link) -----------------------------------------------------


def invitation_accept(request, token: str):
    """The e-mailed link: a newcomer sets name and password and is signed in; someone who already has an
    account signs in first and accepts the extra role. Unusable links say why (400 forged, 410 used/expired)."""
    try:
        invitation = services.invitation_from_token(token)
    except InvitationLinkError as error:
        return _unusable(request, error)

    context = {"invitation": invitation}
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated:
        if existing is None or existing.pk != request.user.pk:
            context["wrong_account"] = True
            return render(request, "accounts/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except InvitationLinkError as error:
                return _unusable(request, error)
            except ValidationError as error:
                context["errors"] = error.messages
                return render(request, "accounts/invitation_accept.html", context, status=400)
            messages.success(
                request,
                _("Invitation accepted: you now hold the role %(role)s.") % {"role": invitation.get_role_display()},
            )
            return redirect("core:home")
        return render(request, "accounts/invitation_accept.html", context)

    if existing is not None:
        context["sign_in_first"] = True
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(request, "accounts/invitation_accept.html", context)

    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except InvitationLinkError as error:
            return _unusable(request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _sign_in(request, user)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context, status=400 if form.errors else 200)


def _unusable(request, error: InvitationLinkError):
    return render(request, "accounts/invitation_unusable.html", {"reason": error.message}, status=error.status)


def _sign_in(request, user: User):
    """Sign the new account in through allauth, recorded as a password authentication (the password was just
    chosen), so that enrolling the authenticator right after does not ask for it again."""
    from allauth.account import app_settings as allauth_settings
    from allauth.account.internal.flows.login import record_authentication
    from allauth.account.utils import perform_login

    record_authentication(request, user, method="password", email=user.email)
    messages.success(request, _("Welcome to binplp. Your account is ready."))
    return perform_login(
        request,
        user,
        email_verification=allauth_settings.EMAIL_VERIFICATION,
        redirect_url=reverse("core:home"),
        email=user.email,
    )
