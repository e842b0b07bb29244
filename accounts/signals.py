"""Second-factor changes are security events: they go into the audit trail."""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.db import transaction
from django.dispatch import receiver

from core.audit import audit_record
from core.models import AuditAction


def _record(request, authenticator, action: str, what: str) -> None:
    user = getattr(request, "user", None) or authenticator.user
    with transaction.atomic():
        audit_record(
            actor=user,
            action=action,
            obj=authenticator.user,
            changes={"authenticator": [None, f"{what}:{authenticator.type}"]},
        )


@receiver(authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    _record(request, authenticator, AuditAction.UPDATE, "added")


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record(request, authenticator, AuditAction.UPDATE, "removed")


@receiver(authenticator_reset)
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    _record(request, authenticator, AuditAction.UPDATE, "reset")
