"""What coordinators and mandated officers do with their networks' members: decide join requests, add a person met
in person, suspend and sanction, export the list for the communication plan.

Every function checks that the actor manages the network's members (`can_manage_members`), refusing with
PermissionDenied otherwise; views and the API have already answered 404 to those outside the scope. Audit rows name
statuses and fields, never personal values. E-mails leave after the commit, through retrying tasks that mark the
row sent (at least once, in the recipient's language)."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from networks import spreadsheets
from networks.choices import MEMBER_MEASURES, MessageType, NetworkStatus, SanctionMeasure, SanctionTarget
from networks.models import Network, Sanction
from networks.services.sanction import sanction_create

from ..choices import CURRENT_STATUSES, DocumentKind, JoinRequestStatus, JoinSource, MembershipStatus
from ..models import APPLICANT_FIELDS, JoinRequest, Member, Membership
from ..permissions import can_manage_members
from .membership import audit_member_view, member_admit

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
FINAL_NETWORK_STATUSES = frozenset({NetworkStatus.DISSOLVED, NetworkStatus.MERGED})
IN_PERSON_FIELDS = APPLICANT_FIELDS


def _require_manager(actor, network: Network) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not can_manage_members(actor, network):
        raise PermissionDenied(_("You do not manage the members of this network."))


def _error(field: str | None, message, code: str, **params) -> ValidationError:
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


def _already_decided(request: JoinRequest) -> ValidationError:
    return ValidationError(
        _("This request was already handled (%(status)s): nothing was changed."),
        code="already_decided",
        params={"status": request.get_status_display()},
    )


# --- deciding join requests --------------------------------------------------------------------------------------


def join_request_approve(*, actor: User, join_request: JoinRequest) -> Membership:
    """Admit the person of a pending (e-mail confirmed) request into the network, then tell them by e-mail, in their
    language, with the link to the member portal. A request decided meanwhile (another manager, a double click) is
    refused with nothing changed: the row is locked and its status read again."""
    _require_manager(actor, join_request.network)
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if request.status != JoinRequestStatus.PENDING:
            raise _already_decided(request)
        membership = member_admit(join_request=request, actor=actor)
        request_id = request.pk
        transaction.on_commit(lambda: _enqueue_decision_email(request_id))
    return membership


def join_request_decline(*, actor: User, join_request: JoinRequest, reason: str) -> JoinRequest:
    """Decline a pending request with a reason, which the person receives by e-mail in their language."""
    _require_manager(actor, join_request.network)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give the reason: the person receives it."), "required")
    if len(reason) > 2000:
        raise _error("reason", _("Keep the reason under 2,000 characters."), "too_long")
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if request.status != JoinRequestStatus.PENDING:
            raise _already_decided(request)
        old = request.status
        request.status = JoinRequestStatus.DECLINED
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.decline_reason = reason
        request.full_clean()
        request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=request,
            changes={"status": [old, request.status], "fields": ["decline_reason"]},
        )
        request_id = request.pk
        transaction.on_commit(lambda: _enqueue_decision_email(request_id))
    return request


def join_request_cancel(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    """Withdraw a request still waiting for its e-mail confirmation (a wrong address, a person who changed their
    mind): its confirmation link stops working. Nobody is e-mailed: the address was never confirmed."""
    _require_manager(actor, join_request.network)
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if request.status != JoinRequestStatus.UNCONFIRMED:
            raise _already_decided(request)
        request.status = JoinRequestStatus.WITHDRAWN
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.save(update_fields=["status", "decided_at", "decided_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=request,
            changes={"status": [JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.WITHDRAWN]},
        )
    return request


def _enqueue_decision_email(join_request_id: int) -> None:
    from ..tasks.manage import send_join_decision_email_task

    send_join_decision_email_task.enqueue(join_request_id)


def portal_sign_in_url() -> str:
    try:
        path = reverse("members_portal:sign_in")
    except NoReverseMatch:  # the portal's URL names are the portal's; its address is fixed
        path = "/me/sign-in/"
    return settings.SITE_URL + path


def join_request_send_decision(*, join_request_id: int) -> bool:
    """Send the decision e-mail of an approved or declined request, at least once: the row stays locked while the
    message goes to the SMTP server and is marked sent in the same transaction, so a crash before the mark sends it
    again on the retry rather than never. Returns whether an e-mail left."""
    with transaction.atomic():
        request = (
            JoinRequest.objects.select_for_update(of=("self",))
            .filter(
                pk=join_request_id,
                decision_sent_at__isnull=True,
                status__in=[JoinRequestStatus.APPROVED, JoinRequestStatus.DECLINED],
            )
            .select_related("network")
            .first()
        )
        if request is None:
            return False
        _decision_message(request).send()
        JoinRequest.objects.filter(pk=join_request_id).update(decision_sent_at=timezone.now())
    return True


def _decision_message(request: JoinRequest) -> EmailMultiAlternatives:
    approved = request.status == JoinRequestStatus.APPROVED
    name = "manage_approved" if approved else "manage_declined"
    with translation.override(request.language):
        context = {
            "first_name": request.first_name,
            "network": request.network.name,
            "reason": request.decline_reason,
            "portal_url": portal_sign_in_url(),
            "site_url": settings.SITE_URL,
            "language": request.language,
        }
        subject = " ".join(render_to_string(f"members/email/{name}_subject.txt", context).split())
        text = render_to_string(f"members/email/{name}_message.txt", context)
        html = render_to_string(f"members/email/{name}_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[request.email],
        headers={"Content-Language": request.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def audit_join_request_view(*, actor: User, join_requests, context: str, obj=None) -> None:
    """Record that `actor` saw the personal data of these join requests (applicants are not members yet, but their
    data is as personal). One row per view, naming the request ids; nothing for a view of nothing."""
    ids = sorted(request.pk for request in join_requests)
    if not ids:
        return
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.VIEW, obj=obj, changes={"join_requests": ids, "context": context})


# --- adding a person met in person -------------------------------------------------------------------------------


def _clean_in_person(data: dict[str, Any]) -> dict[str, Any]:
    values = {field: data.get(field) for field in IN_PERSON_FIELDS}
    for field in ("first_name", "last_name", "email", "mobile", "street", "house_number", "box", "postal_code"):
        values[field] = str(values[field] or "").strip()
    values["email"] = values["email"].lower()
    for field in ("by_email", "by_sms", "works_in_area", "adult_confirmed"):
        values[field] = bool(values[field])
    values["language"] = values["language"] or ""
    errors: dict[str, ValidationError] = {}
    if not values["adult_confirmed"]:
        errors["adult_confirmed"] = ValidationError(
            _("Confirm that the person is 18 or older: members must be adults."), code="adult_required"
        )
    if values["mobile"] and not E164.match(values["mobile"]):
        errors["mobile"] = ValidationError(
            _("Enter a Belgian mobile number, e.g. 0470 12 34 56 or +32 470 12 34 56."), code="invalid_mobile"
        )
    if values["by_sms"] and not values["mobile"]:
        errors["mobile"] = ValidationError(_("Messages by SMS need a mobile number."), code="sms_needs_mobile")
    if not values["by_email"] and not values["by_sms"]:
        errors["by_email"] = ValidationError(
            _("Choose at least one way to be reached: e-mail or SMS."), code="no_channel"
        )
    if values["language"] not in dict(settings.LANGUAGES):
        errors["language"] = ValidationError(_("Choose one of the offered languages."), code="invalid_language")
    if errors:
        raise ValidationError(errors)
    return values


def _duplicate_error(network: Network, email: str) -> ValidationError | None:
    if Membership.objects.filter(
        network=network, member__user__email__iexact=email, status__in=sorted(CURRENT_STATUSES)
    ).exists():
        return _error("email", _("%(email)s is already a member of this network."), "already_member", email=email)
    if JoinRequest.objects.filter(
        network=network,
        email__iexact=email,
        status__in=[JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.PENDING],
    ).exists():
        return _open_request_error(email)
    return None


def _open_request_error(email: str) -> ValidationError:
    return _error(
        "email",
        _("There is already an open request for %(email)s in this network: see the requests."),
        "open_request",
        email=email,
    )


def join_request_add_in_person(*, actor: User, network: Network, data: dict[str, Any]) -> JoinRequest:
    """Record a person the coordinator or the mandated officer met, as a join request from them: the person then
    confirms their e-mail address (double opt-in), which admits them at once. The privacy notice and the internal
    rules recorded are the versions in force; the manager confirmed that the person is 18 or older. A person who is
    already a member, or already has an open request here, is refused with nothing stored."""
    from . import joining
    from .documents import document_current

    _require_manager(actor, network)
    if network.status in FINAL_NETWORK_STATUSES:
        raise _error(None, _("This network has ended: it takes no new members."), "network_ended")
    values = _clean_in_person(data)
    duplicate = _duplicate_error(network, values["email"])
    if duplicate is not None:
        raise duplicate
    privacy_notice = document_current(kind=DocumentKind.PRIVACY_NOTICE)
    rules = document_current(kind=DocumentKind.INTERNAL_RULES, network=network)
    if privacy_notice is None or rules is None:
        raise _error(
            None,
            _("No privacy notice or internal rules are in force yet: nobody can join until they are published."),
            "no_documents",
        )
    in_area = joining.address_in_area(
        network=network,
        postal_code=values["postal_code"],
        street=values["street"],
        house_number=values["house_number"],
    )
    with transaction.atomic():
        request = JoinRequest(
            network=network,
            status=JoinRequestStatus.UNCONFIRMED,
            source=JoinSource.IN_PERSON,
            privacy_notice=privacy_notice,
            rules=rules,
            in_area=in_area,
            added_by=actor,
            created_at=timezone.now(),
            **values,
        )
        request.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:  # another manager added the same address a moment ago
            raise _open_request_error(values["email"]) from None
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=request,
            changes={"status": [None, request.status], "source": JoinSource.IN_PERSON, "fields": sorted(values)},
        )
        joining.join_request_send_confirmation(join_request=request)  # after the commit, by a retrying task
    return request


# --- sanctions and suspensions -----------------------------------------------------------------------------------


def _require_sanctioner(actor, network: Network) -> None:
    from ..manage_selectors import can_sanction_members

    _require_manager(actor, network)
    if not can_sanction_members(actor, network):
        raise PermissionDenied(_("You cannot record member sanctions for this network."))


def membership_sanction(
    *,
    actor: User,
    membership: Membership,
    measure: str,
    reason: str,
    decided_on: datetime.date | None,
    decided_by: str,
    ends_on: datetime.date | None = None,
) -> Sanction:
    """Record a member sanction in the network's sanctions register (through the register's own service, so its
    checks and audit apply; the member is named "#<member id>", never by name) and apply it to the membership:
    a written reprimand changes nothing, a temporary suspension suspends the member until `ends_on` (they receive
    no messages meanwhile), a permanent suspension removes them from the network from the decision date."""
    network = membership.network
    _require_sanctioner(actor, network)
    if measure not in MEMBER_MEASURES:
        raise _error("measure", _("Choose one of the measures offered for members."), "invalid_measure")
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.member_id is None or locked.status not in CURRENT_STATUSES:
            raise _error(None, _("This person is no longer a member of this network."), "not_a_member")
        sanction = sanction_create(
            actor=actor,
            network=network,
            target=SanctionTarget.MEMBER,
            measure=measure,
            decided_on=decided_on,
            decided_by=decided_by,
            reason=reason,
            member_ref=f"#{locked.member_id}",
            ends_on=ends_on,
        )
        old = locked.status
        today = timezone.localdate()
        fields: list[str] = []
        if measure == SanctionMeasure.TEMPORARY_SUSPENSION and ends_on > today:
            locked.status = MembershipStatus.SUSPENDED
            locked.suspended_until = ends_on
            fields = ["status", "suspended_until"]
        elif measure == SanctionMeasure.PERMANENT_SUSPENSION:
            locked.status = MembershipStatus.REMOVED
            locked.ended_on = max(decided_on, locked.joined_on)
            locked.suspended_until = None
            fields = ["status", "ended_on", "suspended_until"]
        if fields:
            locked.full_clean()
            locked.save(update_fields=fields)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                changes={"status": [old, locked.status], "fields": fields, "sanction": sanction.pk},
            )
    membership.refresh_from_db()
    return sanction


def membership_lift_suspension(*, actor: User, membership: Membership) -> Membership:
    """End a suspension before its date: the member is active again (and receives messages again)."""
    _require_sanctioner(actor, membership.network)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status != MembershipStatus.SUSPENDED:
            raise _error(None, _("This member is not suspended."), "not_suspended")
        _lift(locked, actor=actor)
    membership.refresh_from_db()
    return membership


def _lift(membership: Membership, *, actor) -> None:
    membership.status = MembershipStatus.ACTIVE
    membership.suspended_until = None
    membership.save(update_fields=["status", "suspended_until"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=membership,
        changes={"status": [MembershipStatus.SUSPENDED, MembershipStatus.ACTIVE], "fields": ["suspended_until"]},
    )


def membership_lift_expired_suspensions(*, today: datetime.date | None = None) -> int:
    """Daily: members whose temporary suspension ended (its end date reached) are active again. Returns how many."""
    today = today or timezone.localdate()
    lifted = 0
    ids = list(
        Membership.objects.filter(status=MembershipStatus.SUSPENDED, suspended_until__lte=today).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            membership = (
                Membership.objects.select_for_update()
                .filter(pk=pk, status=MembershipStatus.SUSPENDED, suspended_until__lte=today)
                .first()
            )
            if membership is not None:
                _lift(membership, actor=None)
                lifted += 1
    return lifted


# --- export for the communication plan ---------------------------------------------------------------------------

EXPORT_COLUMNS = (
    ("last_name", _("Last name"), 18),
    ("first_name", _("First name"), 16),
    ("email", _("E-mail address"), 30),
    ("mobile", _("Mobile number"), 16),
    ("address", _("Address"), 34),
    ("channels", _("Channels"), 14),
    ("language", _("Language"), 10),
    ("muted_types", _("Message types switched off"), 30),
    ("quiet_hours", _("Quiet hours"), 13),
    ("paused", _("Holiday pause"), 24),
    ("status", _("Status"), 12),
    ("since", _("Member since"), 13),
)
EXPORT_CONTENT_TYPES = {
    spreadsheets.CSV: "text/csv; charset=utf-8",
    spreadsheets.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _channels(member: Member) -> str:
    channels = [str(_("e-mail"))] if member.by_email else []
    if member.by_sms:
        channels.append(str(_("SMS")))
    channels.append(str(_("web inbox")))  # always on in the member portal
    return ", ".join(channels)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _export_row(membership: Membership, languages: dict) -> list[Any]:
    member = membership.member
    user = member.user
    quiet = f"{member.quiet_from:%H:%M}–{member.quiet_until:%H:%M}" if member.quiet_from else ""
    paused = f"{member.paused_from.isoformat()} – {member.paused_until.isoformat()}" if member.paused_from else ""
    values = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "mobile": member.mobile,
        "address": member.address,
        "channels": _channels(member),
        "language": str(languages.get(user.language, user.language)),
        "muted_types": ", ".join(_label(MessageType, value) for value in member.muted_types or []),
        "quiet_hours": quiet,
        "paused": paused,
        "status": _label(MembershipStatus, membership.status),
        "since": membership.joined_on,
    }
    return [values[key] for key, _title, _width in EXPORT_COLUMNS]


def member_export(
    *, actor: User, network: Network, queryset: QuerySet[Membership], file_format: str
) -> tuple[bytes, str, str]:
    """The current members (active and suspended) of `queryset` — the network's member list as filtered, already
    scoped — as CSV or XLSX for the communication plan: (content, file name, content type). Values a spreadsheet
    would run as a formula are neutralised. The export is recorded in the audit trail with the member ids."""
    _require_manager(actor, network)
    if file_format not in EXPORT_CONTENT_TYPES:
        raise ValueError(f"Unknown export format {file_format!r}")
    memberships = list(
        queryset.filter(network=network, member__isnull=False, status__in=sorted(CURRENT_STATUSES)).select_related(
            "member__user"
        )
    )
    languages = dict(settings.LANGUAGES)
    header = [str(title) for _key, title, _width in EXPORT_COLUMNS]
    rows = [_export_row(membership, languages) for membership in memberships]
    audit_member_view(
        actor=actor, members=[membership.member_id for membership in memberships], context="export", obj=network
    )
    name = f"binplp-members-{network.code}-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == spreadsheets.XLSX:
        widths = [width for _key, _title, width in EXPORT_COLUMNS]
        content = spreadsheets.write_xlsx(header, rows, sheet_name=str(_("Members")), widths=widths)
        return content, name, EXPORT_CONTENT_TYPES[file_format]
    stream = io.StringIO()
    spreadsheets.write_csv(stream, header, rows)
    return stream.getvalue().encode("utf-8"), name, EXPORT_CONTENT_TYPES[file_format]
