from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import require, signed_in

from .services import user_set_language


@require_POST
def set_language(request):
    """Switch the interface language: kept in a cookie for visitors and on the account for users."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available; the page stays in the current language."))
        return response
    if request.user.is_authenticated:
        try:
            user_set_language(actor=request.user, user=request.user, language=code)
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
