"""Coverage: does every network's mandated officer hold a valid BIN course certificate?

Definitions (issue 7):
- *trained*: holds a Certificate that is not revoked and whose `valid_until` is empty or today or later;
- the *mandated officers* of a network: its active `Partner` rows (no end date, or one after today) with the role
  mandated officer; networks considered are those not dissolved or merged;
- a *person* is the partner's platform user when there is one, else its e-mail address (lower case), else its name: an
  officer of three networks counts once in a zone, a province and the country;
- a person is matched to certificates through the trainee's platform user, or through the trainee's e-mail address
  (the user's address for a partner with an account, the partner's own otherwise), case-insensitively;
- a network is *covered* when at least one of its mandated officers is trained; the list of networks to follow up
  holds the others, those without any mandated officer recorded included (told apart by `officers == 0`).

Every figure is counted by the database: one grouped query for the officers and one for the networks, whatever the
number of networks (15,000 at design scale). Trainedness is looked up, not correlated: the holders of a valid
certificate (their accounts, their lower-case addresses) and the networks with a trained officer are uncorrelated
`IN (SELECT …)` sets that the database builds once per statement (SQLite: a temporary index; PostgreSQL: a hashed
subplan). With a correlated EXISTS per officer and per network instead, PostgreSQL's cost estimate sent the
national statements into JIT compilation (up to ~1 s each) and the national page took 2 s instead of 0.46 s
(bench/training.py); SQLite gained a little (0.80 s to 0.61 s).

Who sees what: ADVP and the Knowledge Centre the whole country; a mandated officer (zone officer role) the networks
of their zone(s); nobody else (`can_see_coverage`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import is_national
from geography.models import PoliceZone, Province, Region
from networks.choices import NetworkStatus, PartnerRole
from networks.models import Network, Partner

from .models import Certificate, TrainingPolicy
from .permissions import can_see_coverage, officer_zones

ENDED = (NetworkStatus.DISSOLVED, NetworkStatus.MERGED)


def _today(day: datetime.date | None) -> datetime.date:
    return day or timezone.localdate()


# --- certificates ------------------------------------------------------------------------------------------------


def valid_certificates(day: datetime.date | None = None) -> QuerySet[Certificate]:
    """Certificates valid on `day` (today): not revoked, no end of validity or one on or after that day."""
    day = _today(day)
    return Certificate.objects.filter(revoked_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def valid_certificate_holders(day: datetime.date | None = None) -> tuple[set[int], set[str]]:
    """Who holds a valid certificate: (the platform user ids, the lower-case e-mail addresses) of their trainees.
    One query."""
    users: set[int] = set()
    emails: set[str] = set()
    rows = valid_certificates(day).values_list("enrolment__trainee__user_id", "enrolment__trainee__email")
    for user_id, email in rows:
        if user_id is not None:
            users.add(user_id)
        if email:
            emails.add(email.lower())
    return users, emails


def _certificate_of(*, user_ref: str, email_ref: str, day: datetime.date) -> Exists:
    """EXISTS a valid certificate whose trainee is the outer row's user (`user_ref`) or has its e-mail address
    (`email_ref`, already lower case)."""
    certificates = valid_certificates(day).annotate(trainee_email=Lower("enrolment__trainee__email"))
    return Exists(
        certificates.filter(Q(enrolment__trainee__user_id=OuterRef(user_ref)) | Q(trainee_email=OuterRef(email_ref)))
    )


def _trained(*, user_ref: str, email_ref: str, day: datetime.date) -> Q:
    """The outer row's user (`user_ref`) or lower-case e-mail address (`email_ref`) is among the holders of a valid
    certificate: two uncorrelated sets, each built once per statement. NULL (not true) when the row has neither."""
    certificates = valid_certificates(day)
    users = certificates.filter(enrolment__trainee__user_id__isnull=False).values("enrolment__trainee__user_id")
    emails = certificates.annotate(trainee_email=Lower("enrolment__trainee__email")).values("trainee_email")
    return Q(**{f"{user_ref}__in": users}) | Q(**{f"{email_ref}__in": emails})


def officer_is_trained(user, day: datetime.date | None = None) -> bool:
    """Whether `user` holds a valid certificate: their trainee (Trainee.user), or a trainee with their e-mail
    address. One query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    condition = Q(enrolment__trainee__user_id=user.pk)
    if user.email:
        condition |= Q(trainee_email=user.email.lower())
    return valid_certificates(day).annotate(trainee_email=Lower("enrolment__trainee__email")).filter(condition).exists()


def urgent_types_blocked(user, day: datetime.date | None = None) -> bool:
    """Whether the training policy takes urgent message types away from `user`: the policy is on and the user
    holds no valid certificate. One query (no policy row means the default: off)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    condition = Q(enrolment__trainee__user_id=user.pk)
    if user.email:
        condition |= Q(trainee_email=user.email.lower())
    trained = valid_certificates(day).annotate(trainee_email=Lower("enrolment__trainee__email")).filter(condition)
    return TrainingPolicy.objects.filter(urgent_requires_certificate=True).filter(~Exists(trained)).exists()


# --- mandated officers and networks ------------------------------------------------------------------------------


def coverage_networks(user=None) -> QuerySet[Network]:
    """The networks coverage is about (not dissolved or merged) in the user's scope; `user=None`: the whole country
    (for reports and commands, never for a request)."""
    networks = Network.objects.exclude(status__in=ENDED)
    if user is None or is_national(user):
        return networks
    zones = officer_zones(user) if can_see_coverage(user) else []
    return networks.filter(zone_id__in=zones) if zones else networks.none()


def active_officers(day: datetime.date | None = None) -> QuerySet[Partner]:
    """Active mandated officers (Partner rows) of the networks considered, on `day`."""
    day = _today(day)
    return Partner.objects.filter(role=PartnerRole.MANDATED_OFFICER, network__status__in=_open_statuses()).filter(
        Q(active_to__isnull=True) | Q(active_to__gt=day)
    )


def _open_statuses() -> list[str]:
    return [status for status in NetworkStatus.values if status not in ENDED]


def _officer_rows(networks: QuerySet[Network], day: datetime.date) -> QuerySet[Partner]:
    """The active mandated officers of `networks`, annotated with `person` (who they are) and `trained`."""
    person_email = Lower(Coalesce(NullIf(F("user__email"), Value("")), NullIf(F("email"), Value(""))))
    person = Case(
        When(user_id__isnull=False, then=Concat(Value("u:"), Cast("user_id", CharField()))),
        When(~Q(email=""), then=Concat(Value("e:"), Lower("email"))),
        default=Concat(Value("n:"), Lower("first_name"), Value(" "), Lower("last_name")),
        output_field=CharField(),
    )
    trained = ExpressionWrapper(
        _trained(user_ref="user_id", email_ref="person_email", day=day), output_field=BooleanField()
    )
    return (
        active_officers(day)
        .filter(network__in=networks)
        .annotate(person_email=person_email)
        .annotate(person=person, trained=trained)
    )


def _network_trained(day: datetime.date, networks: QuerySet[Network]) -> Q:
    """The network is one of `networks` with a trained active mandated officer (one uncorrelated set, kept to the
    networks asked about: a zone's page does not look up the whole country's officers)."""
    trained = (
        active_officers(day)
        .filter(network__in=networks)
        .annotate(person_email=Lower(Coalesce(NullIf(F("user__email"), Value("")), NullIf(F("email"), Value("")))))
        .filter(_trained(user_ref="user_id", email_ref="person_email", day=day))
        .values("network_id")
    )
    return Q(pk__in=trained)


def _network_has_officer(day: datetime.date, networks: QuerySet[Network]) -> Q:
    return Q(pk__in=active_officers(day).filter(network__in=networks).values("network_id"))


# --- figures -----------------------------------------------------------------------------------------------------


@dataclass
class Coverage:
    """Coverage figures of one place (the country, a province or a zone)."""

    key: object = None  # the zone or province id; None for the country (or Brussels, which has no province)
    label: str = ""
    officers: int = 0  # distinct mandated officers
    trained: int = 0  # of whom trained
    networks: int = 0  # networks considered
    covered: int = 0  # networks with a trained mandated officer
    without_officer: int = 0  # networks with no mandated officer recorded
    zone_code: int | None = None

    @property
    def share(self) -> float | None:
        """Trained officers / officers (None without officers)."""
        return self.trained / self.officers if self.officers else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    @property
    def not_covered(self) -> int:
        """Networks without a trained mandated officer (those without any officer included)."""
        return self.networks - self.covered

    def as_dict(self) -> dict:
        return {
            "officers": self.officers,
            "trained": self.trained,
            "share": self.share,
            "networks": self.networks,
            "networks_covered": self.covered,
            "networks_not_covered": self.not_covered,
            "networks_without_officer": self.without_officer,
        }


def _network_counts(networks: QuerySet[Network], day: datetime.date, group: str | None):
    counts = {
        "networks": Count("pk"),
        "covered": Count("pk", filter=_network_trained(day, networks)),
        "without_officer": Count("pk", filter=~_network_has_officer(day, networks)),
    }
    if group is None:
        return networks.aggregate(**counts)
    return networks.order_by().values(group).annotate(**counts)


def _officer_counts(networks: QuerySet[Network], day: datetime.date, group: str | None):
    counts = {
        "officers": Count("person", distinct=True),
        "trained_officers": Count("person", distinct=True, filter=Q(trained=True)),
    }
    officers = _officer_rows(networks, day)
    if group is None:
        return officers.aggregate(**counts)
    return officers.order_by().values(f"network__{group}").annotate(**counts)


def coverage_summary(*, user=None, day: datetime.date | None = None, networks=None) -> Coverage:
    """The coverage of the user's whole scope (the country for national roles). Two queries."""
    day = _today(day)
    networks = coverage_networks(user) if networks is None else networks
    officers = _officer_counts(networks, day, None)
    counts = _network_counts(networks, day, None)
    return Coverage(
        officers=officers["officers"] or 0,
        trained=officers["trained_officers"] or 0,
        networks=counts["networks"] or 0,
        covered=counts["covered"] or 0,
        without_officer=counts["without_officer"] or 0,
    )


def _grouped(networks, day, group: str) -> dict[object, Coverage]:
    rows: dict[object, Coverage] = {}
    for row in _network_counts(networks, day, group):
        rows[row[group]] = Coverage(
            key=row[group],
            networks=row["networks"],
            covered=row["covered"],
            without_officer=row["without_officer"],
        )
    for row in _officer_counts(networks, day, group):
        coverage = rows.setdefault(row[f"network__{group}"], Coverage(key=row[f"network__{group}"]))
        coverage.officers = row["officers"]
        coverage.trained = row["trained_officers"]
    return rows


def coverage_by_zone(
    *, user=None, province_id: int | None = None, zone_id: int | None = None, day: datetime.date | None = None
) -> list[Coverage]:
    """Coverage per police zone in the user's scope (optionally one province's or one zone's), by zone name; every
    zone with at least one network considered. Three queries."""
    day = _today(day)
    networks = _filtered(coverage_networks(user), province_id=province_id, zone_id=zone_id)
    rows = _grouped(networks, day, "zone_id")
    zones = PoliceZone.objects.filter(pk__in=list(rows)).only("pk", "code", "name")
    result = []
    for zone in zones:
        coverage = rows[zone.pk]
        coverage.label = str(zone)
        coverage.zone_code = zone.code
        result.append(coverage)
    return sorted(result, key=lambda row: (row.label.lower(), row.key))


def coverage_by_province(*, user=None, zone_id: int | None = None, day: datetime.date | None = None) -> list[Coverage]:
    """Coverage per province (of the network's main municipality) in the user's scope, in REFNIS order; the networks
    of Brussels, which has no province, under the Brussels-Capital Region (`key` None), placed where its
    arrondissement's REFNIS code (21000) puts it. Four queries."""
    day = _today(day)
    networks = _filtered(coverage_networks(user), zone_id=zone_id)
    rows = _grouped(networks, day, "municipality__province_id")
    provinces = {province.pk: province for province in Province.objects.filter(pk__in=[k for k in rows if k])}
    result = []
    for key, coverage in rows.items():
        if key is None:
            region = Region.objects.filter(refnis="04000").first()
            coverage.label = region.name if region else str(_("Brussels-Capital Region"))
            sort_key = "21000"  # the arrondissement of Brussels-Capital, after the Brabant provinces
        else:
            coverage.label = provinces[key].name
            sort_key = provinces[key].refnis
        result.append((sort_key, coverage))
    return [coverage for _key, coverage in sorted(result, key=lambda item: item[0])]


@dataclass
class CoverageOverview:
    """Everything the coverage page shows as figures, from one pass: the scope's summary, its provinces, its zones
    (those of the chosen province, or all), and how many networks the list of the chosen province or zone holds."""

    summary: Coverage
    provinces: list[Coverage]
    zones: list[Coverage]
    listed: int


def coverage_overview(
    *, user=None, province_id=None, zone_id: int | None = None, day: datetime.date | None = None
) -> CoverageOverview:
    """The summary, provinces and zones of `coverage_summary`, `coverage_by_province` and `coverage_by_zone` (same
    figures, checked against them in the tests), computed from two row sets — the active mandated officers (zone,
    province, person, trained) and the networks (zone, province, covered, has an officer) — counted in Python,
    instead of two aggregate statements per table. Four queries (the two row sets, the zones' and the provinces'
    names)."""
    day = _today(day)
    networks = coverage_networks(user)
    officer_rows = _officer_rows(networks, day).values_list(
        "network__zone_id", "network__municipality__province_id", "person", "trained"
    )
    network_rows = networks.annotate(
        covered=ExpressionWrapper(_network_trained(day, networks), output_field=BooleanField()),
        has_officer=ExpressionWrapper(_network_has_officer(day, networks), output_field=BooleanField()),
    ).values_list("zone_id", "municipality__province_id", "covered", "has_officer")

    def in_province(province) -> bool:
        if province_id == "brussels":
            return province is None
        return not province_id or province == int(province_id)

    # place → {person: trained}; a person counts once per place whatever the number of their networks.
    people: dict[tuple, dict[str, bool]] = {}
    for zone, province, person, trained in officer_rows:
        for place in (("all", None), ("province", province), *((("zone", zone),) if in_province(province) else ())):
            known = people.setdefault(place, {})
            known[person] = known.get(person, False) or bool(trained)
    places: dict[tuple, Coverage] = {}
    listed = 0
    for zone, province, covered, has_officer in network_rows:
        for place in (("all", None), ("province", province), *((("zone", zone),) if in_province(province) else ())):
            coverage = places.setdefault(place, Coverage(key=place[1]))
            coverage.networks += 1
            coverage.covered += bool(covered)
            coverage.without_officer += not has_officer
        if not covered and in_province(province) and (not zone_id or zone == zone_id):
            listed += 1
    for place, known in people.items():
        coverage = places.setdefault(place, Coverage(key=place[1]))
        coverage.officers = len(known)
        coverage.trained = sum(known.values())

    summary = places.get(("all", None), Coverage())
    zone_rows = {key: coverage for (kind, key), coverage in places.items() if kind == "zone"}
    zones = []
    for zone in PoliceZone.objects.filter(pk__in=list(zone_rows)).only("pk", "code", "name"):
        coverage = zone_rows[zone.pk]
        coverage.label = str(zone)
        coverage.zone_code = zone.code
        zones.append(coverage)
    province_rows = {key: coverage for (kind, key), coverage in places.items() if kind == "province"}
    names = {province.pk: province for province in Province.objects.filter(pk__in=[k for k in province_rows if k])}
    provinces = []
    for key, coverage in province_rows.items():
        if key is None:
            region = Region.objects.filter(refnis="04000").first()
            coverage.label = region.name if region else str(_("Brussels-Capital Region"))
            sort_key = "21000"
        else:
            coverage.label = names[key].name
            sort_key = names[key].refnis
        provinces.append((sort_key, coverage))
    return CoverageOverview(
        summary=Coverage(
            officers=summary.officers,
            trained=summary.trained,
            networks=summary.networks,
            covered=summary.covered,
            without_officer=summary.without_officer,
        ),
        provinces=[coverage for _key, coverage in sorted(provinces, key=lambda item: item[0])],
        zones=sorted(zones, key=lambda row: (row.label.lower(), row.key)),
        listed=listed,
    )


def _filtered(networks: QuerySet[Network], *, province_id=None, zone_id=None) -> QuerySet[Network]:
    if province_id == "brussels":
        networks = networks.filter(municipality__province__isnull=True)
    elif province_id:
        networks = networks.filter(municipality__province_id=province_id)
    if zone_id:
        networks = networks.filter(zone_id=zone_id)
    return networks


def networks_without_trained_officer(
    user, *, province_id=None, zone_id: int | None = None, day: datetime.date | None = None
) -> QuerySet[Network]:
    """The networks in the user's scope none of whose active mandated officers holds a valid certificate, those
    without any mandated officer first, then by zone and name. Each carries `officers` (its active mandated officers,
    prefetched: one more query per page) and `officer_count`."""
    day = _today(day)
    networks = _filtered(coverage_networks(user), province_id=province_id, zone_id=zone_id)
    officers = active_officers(day).select_related("user").order_by("last_name", "first_name", "pk")
    return (
        networks.exclude(_network_trained(day, networks))
        .annotate(officer_count=Count("partners", filter=_active_officer_q(day)))
        .select_related("zone", "municipality")
        .prefetch_related(Prefetch("partners", queryset=officers, to_attr="officers"))
        .order_by(F("officer_count").asc(), "zone__name", "name", "code")
    )


def _active_officer_q(day: datetime.date) -> Q:
    return Q(partners__role=PartnerRole.MANDATED_OFFICER) & (
        Q(partners__active_to__isnull=True) | Q(partners__active_to__gt=day)
    )


def coverage_zones(user) -> QuerySet[PoliceZone]:
    """The zones the user may filter coverage by (the zones of the networks in scope)."""
    return PoliceZone.objects.filter(pk__in=coverage_networks(user).values("zone_id")).order_by("name")


def coverage_provinces(user) -> QuerySet[Province]:
    return Province.objects.filter(pk__in=coverage_networks(user).values("municipality__province_id")).order_by(
        "refnis"
    )


def zone_officers_without_certificate(day: datetime.date | None = None) -> tuple[int, int]:
    """(platform users holding the mandated officer role, of whom without a valid certificate): those the policy
    would stop sending urgent messages. One query."""
    from accounts.models import RoleAssignment, User
    from core.roles import Role

    day = _today(day)
    holders = RoleAssignment.objects.filter(role=Role.ZONE_OFFICER, revoked_at__isnull=True)
    officers = (
        User.objects.filter(pk__in=holders.values("user_id"))
        .annotate(lower_email=Lower("email"))
        .annotate(trained=_certificate_of(user_ref="pk", email_ref="lower_email", day=day))
    )
    counts = officers.aggregate(total=Count("pk"), untrained=Count("pk", filter=Q(trained=False)))
    return counts["total"] or 0, counts["untrained"] or 0


def coverage_network_rows(user, *, province_id=None, zone_id: int | None = None, day: datetime.date | None = None):
    """Every network in the user's scope with its coverage, for the CSV export: dicts with code, name, status (its
    label), zone_code, zone_name, province, officers (active mandated officers) and covered (one of them trained).
    Two queries (the provinces' names, then the networks, read in chunks)."""
    day = _today(day)
    provinces = {province.pk: province.name for province in Province.objects.all()}
    brussels = Region.objects.filter(refnis="04000").first()
    brussels_label = brussels.name if brussels else str(_("Brussels-Capital Region"))
    statuses = dict(NetworkStatus.choices)
    networks = _filtered(coverage_networks(user), province_id=province_id, zone_id=zone_id)
    networks = (
        networks.annotate(
            covered=ExpressionWrapper(_network_trained(day, networks), output_field=BooleanField()),
            officers=Count("partners", filter=_active_officer_q(day)),
        )
        .order_by("zone__name", "name", "code")
        .values(
            "code", "name", "status", "zone__code", "zone__name", "municipality__province_id", "covered", "officers"
        )
    )
    for row in networks.iterator(chunk_size=2000):
        province = row["municipality__province_id"]
        yield {
            "code": row["code"],
            "name": row["name"],
            "status": str(statuses.get(row["status"], row["status"])),
            "zone_code": row["zone__code"],
            "zone_name": row["zone__name"],
            "province": provinces.get(province, "") if province else brussels_label,
            "officers": row["officers"],
            "covered": row["covered"],
        }
