"""Who may see accounts, role assignments and invitations: ADVP manages them; everyone sees their own."""

from django.db.models import Q

from core.roles import Role, has_role
from core.scoping import scope_rule

from .models import Invitation, RoleAssignment, User


def can_manage_users(user) -> bool:
    return has_role(user, Role.ADVP)


def _staff_accounts() -> Q:
    """Accounts that are not only a member's: members' personal data stays with their network's coordinators
    and zone officers (DESIGN §4), so ADVP manages everyone else (and people who hold no role yet)."""
    active = RoleAssignment.objects.filter(revoked_at__isnull=True)
    return Q(pk__in=active.exclude(role=Role.MEMBER).values("user_id")) | ~Q(
        pk__in=active.filter(role=Role.MEMBER).values("user_id")
    )


@scope_rule(User)
def user_rule(user, action: str) -> Q | None:
    if not user.is_authenticated:
        return None
    if can_manage_users(user):
        return _staff_accounts() | Q(pk=user.pk)
    if action == "view":
        return Q(pk=user.pk)
    return None


@scope_rule(RoleAssignment)
def role_assignment_rule(user, action: str) -> Q | None:
    if not user.is_authenticated:
        return None
    if can_manage_users(user):
        return Q(user__in=User.objects.filter(_staff_accounts())) | Q(user=user)
    if action == "view":
        return Q(user=user)
    return None


@scope_rule(Invitation)
def invitation_rule(user, action: str) -> Q | None:
    if can_manage_users(user):
        return Q()
    return None
