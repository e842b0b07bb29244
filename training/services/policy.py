"""The training policy ADVP sets for the whole platform: whether only officers holding a valid BIN course certificate
may send urgent message types (off by default). messaging/permissions.py `allowed_types` enforces it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditAction

from ..models import TrainingPolicy
from ..permissions import can_edit_policy


def policy_update(*, actor, urgent_requires_certificate: bool) -> TrainingPolicy:
    """Switch the rule on or off. Only ADVP; an audit row records the change (nothing is written when the value does
    not change)."""
    if not can_edit_policy(actor):
        raise PermissionDenied(_("Only ADVP changes the training policy."))
    if not isinstance(urgent_requires_certificate, bool):
        raise TypeError("urgent_requires_certificate must be a bool")
    with transaction.atomic():
        TrainingPolicy.objects.get_or_create(pk=1)
        policy = TrainingPolicy.objects.select_for_update().get(pk=1)
        before = policy.urgent_requires_certificate
        if before == urgent_requires_certificate:
            return policy
        policy.urgent_requires_certificate = urgent_requires_certificate
        policy.updated_by = actor
        policy.full_clean()
        policy.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=policy,
            changes={"urgent_requires_certificate": [before, urgent_requires_certificate]},
        )
    return policy
