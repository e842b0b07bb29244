"""Admitting a person into a network, and recording who viewed members' personal data.

Audit rows about members name the fields that changed, never their values (see members.models)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import email_address_verify
from core.audit import audit_record
from core.models import AuditAction
from core.roles import Role, forget_grants

from ..choices import ConsentSource, JoinRequestStatus, MembershipStatus
from ..models import Consent, JoinRequest, Member, Membership

MEMBER_FIELDS_FROM_REQUEST = ("mobile", "street", "house_number", "box", "postal_code", "by_email", "by_sms")


def _member_for_request(request: JoinRequest) -> tuple[Member, bool]:
    """The Member for the request's e-mail address, creating the account and profile when new. An existing
    profile keeps its data except for blanks, which the request fills."""
    user = User.objects.filter(email__iexact=request.email).first()
    if user is None:
        user = User(
            email=request.email.lower(),
            first_name=request.first_name,
            last_name=request.last_name,
            language=request.language,
        )
        user.set_unusable_password()  # members sign in by e-mailed link until they choose a password
        user.full_clean(exclude=["password"])
        user.save()
    email_address_verify(user, request.email)  # the double opt-in proved it
    member = Member.objects.filter(user=user).first()
    if member is None:
        member = Member(user=user, **{field: getattr(request, field) for field in MEMBER_FIELDS_FROM_REQUEST})
        member.full_clean()
        member.save()
        audit_record(
            actor=None, action=AuditAction.CREATE, obj=member, changes={"fields": sorted(MEMBER_FIELDS_FROM_REQUEST)}
        )
        return member, True
    filled = [field for field in MEMBER_FIELDS_FROM_REQUEST if not getattr(member, field) and getattr(request, field)]
    if filled:
        for field in filled:
            setattr(member, field, getattr(request, field))
        member.full_clean()
        member.save()
        audit_record(actor=None, action=AuditAction.UPDATE, obj=member, changes={"fields": filled})
    return member, False


def member_admit(*, join_request: JoinRequest, actor: User | None) -> Membership:
    """Make the request's person a member of its network: account and profile (created or completed), the
    membership (new, or an ended one reopened), the member role, consent records for the privacy notice and the
    internal rules the request accepted, and the request marked approved. `actor` is whoever approved (None when a
    person added in person confirms). Sends nothing: callers tell the person. Must not be called on a request that
    is not open; callers lock it first."""
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().select_related("network").get(pk=join_request.pk)
        if request.status not in (JoinRequestStatus.PENDING, JoinRequestStatus.UNCONFIRMED):
            raise ValueError(f"Join request {request.pk} is {request.status}")
        member, _created = _member_for_request(request)
        membership = Membership.objects.filter(member=member, network=request.network).first()
        today = timezone.localdate()
        if membership is None:
            membership = Membership(
                member=member,
                network=request.network,
                joined_on=today,
                in_area=request.in_area,
                rules=request.rules,
                approved_by=actor if actor is not None and actor.is_authenticated else None,
            )
            membership.full_clean()
            membership.save()
            audit_record(actor=actor, action=AuditAction.CREATE, obj=membership, changes={"status": [None, "active"]})
        elif membership.status != MembershipStatus.ACTIVE:
            old = membership.status
            membership.status = MembershipStatus.ACTIVE
            membership.ended_on = None
            membership.suspended_until = None
            membership.joined_on = today
            membership.in_area = request.in_area
            membership.rules = request.rules
            membership.save()
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=membership, changes={"status": [old, "active"]})
        for document in (request.privacy_notice, request.rules):
            Consent.objects.create(
                member=member,
                document=document,
                network=request.network,
                accepted_at=request.confirmed_at or request.created_at,
                source=ConsentSource.JOIN,
            )
        user = member.user
        if not user.role_assignments.filter(role=Role.MEMBER, revoked_at__isnull=True).exists():
            user.role_assignments.create(role=Role.MEMBER, granted_at=timezone.now())
            forget_grants(user)
        old_status = request.status
        request.status = JoinRequestStatus.APPROVED
        request.decided_at = timezone.now()
        request.decided_by = actor if actor is not None and actor.is_authenticated else None
        request.membership = membership
        if request.confirmed_at is None:
            request.confirmed_at = request.decided_at
        request.save(update_fields=["status", "decided_at", "decided_by", "membership", "confirmed_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=request, changes={"status": [old_status, request.status]}
        )
    return membership


def audit_member_view(*, actor: User, members: Iterable[Member | int], context: str, obj=None) -> None:
    """Record that `actor` saw the personal data of these members (a list page, a detail page, an export).
    One row per view, naming the member ids and where they were seen; `obj` is what the row hangs on (the
    network of a list, the member of a detail page). A view of nothing is not recorded."""
    ids = sorted(member if isinstance(member, int) else member.pk for member in members)
    if not ids:
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=obj,
            changes={"members": ids, "context": context},
        )
