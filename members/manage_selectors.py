"""Reads for the people who run member lists (coordinators, mandated officers) and for member counts.

Member data: every read starts from the scope rules (`Membership.objects.for_user(user, "change")` is exactly the
memberships of the networks the user manages); outside that scope the answer is 404, whether the object exists or
not, so that a national role, a municipality or another zone learns nothing from an id.

Counts: national roles, municipalities, zones and coordinators see numbers for the networks they see
(`Network.objects.for_user(user, "view")`), never a name. The counts are aggregate queries grouped by network over
the membership indexes ((network, status), (network, joined_on), joined_on), grouped further in Python by
municipality, zone or province (15,000 networks at most), so their cost does not grow with the number of ways of
grouping.

Members over time: a membership counts at date d while `joined_on <= d` and it had not ended by d. A membership
that ended (left, removed, erased) ends on `ended_on`; erased rows keep their dates, so they count for the time
their person was a member. An ended membership without an end date cannot be placed in time and counts nowhere.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import is_national
from core.scoping import get_for_user
from geography.models import Municipality, PoliceZone, Province, Region
from networks.charter_selectors import sanction_targets
from networks.choices import NetworkStatus, SanctionTarget
from networks.models import Network, Sanction
from networks.permissions import network_condition

from .choices import CURRENT_STATUSES, ENDED_STATUSES, JoinRequestStatus, MembershipStatus
from .models import Consent, JoinRequest, Member, Membership
from .permissions import can_manage_members, managed_network_condition, manages_any_members

COUNT_GROUPINGS = ("province", "zone", "municipality", "network")
GROWTH_MONTHS = 24


# --- who may do what ---------------------------------------------------------------------------------------------


def can_see_member_counts(user) -> bool:
    """Counts reach everybody who sees networks: ADVP, the Knowledge Centre, municipal officials, mandated officers
    and coordinators (each for the networks they see)."""
    return network_condition(user, "view") is not None


def can_use_members_area(user) -> bool:
    return manages_any_members(user) or can_see_member_counts(user)


def can_sanction_members(user, network: Network) -> bool:
    """Whether `user` may record member sanctions (and so suspend and lift) in this network: a manager of its members
    whom the sanctions register's own rule lets record member sanctions there."""
    return can_manage_members(user, network) and SanctionTarget.MEMBER in sanction_targets(user, "create", network)


# --- networks whose members the user manages ---------------------------------------------------------------------


def managed_networks(*, user) -> QuerySet[Network]:
    condition = managed_network_condition(user)
    if condition is None:
        return Network.objects.none()
    return Network.objects.for_user(user, "view").filter(condition)


def managed_network_get(*, user, code: str) -> Network:
    """The network, when `user` manages its members; 404 otherwise (also for those who may see the network: its
    member list must not show that it exists for them)."""
    network = get_for_user(Network.objects.select_related("municipality", "zone"), user, "view", code=code)
    if not can_manage_members(user, network):
        raise Http404
    return network


def network_overview(networks: Iterable[Network]) -> list[dict]:
    """For each network: its active and suspended members and its pending requests (two grouped queries)."""
    networks = list(networks)
    ids = [network.pk for network in networks]
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Membership.objects.filter(network_id__in=ids, status__in=sorted(CURRENT_STATUSES))
        .values("network_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        statuses[row["network_id"]][row["status"]] = row["n"]
    pending = dict(
        JoinRequest.objects.filter(network_id__in=ids, status=JoinRequestStatus.PENDING)
        .values("network_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("network_id", "n")
    )
    return [
        {
            "network": network,
            "active": statuses[network.pk].get(MembershipStatus.ACTIVE, 0),
            "suspended": statuses[network.pk].get(MembershipStatus.SUSPENDED, 0),
            "pending": pending.get(network.pk, 0),
        }
        for network in networks
    ]


def pending_requests_by_network(*, user) -> list[dict]:
    """The managed networks with requests waiting: code, name, pending; most waiting first (one grouped query)."""
    rows = (
        JoinRequest.objects.for_user(user, "change")
        .filter(status=JoinRequestStatus.PENDING)
        .values("network__code", "network__name")
        .annotate(pending=Count("id"))
        .order_by("-pending", "network__name")
    )
    return [{"code": row["network__code"], "name": row["network__name"], "pending": row["pending"]} for row in rows]


# --- members -----------------------------------------------------------------------------------------------------


def member_list(*, user, network: Network) -> QuerySet[Membership]:
    """The memberships (with their member and account) of a network the user manages, by last name. Filters
    (members.filters.MemberFilterSet) narrow it; by default they keep the current members only."""
    return (
        Membership.objects.for_user(user, "change")
        .filter(network=network, member__isnull=False)
        .select_related("member__user")
        .order_by("member__user__last_name", "member__user__first_name", "pk")
    )


def member_get_for_manager(*, user, pk: int) -> Member:
    """A member of a network the user manages; 404 otherwise (a member looking at their own id included: their own
    data is in the member portal)."""
    if not Membership.objects.for_user(user, "change").filter(member_id=pk).exists():
        raise Http404
    member = Member.objects.for_user(user, "view").select_related("user").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


@dataclass
class MemberDetail:
    member: Member
    memberships: list[Membership]
    consents: list[Consent]
    sanctions: list[Sanction]


def member_detail(*, user, member: Member) -> MemberDetail:
    """What a manager sees of a member: the memberships in the networks they manage only, the consents recorded for
    those networks (and the platform's own), and the sanctions those networks' register holds about the member."""
    memberships = list(
        Membership.objects.for_user(user, "change")
        .filter(member=member)
        .select_related("network", "rules")
        .order_by("network__name")
    )
    network_ids = [membership.network_id for membership in memberships]
    consents = list(
        Consent.objects.for_user(user, "view")
        .filter(member=member)
        .filter(Q(network_id__in=network_ids) | Q(network__isnull=True))
        .select_related("document", "network")
        .order_by("-accepted_at")
    )
    sanctions = list(
        Sanction.objects.for_user(user, "view")
        .filter(network_id__in=network_ids, target=SanctionTarget.MEMBER, member_ref=f"#{member.pk}")
        .select_related("network")
        .order_by("-decided_on", "-created_at")
    )
    return MemberDetail(member=member, memberships=memberships, consents=consents, sanctions=sanctions)


def membership_get_for_manager(*, user, pk: int) -> Membership:
    membership = (
        Membership.objects.for_user(user, "change")
        .filter(pk=pk, member__isnull=False)
        .select_related("network", "member__user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


# --- join requests -----------------------------------------------------------------------------------------------


def join_requests(*, user, network: Network, status: str) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.for_user(user, "change")
        .filter(network=network, status=status)
        .select_related("added_by")
        .order_by("created_at", "pk")
    )


def join_request_get_for_manager(*, user, network: Network, pk: int) -> JoinRequest:
    join_request = JoinRequest.objects.for_user(user, "change").filter(network=network, pk=pk).first()
    if join_request is None:
        raise Http404
    return join_request


# --- counts of one network (member list panel) -------------------------------------------------------------------


def _months_ago(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last = _month_end(datetime.date(year, month, 1)).day
    return datetime.date(year, month, min(day.day, last))


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


def network_pending_count(*, network: Network) -> int:
    return JoinRequest.objects.filter(network=network, status=JoinRequestStatus.PENDING).count()


def network_member_stats(*, network: Network, today: datetime.date | None = None) -> dict[str, int]:
    """Active and suspended members, pending requests, and memberships begun and ended in the last 12 months."""
    today = today or timezone.localdate()
    year_ago = _months_ago(today, 12)
    stats = Membership.objects.filter(network=network).aggregate(
        active=Count("id", filter=Q(status=MembershipStatus.ACTIVE)),
        suspended=Count("id", filter=Q(status=MembershipStatus.SUSPENDED)),
        joined=Count("id", filter=Q(joined_on__gt=year_ago, joined_on__lte=today)),
        left=Count("id", filter=Q(status__in=sorted(ENDED_STATUSES), ended_on__gt=year_ago, ended_on__lte=today)),
    )
    stats["pending"] = network_pending_count(network=network)
    return stats


# --- members over time -------------------------------------------------------------------------------------------


def growth_dates(*, today: datetime.date, months: int = GROWTH_MONTHS) -> list[datetime.date]:
    """The ends of the last `months` months, the current month ending today."""
    dates = [today]
    first_of_month = today.replace(day=1)
    for _index in range(months - 1):
        first_of_month -= datetime.timedelta(days=1)
        dates.append(first_of_month)
        first_of_month = first_of_month.replace(day=1)
    return list(reversed(dates))


def member_growth(
    memberships: QuerySet[Membership],
    *,
    today: datetime.date | None = None,
    months: int = GROWTH_MONTHS,
    now: int | None = None,
) -> list[tuple[datetime.date, int]]:
    """(date, members on that date) at each month end of the last `months` months, from `memberships` (scoped to
    the networks counted): members(d) = now − begun after d + ended after d. The database groups the memberships
    begun and ended since the first date by day (at most a few hundred rows, whatever the scope); the months are
    summed here. A fixed handful of small queries, cheap to build, whatever the number of months. `now` (the current
    members, when the caller knows them) saves one."""
    today = today or timezone.localdate()
    dates = growth_dates(today=today, months=months)
    first = dates[0]
    if now is None:
        now = memberships.filter(status__in=sorted(CURRENT_STATUSES)).count()

    def by_day(queryset: QuerySet[Membership], field: str) -> list[tuple[datetime.date, int]]:
        return list(queryset.values_list(field).annotate(n=Count("id")).order_by().values_list(field, "n"))

    begun = by_day(memberships.filter(joined_on__gt=first), "joined_on")
    ended_rows = memberships.filter(status__in=sorted(ENDED_STATUSES))
    ended = by_day(ended_rows.filter(ended_on__gt=first), "ended_on")
    # An ended membership without an end date counts as never having been a member: it "ended" when it began.
    ended += by_day(ended_rows.filter(ended_on__isnull=True, joined_on__gt=first), "joined_on")

    def after(rows: list[tuple[datetime.date, int]], day: datetime.date) -> int:
        return sum(count for when, count in rows if when > day)

    return [(day, now - after(begun, day) + after(ended, day)) for day in dates]


def network_member_growth(*, network: Network, today: datetime.date | None = None) -> list[tuple[datetime.date, int]]:
    return member_growth(Membership.objects.filter(network=network), today=today)


# --- counts for national roles, municipalities, zones ------------------------------------------------------------


def counted_networks(*, user) -> QuerySet[Network]:
    return Network.objects.for_user(user, "view")


# National counts read every membership (2,000,000 at design scale, about a second): they are kept for a while.
# Counts of a zone, a municipality or a network read their networks' rows through the indexes and are always fresh.
NATIONAL_CACHE_SECONDS = 600
_NATIONAL_COUNTS_KEY = "members:counts:national:v1"
_NATIONAL_GROWTH_KEY = "members:growth:national:v1:{today}"


def _current_counts(memberships: QuerySet[Membership]) -> dict[int, int]:
    rows = (
        memberships.filter(status__in=sorted(CURRENT_STATUSES))
        .values("network_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("network_id", "n")
    )
    return dict(rows)


def _scoped_memberships(network_ids: list[int]) -> QuerySet[Membership]:
    # A list of ids rather than a subquery: PostgreSQL then reads the (network, status) index only, instead of
    # joining every membership of the country.
    return Membership.objects.filter(network_id__in=network_ids)


def _national_counts() -> dict[int, int]:
    counts = cache.get(_NATIONAL_COUNTS_KEY)
    if counts is None:
        counts = _current_counts(Membership.objects.all())
        cache.set(_NATIONAL_COUNTS_KEY, counts, NATIONAL_CACHE_SECONDS)
    return counts


def _counted_network_ids(user) -> list[int] | None:
    """The ids of the networks whose members the user may count, or None for all of them (national roles)."""
    if is_national(user):
        return None
    return list(counted_networks(user=user).values_list("pk", flat=True))


def member_counts_per_network(*, user, network_ids: list[int] | None = None) -> dict[int, int]:
    """{network id: current members} for the networks the user sees (networks without members are absent)."""
    if is_national(user):
        return _national_counts()
    if network_ids is None:
        network_ids = _counted_network_ids(user)
    return _current_counts(_scoped_memberships(network_ids)) if network_ids else {}


_NETWORK_VALUES = (
    "id",
    "code",
    "name",
    "status",
    "municipality_id",
    "zone_id",
    "municipality__province_id",
    "municipality__region_id",
)


def _sort(rows: list[dict], sort: str) -> list[dict]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in ("name", "count", "networks", "code"):
        key, descending = "name", False
    if key in ("count", "networks"):
        return sorted(rows, key=lambda row: (row[key], str(row["name"]).casefold()), reverse=descending)
    return sorted(rows, key=lambda row: str(row.get(key) or row["name"]).casefold(), reverse=descending)


def member_counts(*, user, by: str, sort: str = "name") -> list[dict]:
    """Current members of the networks the user sees, grouped `by` province, zone, municipality (the network's main
    municipality) or network. Rows: key (REFNIS, zone code or network code), name, networks, count; network rows
    also code, municipality, zone and status. Provinces: Brussels networks count under their region."""
    if by not in COUNT_GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}")
    networks = list(counted_networks(user=user).values(*_NETWORK_VALUES).order_by())
    counts = member_counts_per_network(user=user, network_ids=[row["id"] for row in networks])
    if by == "network":
        municipalities = {
            pk: municipality.name
            for pk, municipality in Municipality.objects.in_bulk({row["municipality_id"] for row in networks}).items()
        }
        zones = {pk: str(zone) for pk, zone in PoliceZone.objects.in_bulk({row["zone_id"] for row in networks}).items()}
        statuses = {value: str(label) for value, label in NetworkStatus.choices}
        rows = [
            {
                "key": row["code"],
                "code": row["code"],
                "name": row["name"],
                "municipality": municipalities[row["municipality_id"]],
                "zone": zones[row["zone_id"]],
                "status": row["status"],
                "status_label": statuses.get(row["status"], row["status"]),
                "networks": 1,
                "count": counts.get(row["id"], 0),
            }
            for row in networks
        ]
        return _sort(rows, sort)
    groups: dict[tuple[str, int], dict] = {}
    for row in networks:
        if by == "province":
            group = ("province", row["municipality__province_id"]) if row["municipality__province_id"] else None
            group = group or ("region", row["municipality__region_id"])
        elif by == "zone":
            group = ("zone", row["zone_id"])
        else:
            group = ("municipality", row["municipality_id"])
        entry = groups.setdefault(group, {"networks": 0, "count": 0})
        entry["networks"] += 1
        entry["count"] += counts.get(row["id"], 0)
    objects = _group_objects(groups)
    rows = []
    for group, entry in groups.items():
        obj = objects[group]
        key = obj.refnis if hasattr(obj, "refnis") else (str(obj.code) if obj.code else "")
        rows.append({"key": key, "name": obj.name if hasattr(obj, "name_nl") else str(obj), **entry})
    return _sort(rows, sort)


def _group_objects(groups) -> dict[tuple[str, int], object]:
    models = {"province": Province, "region": Region, "zone": PoliceZone, "municipality": Municipality}
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, pk in groups:
        wanted[kind].add(pk)
    objects = {}
    for kind, ids in wanted.items():
        for pk, obj in models[kind].objects.in_bulk(ids).items():
            objects[(kind, pk)] = obj
    return objects


def member_counts_growth(*, user, today: datetime.date | None = None) -> list[tuple[datetime.date, int]]:
    """Members of the networks the user sees at each month end of the last 24 months (see member_growth)."""
    today = today or timezone.localdate()
    if is_national(user):
        key = _NATIONAL_GROWTH_KEY.format(today=today.isoformat())
        points = cache.get(key)
        if points is None:
            now = sum(_national_counts().values())
            points = member_growth(Membership.objects.all(), today=today, now=now)
            cache.set(key, points, NATIONAL_CACHE_SECONDS)
        return points
    network_ids = _counted_network_ids(user)
    if not network_ids:
        return [(day, 0) for day in growth_dates(today=today)]
    return member_growth(_scoped_memberships(network_ids), today=today)


GROUPING_LABELS = {
    "province": _("Province"),
    "zone": _("Police zone"),
    "municipality": _("Municipality"),
    "network": _("Network"),
}
GROUPING_HEADINGS = {
    "province": _("Members per province"),
    "zone": _("Members per police zone"),
    "municipality": _("Members per municipality"),
    "network": _("Members per network"),
}
GROUPING_LINKS = {
    "province": _("per province"),
    "zone": _("per police zone"),
    "municipality": _("per municipality"),
    "network": _("per network"),
}
