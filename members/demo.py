"""Demo members of the demo networks: about 150,000 people at scale 1 (`BINPLP_DEMO_NETWORKS_SCALE` scales them like
the networks), each with an account, a member profile, membership(s), the member role, consents to the privacy notice
and internal rules in force and a verified e-mail address — plus join requests waiting for the coordinator or for the
applicant's e-mail confirmation.

Which networks: active and dormant ones, and the demo coordinator's own network (`BIN-11002-1`, in preparation in the
demo and gathering its first members) so that the demo coordinator's member list has people in it; the demo personas
`coordinator@demo.binplp.be` and `lid@demo.binplp.be` are members of it. Per network from tens to 1,500 members, skewed
(log-normal), larger in the big towns, smaller in self-employed and sectoral networks — a quarter of whose members are
residents of another network of the municipality, holding a second membership "not in the area".

What they look like: names from Faker (nl_BE, fr_BE, de_DE by the municipality's language; both in Brussels), addresses
on the network's own streets (house number ranges and parity respected, more low numbers than high, a few boxes),
Belgian mobile numbers in E.164 (+3247x/+3248x/+3249x), about 85% by e-mail and 60% by SMS (some both), a few muted
newsletters, 10% with quiet hours 22:00–07:00, a few holiday pauses; joining dates spread over the network's life with
a founding wave and growth after it, about 8% who left, a few suspended or removed.

Fictional: e-mail addresses are `first.last.<n>@demo-member.binplp.be` (nobody receives mail there) and accounts have
no usable password; `is_demo` stays off (members hold no privileged role, so they need no MFA shortcut).

Demo data is seeded, not done by people: no services and no audit rows per demo member. Rows are written with explicit
ids through `cursor.executemany`, one transaction per batch of whole networks, so 150,000 members take seconds and an
interrupted run leaves whole networks behind. Networks already holding demo members are skipped: seeding twice adds
nothing. The benchmarks (bench/run.py) use the same generator for their 2,000,000 members.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import math
import random
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.demo import DEMO_NETWORK_CODE, DEMO_PERSONAS
from accounts.models import RoleAssignment, User
from core.roles import Role
from networks.choices import NetworkKind, NetworkStatus, StreetParity
from networks.demo import STREET_PARTS, TOWN_WEIGHTS
from networks.models import AreaStreet, Network, NetworkStatusChange
from networks.text import normalise_street

from .choices import ConsentSource, DocumentKind, JoinRequestStatus, JoinSource, MembershipStatus
from .models import Consent, JoinRequest, Member, Membership, PolicyDocument

SEED = 2026
DOMAIN = "demo-member.binplp.be"
TOTAL_AT_SCALE_1 = 150_000
MIN_MEMBERS, MAX_MEMBERS = 12, 1_500
DEMO_NETWORK_MEMBERS = 240  # at scale 1; at least 40
BATCH = 10_000  # people per transaction
DOCUMENT_VERSION = "2026-1"  # the first national documents (members/migrations/0002_*), when they are missing

LEFT, REMOVED, SUSPENDED = 0.08, 0.002, 0.006
BY_EMAIL = 0.85
SMS_WITH_EMAIL = (0.60 - (1 - BY_EMAIL)) / BY_EMAIL  # those without e-mail all take SMS: 60% overall
QUIET_HOURS, PAUSED, NO_URGENT_SMS = 0.10, 0.015, 0.12
MUTED = [((), 0.93), (("newsletter",), 0.05), (("newsletter", "prevention_tip"), 0.015), (("prevention_tip",), 0.005)]
SECOND_MEMBERSHIPS = 0.25  # of a self-employed or sectoral network: residents of another network of the municipality
FAKER_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_DE"}
MOBILE_PREFIXES = ("+3247", "+3248", "+3249")
UTC = datetime.UTC
# Plain strings for the raw rows (the choices are str subclasses, which not every database driver adapts).
ACTIVE, LEFT_STATUS, REMOVED_STATUS, SUSPENDED_STATUS = (
    MembershipStatus.ACTIVE.value,
    MembershipStatus.LEFT.value,
    MembershipStatus.REMOVED.value,
    MembershipStatus.SUSPENDED.value,
)
BY_JOINING, IN_PORTAL, MEMBER_ROLE = ConsentSource.JOIN.value, ConsentSource.PORTAL.value, Role.MEMBER.value


@dataclass
class DemoMembersSummary:
    networks: int = 0  # networks seeded in this run
    members: int = 0  # people created in this run
    memberships: int = 0
    join_requests: int = 0
    skipped: int = 0  # networks that already held demo members
    seconds: float = 0.0
    total: int = 0  # demo members in the database afterwards


@dataclass
class _NetworkPlan:
    network_id: int
    code: str
    kind: str
    municipality_id: int
    language: str  # the municipality's: nl, fr, de or nl+fr
    town_weight: int
    start: datetime.date
    end: datetime.date
    streets: list[tuple] = field(default_factory=list)  # (street, postal code, from, to, parity)
    rules_id: int | None = None
    size: int = 0


# --- writing rows fast ----------------------------------------------------------------------------------------------


class _Table:
    """Rows of one model, inserted raw with explicit ids. `fields` are given per row (after the id); every other
    concrete field takes its default, prepared for the database once."""

    def __init__(self, model: type[models.Model], fields: list[str]):
        meta = model._meta
        by_name = {f.attname: f for f in meta.concrete_fields}
        given = [meta.pk.attname, *fields]
        rest = [f for f in meta.concrete_fields if f.attname not in given]
        self.model = model
        self.constants = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        columns = ", ".join(connection.ops.quote_name(by_name[name].column) for name in given) + "".join(
            f", {connection.ops.quote_name(f.column)}" for f in rest
        )
        placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
        table = connection.ops.quote_name(meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the models  # nosec B608
        self.rows: list[tuple] = []
        self.next_id = 0
        self.written = 0

    def start(self) -> None:
        self.next_id = (self.model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def add(self, *values) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values, *self.constants))
        return pk

    def flush(self, cursor) -> None:
        if self.rows:
            cursor.executemany(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []


def _json(model: type[models.Model], name: str, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


# --- names, addresses, numbers --------------------------------------------------------------------------------------


@functools.cache
def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def _name_pools() -> dict[str, tuple[list[str], list[str]]]:
    """First and last names per language, drawn once (Faker is slow per call; its frequencies are kept)."""
    from faker import Faker

    pools = {}
    for language, locale in FAKER_LOCALES.items():
        faker = Faker(locale)
        faker.seed_instance(SEED)
        pools[language] = ([faker.first_name() for _ in range(800)], [faker.last_name() for _ in range(800)])
    return pools


def _other_street(rng: random.Random, language: str, known: set[str]) -> str:
    """A plausible street of the municipality outside the network's area (for requests from outside it)."""
    language = "fr" if language == "nl+fr" else language
    first, second = STREET_PARTS[language]
    for _ in range(20):
        name = (
            f"{rng.choice(first)} {rng.choice(second)}" if language == "fr" else rng.choice(first) + rng.choice(second)
        )
        if normalise_street(name) not in known:
            return name
    return name


def _house_number(rng: random.Random, street: tuple, length: int) -> str:
    _name, _postal_code, start, end, parity = street
    if start is not None or end is not None:
        low, high = start or 1, end or (start or 1) + 80
        number = rng.randint(low, high)
        if (parity == StreetParity.EVEN and number % 2) or (parity == StreetParity.ODD and not number % 2):
            number = number + 1 if number + 1 <= high else number - 1
    else:
        number = int(length * rng.random() ** 1.6) + 1
    suffix = rng.choice("ABC") if rng.random() < 0.02 else ""
    return f"{number}{suffix}"


def _box(rng: random.Random, city: bool) -> str:
    if rng.random() >= (0.18 if city else 0.04):
        return ""
    return str(rng.randint(1, 12)) if rng.random() < 0.7 else f"{rng.randint(0, 6)}.{rng.randint(1, 4)}"


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"


def _language(rng: random.Random, regime: str) -> str:
    """The member's language: the municipality's, both in Brussels, a few English speakers everywhere."""
    draw = rng.random()
    if regime == "nl+fr":
        return "fr" if draw < 0.55 else "nl" if draw < 0.9 else "en"
    if regime == "de":
        return "de" if draw < 0.88 else "fr" if draw < 0.98 else "en"
    return "en" if draw < 0.015 else regime


def _joined(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A founding wave (a quarter join in the first four months), then growth: later years more than earlier ones."""
    span = max((end - start).days, 0)
    if rng.random() < 0.25:
        return start + datetime.timedelta(days=rng.randint(0, min(120, span)))
    return start + datetime.timedelta(days=int(span * rng.random() ** 0.7))


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, rng.randint(6, 21), rng.randint(0, 59), tzinfo=UTC)


# --- planning -------------------------------------------------------------------------------------------------------


def _documents(today: datetime.date) -> tuple[PolicyDocument, PolicyDocument]:
    """The national privacy notice and internal rules in force: the documents of migration 0002 when present,
    otherwise (a database without them) created here in version 2026-1."""
    found = []
    for kind in (DocumentKind.PRIVACY_NOTICE, DocumentKind.INTERNAL_RULES):
        document = (
            PolicyDocument.objects.filter(kind=kind, network__isnull=True, published_on__lte=today)
            .order_by("-published_on", "-id")
            .first()
        )
        if document is None:
            label = {DocumentKind.PRIVACY_NOTICE: "Privacy notice", DocumentKind.INTERNAL_RULES: "Internal rules"}
            document, _created = PolicyDocument.objects.get_or_create(
                kind=kind,
                version=DOCUMENT_VERSION,
                network=None,
                defaults={
                    "published_on": min(datetime.date(2026, 1, 1), today),
                    "texts": {"en": {"title": label[kind], "body": f"{label[kind]} (demo)."}},
                },
            )
        found.append(document)
    return found[0], found[1]


def _network_rules(networks: models.QuerySet, today: datetime.date) -> dict[int, int]:
    """A network's own internal rules in force, where it has some."""
    rules: dict[int, int] = {}
    for network_id, pk in (
        PolicyDocument.objects.filter(kind=DocumentKind.INTERNAL_RULES, network__in=networks, published_on__lte=today)
        .order_by("network_id", "published_on", "id")
        .values_list("network_id", "id")
    ):
        rules[network_id] = pk  # the last one wins: the latest in force
    return rules


def _seeded_network_ids() -> set[int]:
    if not User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
        return set()
    return set(
        Membership.objects.filter(member__user__email__endswith=f"@{DOMAIN}").values_list("network_id", flat=True)
    )


def _eligible_networks() -> models.QuerySet:
    return Network.objects.filter(
        Q(status__in=[NetworkStatus.ACTIVE, NetworkStatus.DORMANT]) | Q(code=DEMO_NETWORK_CODE)
    )


def _plans(today: datetime.date) -> list[_NetworkPlan]:
    eligible = _eligible_networks()
    networks = list(
        eligible.order_by("code").values_list(
            "id",
            "code",
            "kind",
            "status",
            "founded_on",
            "created_at",
            "municipality_id",
            "municipality__language",
            "municipality__refnis",
        )
    )
    went_dormant = dict(
        NetworkStatusChange.objects.filter(network__in=eligible, to_status=NetworkStatus.DORMANT)
        .order_by("on")
        .values_list("network_id", "on")
    )
    plans = []
    by_id = {}
    for pk, code, kind, status, founded_on, created_at, municipality_id, language, refnis in networks:
        start = founded_on or timezone.localtime(created_at).date()
        end = went_dormant.get(pk, today) if status == NetworkStatus.DORMANT else today
        end = min(end, today)
        start = min(start, end - datetime.timedelta(days=30))
        plan = _NetworkPlan(pk, code, kind, municipality_id, language, TOWN_WEIGHTS.get(refnis, 1), start, end)
        plans.append(plan)
        by_id[pk] = plan
    for network_id, *street in (
        AreaStreet.objects.filter(network__in=eligible)
        .order_by("network_id", "postal_code", "street_normalised", "id")
        .values_list("network_id", "street", "postal_code", "number_from", "number_to", "parity")
    ):
        by_id[network_id].streets.append(tuple(street))
    return [plan for plan in plans if plan.streets]


def _sizes(plans: list[_NetworkPlan], total: int) -> None:
    """Members per network: log-normal draws weighted by town and kind, scaled so they add up to about `total`,
    each between MIN_MEMBERS and MAX_MEMBERS."""
    rng = random.Random(SEED)  # nosec B311  # seeded demo data, not security
    demo = [plan for plan in plans if plan.code == DEMO_NETWORK_CODE]
    others = [plan for plan in plans if plan.code != DEMO_NETWORK_CODE]
    for plan in demo:
        plan.size = min(MAX_MEMBERS, max(40, round(DEMO_NETWORK_MEMBERS * total / TOTAL_AT_SCALE_1)))
        total -= plan.size
    raw = []
    for plan in others:
        weight = rng.lognormvariate(0, 0.95) * (1 + 0.5 * math.log(plan.town_weight))
        weight *= {NetworkKind.SELF_EMPLOYED: 0.35, NetworkKind.SECTORAL: 0.5}.get(plan.kind, 1.0)
        raw.append(weight)
    if not others or total <= 0:
        return
    low, high = 0.0, float(MAX_MEMBERS) * len(others)

    def sized(factor: float) -> list[int]:
        return [min(MAX_MEMBERS, max(MIN_MEMBERS, round(weight * factor))) for weight in raw]

    for _ in range(60):  # bisection on the factor: the clipped sizes add up to the total
        middle = (low + high) / 2
        if sum(sized(middle)) < total:
            low = middle
        else:
            high = middle
    for plan, size in zip(others, sized(high), strict=True):
        plan.size = size


# --- generating -----------------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, privacy: PolicyDocument, rules: PolicyDocument, today: datetime.date, complete: bool = True):
        self.complete = complete
        self.users = _Table(User, ["password", "first_name", "last_name", "email", "language", "date_joined"])
        self.addresses = _Table(_email_address_model(), ["user_id", "email", "verified", "primary"])
        self.roles = _Table(RoleAssignment, ["user_id", "role", "granted_at"])
        self.members = _Table(
            Member,
            [
                "user_id",
                "mobile",
                "street",
                "house_number",
                "box",
                "postal_code",
                "by_email",
                "by_sms",
                "urgent_by_sms",
                "muted_types",
                "quiet_from",
                "quiet_until",
                "paused_from",
                "paused_until",
                "created_at",
                "updated_at",
            ],
        )
        self.memberships = _Table(
            Membership,
            ["member_id", "network_id", "status", "joined_on", "ended_on", "suspended_until", "in_area", "rules_id"],
        )
        self.consents = _Table(Consent, ["member_id", "document_id", "network_id", "accepted_at", "source"])
        self.requests = _Table(
            JoinRequest,
            [
                "network_id",
                "status",
                "source",
                "first_name",
                "last_name",
                "email",
                "mobile",
                "street",
                "house_number",
                "box",
                "postal_code",
                "language",
                "by_email",
                "by_sms",
                "adult_confirmed",
                "works_in_area",
                "privacy_notice_id",
                "rules_id",
                "in_area",
                "created_at",
                "confirmation_sent_at",
                "confirmed_at",
            ],
        )
        # In foreign key order.
        self.tables = [
            self.users,
            self.addresses,
            self.roles,
            self.members,
            self.memberships,
            self.consents,
            self.requests,
        ]
        self.password = make_password(None)  # one unusable password for all: hashing per user would take minutes
        self.privacy = privacy
        self.rules = rules
        self.today = today
        self.now = timezone.now()
        self.pools = _name_pools()
        ops = connection.ops
        self.date: Callable = ops.adapt_datefield_value
        self.moment: Callable = ops.adapt_datetimefield_value
        muted, below = [], 0.0
        for types, weight in MUTED:
            below += weight
            muted.append((below, _json(Member, "muted_types", list(types))))
        self.muted_choices = muted
        self.quiet = (ops.adapt_timefield_value(datetime.time(22, 0)), ops.adapt_timefield_value(datetime.time(7, 0)))
        self.now_db = self.moment(self.now)
        if connection.vendor == "sqlite":
            # The text Django's SQLite backend stores for a UTC datetime, built directly: 10× faster than adapting.
            self.stamp = lambda day, minute: f"{day.isoformat()} {minute // 60:02d}:{minute % 60:02d}:00"
        else:
            self.stamp = lambda day, minute: datetime.datetime(
                day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=UTC
            )
        self.documents_from = privacy.published_on
        self.residents: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)  # municipality → (member, on)

    def _muted(self, draw: float):
        for below, value in self.muted_choices:
            if draw < below:
                return value
        return self.muted_choices[-1][1]

    def start(self) -> None:
        for table in self.tables:
            table.start()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                table.flush(cursor)

    # One network: its people, their memberships and consents, its open join requests.
    def network(self, plan: _NetworkPlan) -> tuple[int, int, int]:
        rng = random.Random(f"{SEED}-{plan.code}")  # nosec B311  # seeded demo data, not security
        rules_id = plan.rules_id or self.rules.pk
        city = plan.town_weight > 1
        lengths = [rng.choice((24, 40, 60, 90, 140, 220)) for _ in plan.streets]
        second = 0
        if plan.kind != NetworkKind.RESIDENTIAL:
            residents = self.residents.get(plan.municipality_id, [])
            second = min(len(residents), round(plan.size * SECOND_MEMBERSHIPS))
            for member_id, since in rng.sample(residents, second):
                joined = _joined(rng, max(plan.start, since), plan.end)
                self._membership(rng, plan, member_id, joined, rules_id, in_area=False)
        people = plan.size - second
        for _ in range(people):
            self._person(rng, plan, rules_id, city, lengths)
        requests = self._requests(rng, plan, rules_id, city, lengths) if self.complete else 0
        return people, people + second, requests

    def _person(self, rng, plan, rules_id, city, lengths) -> None:
        language = _language(rng, plan.language)
        firsts, lasts = self.pools[language if language in self.pools else rng.choice(("nl", "fr"))]
        first, last = rng.choice(firsts), rng.choice(lasts)
        joined = _joined(rng, plan.start, plan.end)
        moment = self.stamp(joined, 360 + int(rng.random() * 960))
        user_id = self.users.next_id
        email = f"{_ascii(first)}.{_ascii(last)}.{user_id}@{DOMAIN}"
        self.users.add(self.password, first, last, email, language, moment)
        if self.complete:
            self.addresses.add(user_id, email, True, True)
            self.roles.add(user_id, MEMBER_ROLE, moment)
        index = int(rng.random() * len(plan.streets))
        street = plan.streets[index]
        by_email = rng.random() < BY_EMAIL
        by_sms = not by_email or rng.random() < SMS_WITH_EMAIL
        mobile = _mobile(rng) if by_sms or rng.random() < 0.7 else ""
        quiet = self.quiet if rng.random() < QUIET_HOURS else (None, None)
        paused = (None, None)
        if rng.random() < PAUSED:
            begins = self.today + datetime.timedelta(days=rng.randint(-10, 60))
            paused = (self.date(begins), self.date(begins + datetime.timedelta(days=rng.randint(5, 24))))
        member_id = self.members.add(
            user_id,
            mobile,
            street[0],
            _house_number(rng, street, lengths[index]),
            _box(rng, city),
            street[1],
            by_email,
            by_sms,
            not by_sms or rng.random() >= NO_URGENT_SMS,
            self._muted(rng.random()),
            *quiet,
            *paused,
            moment,
            self.now_db,
        )
        self._membership(rng, plan, member_id, joined, rules_id, in_area=True)
        if plan.kind == NetworkKind.RESIDENTIAL:
            residents = self.residents[plan.municipality_id]
            if len(residents) < 400:
                residents.append((member_id, joined))

    def _membership(self, rng, plan, member_id, joined, rules_id, *, in_area: bool) -> None:
        status, ended, suspended_until = ACTIVE, None, None
        draw = rng.random()
        if draw < LEFT + REMOVED + SUSPENDED and (plan.end - joined).days > 40:
            if draw < LEFT + REMOVED:
                status = LEFT_STATUS if draw < LEFT else REMOVED_STATUS
                ended = self.date(joined + datetime.timedelta(days=rng.randint(30, (plan.end - joined).days)))
            else:
                status = SUSPENDED_STATUS
                suspended_until = self.date(self.today + datetime.timedelta(days=rng.randint(14, 180)))
        self.memberships.add(
            member_id, plan.network_id, status, self.date(joined), ended, suspended_until, in_area, rules_id
        )
        if not self.complete:
            return
        # Those who joined before the documents were published accepted them later, in the member portal.
        day, source = joined, BY_JOINING
        if joined < self.documents_from:
            day = min(self.documents_from + datetime.timedelta(days=int(rng.random() * 150)), self.today)
            source = IN_PORTAL
        accepted_db = self.stamp(day, 360 + int(rng.random() * 960))
        self.consents.add(member_id, self.privacy.pk, plan.network_id, accepted_db, source)
        self.consents.add(member_id, rules_id, plan.network_id, accepted_db, source)

    def _requests(self, rng, plan, rules_id, city, lengths) -> int:
        """Open join requests: confirmed ones waiting for the coordinator (pending) and recent ones waiting for the
        applicant's e-mail confirmation (unconfirmed)."""
        pending = int(plan.size * 0.012 * rng.random() * 2 + rng.random())
        unconfirmed = int(plan.size * 0.004 * rng.random() * 2 + rng.random() * 0.8)
        if plan.code == DEMO_NETWORK_CODE:
            pending, unconfirmed = max(pending, 4), max(unconfirmed, 2)
        known = {normalise_street(street[0]) for street in plan.streets}
        count = 0
        for status in [JoinRequestStatus.PENDING.value] * pending + [JoinRequestStatus.UNCONFIRMED.value] * unconfirmed:
            language = _language(rng, plan.language)
            firsts, lasts = self.pools[language if language in self.pools else rng.choice(("nl", "fr"))]
            first, last = rng.choice(firsts), rng.choice(lasts)
            # The demo network's first request comes from outside its area: the coordinator sees the flag.
            in_area = rng.random() < 0.88 and not (plan.code == DEMO_NETWORK_CODE and count == 0)
            index = rng.randrange(len(plan.streets))
            street = plan.streets[index]
            name, number = street[0], _house_number(rng, street, lengths[index])
            if not in_area:
                name, number = _other_street(rng, plan.language, known), str(rng.randint(1, 90))
            if status == JoinRequestStatus.PENDING:
                created = self.now - datetime.timedelta(minutes=rng.randint(60, 21 * 24 * 60))
                confirmed = created + datetime.timedelta(minutes=rng.randint(2, 600))
            else:
                created = self.now - datetime.timedelta(minutes=rng.randint(5, 40 * 60))
                confirmed = None
            by_email = rng.random() < BY_EMAIL
            by_sms = not by_email or rng.random() < SMS_WITH_EMAIL
            request_id = self.requests.next_id
            source = JoinSource.IN_PERSON.value if rng.random() < 0.12 else JoinSource.PUBLIC.value
            self.requests.add(
                plan.network_id,
                status,
                source,
                first,
                last,
                f"{_ascii(first)}.{_ascii(last)}.r{request_id}@{DOMAIN}",
                _mobile(rng) if by_sms or rng.random() < 0.7 else "",
                name,
                number,
                _box(rng, city),
                street[1],
                language,
                by_email,
                by_sms,
                True,
                plan.kind != NetworkKind.RESIDENTIAL and not in_area,
                self.privacy.pk,
                rules_id,
                in_area,
                self.moment(created),
                self.moment(created + datetime.timedelta(seconds=rng.randint(1, 30))),
                self.moment(confirmed) if confirmed else None,
            )
            count += 1
        return count


def _email_address_model():
    from allauth.account.models import EmailAddress

    return EmailAddress


@contextlib.contextmanager
def _bulk_loading():
    """SQLite: a page cache large enough for the indexes being filled, and foreign keys unchecked (the rows are
    written parents first; Django's loaddata does the same). Both as they were afterwards. Nothing elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        with connection.constraint_checks_disabled():
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _reset_sequences(writer: _Writer) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not move: set them past the new rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in writer.tables])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- the demo personas ----------------------------------------------------------------------------------------------

# The demo coordinator and the demo member (accounts.demo): street (index in the network's streets), house number,
# joined on, mobile number.
PERSONA_MEMBERS = {
    Role.COORDINATOR: (0, "3", datetime.date(2018, 9, 1), "+32470000003"),
    Role.MEMBER: (1, "12", datetime.date(2021, 5, 10), "+32470000012"),
}


def _link_personas(privacy: PolicyDocument, rules: PolicyDocument) -> None:
    """The demo coordinator and the demo member are members of the demo network, like the test personas."""
    network = Network.objects.filter(code=DEMO_NETWORK_CODE).first()
    if network is None:
        return
    streets = list(network.streets.order_by("postal_code", "street_normalised", "id"))
    if not streets:
        return
    for persona in DEMO_PERSONAS:
        if persona.role not in PERSONA_MEMBERS or persona.scope_key not in (None, DEMO_NETWORK_CODE):
            continue
        user = User.objects.filter(email__iexact=persona.email).first()
        if user is None:
            continue
        index, number, joined_on, mobile = PERSONA_MEMBERS[persona.role]
        street = streets[index % len(streets)]
        member, _created = Member.objects.get_or_create(
            user=user,
            defaults={
                "mobile": mobile,
                "street": street.street,
                "house_number": number,
                "postal_code": street.postal_code,
                "by_email": True,
                "by_sms": True,
                "created_at": _moment(joined_on, random.Random(persona.email)),  # nosec B311  # seeded demo data, not security
            },
        )
        _membership, created = Membership.objects.get_or_create(
            member=member,
            network=network,
            defaults={"joined_on": joined_on, "in_area": True, "rules": rules},
        )
        if created:
            accepted = datetime.datetime.combine(max(joined_on, privacy.published_on), datetime.time(10), tzinfo=UTC)
            for document in (privacy, rules):
                Consent.objects.create(
                    member=member, document=document, network=network, accepted_at=accepted, source=ConsentSource.JOIN
                )
        if not RoleAssignment.objects.filter(user=user, role=Role.MEMBER, revoked_at__isnull=True).exists():
            RoleAssignment.objects.create(user=user, role=Role.MEMBER, granted_at=timezone.now())


# --- the entry point ------------------------------------------------------------------------------------------------


def demo_members(
    *,
    scale: float = 1.0,
    total: int | None = None,
    today: datetime.date | None = None,
    complete: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DemoMembersSummary:
    """Seed the demo members (about 150,000 × `scale`, or `total`) into the active and dormant networks that hold
    none yet, and link the demo personas; returns what was written. `complete=False` writes only the accounts, the
    profiles and the memberships (what member lists read; the benchmarks' 2,000,000); `progress(done, planned)` is
    called after each batch."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    total = round(TOTAL_AT_SCALE_1 * scale) if total is None else total
    summary = DemoMembersSummary()
    with transaction.atomic():
        privacy, rules = _documents(today)
        _link_personas(privacy, rules)
    plans = _plans(today)
    _sizes(plans, total)
    seeded = _seeded_network_ids()
    summary.skipped = sum(1 for plan in plans if plan.network_id in seeded)
    # Residential networks first: self-employed and sectoral networks take some of their members from them.
    todo = sorted(
        (plan for plan in plans if plan.network_id not in seeded and plan.size),
        key=lambda plan: (plan.kind != NetworkKind.RESIDENTIAL, plan.code),
    )
    rules_of = _network_rules(_eligible_networks(), today)
    for plan in todo:
        plan.rules_id = rules_of.get(plan.network_id)
    planned = sum(plan.size for plan in todo)
    writer = _Writer(privacy, rules, today, complete) if todo else None
    index = 0
    with _bulk_loading():
        while index < len(todo):
            with transaction.atomic():
                writer.start()
                people = 0
                while index < len(todo) and people < BATCH:
                    created, memberships, requests = writer.network(todo[index])
                    people += created
                    summary.members += created
                    summary.memberships += memberships
                    summary.join_requests += requests
                    summary.networks += 1
                    index += 1
                writer.flush()
            if progress is not None:
                progress(summary.memberships, planned)
    if writer is not None:
        _reset_sequences(writer)
    summary.total = User.objects.filter(email__endswith=f"@{DOMAIN}").count()
    summary.seconds = time.perf_counter() - started
    return summary
