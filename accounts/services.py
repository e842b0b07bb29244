"""Every write to accounts, role assignments and invitations, each audited in its own transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction

from .models import User


def user_set_language(*, actor: User, user: User, language: str) -> User:
    """Remember the interface language on the account."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")}, code="invalid_language")
    if user.language == language:
        return user
    with transaction.atomic():
        before = snapshot(user, ["language"])
        user.language = language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["language"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes=diff(before, snapshot(user, ["language"])))
    return user
