"""The dashboards (issue 6): key figures, a chart, the lists to follow up and the coverage map, for ADVP and the
Knowledge Centre (the country), a mandated officer (their zone(s)) and a municipal official (their municipality).

Scope is data (`BoardScope`): the networks of the country, of the officer's zones, or covering the official's
municipalities (as networks.permissions reads "view"); the places of the map are the current municipalities of the
country, of those zones, or those municipalities. A user holding several of these roles sees the union.

Every figure is counted by the database, a fixed number of queries whatever the number of networks: one grouped
query per figure family, Python only adds up the grouped rows. Figures and map figures are kept in the cache under
the open-data fingerprint (opendata_selectors.fingerprint: counts, highest ids and latest change times of networks,
memberships, messages, mandated officers and certificates) and the scope; a new fingerprint gives a new key. The lists
to follow up (charters waiting, networks without a coordinator, networks idle for a year) are read live, one page at
a time: a coordinator leaving or a charter submitted does not move the fingerprint.

Definitions:
- members: memberships current today (active or suspended) of the scope's networks — counts only;
- messages sent: messages sent in the last 365 days to at least one network of the scope;
- feedback rate: of the urgent police alerts sent in the last 365 days that owe feedback (a due time is set), the
  share whose feedback went out;
- trained officers: training.selectors_coverage (a mandated officer of several networks counts once);
- coverage of a municipality: the number of active networks whose area covers it (Network.municipalities); of a zone:
  the share of its current municipalities (in the scope) with at least one;
- without a coordinator: networks not dissolved or merged without an active partner with the coordinator role;
- idle ("dormant?"): active or dormant networks created more than 365 days ago, to which no message was sent and
  which no member joined in the last 365 days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.roles import Role, is_national, scope_ids
from geography.models import Municipality, PoliceZone, Province, ZoneMembership
from members.choices import CURRENT_STATUSES
from members.models import Membership
from messaging.choices import MessageStatus, MessageType, Sender
from messaging.models import Message
from networks.choices import CharterStatus, NetworkStatus, PartnerRole
from networks.models import Charter, Network, Partner
from training import selectors_coverage as coverage

from .opendata_selectors import fingerprint

CACHE_SECONDS = 600  # map areas (Network.municipalities) do not move the fingerprint: keep figures 10 minutes at most
PAGE_SIZE = 20
IDLE_DAYS = 365
ENDED = (NetworkStatus.DISSOLVED, NetworkStatus.MERGED)
LEVELS = ("municipality", "zone")
_CACHE_PREFIX = "dashboard:board:v1"

# Classes of the map: (lowest value, label); municipalities by active networks, zones by share (%) covered.
MUNICIPALITY_BANDS = ((0, _("no active network")), (1, _("1 active network")), (2, _("2 or 3")), (4, _("4 or more")))
ZONE_BANDS = ((0, _("0 %")), (1, _("1 to 49 %")), (50, _("50 to 99 %")), (100, _("100 %")))
BAND_COLOURS = ("#f1f1f1", "#9ecae1", "#3182bd", "#08306b")


def band(value: float | int, bands) -> int:
    """The index of the class `value` falls in (the last class whose lowest value it reaches)."""
    index = 0
    for position, (lowest, _label) in enumerate(bands):
        if value >= lowest:
            index = position
    return index


# --- scope -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardScope:
    national: bool
    zone_ids: tuple[int, ...] = ()
    municipality_ids: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        if self.national:
            return "national"
        return f"z{','.join(map(str, self.zone_ids))}-m{','.join(map(str, self.municipality_ids))}"


def board_scope(user) -> BoardScope:
    if is_national(user):
        return BoardScope(national=True)
    return BoardScope(
        national=False,
        zone_ids=tuple(sorted(scope_ids(user, Role.ZONE_OFFICER))),
        municipality_ids=tuple(sorted(scope_ids(user, Role.MUNICIPAL_OFFICIAL))),
    )


def can_see_board(user) -> bool:
    scope = board_scope(user)
    return scope.national or bool(scope.zone_ids or scope.municipality_ids)


def board_networks(scope: BoardScope) -> QuerySet[Network]:
    """Every network of the scope, whatever its status."""
    networks = Network.objects.all()
    if scope.national:
        return networks
    condition = Q(pk__in=[])
    if scope.zone_ids:
        condition |= Q(zone_id__in=scope.zone_ids)
    if scope.municipality_ids:
        covering = Network.municipalities.through.objects.filter(municipality_id__in=scope.municipality_ids)
        condition |= Q(pk__in=covering.values("network_id"))
    return networks.filter(condition)


def board_municipality_ids(scope: BoardScope) -> QuerySet:
    """The ids of the current municipalities of the scope (a subquery)."""
    current = Municipality.objects.current()
    if scope.national:
        return current.values("pk")
    in_zones = ZoneMembership.objects.filter(zone_id__in=scope.zone_ids, valid_to__isnull=True).values("municipality")
    return current.filter(Q(pk__in=in_zones) | Q(pk__in=scope.municipality_ids)).values("pk")


# --- key figures and the chart -------------------------------------------------------------------------------------


@dataclass
class BoardFigures:
    by_status: list[tuple[str, str, int]]  # (status, label, networks)
    networks: int
    members: int
    messages_sent: int
    alerts: int  # urgent police alerts owing feedback, sent in the last 365 days
    alerts_with_feedback: int
    officers: int
    officers_trained: int
    chart_level: str  # "province" or "zone"
    chart_rows: list[dict] = field(default_factory=list)  # {"label", "counts": {status: n}, "total"}

    @property
    def feedback_percent(self) -> float | None:
        return 100 * self.alerts_with_feedback / self.alerts if self.alerts else None

    @property
    def trained_percent(self) -> float | None:
        return 100 * self.officers_trained / self.officers if self.officers else None


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def board_figures(*, user, stamp: str | None = None, now: datetime.datetime | None = None) -> BoardFigures:
    """The key figures and the chart's rows of the user's scope, from the cache while the data has not changed.
    `stamp`: the fingerprint, when the caller already read it (eight queries saved)."""
    scope = board_scope(user)
    key = f"{_CACHE_PREFIX}:figures:{scope.key}:{get_language()}:{stamp or fingerprint()}"
    return _cached(key, lambda: compute_board_figures(scope=scope, user=user, now=now))


def compute_board_figures(*, scope: BoardScope, user=None, now: datetime.datetime | None = None) -> BoardFigures:
    """Eight to ten queries: statuses, members, messages and alerts, coverage (two to four), the chart's rows and
    their names."""
    now = now or timezone.now()
    networks = board_networks(scope)
    status_counts = dict(networks.order_by().values_list("status").annotate(n=Count("pk")))
    by_status = [(value, str(label), status_counts.get(value, 0)) for value, label in NetworkStatus.choices]
    members = Membership.objects.filter(status__in=sorted(CURRENT_STATUSES))
    if not scope.national:
        members = members.filter(network__in=networks)
    message_figures = _messages(scope, networks, now).aggregate(
        sent=Count("pk"),
        alerts=Count("pk", filter=_owing_alerts()),
        answered=Count("pk", filter=_owing_alerts() & Q(feedback_sent_at__isnull=False)),
    )
    officers, trained = _officers(scope, user, networks)
    chart_level, chart_rows = _chart_rows(scope, networks)
    return BoardFigures(
        by_status=by_status,
        networks=sum(status_counts.values()),
        members=members.count(),
        messages_sent=message_figures["sent"],
        alerts=message_figures["alerts"],
        alerts_with_feedback=message_figures["answered"],
        officers=officers,
        officers_trained=trained,
        chart_level=chart_level,
        chart_rows=chart_rows,
    )


def _messages(scope: BoardScope, networks: QuerySet[Network], now: datetime.datetime):
    since = now - datetime.timedelta(days=IDLE_DAYS)
    messages = Message.objects.filter(status=MessageStatus.SENT, sent_at__gte=since)
    if scope.national:
        return messages
    to_scope = Message.networks.through.objects.filter(network__in=networks).values("message_id")
    return messages.filter(pk__in=to_scope)


def _owing_alerts() -> Q:
    return Q(type=MessageType.URGENT_ALERT, sender=Sender.POLICE, feedback_due_at__isnull=False)


def _officers(scope: BoardScope, user, networks: QuerySet[Network]) -> tuple[int, int]:
    """(mandated officers, of whom trained) of the scope. National roles and zone officers: exactly the figures of the
    coverage page (coverage_overview); a municipal official: the same counting over their networks."""
    if user is not None and (scope.national or (scope.zone_ids and not scope.municipality_ids)):
        summary = coverage.coverage_overview(user=user).summary
    else:
        summary = coverage.coverage_summary(networks=networks.exclude(status__in=ENDED))
    return summary.officers, summary.trained


def _chart_rows(scope: BoardScope, networks: QuerySet[Network]) -> tuple[str, list[dict]]:
    """Networks by status, per province (the country) or per police zone (a zone, a municipality). Two queries."""
    if scope.national:
        level, group = "province", "municipality__province_id"
    else:
        level, group = "zone", "zone_id"
    rows = networks.order_by().values_list(group, "status").annotate(n=Count("pk"))
    counts: dict[object, dict[str, int]] = {}
    for place, status, n in rows:
        counts.setdefault(place, {})[status] = n
    if level == "province":
        names = {p.pk: p.name for p in Province.objects.filter(pk__in=[k for k in counts if k is not None])}
        names[None] = str(_("Brussels-Capital Region"))
    else:
        names = {z.pk: str(z) for z in PoliceZone.objects.filter(pk__in=list(counts)).only("pk", "code", "name")}
    result = [
        {"label": names.get(place, "–"), "counts": by_status, "total": sum(by_status.values())}
        for place, by_status in counts.items()
    ]
    return level, sorted(result, key=lambda row: row["label"].lower())


# --- lists to follow up ------------------------------------------------------------------------------------------


def _page(queryset: QuerySet, number) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def waiting_charters(*, user, page=1, today: datetime.date | None = None) -> Page:
    """Submitted charters of the scope's networks, the oldest first, each with `age_days`. Two queries a page."""
    scope = board_scope(user)
    charters = (
        Charter.objects.filter(status=CharterStatus.SUBMITTED, network__in=board_networks(scope))
        .select_related("network")
        .only("pk", "version", "submitted_at", "network__code", "network__name")
        .order_by("submitted_at", "pk")
    )
    result = _page(charters, page)
    today = today or timezone.localdate()
    for charter in result.object_list:
        charter.age_days = (today - timezone.localdate(charter.submitted_at)).days if charter.submitted_at else None
    return result


def _open_networks(scope: BoardScope) -> QuerySet[Network]:
    return (
        board_networks(scope)
        .exclude(status__in=ENDED)
        .select_related("zone", "municipality")
        .defer("area_polygon", "public_description")
        .order_by("name", "code")
    )


def without_coordinator_condition(today: datetime.date) -> Q:
    coordinators = Partner.objects.filter(network_id=OuterRef("pk"), role=PartnerRole.COORDINATOR).filter(
        Q(active_to__isnull=True) | Q(active_to__gt=today)
    )
    return ~Exists(coordinators)


def networks_without_coordinator(*, user, page=1, today: datetime.date | None = None) -> Page:
    today = today or timezone.localdate()
    return _page(_open_networks(board_scope(user)).filter(without_coordinator_condition(today)), page)


def idle_condition(now: datetime.datetime) -> Q:
    since = now - datetime.timedelta(days=IDLE_DAYS)
    messages = Message.networks.through.objects.filter(
        network_id=OuterRef("pk"), message__status=MessageStatus.SENT, message__sent_at__gte=since
    )
    joined = Membership.objects.filter(network_id=OuterRef("pk"), joined_on__gte=timezone.localdate(since))
    # Recent members first: most networks have some, found in the (network, joined_on) index alone, so the
    # messages (two tables) are looked up for the few left (half the time at 15,000 networks).
    return (
        Q(status__in=[NetworkStatus.ACTIVE, NetworkStatus.DORMANT], created_at__lt=since)
        & ~Exists(joined)
        & ~Exists(messages)
    )


def idle_networks(*, user, page=1, now: datetime.datetime | None = None) -> Page:
    now = now or timezone.now()
    return _page(_open_networks(board_scope(user)).filter(idle_condition(now)), page)


# --- the map -------------------------------------------------------------------------------------------------------


def check_level(level: str | None) -> str:
    return level if level in LEVELS else "municipality"


def map_rows(*, user, level: str, stamp: str | None = None) -> list[dict]:
    """One row per place of the scope: id, name, code, url, its figures and its class. Cached like the figures."""
    scope = board_scope(user)
    key = f"{_CACHE_PREFIX}:map:{level}:{scope.key}:{get_language()}:{stamp or fingerprint()}"
    return _cached(key, lambda: compute_map_rows(scope=scope, level=level))


def _active_networks_per_municipality(scope: BoardScope) -> dict[int, int]:
    rows = (
        Network.municipalities.through.objects.filter(
            network__status=NetworkStatus.ACTIVE, municipality_id__in=board_municipality_ids(scope)
        )
        .values("municipality_id")
        .annotate(n=Count("network_id", distinct=True))
        .values_list("municipality_id", "n")
    )
    return dict(rows)


def compute_map_rows(*, scope: BoardScope, level: str) -> list[dict]:
    """Municipalities: two queries (the places, the grouped counts); zones: three (and the zones' compositions)."""
    counts = _active_networks_per_municipality(scope)
    if level == "municipality":
        places = Municipality.objects.filter(pk__in=board_municipality_ids(scope)).order_by("name_nl")
        rows = []
        for place in places:
            networks = counts.get(place.pk, 0)
            rows.append(
                {
                    "id": place.pk,
                    "name": place.name,
                    "code": place.refnis,
                    "url": place.get_absolute_url(),
                    "networks": networks,
                    "band": band(networks, MUNICIPALITY_BANDS),
                }
            )
        return sorted(rows, key=lambda row: row["name"].lower())
    compositions: dict[int, list[int]] = {}
    for zone_id, municipality_id in ZoneMembership.objects.filter(
        valid_to__isnull=True, municipality_id__in=board_municipality_ids(scope)
    ).values_list("zone_id", "municipality_id"):
        compositions.setdefault(zone_id, []).append(municipality_id)
    rows = []
    for zone in PoliceZone.objects.current().filter(pk__in=list(compositions)):
        members = compositions[zone.pk]
        covered = sum(1 for municipality_id in members if counts.get(municipality_id))
        share = 100 * covered / len(members) if members else 0.0
        rows.append(
            {
                "id": zone.pk,
                "name": str(zone),
                "code": str(zone.code or ""),
                "url": zone.get_absolute_url(),
                "municipalities": len(members),
                "covered": covered,
                "share": round(share, 1),
                "networks": sum(counts.get(municipality_id, 0) for municipality_id in members),
                "band": band(0 if covered == 0 else (100 if covered == len(members) else max(share, 1)), ZONE_BANDS),
            }
        )
    return sorted(rows, key=lambda row: row["name"].lower())


def coverage_share(rows: list[dict], level: str) -> tuple[int, int]:
    """(places with at least one active network, places) of the map's rows."""
    if level == "municipality":
        return sum(1 for row in rows if row["networks"]), len(rows)
    return sum(1 for row in rows if row["covered"]), len(rows)


def map_geojson(*, user, level: str) -> bytes:
    """The places of the scope as GeoJSON, their figures merged into the properties. Cached under the fingerprint."""
    import json

    from geography.models import MunicipalityBoundary, PoliceZoneBoundary

    scope = board_scope(user)
    stamp = fingerprint()
    key = f"{_CACHE_PREFIX}:geojson:{level}:{scope.key}:{get_language()}:{stamp}"

    def compute() -> bytes:
        rows = {row["id"]: row for row in map_rows(user=user, level=level, stamp=stamp)}
        if level == "municipality":
            boundaries = MunicipalityBoundary.objects.filter(municipality_id__in=list(rows)).values_list(
                "municipality_id", "geometry"
            )
        else:
            boundaries = PoliceZoneBoundary.objects.filter(zone_id__in=list(rows)).values_list("zone_id", "geometry")
        features = [
            {"type": "Feature", "geometry": geometry, "properties": {**rows[place_id], "level": level}}
            for place_id, geometry in boundaries
        ]
        features.sort(key=lambda feature: feature["properties"]["name"].lower())
        return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()

    return _cached(key, compute)


def legend(level: str) -> list[dict]:
    bands = MUNICIPALITY_BANDS if level == "municipality" else ZONE_BANDS
    return [{"label": label, "colour": BAND_COLOURS[index]} for index, (_low, label) in enumerate(bands)]
