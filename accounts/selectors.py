"""Reads of accounts, role assignments and invitations, always starting from `for_user`."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from core.models import AuditEvent
from core.roles import Role

from .models import Invitation, RoleAssignment, User


def _has_totp():
    return Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP))


def user_list(*, actor: User) -> QuerySet[User]:
    """Users with their active roles (and those roles' scopes) and whether they enrolled a second factor."""
    active = (
        RoleAssignment.objects.filter(revoked_at__isnull=True).select_related("scope_type").prefetch_related("scope")
    )
    return (
        User.objects.for_user(actor, "view")
        .annotate(has_totp=_has_totp())
        .prefetch_related(Prefetch("role_assignments", queryset=active, to_attr="active_assignments"))
    )


def user_get(*, actor: User, pk: int) -> User:
    from core.scoping import get_for_user

    return get_for_user(User.objects.annotate(has_totp=_has_totp()), actor, "view", pk=pk)


def user_assignments(*, actor: User, user: User) -> list[RoleAssignment]:
    """Every role the user holds or held, newest first among equals, with scopes loaded."""
    return list(
        RoleAssignment.objects.for_user(actor, "view")
        .filter(user=user)
        .select_related("scope_type", "granted_by")
        .prefetch_related("scope")
        .order_by("revoked_at", "role", "-granted_at")
    )


def invitation_list(*, actor: User) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_user(actor, "view")
        .select_related("invited_by", "accepted_by", "scope_type")
        .prefetch_related("scope")
    )


def role_counts(*, actor: User) -> list[dict]:
    """How many people hold each role now, in the order of `Role` (roles nobody holds show 0)."""
    rows = dict(
        RoleAssignment.objects.for_user(actor, "view")
        .filter(revoked_at__isnull=True)
        .values_list("role")
        .annotate(count=Count("user", distinct=True))
        .order_by()
    )
    return [{"role": value, "label": label, "count": rows.get(value, 0)} for value, label in Role.choices]


def pending_invitation_count(*, actor: User) -> int:
    from django.utils import timezone

    return (
        Invitation.objects.for_user(actor, "view")
        .filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())
        .count()
    )


def recent_audit_events(*, actor: User, limit: int = 10) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_user(actor, "view").select_related("content_type")[:limit])
