"""Reads of the networks register that are more than a `get`, each starting from `for_user`.

`partner_contacts_snapshot` is the one shape of the partners' contacts: charters store it when a version is
made (charter services), and `network_needs_new_charter_version` compares it with the latest version.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.roles import Role, scope_ids

from .choices import FINAL_STATUSES, NetworkStatus
from .models import AreaStreet, Charter, Network, NetworkStatusChange, Partner


def latest_charter_status() -> Subquery:
    """The status of a network's latest charter version (None without a charter), for annotations."""
    return Subquery(Charter.objects.filter(network=OuterRef("pk")).order_by("-version").values("status")[:1])


def network_list(*, user, filters: Mapping | None = None) -> QuerySet[Network]:
    """The networks `user` sees, with what the list shows (main municipality, province, zone, latest charter
    state as `charter_state`) in a constant number of queries; narrowed by `NetworkFilterSet` when given."""
    queryset = (
        Network.objects.for_user(user, "view")
        .select_related("municipality__province", "municipality__region", "zone")
        .annotate(charter_state=latest_charter_status())
        .order_by("name", "code")
    )
    if filters is not None:
        from .filters import NetworkFilterSet

        queryset = NetworkFilterSet(filters, queryset=queryset).qs
    return queryset


def network_get_for_user(*, user, code: str, action: str = "view") -> Network:
    """The network with this code, 404 when missing or hidden, 403 when visible but `action` is not allowed."""
    from core.scoping import get_for_user

    return get_for_user(
        Network.objects.select_related("municipality__province", "municipality__region", "zone", "merged_into"),
        user,
        action,
        code=code,
    )


def network_status_history(network: Network) -> QuerySet[NetworkStatusChange]:
    return network.status_changes.select_related("actor").order_by("-on", "-created_at")


def network_streets(network: Network) -> QuerySet[AreaStreet]:
    return network.streets.order_by("postal_code", "street_normalised", "number_from")


def network_partners(network: Network, *, include_ended: bool = False) -> QuerySet[Partner]:
    partners = network.partners.select_related("user").order_by("role", "last_name", "first_name", "pk")
    if not include_ended:
        today = timezone.localdate()
        partners = partners.filter(Q(active_to__isnull=True) | Q(active_to__gt=today))
    return partners


def partner_contacts_snapshot(network: Network) -> list[dict]:
    """The contacts of the network's current partners as a charter records them: role, name, e-mail, telephone,
    organisation and platform user id, in a stable order (so two snapshots compare equal when nothing changed).
    Screening dates and results are not part of it."""
    rows = []
    for partner in network_partners(network):
        rows.append(
            {
                "role": partner.role,
                "name": partner.display_name,
                "email": partner.contact_email,
                "phone": partner.phone or (partner.user.phone if partner.user_id else ""),
                "organisation": partner.organisation,
                "user_id": partner.user_id,
            }
        )
    return sorted(rows, key=lambda row: (row["role"], row["name"].casefold(), row["email"], row["user_id"] or 0))


def _comparable(contacts) -> list[tuple]:
    keys = ("role", "name", "email", "phone", "organisation", "user_id")
    return sorted(tuple((row or {}).get(key) or "" for key in keys) for row in contacts or [])


def network_needs_new_charter_version(network: Network) -> bool:
    """Whether the partners changed since the latest charter version took its contacts snapshot: a new version
    must then be made and notified to ADVP. False while the network has no charter yet."""
    latest = Charter.objects.filter(network=network).order_by("-version").only("contacts").first()
    if latest is None:
        return False
    return _comparable(latest.contacts) != _comparable(partner_contacts_snapshot(network))


def status_counts(queryset: QuerySet[Network]) -> list[dict]:
    """[{status, label, count}] in life-cycle order, zeros included."""
    counts = dict(queryset.order_by().values_list("status").annotate(count=Count("pk")))
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in NetworkStatus.choices]


def zone_officer_networks(*, user) -> QuerySet[Network]:
    return Network.objects.for_user(user, "view").filter(zone_id__in=scope_ids(user, Role.ZONE_OFFICER))


def coordinator_networks(*, user) -> QuerySet[Network]:
    return Network.objects.for_user(user, "view").filter(pk__in=scope_ids(user, Role.COORDINATOR))


def recent_endings(*, user, days: int = 30, limit: int = 20) -> QuerySet[NetworkStatusChange]:
    """Networks that dissolved or merged lately (ADVP must hear at once), newest first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return (
        NetworkStatusChange.objects.for_user(user, "view")
        .filter(to_status__in=sorted(FINAL_STATUSES), created_at__date__gte=since)
        .select_related("network__municipality", "network__zone", "network__merged_into", "actor")
        .order_by("-created_at")[:limit]
    )


def known_streets(*, prefix: str, postal_codes: list[str], limit: int = 20) -> list[str]:
    """Street names already in the register (any network) starting with `prefix`, within the postal codes:
    suggestions for the area editor. Street names are public knowledge, so every network's streets count."""
    from .text import normalise_street

    normalised = normalise_street(prefix)
    if len(normalised) < 2 or not postal_codes:
        return []
    rows = (
        AreaStreet.objects.filter(postal_code__in=postal_codes, street_normalised__startswith=normalised)
        .values_list("street_normalised", "street")
        .order_by("street_normalised")
        .distinct()[: limit * 3]
    )
    seen: dict[str, str] = {}
    for key, street in rows:
        seen.setdefault(key, street)
    return list(seen.values())[:limit]
