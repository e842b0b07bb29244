import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by invitation (staff) or by joining a network (members), never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in within the reauthentication timeout counts as recent authentication: the MFA gate sends
        privileged users to enrol an authenticator right after they signed in, and asking for the password they
        typed a moment ago would only be in the way. Later in the session, sensitive steps ask again."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not signed_in_recently(getattr(context, "request", None))


def signed_in_recently(request) -> bool:
    from allauth.account.internal.flows.login import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    now = time.time()
    return any(
        record.get("method") in ("password", "mfa")
        and now - record.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, user)
    )
