"""Action items of the committee and their follow-up: created by ADVP or the Knowledge Centre, their status moved
until done; the owner (a seat holder with an e-mail address) is reminded a week before the due date and once when
the action is overdue. Each reminder is marked in the transaction that sends it, so it leaves once."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record, snapshot
from core.models import AuditAction

from ..choices import ActionStatus
from ..emails import committee_email
from ..models import ActionItem, Meeting, SeatTerm
from ..permissions import can_prepare

REMIND_DAYS_BEFORE = 7


def action_create(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    due_on: datetime.date,
    owner_term: SeatTerm | None = None,
    owner_text: str = "",
) -> ActionItem:
    if not can_prepare(actor):
        raise PermissionDenied(_("Only ADVP and the Knowledge Centre record action items."))
    owner_text = (owner_text or "").strip()
    if owner_term is None and not owner_text:
        raise ValidationError({"owner_text": ValidationError(_("Say who owns the action."), code="owner_required")})
    with transaction.atomic():
        action = ActionItem(
            meeting=meeting, title=(title or "").strip(), due_on=due_on, owner_term=owner_term, owner_text=owner_text
        )
        action.full_clean()
        action.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=action, changes=snapshot(action))
    return action


def action_set_status(*, actor: User, action: ActionItem, status: str) -> ActionItem:
    if not can_prepare(actor):
        raise PermissionDenied(_("Only ADVP and the Knowledge Centre follow the actions up."))
    if status not in ActionStatus.values:
        raise ValidationError({"status": ValidationError(_("Choose open, in progress or done."), code="invalid")})
    with transaction.atomic():
        action = ActionItem.objects.select_for_update().get(pk=action.pk)
        before = action.status
        if before == status:
            return action
        action.status = status
        action.done_at = timezone.now() if status == ActionStatus.DONE else None
        action.save(update_fields=["status", "done_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=action, changes={"status": [before, status]})
    return action


def _owner_address(action: ActionItem) -> tuple[str, str]:
    term = action.owner_term
    if term is None:
        return "", ""
    return term.holder_email, term.holder_language


def action_remind(*, action_id: int, today: datetime.date | None = None) -> str:
    """Send the reminder this action is due for, if any: "before" a week ahead, "overdue" after the due date, each
    once; "" when nothing was sent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        action = ActionItem.objects.select_for_update().filter(pk=action_id).first()
        if action is None or action.status == ActionStatus.DONE:
            return ""
        action = ActionItem.objects.select_related("owner_term__user", "meeting").get(pk=action.pk)
        email, language = _owner_address(action)
        if not email:
            return ""
        if action.due_on < today and action.reminded_overdue_at is None:
            kind, field_name = "overdue", "reminded_overdue_at"
        elif (
            today <= action.due_on <= today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
            and action.reminded_before_at is None
        ):
            kind, field_name = "before", "reminded_before_at"
        else:
            return ""
        committee_email(
            template=f"action_{kind}",
            context={"action": action, "name": action.owner},
            to=email,
            language=language,
        ).send()
        ActionItem.objects.filter(pk=action.pk).update(**{field_name: timezone.now()})
        audit_record(actor=None, action=AuditAction.SEND, obj=action, changes={"reminder": kind, "to": email})
    return kind


def actions_due_for_reminder(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    from django.db.models import Q

    return list(
        ActionItem.objects.exclude(status=ActionStatus.DONE)
        .filter(owner_term__isnull=False)
        .filter(
            Q(due_on__lt=today, reminded_overdue_at__isnull=True)
            | Q(due_on__gte=today, due_on__lte=horizon, reminded_before_at__isnull=True)
        )
        .values_list("pk", flat=True)
    )
