"""Reads of the member portal: a member's own memberships, and everything binplp holds about them (the download).

Everything starts from the signed-in account: a member never reads anyone else's rows here."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from core.models import AuditEvent

from .choices import CURRENT_STATUSES
from .models import Consent, JoinRequest, Member, Membership


def member_for_user(*, user) -> Member | None:
    """The signed-in person's member profile (with the account), or None for someone who is not a member."""
    if not user.is_authenticated:
        return None
    member = Member.objects.for_user(user, "view").filter(user=user).first()
    if member is not None:
        member.user = user  # the request's user object, with its role grants already read
    return member


def member_memberships(*, member: Member) -> QuerySet[Membership]:
    """The member's memberships, current ones first, each with its network and the internal rules accepted."""
    return (
        Membership.objects.for_user(member.user, "view")
        .filter(member=member)
        .select_related("network", "rules")
        .annotate(
            current_first=Case(
                When(status__in=sorted(CURRENT_STATUSES), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("current_first", "network__name", "-joined_on")
    )


def member_has_current_membership(*, member: Member) -> bool:
    return Membership.objects.filter(member=member, status__in=sorted(CURRENT_STATUSES)).exists()


def member_history(*, member: Member, memberships: list[Membership]) -> list[dict]:
    """Audit events about the member's profile and memberships: when, what, which fields or statuses. Who acted is
    reduced to "you" or "someone else" (the network's coordinator, the police or the system): the download holds no
    other person's data."""
    member_type = ContentType.objects.get_for_model(Member)
    membership_type = ContentType.objects.get_for_model(Membership)
    networks = {str(membership.pk): membership.network for membership in memberships}
    events = AuditEvent.objects.filter(
        Q(content_type=member_type, object_id=str(member.pk))
        | Q(content_type=membership_type, object_id__in=list(networks))
    ).order_by("created_at", "id")
    history = []
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        network = networks.get(event.object_id) if event.content_type_id == membership_type.pk else None
        history.append(
            {
                "at": event.created_at,
                "action": event.action,
                "action_label": event.get_action_display(),
                "about": "membership" if network is not None else "member",
                "network": network.name if network is not None else "",
                "fields": [str(field) for field in changes.get("fields", [])],
                "status": changes.get("status") if isinstance(changes.get("status"), list) else None,
                "by_you": event.actor_id == member.user_id,
            }
        )
    return history


def member_data(*, member: Member) -> dict:
    """Everything binplp holds about the member (GDPR art. 15 and 20), as plain values ready for JSON and for the
    readable page: account, profile, choices, memberships, consents, join requests held for their e-mail address
    and the history of their profile and memberships."""
    user = member.user
    memberships = list(member_memberships(member=member))
    consents = (
        Consent.objects.for_user(user, "view")
        .filter(member=member)
        .select_related("document", "network")
        .order_by("accepted_at", "id")
    )
    requests = (
        JoinRequest.objects.filter(email__iexact=user.email)
        .select_related("network", "privacy_notice", "rules")
        .order_by("created_at", "id")
    )
    return {
        "generated_at": timezone.now(),
        "account": {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "created": user.date_joined,
            "has_password": user.has_usable_password(),
        },
        "profile": {
            "mobile": member.mobile,
            "mobile_verified_at": member.mobile_verified_at,
            "street": member.street,
            "house_number": member.house_number,
            "box": member.box,
            "postal_code": member.postal_code,
            "member_since": member.created_at,
        },
        "choices": {
            "by_email": member.by_email,
            "by_sms": member.by_sms,
            "web_inbox": True,
            "urgent_by_sms": member.urgent_by_sms,
            "muted_types": list(member.muted_types or []),
            "quiet_from": member.quiet_from,
            "quiet_until": member.quiet_until,
            "paused_from": member.paused_from,
            "paused_until": member.paused_until,
        },
        "memberships": [
            {
                "network_code": membership.network.code,
                "network": membership.network.name,
                "status": membership.status,
                "status_label": str(membership.get_status_display()),
                "joined_on": membership.joined_on,
                "ended_on": membership.ended_on,
                "suspended_until": membership.suspended_until,
                "address_in_area": membership.in_area,
                "internal_rules_version": membership.rules.version if membership.rules_id else None,
            }
            for membership in memberships
        ],
        "consents": [
            {
                "document": consent.document.kind,
                "document_label": str(consent.document.get_kind_display()),
                "version": consent.document.version,
                "network": consent.network.name if consent.network_id else None,
                "accepted_at": consent.accepted_at,
                "how": consent.source,
            }
            for consent in consents
        ],
        "join_requests": [
            {
                "network": request.network.name,
                "status": request.status,
                "status_label": str(request.get_status_display()),
                "requested_at": request.created_at,
                "first_name": request.first_name,
                "last_name": request.last_name,
                "email": request.email,
                "mobile": request.mobile,
                "street": request.street,
                "house_number": request.house_number,
                "box": request.box,
                "postal_code": request.postal_code,
                "language": request.language,
                "by_email": request.by_email,
                "by_sms": request.by_sms,
                "works_in_area": request.works_in_area,
                "privacy_notice_version": request.privacy_notice.version,
                "internal_rules_version": request.rules.version,
                "confirmed_at": request.confirmed_at,
                "decided_at": request.decided_at,
                "decline_reason": request.decline_reason,
            }
            for request in requests
        ],
        "sanctions": member_sanctions(member=member, memberships=memberships),
        "history": member_history(member=member, memberships=memberships),
    }


def member_sanctions(*, member: Member, memberships: list[Membership]) -> list[dict]:
    """Sanctions the member's networks recorded about them (named "#<member id>"): the measure and its dates. The
    written reason and who decided are left out: they may name other people."""
    from networks.choices import SanctionTarget
    from networks.models import Sanction

    network_ids = sorted({membership.network_id for membership in memberships})
    sanctions = (
        Sanction.objects.filter(network_id__in=network_ids, target=SanctionTarget.MEMBER, member_ref=f"#{member.pk}")
        .select_related("network")
        .order_by("decided_on", "id")
    )
    return [
        {
            "network": sanction.network.name,
            "measure": sanction.measure,
            "measure_label": str(sanction.get_measure_display()),
            "decided_on": sanction.decided_on,
            "ends_on": sanction.ends_on,
        }
        for sanction in sanctions
    ]
