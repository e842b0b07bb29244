"""Who sees and changes which networks (DESIGN §4). One rule per model, registered with core.scoping.

view: ADVP and the Knowledge Centre see every network; a mandated officer the networks of their
zone(s); a municipal official the networks covering their municipality; a coordinator their own
network. change: ADVP and the mandated officers of the network's zone. create: ADVP and mandated
officers (within their zone). review: ADVP only. Everything hanging on a network follows the network.
"""

from __future__ import annotations

from django.db.models import Q

from core.roles import Role, has_role, is_national, scope_ids
from core.scoping import scope_rule

from .choices import SanctionTarget
from .models import (
    AreaStreet,
    Charter,
    CharterReview,
    CharterSignature,
    ChecklistItem,
    ImportBatch,
    Letter,
    Network,
    NetworkStatusChange,
    Partner,
    ReviewItemResult,
    Sanction,
)


def _or(conditions: list[Q]) -> Q | None:
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result |= condition
    return result


def network_condition(user, action: str, prefix: str = "") -> Q | None:
    """The networks `user` may do `action` on, as a filter on a model reaching Network via `prefix`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if action == "view":
        if is_national(user):
            return Q()
        conditions = []
        zones = scope_ids(user, Role.ZONE_OFFICER)
        if zones:
            conditions.append(Q(**{f"{prefix}zone_id__in": zones}))
        municipalities = scope_ids(user, Role.MUNICIPAL_OFFICIAL)
        if municipalities:
            covering = Network.municipalities.through.objects.filter(municipality_id__in=municipalities)
            conditions.append(Q(**{f"{prefix}pk__in": covering.values("network_id")}))
        networks = scope_ids(user, Role.COORDINATOR)
        if networks:
            conditions.append(Q(**{f"{prefix}pk__in": networks}))
        return _or(conditions)
    if action in ("change", "create"):
        if has_role(user, Role.ADVP):
            return Q()
        zones = scope_ids(user, Role.ZONE_OFFICER)
        if zones:
            return Q(**{f"{prefix}zone_id__in": zones})
        return None
    if action == "review":
        return Q() if has_role(user, Role.ADVP) else None
    return None


@scope_rule(Network)
def network_rule(user, action: str) -> Q | None:
    return network_condition(user, action)


def _follows_network(prefix: str):
    def rule(user, action: str) -> Q | None:
        return network_condition(user, action, prefix)

    return rule


for _model in (NetworkStatusChange, AreaStreet, Partner, Charter, Letter):
    scope_rule(_model)(_follows_network("network__"))
scope_rule(CharterSignature)(_follows_network("charter__network__"))
scope_rule(CharterReview)(_follows_network("charter__network__"))
scope_rule(ReviewItemResult)(_follows_network("review__charter__network__"))


@scope_rule(Sanction)
def sanction_rule(user, action: str) -> Q | None:
    """Member sanctions name a member: only the zone's mandated officers and the network's coordinators see them
    (DESIGN §4). Coordinator sanctions also reach ADVP (which gets a copy of a permanent removal) and the
    municipality (whose administrative authority decides it). The Knowledge Centre sees none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    member = Q(target=SanctionTarget.MEMBER)
    coordinator = Q(target=SanctionTarget.COORDINATOR)
    zones = scope_ids(user, Role.ZONE_OFFICER)
    conditions = [Q(network__zone_id__in=zones)] if zones else []
    if action == "view":
        networks = scope_ids(user, Role.COORDINATOR)
        if networks:
            conditions.append(member & Q(network_id__in=networks))
        if has_role(user, Role.ADVP):
            conditions.append(coordinator)
        municipalities = scope_ids(user, Role.MUNICIPAL_OFFICIAL)
        if municipalities:
            covering = Network.municipalities.through.objects.filter(municipality_id__in=municipalities)
            conditions.append(coordinator & Q(network_id__in=covering.values("network_id")))
        return _or(conditions)
    if action in ("change", "create"):
        # The mandated officer and the coordinator handle member sanctions together (domain brief §3.3).
        networks = scope_ids(user, Role.COORDINATOR)
        if networks:
            conditions.append(member & Q(network_id__in=networks))
        if has_role(user, Role.ADVP):
            conditions.append(coordinator)
        return _or(conditions)
    return None


@scope_rule(ChecklistItem)
def checklist_rule(user, action: str) -> Q | None:
    """Reference data: every signed-in user reads it; ADVP edits it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if action == "view":
        return Q()
    return Q() if has_role(user, Role.ADVP) else None


def can_create_network(user) -> bool:
    return has_role(user, Role.ADVP) or bool(scope_ids(user, Role.ZONE_OFFICER))


def can_see_networks(user) -> bool:
    return network_condition(user, "view") is not None


# ---- bulk import (helper N3) ----------------------------------------------------------------------


def can_import_networks(user) -> bool:
    """ADVP and mandated officers import networks (officers only into their own zone)."""
    return can_create_network(user)


@scope_rule(ImportBatch)
def import_batch_rule(user, action: str) -> Q | None:
    """An uploaded import file is seen and carried out by the person who uploaded it; ADVP sees all of them."""
    if user is None or not getattr(user, "is_authenticated", False) or not can_import_networks(user):
        return None
    if action == "view" and has_role(user, Role.ADVP):
        return Q()
    return Q(created_by=user)
