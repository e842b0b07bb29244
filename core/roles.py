"""Roles and their scopes (DESIGN §4).

A user holds role assignments (`accounts.RoleAssignment`), each a role with a scope object: a police
zone for a mandated officer, a municipality for a municipal official, a network for a coordinator,
an academy for a trainer; national roles have no scope. The functions here read a user's grants once
per request (cached on the user object) so that every scoping rule asks the same cheap question.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADVP = "advp", _("ADVP officer")
    KNOWLEDGE_CENTRE = "knowledge_centre", _("Knowledge Centre staff")
    ZONE_OFFICER = "zone_officer", _("Mandated police officer")
    MUNICIPAL_OFFICIAL = "municipal_official", _("Municipal prevention official")
    COORDINATOR = "coordinator", _("Network coordinator")
    TRAINER = "trainer", _("Academy trainer")
    MEMBER = "member", _("Member")


NATIONAL_ROLES = frozenset({Role.ADVP, Role.KNOWLEDGE_CENTRE})
# Roles that see data beyond their own: they must enrol a second factor before reaching any of it. Coordinators
# are citizens, but they see their members' names, addresses and numbers: they are privileged too.
PRIVILEGED_ROLES = frozenset(
    {Role.ADVP, Role.KNOWLEDGE_CENTRE, Role.ZONE_OFFICER, Role.MUNICIPAL_OFFICIAL, Role.TRAINER, Role.COORDINATOR}
)
# The model ("app_label.Model") a role's scope points at; national roles and members have none.
ROLE_SCOPE_MODEL: dict[str, str | None] = {
    Role.ADVP: None,
    Role.KNOWLEDGE_CENTRE: None,
    Role.ZONE_OFFICER: "geography.PoliceZone",
    Role.MUNICIPAL_OFFICIAL: "geography.Municipality",
    Role.COORDINATOR: "networks.Network",
    Role.TRAINER: "geography.Academy",
    Role.MEMBER: None,
}


@dataclass(frozen=True)
class Grant:
    role: str
    scope_id: int | None


_CACHE_ATTR = "_binplp_grants"


def user_grants(user) -> frozenset[Grant]:
    """The user's active role grants, read once and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = user.role_assignments.filter(revoked_at__isnull=True).values_list("role", "scope_id")
        cached = frozenset(Grant(role=role, scope_id=scope_id) for role, scope_id in rows)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user) -> None:
    """Drop the cached grants after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_roles(user) -> set[str]:
    return {grant.role for grant in user_grants(user)}


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_national(user) -> bool:
    return has_role(user, *NATIONAL_ROLES)


def is_privileged(user) -> bool:
    return has_role(user, *PRIVILEGED_ROLES) or bool(getattr(user, "is_superuser", False))


def scope_ids(user, role: str) -> set[int]:
    """Ids of the scope objects the user holds `role` for (e.g. the police zones of a mandated officer)."""
    return {grant.scope_id for grant in user_grants(user) if grant.role == role and grant.scope_id is not None}
