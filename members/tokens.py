"""Sign-in links for the member portal: a member types their e-mail address and receives a link that signs them in.

The token is Django's password-reset token with its own salt, so neither kind of token can stand in for the other.
Its hash covers the account's `last_login`, password and e-mail address: signing in updates `last_login`, so a link
works once; changing the password or the address (or erasing the account) also ends every link sent before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode


class MagicLinkTokenGenerator(PasswordResetTokenGenerator):
    """Tokens valid for `settings.BINPLP_MAGIC_LINK_MINUTES`.

    Django 5.2's `check_token` reads the validity from `settings.PASSWORD_RESET_TIMEOUT` and offers no per-class
    timeout, so `check` verifies the hash with the parent's helpers and applies this class's own timeout. It tells
    an expired link (the hash matches, the time is over) from one that is not valid (forged, or used: signing in
    changed `last_login`)."""

    key_salt = "binplp.members.tokens.MagicLinkTokenGenerator"

    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"

    @property
    def timeout_seconds(self) -> int:
        return settings.BINPLP_MAGIC_LINK_MINUTES * 60

    def check(self, user, token: str) -> str:
        """VALID, EXPIRED or INVALID."""
        if not (user and token):
            return self.INVALID
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return self.INVALID
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                break
        else:
            return self.INVALID
        age = self._num_seconds(self._now()) - timestamp
        if age > self.timeout_seconds:
            return self.EXPIRED
        return self.VALID

    def check_token(self, user, token) -> bool:
        return self.check(user, token) == self.VALID


magic_link_tokens = MagicLinkTokenGenerator()


@dataclass(frozen=True)
class LinkCheck:
    """What a sign-in link names: the account (None when the link does not name one) and the token's state."""

    user: object | None
    state: str

    @property
    def valid(self) -> bool:
        return self.state == MagicLinkTokenGenerator.VALID


def sign_in_path(user) -> str:
    """The path of a fresh sign-in link for `user` (prefix `settings.SITE_URL` in e-mails)."""
    return reverse(
        "members_portal:sign_in_link",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": magic_link_tokens.make_token(user)},
    )


def check_sign_in_link(uidb64: str, token: str) -> LinkCheck:
    """Check a link's parts without using it up. Inactive accounts get INVALID, like unknown ones."""
    from accounts.models import User

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return LinkCheck(None, MagicLinkTokenGenerator.INVALID)
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        return LinkCheck(None, MagicLinkTokenGenerator.INVALID)
    return LinkCheck(user, magic_link_tokens.check(user, token))
