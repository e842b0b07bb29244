"""Signal handlers: second-factor changes go into the audit trail; the cache table is created with `migrate`."""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.db import transaction
from django.db.models.signals import post_migrate
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


@receiver(post_migrate)
def create_cache_table(sender, app_config=None, using="default", **kwargs):
    """allauth's rate limits (our lockout) and used-TOTP-code markers live in the cache, which is a database table
    by default: create it with every `migrate`, so that no installation runs without it."""
    if app_config is None or app_config.label != "accounts":
        return
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
