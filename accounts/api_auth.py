"""Token authentication for the API with the same MFA rule as the pages."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .middleware import needs_mfa_enrolment


class MFAEnrolledTokenAuthentication(TokenAuthentication):
    """DRF authenticates tokens inside the view, after MFARequiredMiddleware has run, so the gate is repeated here:
    a privileged account without a second factor cannot use the API with a token either."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if needs_mfa_enrolment(user):
            raise AuthenticationFailed(_("Enrol a second factor (authenticator app) before using the API."))
        return user, token
