"""Every write to charters and their review: versions, the communication and budget plans, the signed PDF, the four
signatures, the submission to ADVP; ADVP's checklist, its review and decision, which files the letters and moves
the network to active when the charter is conform. Each change is checked, in one transaction, and audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction
from core.scoping import can, rule_for

from ..choices import (
    Channel,
    CharterStatus,
    CostPayer,
    MessageType,
    NetworkStatus,
    PartnerRole,
    ReviewDecision,
    Sender,
    Signatory,
)
from ..models import Charter, CharterReview, CharterSignature, ChecklistItem, Network, ReviewItemResult
from ..selectors import partner_contacts_snapshot
from .network import Errors, network_change_status

MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
MAX_FEEDBACK_HOURS = 24 * 90
MAX_AMOUNT_EUR = Decimal("1000000")
PLAN_FIELDS = (
    "channels",
    "message_types",
    "senders",
    "feedback_hours",
    "cost_items",
    "member_fee_eur",
    "alternative_financing",
    "internal_rules_version",
)
OPEN_STATUSES = (CharterStatus.DRAFT, CharterStatus.SUBMITTED)


def _field_error(field_name: str, message, code: str, **params) -> ValidationError:
    return ValidationError({field_name: ValidationError(message % params if params else message, code=code)})


def _require(actor, action: str, obj, message) -> None:
    if actor is None or not can(actor, action, obj):
        raise PermissionDenied(message)


def _require_draft(charter: Charter) -> None:
    if charter.status != CharterStatus.DRAFT:
        raise ValidationError(
            _("Version %(version)s has been submitted: it can no longer change. Start a new version."),
            code="not_draft",
            params={"version": charter.version},
        )


def _lock(charter: Charter) -> Charter:
    return Charter.objects.select_for_update().select_related("network").get(pk=charter.pk)


def _audit(actor, charter: Charter, action: str, changes: dict | None = None) -> None:
    audit_record(actor=actor, action=action, obj=charter, changes=changes or {})


# --- versions --------------------------------------------------------------------------------------


def charter_contacts_snapshot(network: Network) -> list[dict]:
    """The partners' contacts as the charter records them (the one shape, shared with the check for a new version)."""
    return partner_contacts_snapshot(network)


def charter_create(*, actor, network: Network) -> Charter:
    """Start a new version of the network's charter: the contacts from the current partners, everything else copied
    from the previous version (version 1 starts empty). Only one version is open (draft or submitted) at a time."""
    _require(actor, "change", network, _("You cannot prepare the charter of this network."))
    if network.is_final:
        raise ValidationError(_("This network has ended: its charter can no longer change."), code="network_ended")
    with transaction.atomic():
        network = Network.objects.select_for_update().get(pk=network.pk)
        open_version = network.charters.filter(status__in=OPEN_STATUSES).order_by("-version").first()
        if open_version is not None:
            raise ValidationError(
                _("Version %(version)s is still %(status)s: finish it before starting a new version."),
                code="open_version",
                params={"version": open_version.version, "status": open_version.get_status_display()},
            )
        previous = network.charters.order_by("-version").first()
        charter = Charter(
            network=network,
            version=previous.version + 1 if previous else 1,
            status=CharterStatus.DRAFT,
            contacts=charter_contacts_snapshot(network),
            created_by=actor,
        )
        if previous is not None:
            for name in PLAN_FIELDS:
                setattr(charter, name, getattr(previous, name))
        charter.full_clean()
        charter.save()
        changes = {"version": [None, charter.version], "contacts": [None, len(charter.contacts)]}
        if previous is not None:
            changes["copied_from"] = [None, previous.version]
        _audit(actor, charter, AuditAction.CREATE, changes)
    return charter


def charter_refresh_contacts(*, actor, charter: Charter) -> Charter:
    """Take the partners' contacts again from the network (after partners changed) into a draft version."""
    _require(actor, "change", charter.network, _("You cannot prepare the charter of this network."))
    with transaction.atomic():
        charter = _lock(charter)
        _require_draft(charter)
        before = charter.contacts
        charter.contacts = charter_contacts_snapshot(charter.network)
        if charter.contacts != before:
            charter.save(update_fields=["contacts"])
            _audit(actor, charter, AuditAction.UPDATE, {"contacts": [before, charter.contacts]})
    return charter


# --- communication and budget plans --------------------------------------------------------------------------------


def _choices_list(errors: Errors, field_name: str, values: Iterable[str] | None, allowed: list[str]) -> list[str]:
    values = list(values or [])
    unknown = [value for value in values if value not in allowed]
    if unknown:
        errors.add(field_name, _("Choose among the offered values."), "invalid_choice")
    # Kept in the order of the choices, without repeats, so equal plans compare equal.
    return [value for value in allowed if value in values]


def _clean_senders(errors: Errors, senders: dict | None, message_types: list[str]) -> dict[str, list[str]]:
    senders = senders or {}
    if not isinstance(senders, dict):
        errors.add("senders", _("Say who may send each type of message."), "invalid")
        return {}
    cleaned: dict[str, list[str]] = {}
    for message_type, who in senders.items():
        if message_type not in MessageType.values:
            errors.add("senders", _("Choose among the offered message types."), "invalid_choice")
            continue
        who = list(who or [])
        if any(sender not in Sender.values for sender in who):
            errors.add("senders", _("Messages are sent by the police or the coordinator."), "invalid_choice")
            continue
        if message_type not in message_types:
            if who:
                errors.add(
                    "senders",
                    _("“%(type)s” is not among the message types of the plan: add it or leave its senders empty."),
                    "type_not_in_plan",
                    type=MessageType(message_type).label,
                )
            continue
        cleaned[message_type] = [sender for sender in Sender.values if sender in who]
    if MessageType.URGENT_ALERT in cleaned and Sender.POLICE not in cleaned[MessageType.URGENT_ALERT]:
        errors.add(
            "senders",
            _("Only the police decide to send an urgent alert: include the police among its senders."),
            "urgent_alert_police",
        )
    return {message_type: cleaned[message_type] for message_type in MessageType.values if message_type in cleaned}


def _amount(errors: Errors, field_name: str, value, *, line: int | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        message = _("Line %(line)s: enter an amount in euro.") if line else _("Enter an amount in euro.")
        errors.add(field_name, message, "invalid_amount", **({"line": line} if line else {}))
        return None
    if amount < 0 or amount > MAX_AMOUNT_EUR or amount != amount.quantize(Decimal("0.01")):
        message = (
            _("Line %(line)s: an amount is between 0 and 1,000,000 euro, with at most two decimals.")
            if line
            else _("An amount is between 0 and 1,000,000 euro, with at most two decimals.")
        )
        errors.add(field_name, message, "invalid_amount", **({"line": line} if line else {}))
        return None
    return amount.quantize(Decimal("0.01"))


def _clean_cost_items(errors: Errors, items: Iterable[dict] | None) -> list[dict[str, str]]:
    cleaned = []
    for line, item in enumerate(items or [], start=1):
        if not isinstance(item, dict):
            errors.add("cost_items", _("Line %(line)s: a cost item has a label, an amount and a payer."), "invalid")
            continue
        label = str(item.get("label") or "").strip()
        if not label:
            errors.add("cost_items", _("Line %(line)s: describe the cost."), "label_required", line=line)
        elif len(label) > 120:
            errors.add("cost_items", _("Line %(line)s: keep the label under 120 characters."), "too_long", line=line)
        amount = _amount(errors, "cost_items", item.get("amount_eur"), line=line)
        if amount is None and item.get("amount_eur") in (None, ""):
            errors.add("cost_items", _("Line %(line)s: enter the amount per year."), "amount_required", line=line)
        payer = item.get("payer") or ""
        if payer not in CostPayer.values:
            errors.add("cost_items", _("Line %(line)s: say who pays this cost."), "payer_required", line=line)
        if label and amount is not None and payer in CostPayer.values:
            cleaned.append({"label": label, "amount_eur": str(amount), "payer": payer})
    return cleaned


def charter_update_plan(
    *,
    actor,
    charter: Charter,
    channels: Iterable[str] | None = None,
    message_types: Iterable[str] | None = None,
    senders: dict[str, Iterable[str]] | None = None,
    feedback_hours: int | None = None,
    cost_items: Iterable[dict] | None = None,
    member_fee_eur: Decimal | str | None = None,
    alternative_financing: str = "",
    internal_rules_version: str = "",
) -> Charter:
    """Set the communication plan (channels, message types, who may send which type, expected feedback time in
    hours), the budget plan (cost items with amount and payer, member fee, alternative financing) and the version
    of the internal rules of a draft charter. The whole plan is given each time."""
    _require(actor, "change", charter.network, _("You cannot prepare the charter of this network."))
    errors = Errors()
    values: dict[str, Any] = {
        "channels": _choices_list(errors, "channels", channels, Channel.values),
        "message_types": _choices_list(errors, "message_types", message_types, MessageType.values),
    }
    values["senders"] = _clean_senders(errors, senders, values["message_types"])
    if feedback_hours is not None and (
        not isinstance(feedback_hours, int) or feedback_hours < 1 or feedback_hours > MAX_FEEDBACK_HOURS
    ):
        errors.add(
            "feedback_hours",
            _("The expected feedback time is between 1 and %(max)s hours."),
            "invalid_hours",
            max=MAX_FEEDBACK_HOURS,
        )
    values["feedback_hours"] = feedback_hours
    values["cost_items"] = _clean_cost_items(errors, cost_items)
    values["member_fee_eur"] = _amount(errors, "member_fee_eur", member_fee_eur)
    values["alternative_financing"] = (alternative_financing or "").strip()
    values["internal_rules_version"] = (internal_rules_version or "").strip()
    if len(values["internal_rules_version"]) > 40:
        errors.add("internal_rules_version", _("Keep the version under 40 characters."), "too_long")
    if values["member_fee_eur"] and not any(item["payer"] == CostPayer.MEMBERS for item in values["cost_items"]):
        errors.add(
            "member_fee_eur",
            _("A member fee may only cover costs: list the costs the members pay."),
            "fee_without_costs",
        )
    errors.raise_if_any()
    with transaction.atomic():
        charter = _lock(charter)
        _require_draft(charter)
        before = snapshot(charter, list(PLAN_FIELDS))
        for name, value in values.items():
            setattr(charter, name, value)
        charter.full_clean()
        charter.save(update_fields=list(PLAN_FIELDS))
        changes = diff(before, snapshot(charter, list(PLAN_FIELDS)))
        if changes:
            _audit(actor, charter, AuditAction.UPDATE, changes)
    return charter


# --- the signed PDF and the signatures ---------------------------------------------------------------------------


def signed_pdf_validate(upload: UploadedFile | None) -> None:
    """A real PDF (it starts with "%PDF-", whatever its name says) of at most 10 MB."""
    if upload is None:
        raise _field_error("signed_pdf", _("Choose the scanned, signed charter (PDF)."), "required")
    if upload.size is not None and upload.size > MAX_PDF_BYTES:
        raise _field_error(
            "signed_pdf",
            _("The file is %(size)s MB; the limit is 10 MB."),
            "too_large",
            size=f"{upload.size / 1024 / 1024:.1f}",
        )
    if upload.size == 0:
        raise _field_error("signed_pdf", _("The file is empty."), "empty")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    # The PDF specification lets the header start within the first 1024 bytes; most files put it first.
    if PDF_MAGIC not in head:
        raise _field_error(
            "signed_pdf", _("This file is not a PDF. Scan the signed charter to PDF and upload that."), "not_pdf"
        )


def charter_upload_pdf(*, actor, charter: Charter, upload: UploadedFile) -> Charter:
    """Attach the scanned, signed charter to a draft version; a new upload replaces the previous file."""
    _require(actor, "change", charter.network, _("You cannot prepare the charter of this network."))
    signed_pdf_validate(upload)
    with transaction.atomic():
        charter = _lock(charter)
        _require_draft(charter)
        previous = charter.signed_pdf.name or None
        charter.signed_pdf.save("charter.pdf", upload, save=False)
        charter.save(update_fields=["signed_pdf"])
        _audit(
            actor,
            charter,
            AuditAction.UPDATE,
            {"signed_pdf": [previous, charter.signed_pdf.name], "signed_pdf_size": [None, upload.size]},
        )
        if previous:
            storage = charter.signed_pdf.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return charter


def charter_sign(*, actor, charter: Charter, signatory: str, name: str, signed_on: datetime.date) -> CharterSignature:
    """Record that one of the four signatories signed (name and date, and who recorded it); recording the same
    signatory again corrects the earlier record."""
    _require(actor, "change", charter.network, _("You cannot prepare the charter of this network."))
    errors = Errors()
    if signatory not in Signatory.values:
        errors.add("signatory", _("Choose one of the four signatories."), "invalid_choice")
    name = (name or "").strip()
    if not name:
        errors.add("name", _("Enter the name of the person who signed."), "required")
    elif len(name) > 160:
        errors.add("name", _("Keep the name under 160 characters."), "too_long")
    if signed_on is None:
        errors.add("signed_on", _("Enter the date of the signature."), "required")
    elif signed_on > timezone.localdate():
        errors.add("signed_on", _("The date of a signature cannot be in the future."), "future_date")
    errors.raise_if_any()
    with transaction.atomic():
        charter = _lock(charter)
        _require_draft(charter)
        signature = CharterSignature.objects.filter(charter=charter, signatory=signatory).first()
        before = f"{signature.name} ({signature.signed_on})" if signature else None
        if signature is None:
            signature = CharterSignature(charter=charter, signatory=signatory)
        signature.name, signature.signed_on = name, signed_on
        signature.recorded_by, signature.recorded_at = actor, timezone.now()
        signature.full_clean()
        signature.save()
        _audit(
            actor,
            charter,
            AuditAction.UPDATE,
            {f"signature_{signatory}": [before, f"{name} ({signed_on})"]},
        )
    return signature


# --- submission ------------------------------------------------------------------------------------


def charter_missing(charter: Charter) -> list[str]:
    """What still stops this version from being submitted, in words for the people preparing it."""
    missing = []
    roles = {contact.get("role") for contact in charter.contacts or []}
    if PartnerRole.COORDINATOR not in roles:
        missing.append(gettext("The contacts name no coordinator: add one to the partners and refresh the contacts."))
    if PartnerRole.MANDATED_OFFICER not in roles:
        missing.append(
            gettext("The contacts name no mandated officer: add one to the partners and refresh the contacts.")
        )
    if not charter.channels:
        missing.append(gettext("The communication plan lists no channel."))
    if not charter.message_types:
        missing.append(gettext("The communication plan lists no message type."))
    for message_type in charter.message_types or []:
        if not (charter.senders or {}).get(message_type):
            missing.append(
                gettext("The communication plan does not say who sends “%(type)s”.")
                % {"type": MessageType(message_type).label}
            )
    if not charter.feedback_hours:
        missing.append(gettext("The communication plan gives no expected feedback time."))
    if not charter.internal_rules_version:
        missing.append(gettext("The version of the internal rules is missing."))
    if not charter.signed_pdf:
        missing.append(gettext("The signed charter (PDF) is not uploaded."))
    signed = set(charter.signatures.values_list("signatory", flat=True))
    for signatory in Signatory:
        if signatory.value not in signed:
            missing.append(gettext("The signature of the %(signatory)s is missing.") % {"signatory": signatory.label})
    return missing


def charter_submit(*, actor, charter: Charter) -> Charter:
    """Submit a complete draft (all four signatures, the signed PDF, the plan) to ADVP; the network's status
    becomes "charter submitted" and the charter enters ADVP's review queue."""
    _require(actor, "change", charter.network, _("You cannot submit the charter of this network."))
    with transaction.atomic():
        charter = _lock(charter)
        _require_draft(charter)
        missing = charter_missing(charter)
        if missing:
            raise ValidationError([ValidationError(message, code="incomplete") for message in missing])
        network = charter.network
        if network.status not in (NetworkStatus.IN_PREPARATION, NetworkStatus.ACTIVE):
            raise ValidationError(
                _("A network that is “%(status)s” cannot submit a charter."),
                code="network_status",
                params={"status": network.get_status_display()},
            )
        charter.status = CharterStatus.SUBMITTED
        charter.submitted_at = timezone.now()
        charter.full_clean()
        charter.save(update_fields=["status", "submitted_at"])
        _audit(
            actor,
            charter,
            AuditAction.UPDATE,
            {"status": [CharterStatus.DRAFT, CharterStatus.SUBMITTED], "submitted_at": [None, charter.submitted_at]},
        )
        network_change_status(
            actor=actor,
            network=network,
            to_status=NetworkStatus.CHARTER_SUBMITTED,
            reason=gettext("Charter version %(version)s submitted to ADVP.") % {"version": charter.version},
        )
    return charter


# --- ADVP's checklist ------------------------------------------------------------------------------

CHECKLIST_FIELDS = ("code", "text_nl", "text_fr", "text_de", "text_en", "order", "is_active")


def _require_advp_checklist(actor) -> None:
    if actor is None or rule_for(ChecklistItem)(actor, "change") is None:
        raise PermissionDenied(_("Only ADVP edits the charter checklist."))


def checklist_item_save(*, actor, item: ChecklistItem | None = None, **values: Any) -> ChecklistItem:
    """ADVP adds a requirement to the checklist, rewords it (per language), reorders or deactivates it. Items that
    were used in a review are never deleted: deactivating keeps the reviews readable."""
    unknown = set(values) - set(CHECKLIST_FIELDS)
    if unknown:
        raise TypeError(f"checklist_item_save got unexpected fields: {sorted(unknown)}")
    _require_advp_checklist(actor)
    with transaction.atomic():
        creating = item is None
        item = ChecklistItem() if creating else ChecklistItem.objects.select_for_update().get(pk=item.pk)
        before = {} if creating else snapshot(item)
        for name, value in values.items():
            setattr(item, name, value.strip() if isinstance(value, str) else value)
        item.full_clean()
        item.save()
        changes = diff(before, snapshot(item))
        if changes:
            action = AuditAction.CREATE if creating else AuditAction.UPDATE
            audit_record(actor=actor, action=action, obj=item, changes=changes)
    return item


def checklist_active() -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(is_active=True).order_by("order", "code"))


# --- ADVP's review and decision -------------------------------------------------------------------------------------


def _clean_results(errors: Errors, results: Iterable[dict], *, items: list[ChecklistItem], existing: dict) -> dict:
    """{item_id: (satisfied, remark)} for the active checklist (plus items already checked in this review)."""
    by_id = {item.pk: item for item in items}
    cleaned: dict[int, tuple[bool, str]] = {}
    for result in results:
        item = result.get("item")
        item_id = item.pk if isinstance(item, ChecklistItem) else item
        if item_id not in by_id and item_id not in existing:
            errors.add("results", _("Check the items of the current checklist only."), "unknown_item")
            continue
        remark = str(result.get("remark") or "").strip()
        cleaned[item_id] = (bool(result.get("satisfied")), remark)
    return cleaned


def _save_review(*, actor, charter: Charter, results, remarks: str, items: list[ChecklistItem], errors: Errors):
    review = CharterReview.objects.select_for_update().filter(charter=charter).first()
    existing = {r.item_id: r for r in review.item_results.all()} if review else {}
    cleaned = _clean_results(errors, results, items=items, existing=existing)
    errors.raise_if_any()
    creating = review is None
    if creating:
        review = CharterReview(charter=charter, reviewer=actor, started_at=timezone.now())
    before = {} if creating else snapshot(review, ["remarks"])
    review.reviewer = actor
    review.remarks = (remarks or "").strip()
    review.full_clean()
    review.save()
    changes = diff(before, snapshot(review, ["remarks"]))
    new_rows, changed_rows = [], []
    for item_id, (satisfied, remark) in cleaned.items():
        row = existing.get(item_id)
        if row is None:
            new_rows.append(ReviewItemResult(review=review, item_id=item_id, satisfied=satisfied, remark=remark))
            changes[f"item_{item_id}"] = [None, [satisfied, remark]]
        elif (row.satisfied, row.remark) != (satisfied, remark):
            changes[f"item_{item_id}"] = [[row.satisfied, row.remark], [satisfied, remark]]
            row.satisfied, row.remark = satisfied, remark
            changed_rows.append(row)
    ReviewItemResult.objects.bulk_create(new_rows)
    if changed_rows:
        ReviewItemResult.objects.bulk_update(changed_rows, ["satisfied", "remark"])
    return review, creating, changes


def _require_reviewable(actor, charter: Charter) -> None:
    _require(actor, "review", charter, _("Only ADVP reviews charters."))


def charter_review_save(*, actor, charter: Charter, results: Iterable[dict], remarks: str = "") -> CharterReview:
    """ADVP records its checks so far (each item satisfied or not, with a remark) without deciding yet."""
    _require_reviewable(actor, charter)
    errors = Errors()
    with transaction.atomic():
        charter = _lock(charter)
        if charter.status != CharterStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted charter is reviewed."), code="not_submitted")
        review, creating, changes = _save_review(
            actor=actor, charter=charter, results=results, remarks=remarks, items=checklist_active(), errors=errors
        )
        if creating or changes:
            audit_record(
                actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=review, changes=changes
            )
    return review


def charter_review_decide(
    *, actor, charter: Charter, decision: str, results: Iterable[dict], remarks: str = ""
) -> CharterReview:
    """ADVP decides on a submitted charter against the whole checklist. *Conform* needs every item satisfied; the
    network becomes active and older versions are superseded. *Changes needed* needs at least one unsatisfied item,
    each with a remark saying what to change; the network goes back to preparation (or stays active on its earlier
    conform version). Either way the letters to the chief of police and the mayor are written and filed, and
    e-mailed after the commit. The lead time (submission to decision) is kept on the review."""
    from .letters import letters_generate

    _require_reviewable(actor, charter)
    results = list(results)
    errors = Errors()
    if decision not in ReviewDecision.values:
        raise _field_error("decision", _("Choose conform or changes needed."), "invalid_choice")
    items = checklist_active()
    with transaction.atomic():
        charter = _lock(charter)
        if charter.status != CharterStatus.SUBMITTED:
            raise ValidationError(
                _("This charter is not waiting for a decision (it is %(status)s)."),
                code="not_submitted",
                params={"status": charter.get_status_display()},
            )
        given = {(r["item"].pk if isinstance(r.get("item"), ChecklistItem) else r.get("item")): r for r in results}
        unchecked = [item for item in items if item.pk not in given]
        if unchecked:
            errors.add(
                "results",
                _("Check every item of the checklist; missing: %(items)s."),
                "incomplete",
                items="; ".join(item.text for item in unchecked),
            )
        unsatisfied = [item for item in items if item.pk in given and not given[item.pk].get("satisfied")]
        if decision == ReviewDecision.CONFORM and unsatisfied:
            errors.add(
                "decision",
                _("A charter with unsatisfied requirements cannot be conform: ask for changes instead."),
                "conform_with_unsatisfied",
            )
        if decision == ReviewDecision.CHANGES_NEEDED:
            if not unsatisfied:
                errors.add(
                    "decision",
                    _("Every requirement is satisfied: mark the items that need changes, or decide conform."),
                    "changes_without_items",
                )
            for item in unsatisfied:
                if not str(given[item.pk].get("remark") or "").strip():
                    errors.add(
                        "results",
                        _("Say what must change for: %(item)s"),
                        "remark_required",
                        item=item.text,
                    )
        errors.raise_if_any()
        review, creating, changes = _save_review(
            actor=actor, charter=charter, results=results, remarks=remarks, items=items, errors=errors
        )
        now = timezone.now()
        review.decision, review.decided_at = decision, now
        review.full_clean()
        review.save(update_fields=["decision", "decided_at", "reviewer", "remarks"])
        changes.update({"decision": [None, decision], "decided_at": [None, now]})
        audit_record(
            actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=review, changes=changes
        )
        charter.status, charter.decided_at = decision, now
        charter.full_clean()
        charter.save(update_fields=["status", "decided_at"])
        _audit(actor, charter, AuditAction.UPDATE, {"status": [CharterStatus.SUBMITTED, decision]})
        network = charter.network
        earlier = network.charters.filter(version__lt=charter.version).exclude(status=CharterStatus.SUPERSEDED)
        if decision == ReviewDecision.CONFORM:
            for old in earlier.select_for_update():
                _audit(actor, old, AuditAction.UPDATE, {"status": [old.status, CharterStatus.SUPERSEDED]})
            earlier.update(status=CharterStatus.SUPERSEDED)
            reason = gettext("Charter version %(version)s found conform by ADVP.") % {"version": charter.version}
            to_status = NetworkStatus.ACTIVE
        else:
            in_force = earlier.filter(status=CharterStatus.CONFORM).order_by("-version").first()
            if in_force is not None:
                reason = gettext(
                    "ADVP asked for changes to charter version %(version)s; version %(in_force)s remains in force."
                ) % {"version": charter.version, "in_force": in_force.version}
                to_status = NetworkStatus.ACTIVE
            else:
                reason = gettext("ADVP asked for changes to charter version %(version)s.") % {
                    "version": charter.version
                }
                to_status = NetworkStatus.IN_PREPARATION
        if network.status == NetworkStatus.CHARTER_SUBMITTED:
            network_change_status(actor=actor, network=network, to_status=to_status, reason=reason, via_review=True)
        review.charter = charter
        letters = letters_generate(actor=actor, review=review)
        letter_ids = [letter.pk for letter in letters]
        transaction.on_commit(lambda: _enqueue_letter_emails(letter_ids))
    return review


def _enqueue_letter_emails(letter_ids: list[int]) -> None:
    from ..tasks import send_letter_email_task

    for letter_id in letter_ids:
        send_letter_email_task.enqueue(letter_id)
