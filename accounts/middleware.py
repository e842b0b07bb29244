"""Per-user interface language and the MFA gate for privileged roles."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.roles import is_privileged


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser's preference."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.codes:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def needs_mfa_enrolment(user) -> bool:
    """A privileged user without a TOTP authenticator; demo accounts are exempt only in demo mode."""
    if not user.is_authenticated or not is_privileged(user):
        return False
    if settings.BINPLP_DEMO_MODE and user.is_demo:
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MFARequiredMiddleware:
    """Privileged roles reach no data before they have enrolled a TOTP authenticator (and recovery codes,
    which allauth generates with it). Only the enrolment pages, sign-out, language choice and static
    files stay open to them until then."""

    ALLOWED_PREFIXES = (
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
        "/accounts/language/",
        "/accounts/invitations/accept/",
        "/static/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(self.ALLOWED_PREFIXES) and needs_mfa_enrolment(user):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": _("Enrol a second factor (authenticator app) before using the API.")}, status=403
                )
            messages.warning(
                request,
                _("Your role gives access to protected data. Set up an authenticator app before you continue."),
            )
            target = reverse("mfa_activate_totp")
            if getattr(request, "htmx", False):
                # A plain redirect would be swapped into the page fragment; HTMX follows this header instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)
