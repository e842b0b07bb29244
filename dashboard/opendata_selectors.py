"""Open data: aggregate figures of the register by municipality, police zone, province and the country, per year.

Never personal data: every figure is a count. What a row holds (see `columns` and `data_dictionary`):
- networks active on 31 December of the year (today for the current year), founded, dissolved and merged in the
  year, in total and by kind, placed at the network's main municipality and its police zone;
- members: memberships current on 31 December (today for the current year), counted like the member counts of
  members/manage_selectors.py: a membership counts at date d while `joined_on <= d` and it had not ended by d;
- zones, provinces and the country: messages sent in the year by type, and (current year only) the mandated
  officers and those trained (training.selectors_coverage);
- the country: good practices published in the year.

Histories are counted from events, not replayed per network: the status changes that enter or leave "active", the
days memberships began and ended, each grouped by the database by (municipality, zone, kind, year) in one query;
Python only sums those few thousand grouped rows into years and places. A fixed number of queries, whatever the
size of the register.

Suppression of member counts (statistical disclosure control): a count from 1 to BINPLP_OPEN_DATA_MIN_COUNT − 1
is *primary* suppressed (empty value, `members_suppressed` true). Totals are published, so a hidden cell could be
found back by subtracting its visible siblings from their total. Hence *complementary* suppression, per year, over
every group "a total and the places that add up to it" (a zone and its municipalities, a province and its
municipalities, a province and its zones, the country and its provinces, zones and municipalities): while a group
whose total is visible hides exactly one place, or hides places adding up to fewer than the threshold, the smallest
visible non-zero place of the group is hidden too; when no such place is left, the total itself is hidden (and
protected in turn in its own groups). This repeats until nothing changes, so no visible total minus visible places
ever gives a hidden count, nor a sum of hidden counts below the threshold. Zeros are shown: they identify nobody.

Everything is kept in the cache under a fingerprint of the underlying tables (counts, highest ids and latest change
times, read by a few aggregate queries) and the date: any change gives a new key, so the figures are recomputed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geography.models import Municipality, PoliceZone, Province, Region, ZoneMembership
from members.choices import ENDED_STATUSES
from members.models import Membership
from messaging.choices import MessageStatus, MessageType
from messaging.models import Message
from networks.choices import NetworkKind, NetworkStatus, PartnerRole
from networks.models import Network, NetworkStatusChange, Partner
from practices.choices import PracticeStatus
from practices.models import Practice
from training import selectors_coverage as coverage
from training.models import Certificate

BRUSSELS = ZoneInfo("Europe/Brussels")
LEVELS = ("municipality", "zone", "province", "country")
COUNTRY_CODE = "BE"
BRUSSELS_REGION = "04000"  # Brussels-Capital has no province: its networks count under the region's REFNIS code
CACHE_SECONDS = 24 * 3600
_CACHE_PREFIX = "dashboard:opendata:v1"

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def attribution() -> str:
    return str(_("FPS Home Affairs (General Directorate Security and Prevention) / Knowledge Centre BIN"))


def min_count() -> int:
    return int(getattr(settings, "BINPLP_OPEN_DATA_MIN_COUNT", 10))


# --- columns and the data dictionary ---------------------------------------------------------------------------

NETWORK_FIGURES = ("active", "founded", "dissolved", "merged")
KINDS = tuple(NetworkKind.values)
MESSAGE_TYPES = tuple(MessageType.values)


def _network_columns() -> list[str]:
    return [name for figure in NETWORK_FIGURES for name in (f"networks_{figure}", *_kind_columns(figure))]


def _kind_columns(figure: str) -> list[str]:
    return [f"networks_{figure}_{kind}" for kind in KINDS]


MESSAGE_COLUMNS = ["messages_sent", *(f"messages_{kind}" for kind in MESSAGE_TYPES)]
TRAINING_COLUMNS = ["officers_mandated", "officers_trained"]


def columns(level: str) -> list[str]:
    """The columns of a level's rows, in order. Municipalities have no messages nor training figures (messages are
    sent by zones; officers work for zones); practices are counted for the country only."""
    names = ["level", "code", "name_nl", "name_fr", "name_de"]
    if level in ("municipality", "zone"):
        names.append("province_code")
    names += ["year", *_network_columns(), "members", "members_suppressed"]
    if level != "municipality":
        names += [*MESSAGE_COLUMNS, *TRAINING_COLUMNS]
    if level == "country":
        names.append("practices_published")
    return names


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    unit: str
    source: str
    suppression: str
    levels: tuple[str, ...]


def data_dictionary() -> list[Column]:
    """Every column of any level: name, meaning, unit, source and suppression rule, in the active language."""
    none = str(_("None: not about people."))
    count_networks, count_members = str(_("number of networks")), str(_("number of memberships"))
    register = str(_("Register of networks: main municipality, police zone, kind, founding date, status history."))
    threshold = min_count()
    kinds = dict(NetworkKind.choices)
    types = dict(MessageType.choices)
    meanings = {
        "active": _("Networks active on 31 December of the year (today for the current year)"),
        "founded": _("Networks founded in the year"),
        "dissolved": _("Networks dissolved in the year"),
        "merged": _("Networks merged into another network in the year"),
    }
    every = LEVELS
    entries = [
        Column("level", str(_("Level of the row: municipality, zone, province or country.")), "–", "–", none, every),
        Column(
            "code",
            str(
                _(
                    "Code of the place: REFNIS code (municipality, province; 04000 for the Brussels-Capital Region, "
                    "which has no province), police zone number, or BE for the country."
                )
            ),
            "–",
            str(_("Reference geography (Statbel REFNIS, police zones).")),
            none,
            every,
        ),
        Column("name_nl", str(_("Name of the place in Dutch.")), "–", str(_("Reference geography.")), none, every),
        Column("name_fr", str(_("Name of the place in French.")), "–", str(_("Reference geography.")), none, every),
        Column(
            "name_de",
            str(_("Name of the place in German (empty where there is none).")),
            "–",
            str(_("Reference geography.")),
            none,
            every,
        ),
        Column(
            "province_code",
            str(_("REFNIS code of the province (04000: Brussels-Capital Region).")),
            "–",
            str(_("Reference geography.")),
            none,
            ("municipality", "zone"),
        ),
        Column("year", str(_("Calendar year of the figures.")), str(_("year")), "–", none, every),
    ]
    for figure in NETWORK_FIGURES:
        entries.append(Column(f"networks_{figure}", str(meanings[figure]) + ".", count_networks, register, none, every))
        for kind in KINDS:
            entries.append(
                Column(
                    f"networks_{figure}_{kind}",
                    str(_("%(figure)s, of kind %(kind)s.") % {"figure": meanings[figure], "kind": kinds[kind]}),
                    count_networks,
                    register,
                    none,
                    every,
                )
            )
    entries += [
        Column(
            "members",
            str(
                _(
                    "Memberships current on 31 December of the year (today for the current year) of the networks of "
                    "the place; a person who is a member of two networks counts twice."
                )
            ),
            count_members,
            str(_("Memberships: date joined, date ended.")),
            str(
                _(
                    "Empty when from 1 to %(limit)s, and where needed to stop a hidden count from being found back "
                    "by subtraction from a total (complementary suppression)."
                )
                % {"limit": threshold - 1}
            ),
            every,
        ),
        Column(
            "members_suppressed",
            str(_("true when the value of members is withheld to protect the people counted.")),
            "true / false",
            "–",
            none,
            every,
        ),
        Column(
            "messages_sent",
            str(_("Messages sent to members in the year by the zone's police or its networks' coordinators.")),
            str(_("number of messages")),
            str(_("Messages: type, sending zone, time sent.")),
            none,
            ("zone", "province", "country"),
        ),
    ]
    for kind in MESSAGE_TYPES:
        entries.append(
            Column(
                f"messages_{kind}",
                str(_("Messages sent in the year of type %(type)s.") % {"type": types[kind]}),
                str(_("number of messages")),
                str(_("Messages: type, sending zone, time sent.")),
                none,
                ("zone", "province", "country"),
            )
        )
    entries += [
        Column(
            "officers_mandated",
            str(
                _(
                    "Mandated police officers of the networks not dissolved or merged, each counted once; current "
                    "year only (empty for past years)."
                )
            ),
            str(_("number of officers")),
            str(_("Register of networks: mandated officers.")),
            str(_("None: counts of police staff in their professional role, not of members.")),
            ("zone", "province", "country"),
        ),
        Column(
            "officers_trained",
            str(_("Of those, officers holding a valid certificate of the BIN course; current year only.")),
            str(_("number of officers")),
            str(_("BIN course certificates.")),
            str(_("None: counts of police staff in their professional role, not of members.")),
            ("zone", "province", "country"),
        ),
        Column(
            "practices_published",
            str(_("Good practices published in the year.")),
            str(_("number of practices")),
            str(_("Library of good practices.")),
            none,
            ("country",),
        ),
    ]
    return entries


# --- errors ------------------------------------------------------------------------------------------------------


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise LookupError(
            _("There is no open data at level “%(level)s”: choose municipality, zone, province or country.")
            % {"level": level}
        )
    return level


def parse_year(value: str | None, years: list[int]) -> int | None:
    """The year asked for (None: every year), or ValidationError with a message for the visitor."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not value.isdigit() or len(value) != 4:
        raise ValidationError(_("The year must be written as four digits, such as 2026."), code="invalid")
    year = int(value)
    if not years:
        raise ValidationError(_("There are no figures yet, for any year."), code="no_data")
    if year not in years:
        raise ValidationError(
            _("There are no figures for %(year)s: choose a year from %(first)s to %(last)s.")
            % {"year": year, "first": years[0], "last": years[-1]},
            code="out_of_range",
        )
    return year


# --- the fingerprint -----------------------------------------------------------------------------------------------


DELETIONS_KEY = "dashboard:opendata:membership-deletions"


def note_membership_deleted(**kwargs) -> None:
    """post_delete of a membership: counted, so the fingerprint moves without counting two million rows."""
    cache.add(DELETIONS_KEY, 0, None)
    try:
        cache.incr(DELETIONS_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(DELETIONS_KEY, 1, None)


def fingerprint() -> str:
    """A cheap sign of the data the figures come from: counts, highest ids and latest change times (a handful of
    aggregate queries over indexed columns). Any insert, delete, status change, end of membership, message sent,
    certificate revoked or practice published moves it."""
    parts = [
        Network.objects.aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at")),
        NetworkStatusChange.objects.aggregate(n=Count("id"), last=Max("id")),
        # Memberships are many (2,000,000 at design scale): no full count. A new one moves the highest id; an ended
        # one the count of end dates, read from the partial index on ended_on; a deleted one the deletions counter
        # (note_membership_deleted, a post_delete receiver).
        Membership.objects.aggregate(last=Max("id")),
        Membership.objects.filter(ended_on__isnull=False).aggregate(ended=Count("ended_on"), end=Max("ended_on")),
        Message.objects.aggregate(n=Count("id"), last=Max("id"), sent=Count("sent_at"), at=Max("sent_at")),
        Partner.objects.filter(role=PartnerRole.MANDATED_OFFICER).aggregate(
            n=Count("id"), last=Max("id"), to=Count("active_to")
        ),
        Certificate.objects.aggregate(n=Count("id"), last=Max("id"), revoked=Count("revoked_at")),
        Practice.objects.aggregate(n=Count("id", filter=Q(status=PracticeStatus.PUBLISHED)), at=Max("published_at")),
    ]
    text = repr([sorted(part.items()) for part in parts]) + f"|{timezone.localdate()}|{min_count()}"
    text += f"|{cache.get(DELETIONS_KEY, 0)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- computing ---------------------------------------------------------------------------------------------------

Cell = tuple[int, int]  # (main municipality id, zone id) of networks
FIRST_YEAR = 2000  # years from here on are told apart by comparisons (see _year); earlier ones by ExtractYear


def _year(field: str, last: int, tzinfo=None) -> Case:
    """The calendar year of a date column (of a datetime column in `tzinfo`) as a CASE over the boundaries of the
    years FIRST_YEAR to `last`: comparisons the database does itself, where SQLite would call Python once per row
    for ExtractYear (seconds over two million memberships). Rows outside those years get ExtractYear."""

    def boundary(year: int):
        return datetime.date(year, 1, 1) if tzinfo is None else datetime.datetime(year, 1, 1, tzinfo=tzinfo)

    extract = ExtractYear(field, tzinfo=tzinfo) if tzinfo else ExtractYear(field)
    return Case(
        When(**{f"{field}__lt": boundary(FIRST_YEAR)}, then=extract),
        *(When(**{f"{field}__lt": boundary(year + 1)}, then=Value(year)) for year in range(FIRST_YEAR, last + 1)),
        default=extract,
        output_field=IntegerField(),
    )


@dataclass
class OpenData:
    """Every row of every level, by level then year, plus the years covered and when it was computed."""

    years: list[int]
    rows: dict[str, dict[int, list[dict]]]
    computed_at: datetime.datetime


def open_data() -> OpenData:
    """The figures, from the cache while the data has not changed, computed otherwise."""
    key = f"{_CACHE_PREFIX}:{fingerprint()}"
    data = cache.get(key)
    if data is None:
        data = compute_open_data()
        cache.set(key, data, CACHE_SECONDS)
    return data


def available_years() -> list[int]:
    return open_data().years


def level_rows(level: str, year: int | None = None, data: OpenData | None = None) -> list[dict]:
    """The rows of a level, of one year or of every year. Pass `data` (from open_data()) to read the fingerprint once
    per request."""
    data = data or open_data()
    by_year = data.rows[check_level(level)]
    if year is not None:
        return list(by_year.get(year, []))
    return [row for each in data.years for row in by_year.get(each, [])]


@dataclass
class NetworkHistory:
    """Counts of network events by ((main municipality id, zone id), kind, year): entering and leaving "active",
    founded, and ended ({"dissolved": …, "merged": …}); `years` are the years that have any."""

    entered: dict
    left: dict
    founded: dict
    ended: dict[str, dict]
    years: set[int]


def network_history(*, today: datetime.date | None = None, networks: QuerySet | None = None) -> NetworkHistory:
    """The register's network events up to `today`, of `networks` (a queryset; None: every network). Three grouped
    queries over the status changes and the networks, whatever their number."""
    today = today or timezone.localdate()
    now_year = today.year
    entered: dict = defaultdict(int)
    left: dict = defaultdict(int)
    founded: dict = defaultdict(int)
    ended_kind: dict[str, dict] = {NetworkStatus.DISSOLVED: defaultdict(int), NetworkStatus.MERGED: defaultdict(int)}
    years: set[int] = set()
    group = ("network__municipality_id", "network__zone_id", "network__kind")
    changes_of = NetworkStatusChange.objects.filter(on__lte=today)
    networks_of = Network.objects.filter(founded_on__isnull=False, founded_on__lte=today)
    if networks is not None:
        changes_of = changes_of.filter(network__in=networks)
        networks_of = networks_of.filter(pk__in=networks.values("pk"))

    active = NetworkStatus.ACTIVE
    changes = (
        changes_of.filter(Q(to_status=active) | Q(from_status=active))
        .exclude(from_status=active, to_status=active)
        .annotate(year=_year("on", now_year))
        .order_by()
        .values_list(*group, "year")
        .annotate(
            entered=Count("id", filter=Q(to_status=active)),
            left=Count("id", filter=Q(from_status=active)),
        )
    )
    for municipality_id, zone_id, kind, year, n_in, n_out in changes:
        entered[((municipality_id, zone_id), kind, year)] += n_in
        left[((municipality_id, zone_id), kind, year)] += n_out
        years.add(year)
    for municipality_id, zone_id, kind, year, n in (
        networks_of.annotate(year=_year("founded_on", now_year))
        .order_by()
        .values_list("municipality_id", "zone_id", "kind", "year")
        .annotate(n=Count("id"))
    ):
        founded[((municipality_id, zone_id), kind, year)] += n
        years.add(year)
    for municipality_id, zone_id, kind, status, year, n in (
        changes_of.filter(to_status__in=list(ended_kind))
        .annotate(year=_year("on", now_year))
        .order_by()
        .values_list(*group, "to_status", "year")
        .annotate(n=Count("network_id", distinct=True))
    ):
        ended_kind[status][((municipality_id, zone_id), kind, year)] += n
        years.add(year)
    return NetworkHistory(entered=entered, left=left, founded=founded, ended=ended_kind, years=years)


def compute_open_data(today: datetime.date | None = None) -> OpenData:
    today = today or timezone.localdate()
    now_year = today.year
    # (cell, kind, year) → count, for events of networks; (cell, year) → count for memberships
    history = network_history(today=today)
    entered, left, founded, ended_kind = history.entered, history.left, history.founded, history.ended
    joined_members: dict = defaultdict(int)
    ended_members: dict = defaultdict(int)
    years: set[int] = set(history.years)

    members_group = ("network__municipality_id", "network__zone_id")
    ended_statuses = sorted(ENDED_STATUSES)
    # An ended membership without an end date cannot be placed in time: it counts nowhere (as in members).
    for municipality_id, zone_id, year, n in (
        Membership.objects.filter(joined_on__lte=today)
        .exclude(status__in=ended_statuses, ended_on__isnull=True)
        .annotate(year=_year("joined_on", now_year))
        .order_by()
        .values_list(*members_group, "year")
        .annotate(n=Count("id"))
    ):
        joined_members[((municipality_id, zone_id), year)] += n
        years.add(year)
    for municipality_id, zone_id, year, n in (
        Membership.objects.filter(status__in=ended_statuses, ended_on__isnull=False, ended_on__lte=today)
        .filter(joined_on__lte=today)
        .annotate(year=_year("ended_on", now_year))
        .order_by()
        .values_list(*members_group, "year")
        .annotate(n=Count("id"))
    ):
        ended_members[((municipality_id, zone_id), year)] += n

    messages: dict = defaultdict(int)  # (zone id, type, year) → sent
    # sent_at__date <= today, as a comparison with the start of tomorrow in the current time zone (as __date reads)
    tomorrow = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), timezone.get_current_timezone()
    )
    for zone_id, kind, year, n in (
        Message.objects.filter(status=MessageStatus.SENT, sent_at__isnull=False, sent_at__lt=tomorrow)
        .annotate(year=_year("sent_at", now_year, tzinfo=BRUSSELS))
        .order_by()
        .values_list("zone_id", "type", "year")
        .annotate(n=Count("id"))
    ):
        messages[(zone_id, kind, year)] += n
        years.add(year)

    practices = dict(
        Practice.objects.filter(status=PracticeStatus.PUBLISHED, published_at__isnull=False)
        .annotate(year=_year("published_at", now_year, tzinfo=BRUSSELS))
        .order_by()
        .values_list("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    years.update(practices)
    years = {year for year in years if year <= now_year}
    year_list = list(range(min(years), now_year + 1)) if years else []

    places = _Places.read(
        municipality_ids={cell[0] for cell, *_rest in [*entered, *founded, *joined_members]}
        | {key[0][0] for figures in ended_kind.values() for key in figures},
        zone_ids={key[0][1] for key in [*entered, *founded, *joined_members]}
        | {key[0] for key in messages}
        | {key[0][1] for figures in ended_kind.values() for key in figures},
    )
    for cell, *_rest in [*entered, *founded, *joined_members, *(key for f in ended_kind.values() for key in f)]:
        places.zone_municipalities.setdefault(cell[1], set()).add(cell[0])
    training = _training_figures() if year_list else {}

    rows: dict[str, dict[int, list[dict]]] = {level: {} for level in LEVELS}
    for level in LEVELS:
        figure_names = columns(level)[columns(level).index("year") + 1 :]
        place_of = places.place_function(level)
        # flows per (place, year)
        flows: dict[str, dict] = defaultdict(lambda: defaultdict(int))
        for (cell, kind, year), n in entered.items():
            flows[f"in_{kind}"][(place_of(cell), year)] += n
        for (cell, kind, year), n in left.items():
            flows[f"out_{kind}"][(place_of(cell), year)] += n
        for (cell, kind, year), n in founded.items():
            flows[f"founded_{kind}"][(place_of(cell), year)] += n
        for status, figures in ended_kind.items():
            for (cell, kind, year), n in figures.items():
                flows[f"{status}_{kind}"][(place_of(cell), year)] += n
        for (cell, year), n in joined_members.items():
            flows["joined"][(place_of(cell), year)] += n
        for (cell, year), n in ended_members.items():
            flows["left"][(place_of(cell), year)] += n
        if level != "municipality":
            for (zone_id, kind, year), n in messages.items():
                flows[f"messages_{kind}"][(places.zone_place(level, zone_id), year)] += n
        keys = {place for figures in flows.values() for place, _year in figures}
        if level == "country":
            keys.add(COUNTRY_CODE)
        for year in year_list:
            rows[level][year] = []
        for place in keys:
            stock = dict.fromkeys(KINDS, 0)
            members = 0
            for year in year_list:
                row = _row(level, place, year, places)
                for kind in KINDS:
                    stock[kind] += flows[f"in_{kind}"].get((place, year), 0) - flows[f"out_{kind}"].get(
                        (place, year), 0
                    )
                    row[f"networks_active_{kind}"] = stock[kind]
                    row[f"networks_founded_{kind}"] = flows[f"founded_{kind}"].get((place, year), 0)
                    row[f"networks_dissolved_{kind}"] = flows[f"dissolved_{kind}"].get((place, year), 0)
                    row[f"networks_merged_{kind}"] = flows[f"merged_{kind}"].get((place, year), 0)
                for figure in NETWORK_FIGURES:
                    row[f"networks_{figure}"] = sum(row[name] for name in _kind_columns(figure))
                members += flows["joined"].get((place, year), 0) - flows["left"].get((place, year), 0)
                row["members"] = members
                row["members_suppressed"] = False
                if level != "municipality":
                    for kind in MESSAGE_TYPES:
                        row[f"messages_{kind}"] = flows[f"messages_{kind}"].get((place, year), 0)
                    row["messages_sent"] = sum(row[f"messages_{kind}"] for kind in MESSAGE_TYPES)
                    officers = training.get((level, place)) if year == now_year else None
                    row["officers_mandated"] = officers[0] if officers else (0 if year == now_year else None)
                    row["officers_trained"] = officers[1] if officers else (0 if year == now_year else None)
                if level == "country":
                    row["practices_published"] = practices.get(year, 0)
                if level == "country" or any(row.get(name) for name in figure_names if name != "members_suppressed"):
                    rows[level][year].append(row)
    for year in year_list:
        _suppress_year({level: rows[level][year] for level in LEVELS}, places)
    for level in LEVELS:
        for year in year_list:
            rows[level][year].sort(key=lambda row: row["code"])
    return OpenData(years=year_list, rows=rows, computed_at=timezone.now())


def _row(level: str, place, year: int, places: _Places) -> dict:
    code, names, province = places.describe(level, place)
    row = {"level": level, "code": code, "name_nl": names[0], "name_fr": names[1], "name_de": names[2]}
    if level in ("municipality", "zone"):
        row["province_code"] = province
    row["year"] = year
    row["_key"] = place
    return row


@dataclass
class _Places:
    """Names and codes of the places the figures are about, and which province a municipality or zone is in."""

    municipalities: dict[int, tuple[str, tuple[str, str, str], str]]  # id → (REFNIS, names, province code)
    zones: dict[int, tuple[str, tuple[str, str, str], str]]  # id → (code, names, province code)
    provinces: dict[str, tuple[str, str, str]]  # province code → names
    zone_municipalities: dict[int, set[int]] = field(default_factory=dict)  # zone id → municipalities of its networks

    @classmethod
    def read(cls, *, municipality_ids: set[int], zone_ids: set[int]) -> _Places:
        provinces = {
            refnis: (nl, fr, de)
            for refnis, nl, fr, de in Province.objects.values_list("refnis", "name_nl", "name_fr", "name_de")
        }
        region = Region.objects.filter(refnis=BRUSSELS_REGION).values_list("name_nl", "name_fr", "name_de").first()
        provinces[BRUSSELS_REGION] = region or ("Brussels Hoofdstedelijk Gewest", "Région de Bruxelles-Capitale", "")
        municipalities = {
            pk: (refnis, (nl, fr, de), province or BRUSSELS_REGION)
            for pk, refnis, nl, fr, de, province in Municipality.objects.filter(pk__in=municipality_ids).values_list(
                "pk", "refnis", "name_nl", "name_fr", "name_de", "province__refnis"
            )
        }
        # The province of a zone's municipalities; the current memberships win over past ones.
        links = ZoneMembership.objects.filter(zone_id__in=zone_ids).values_list(
            "zone_id", "municipality__province__refnis", "valid_to"
        )
        zone_province = {}
        for zone_id, province, _valid_to in sorted(links, key=lambda link: link[2] is None):
            zone_province[zone_id] = province
        zones = {
            pk: (str(code) if code else f"id{pk}", (name, name, name), zone_province.get(pk) or BRUSSELS_REGION)
            for pk, code, name in PoliceZone.objects.filter(pk__in=zone_ids).values_list("pk", "code", "name")
        }
        return cls(municipalities=municipalities, zones=zones, provinces=provinces)

    def place_function(self, level: str):
        if level == "municipality":
            return lambda cell: cell[0]
        if level == "zone":
            return lambda cell: cell[1]
        if level == "province":
            return lambda cell: self.municipalities[cell[0]][2]
        return lambda cell: COUNTRY_CODE

    def zone_place(self, level: str, zone_id: int):
        if level == "zone":
            return zone_id
        if level == "province":
            return self.zones[zone_id][2]
        return COUNTRY_CODE

    def describe(self, level: str, place) -> tuple[str, tuple[str, str, str], str]:
        if level == "municipality":
            return self.municipalities[place]
        if level == "zone":
            return self.zones[place]
        if level == "province":
            return place, self.provinces[place], ""
        return COUNTRY_CODE, ("België", "Belgique", "Belgien"), ""


def _training_figures() -> dict[tuple[str, object], tuple[int, int]]:
    """(mandated officers, of whom trained) today by zone, province and for the country (each person once)."""
    figures: dict[tuple[str, object], tuple[int, int]] = {}
    for row in coverage.coverage_by_zone():
        figures[("zone", row.key)] = (row.officers, row.trained)
    province_ids = {row.key: row for row in coverage.coverage_by_province()}
    refnis = dict(Province.objects.filter(pk__in=[k for k in province_ids if k]).values_list("pk", "refnis"))
    for key, row in province_ids.items():
        figures[("province", refnis.get(key, BRUSSELS_REGION) if key else BRUSSELS_REGION)] = (
            row.officers,
            row.trained,
        )
    summary = coverage.coverage_summary()
    figures[("country", COUNTRY_CODE)] = (summary.officers, summary.trained)
    return figures


# --- suppression -------------------------------------------------------------------------------------------------


def suppress(values: dict, groups: Iterable[tuple[object, list]], threshold: int) -> set:
    """The cells to hide: primary (0 < value < threshold), then complementary until no group whose total is visible
    hides exactly one cell or hides fewer than `threshold` in total (see the module's docstring). `values` holds
    every cell and total; `groups` are (total, cells adding up to it)."""
    groups = [(total, list(cells)) for total, cells in groups]
    hidden = {cell for cell, value in values.items() if 0 < value < threshold}
    changed = True
    while changed:
        changed = False
        for total, cells in groups:
            if total in hidden:
                continue
            while True:
                secret = [cell for cell in cells if cell in hidden]
                if not secret or (len(secret) > 1 and sum(values[cell] for cell in secret) >= threshold):
                    break
                visible = [cell for cell in cells if cell not in hidden and values[cell] > 0]
                if visible:
                    hidden.add(min(visible, key=lambda cell: (values[cell], str(cell))))
                else:
                    hidden.add(total)
                    changed = True
                    break
                changed = True
    return hidden


def _suppress_year(rows: dict[str, list[dict]], places: _Places) -> None:
    """Hide the member counts of one year's rows of every level (in place)."""
    values: dict = {}
    by_node: dict = {}
    for level, level_rows in rows.items():
        for row in level_rows:
            node = (level, row["_key"])
            values[node] = row["members"]
            by_node[node] = row
    municipalities = [node for node in values if node[0] == "municipality"]
    zones = [node for node in values if node[0] == "zone"]
    provinces = [node for node in values if node[0] == "province"]
    country = ("country", COUNTRY_CODE)
    groups: list[tuple[object, list]] = []
    zone_members: dict = defaultdict(list)
    for zone in zones:
        code, _names, province = places.zones[zone[1]]
        zone_members[("province", province)].append(zone)
    province_members: dict = defaultdict(list)
    for municipality in municipalities:
        province_members[("province", places.municipalities[municipality[1]][2])].append(municipality)
    for zone, municipality_ids in places.zone_municipalities.items():
        cells = [("municipality", pk) for pk in sorted(municipality_ids) if ("municipality", pk) in values]
        if ("zone", zone) in values:
            groups.append((("zone", zone), cells))
    for province in provinces:
        groups.append((province, province_members.get(province, [])))
        groups.append((province, zone_members.get(province, [])))
    if country in values:
        groups += [(country, provinces), (country, zones), (country, municipalities)]
    for node in suppress(values, groups, min_count()):
        row = by_node[node]
        row["members"] = None
        row["members_suppressed"] = True
    for level_rows in rows.values():
        for row in level_rows:
            row.pop("_key", None)
