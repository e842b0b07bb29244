"""The sanctions register: measures against members and coordinators, recorded by the network's zone or ADVP.

A permanent removal of a coordinator is decided by the administrative authority (the mayor), a copy goes to ADVP,
and the coordinator may appeal within three weeks: the deadline is computed and stored, the appeal and its outcome
are recorded. The removal ends the coordinator's partner role, which takes the platform's coordinator role away.

Who records and changes which sanctions is the sanction rule (networks/permissions.py): the zone's mandated officers
any sanction of their networks, ADVP the coordinator sanctions only (member sanctions name a member); everybody else
is refused.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction
from core.scoping import can

from ..charter_selectors import sanction_targets
from ..choices import (
    APPEAL_DAYS,
    COORDINATOR_MEASURES,
    COORDINATOR_ROLES,
    MEMBER_MEASURES,
    TEMPORARY_MEASURES,
    AppealOutcome,
    SanctionMeasure,
    SanctionTarget,
)
from ..models import Network, Partner, Sanction
from .network import Errors, partner_end

# What names or describes the member in a member sanction; the audit trail (read by ADVP) does not repeat it.
MEMBER_PRIVATE_FIELDS = frozenset({"member_ref", "reason"})


def appeal_deadline_for(decided_on: datetime.date) -> datetime.date:
    """The last day to appeal a permanent removal: three weeks after the decision."""
    return decided_on + datetime.timedelta(days=APPEAL_DAYS)


def _require_create(actor, network: Network, target: str) -> None:
    """Refuse before anything else: nobody outside the rule learns what a valid sanction would be."""
    targets = sanction_targets(actor, "create", network) if actor is not None else []
    if not targets:
        raise PermissionDenied(_("You cannot record sanctions for this network."))
    if target not in SanctionTarget.values:
        raise ValidationError({"target": ValidationError(_("Choose a member or a coordinator."), code="invalid")})
    if target not in targets:
        raise PermissionDenied(_("You cannot record this kind of sanction for this network."))


def sanction_create(
    *,
    actor,
    network: Network,
    target: str,
    measure: str,
    decided_on: datetime.date | None,
    decided_by: str,
    reason: str,
    member_ref: str = "",
    partner: Partner | None = None,
    ends_on: datetime.date | None = None,
    copy_to_advp_on: datetime.date | None = None,
) -> Sanction:
    """Record a sanction. Members: written reprimand, temporary suspension (until `ends_on`), permanent suspension;
    the member is named in `member_ref`. Coordinators (a current coordinator or deputy partner of the network): a
    talk, a written reprimand by the chief of police, a temporary removal (until `ends_on`), or a permanent removal
    by the administrative authority, which needs the date of the copy to ADVP, gets its appeal deadline and ends the
    partner's role."""
    _require_create(actor, network, target)
    errors = Errors()
    today = timezone.localdate()
    member_ref = (member_ref or "").strip()
    decided_by = (decided_by or "").strip()
    reason = (reason or "").strip()
    allowed = MEMBER_MEASURES if target == SanctionTarget.MEMBER else COORDINATOR_MEASURES
    if measure not in allowed:
        errors.add("measure", _("Choose one of the measures offered for this person."), "invalid_measure")
    if target == SanctionTarget.MEMBER:
        if not member_ref:
            errors.add("member_ref", _("Name the member (or their member reference)."), "required")
        elif len(member_ref) > 160:
            errors.add("member_ref", _("Keep the name under 160 characters."), "too_long")
        partner = None
    else:
        member_ref = ""
        if partner is None:
            errors.add("partner", _("Choose the coordinator."), "required")
        elif partner.network_id != network.pk or partner.role not in COORDINATOR_ROLES:
            errors.add("partner", _("Choose a coordinator or deputy coordinator of this network."), "invalid_partner")
        elif not partner.is_active:
            errors.add("partner", _("This person is no longer coordinator of this network."), "partner_ended")
    if decided_on is None:
        errors.add("decided_on", _("Enter the date of the decision."), "required")
    elif decided_on > today:
        errors.add("decided_on", _("The date of the decision cannot be in the future."), "future_date")
    if not decided_by:
        errors.add("decided_by", _("Say who decided (the authority)."), "required")
    if not reason:
        errors.add("reason", _("Give the reason for the sanction."), "required")
    if measure in TEMPORARY_MEASURES:
        if ends_on is None:
            errors.add("ends_on", _("A temporary measure needs its end date."), "required")
        elif decided_on is not None and ends_on <= decided_on:
            errors.add("ends_on", _("The end date must come after the decision."), "ends_before_decision")
    elif ends_on is not None:
        errors.add("ends_on", _("Only a temporary measure has an end date."), "not_taken")
    appeal_deadline = None
    if measure == SanctionMeasure.PERMANENT_REMOVAL:
        if copy_to_advp_on is None:
            errors.add("copy_to_advp_on", _("Enter the date the copy of the decision was sent to ADVP."), "required")
        elif copy_to_advp_on > today:
            errors.add("copy_to_advp_on", _("This date cannot be in the future."), "future_date")
        elif decided_on is not None and copy_to_advp_on < decided_on:
            errors.add("copy_to_advp_on", _("The copy cannot be sent before the decision."), "copy_before_decision")
        if decided_on is not None:
            appeal_deadline = appeal_deadline_for(decided_on)
    elif copy_to_advp_on is not None:
        errors.add("copy_to_advp_on", _("A copy to ADVP is recorded for a permanent removal only."), "not_taken")
    errors.raise_if_any()
    with transaction.atomic():
        network = Network.objects.select_for_update().get(pk=network.pk)
        sanction = Sanction(
            network=network,
            target=target,
            partner=partner,
            member_ref=member_ref,
            measure=measure,
            decided_on=decided_on,
            decided_by=decided_by,
            reason=reason,
            ends_on=ends_on,
            copy_to_advp_on=copy_to_advp_on,
            appeal_deadline=appeal_deadline,
            created_by=actor,
        )
        sanction.full_clean()
        sanction.save()
        if not Sanction.objects.for_user(actor, "create").filter(pk=sanction.pk).exists():
            raise PermissionDenied(_("You cannot record this kind of sanction for this network."))  # rolls back
        recorded = snapshot(sanction)
        if target == SanctionTarget.MEMBER:
            # The audit trail is ADVP's to read, and member sanctions are not: keep the member out of it.
            recorded = {key: value for key, value in recorded.items() if key not in MEMBER_PRIVATE_FIELDS}
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=sanction,
            changes={key: [None, value] for key, value in recorded.items() if value not in ("", None)},
        )
        if measure == SanctionMeasure.PERMANENT_REMOVAL:
            partner_end(actor=actor, partner=partner, active_to=max(decided_on, partner.active_from))
    return sanction


def sanction_record_appeal(
    *, actor, sanction: Sanction, appeal_lodged_on: datetime.date | None, appeal_outcome: str = ""
) -> Sanction:
    """Record that the coordinator appealed a permanent removal (within the three weeks), and later the outcome."""
    if actor is None or not can(actor, "change", sanction):
        raise PermissionDenied(_("You cannot change this sanction."))
    errors = Errors()
    appeal_outcome = appeal_outcome or ""
    if sanction.measure != SanctionMeasure.PERMANENT_REMOVAL:
        raise ValidationError(_("Only a permanent removal can be appealed."), code="not_appealable")
    if appeal_lodged_on is None:
        errors.add("appeal_lodged_on", _("Enter the date the appeal was lodged."), "required")
    elif appeal_lodged_on > timezone.localdate():
        errors.add("appeal_lodged_on", _("This date cannot be in the future."), "future_date")
    elif appeal_lodged_on < sanction.decided_on:
        errors.add("appeal_lodged_on", _("An appeal cannot precede the decision."), "before_decision")
    elif sanction.appeal_deadline and appeal_lodged_on > sanction.appeal_deadline:
        errors.add(
            "appeal_lodged_on",
            _("The appeal deadline was %(deadline)s: an appeal lodged later is out of time."),
            "after_deadline",
            deadline=date_format(sanction.appeal_deadline),
        )
    if appeal_outcome and appeal_outcome not in AppealOutcome.values:
        errors.add("appeal_outcome", _("Choose one of the offered outcomes."), "invalid_choice")
    errors.raise_if_any()
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
        fields = ["appeal_lodged_on", "appeal_outcome"]
        before = snapshot(sanction, fields)
        sanction.appeal_lodged_on, sanction.appeal_outcome = appeal_lodged_on, appeal_outcome
        sanction.full_clean()
        sanction.save(update_fields=fields)
        changes = diff(before, snapshot(sanction, fields))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=sanction, changes=changes)
    return sanction
