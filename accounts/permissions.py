"""Who may see accounts, role assignments and invitations: ADVP manages them; everyone sees their own."""

from django.db.models import Q

from core.roles import Role, has_role
from core.scoping import scope_rule

from .models import Invitation, RoleAssignment, User


def can_manage_users(user) -> bool:
    return has_role(user, Role.ADVP)


@scope_rule(User)
def user_rule(user, action: str) -> Q | None:
    if not user.is_authenticated:
        return None
    if can_manage_users(user):
        return Q()
    if action == "view":
        return Q(pk=user.pk)
    return None


@scope_rule(RoleAssignment)
def role_assignment_rule(user, action: str) -> Q | None:
    if not user.is_authenticated:
        return None
    if can_manage_users(user):
        return Q()
    if action == "view":
        return Q(user=user)
    return None


@scope_rule(Invitation)
def invitation_rule(user, action: str) -> Q | None:
    if can_manage_users(user):
        return Q()
    return None
