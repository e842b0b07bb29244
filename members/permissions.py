"""Who sees which members (DESIGN §4): member data only reaches the coordinator(s) of the member's networks, the
mandated officer(s) of those networks' zones, and the member. National roles and municipalities see counts only
(members.selectors.counts), never a row of these models.

Actions: "view" (read personal data), "change" (edit, suspend, approve or decline requests). Coordinators and
mandated officers have both for their network(s) / zone(s); a member views and changes their own record.
"""

from __future__ import annotations

from django.db.models import Q

from core.roles import Role, has_role, scope_ids
from core.scoping import scope_rule
from networks.permissions import network_condition

from .models import Consent, JoinRequest, Member, Membership, PolicyDocument


def managed_network_condition(user, prefix: str = "") -> Q | None:
    """The networks whose members `user` manages: coordinated networks and networks of the user's zones."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    conditions = []
    networks = scope_ids(user, Role.COORDINATOR)
    if networks:
        conditions.append(Q(**{f"{prefix}id__in": sorted(networks)}))
    zones = scope_ids(user, Role.ZONE_OFFICER)
    if zones:
        conditions.append(Q(**{f"{prefix}zone_id__in": sorted(zones)}))
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result |= condition
    return result


def can_manage_members(user, network) -> bool:
    """Whether `user` runs this network's member list (coordinator of it, or mandated officer of its zone)."""
    return network.pk in scope_ids(user, Role.COORDINATOR) or network.zone_id in scope_ids(user, Role.ZONE_OFFICER)


def manages_any_members(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ZONE_OFFICER)


def _managed(user, prefix: str) -> Q | None:
    return managed_network_condition(user, prefix)


@scope_rule(Membership)
def membership_rule(user, action: str) -> Q | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    managed = _managed(user, "network__")
    if action == "view":
        own = Q(member__user=user)
        return own | managed if managed is not None else own
    if action == "change":
        return managed
    return None


@scope_rule(Member)
def member_rule(user, action: str) -> Q | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    own = Q(user=user)
    managed = _managed(user, "network__")
    if managed is None:
        return own if action in ("view", "change") else None
    # A manager sees a member while the member has a membership (of any status but erased) in a managed network.
    in_managed = Q(pk__in=Membership.objects.filter(managed, member__isnull=False).values("member_id"))
    if action in ("view", "change"):
        return own | in_managed
    return None


@scope_rule(JoinRequest)
def join_request_rule(user, action: str) -> Q | None:
    if action in ("view", "change"):
        return _managed(user, "network__")
    return None


@scope_rule(Consent)
def consent_rule(user, action: str) -> Q | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if action != "view":
        return None
    own = Q(member__user=user)
    managed = _managed(user, "network__")
    return own | managed if managed is not None else own


@scope_rule(PolicyDocument)
def policy_document_rule(user, action: str) -> Q | None:
    """Documents are public. ADVP and the Knowledge Centre publish the national ones; a network's own internal
    rules are published by those who may change the network and by its coordinators."""
    if action == "view":
        return Q()
    if action in ("change", "create"):
        conditions = []
        if has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE):
            conditions.append(Q(network__isnull=True))
        network_change = network_condition(user, "change", "network__")
        if network_change is not None:
            conditions.append(Q(network__isnull=False) & network_change)
        coordinated = scope_ids(user, Role.COORDINATOR)
        if coordinated:
            conditions.append(Q(network_id__in=sorted(coordinated)))
        if not conditions:
            return None
        result = conditions[0]
        for condition in conditions[1:]:
            result |= condition
        return result
    return None
