"""Who may send what to whom, and who sees messages, deliveries, replies, reports and tips.

- Mandated officers send as the police to the networks of their zone(s): any message type.
- Coordinators send to their own network(s), only the types their charter's communication plan lets coordinators
  send (the latest conform charter, else the latest submitted one; without a charter, none).
- Messages are seen by their author, the officers of the sending zone and of the target networks' zones, and the
  coordinators and municipal officials of the target networks (the network's log). National roles see statistics,
  not the messages.
- Deliveries, ratings and replies name members: only the network's managers (coordinators, zone officers) and
  the member see them.
- Reports are seen by the officers of the report's zone and by the member who wrote it.
- Tips: national tips are kept by ADVP and the Knowledge Centre, a zone's tips by its officers; whoever composes
  messages may use them.
"""

from __future__ import annotations

from django.db.models import Q

from core.roles import Role, has_role, is_national, scope_ids
from core.scoping import scope_rule
from members.permissions import managed_network_condition
from networks.choices import CharterStatus
from networks.models import Charter, Network

from .choices import MessageType, Sender
from .models import Delivery, Message, Reply, Report, Tip


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_compose(user) -> bool:
    return has_role(user, Role.ZONE_OFFICER, Role.COORDINATOR)


def police_networks(user):
    """Networks the user may message as the police (networks of their zones)."""
    zones = scope_ids(user, Role.ZONE_OFFICER)
    return Network.objects.filter(zone_id__in=sorted(zones)) if zones else Network.objects.none()


def coordinator_networks(user):
    networks = scope_ids(user, Role.COORDINATOR)
    return Network.objects.filter(pk__in=sorted(networks)) if networks else Network.objects.none()


def charter_for_messages(network_id: int) -> Charter | None:
    """The charter whose communication plan applies: the latest conform version, else the latest submitted one."""
    charters = Charter.objects.filter(network_id=network_id)
    return (
        charters.filter(status=CharterStatus.CONFORM).order_by("-version").first()
        or charters.filter(status__in=[CharterStatus.SUBMITTED, CharterStatus.CHANGES_NEEDED])
        .order_by("-version")
        .first()
    )


def coordinator_types(network_id: int) -> list[str]:
    """The message types the communication plan lets the network's coordinators send."""
    charter = charter_for_messages(network_id)
    if charter is None:
        return []
    senders = charter.senders or {}
    return [t for t in MessageType.values if Sender.COORDINATOR in senders.get(t, [])]


def sender_for(user, networks: list[Network]) -> str | None:
    """As whom `user` may send to all of `networks`: the police when every network is in one of their zones, else a
    coordinator when they coordinate every one, else nobody."""
    if not networks:
        return None
    zones = scope_ids(user, Role.ZONE_OFFICER)
    if zones and all(n.zone_id in zones for n in networks):
        return Sender.POLICE
    coordinated = scope_ids(user, Role.COORDINATOR)
    if coordinated and all(n.pk in coordinated for n in networks):
        return Sender.COORDINATOR
    return None


def allowed_types(user, networks: list[Network]) -> list[str]:
    sender = sender_for(user, networks)
    if sender == Sender.POLICE:
        # ADVP's training policy: when on, an officer without a valid BIN course certificate sends no urgent types.
        from training.selectors_coverage import urgent_types_blocked

        from .choices import URGENT_TYPES

        if urgent_types_blocked(user):
            return [t for t in MessageType.values if t not in URGENT_TYPES]
        return list(MessageType.values)
    if sender == Sender.COORDINATOR:
        allowed = set(MessageType.values)
        for network in networks:
            allowed &= set(coordinator_types(network.pk))
        return [t for t in MessageType.values if t in allowed]
    return []


def _or(conditions: list[Q]) -> Q | None:
    conditions = [c for c in conditions if c is not None]
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result |= condition
    return result


def message_networks_condition(user) -> Q | None:
    """Target networks whose messages `user` follows (zone officers, coordinators, municipal officials)."""
    conditions = []
    zones = scope_ids(user, Role.ZONE_OFFICER)
    if zones:
        conditions.append(Q(zone_id__in=sorted(zones)))
    coordinated = scope_ids(user, Role.COORDINATOR)
    if coordinated:
        conditions.append(Q(pk__in=sorted(coordinated)))
    municipalities = scope_ids(user, Role.MUNICIPAL_OFFICIAL)
    if municipalities:
        covering = Network.municipalities.through.objects.filter(municipality_id__in=sorted(municipalities))
        conditions.append(Q(pk__in=covering.values("network_id")))
    return _or(conditions)


@scope_rule(Message)
def message_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    zones = sorted(scope_ids(user, Role.ZONE_OFFICER))
    if action == "view":
        conditions = [Q(author=user)]
        if zones:
            conditions.append(Q(zone_id__in=zones))
        networks = message_networks_condition(user)
        if networks is not None:
            conditions.append(
                Q(
                    pk__in=Message.networks.through.objects.filter(
                        network_id__in=Network.objects.filter(networks).values("pk")
                    ).values("message_id")
                )
            )
        return _or(conditions)
    if action == "change":  # cancel a scheduled message, send the feedback it owes
        conditions = [Q(author=user)]
        if zones:
            conditions.append(Q(zone_id__in=zones, sender=Sender.POLICE))
        return _or(conditions)
    return None


def _managed_messages(user) -> Q | None:
    managed = managed_network_condition(user)
    if managed is None:
        return None
    return Q(
        message_id__in=Message.networks.through.objects.filter(
            network_id__in=Network.objects.filter(managed).values("pk")
        ).values("message_id")
    )


@scope_rule(Delivery)
def delivery_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    own = Q(member__user=user)
    if action == "view":
        managed = _managed_messages(user)
        return own | managed if managed is not None else own
    if action == "change":  # mark read in the inbox
        return own
    return None


@scope_rule(Reply)
def reply_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    if action not in ("view", "change"):
        return None
    conditions = [Q(message__author=user)]
    zones = sorted(scope_ids(user, Role.ZONE_OFFICER))
    if zones:
        conditions.append(Q(message__zone_id__in=zones))
    coordinated = sorted(scope_ids(user, Role.COORDINATOR))
    if coordinated:
        # A subquery, not a join: a message to two networks of the same coordinator must not list a reply twice.
        to_coordinated = Message.networks.through.objects.filter(network_id__in=coordinated).values("message_id")
        conditions.append(Q(message__sender=Sender.COORDINATOR, message_id__in=to_coordinated))
    if action == "view":
        conditions.append(Q(member__user=user))
    return _or(conditions)


@scope_rule(Report)
def report_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    zones = sorted(scope_ids(user, Role.ZONE_OFFICER))
    police = Q(zone_id__in=zones) if zones else None
    if action == "view":
        return _or([Q(member__user=user), police])
    if action == "change":
        return police
    return None


@scope_rule(Tip)
def tip_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    zones = sorted(scope_ids(user, Role.ZONE_OFFICER))
    if action == "view":
        if is_national(user):
            return Q()
        if not can_compose(user):
            return None
        coordinated_zones = Network.objects.filter(pk__in=sorted(scope_ids(user, Role.COORDINATOR))).values("zone_id")
        return Q(zone__isnull=True) | Q(zone_id__in=zones) | Q(zone_id__in=coordinated_zones)
    if action == "change":
        return _or([Q(zone__isnull=True) if is_national(user) else None, Q(zone_id__in=zones) if zones else None])
    return None
