"""Bulk import of networks from a spreadsheet (CSV or XLSX), for ADVP and mandated officers (their zone only).

The flow: `import_batch_create` checks and keeps the uploaded file (an `ImportBatch`); `import_batch_preview`
reads and validates every row against the register and returns per-row, per-field translated errors, writing
nothing; `import_batch_commit` validates again and writes every row in one transaction, or none.

Rows are matched to the register so that importing the same file twice updates instead of duplicating: by
the `code` column when a row has one, otherwise by (name, main municipality). The rules are those of the
network services (`services/network.py`), applied in bulk: the register, the municipalities, their zones and
postal codes are read once, and the writes are bulk inserts and updates, with one audit event per network
created or changed plus one "import" event for the file. The messages are the services' own where the rule is.

Columns missing from the file leave values unchanged; an empty cell clears a value, except Status, Police zone
and Streets, which then stay as they are (and Kind, which stays, or is residential for a new network).
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditAction, AuditEvent
from core.roles import Role, has_role, scope_ids
from geography.models import Municipality, PoliceZone, PostalCode, ZoneMembership

from .. import spreadsheets
from ..choices import (
    FINAL_STATUSES,
    TRANSITIONS,
    NetworkKind,
    NetworkSector,
    NetworkStatus,
    StreetParity,
)
from ..models import AreaStreet, ImportBatch, Network, NetworkStatusChange
from ..models.importing import ImportStatus
from ..permissions import can_import_networks
from ..spreadsheets import Cell, SpreadsheetError, Table
from ..text import normalise_street, parse_street_lines

# --- the columns ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    help: Any
    example: str = ""
    required: bool = False
    width: int = 18


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        _("Code"),
        _("Leave empty for a new network. To update a network, give its code in the register (BIN-<REFNIS>-<n>)."),
        width=16,
    ),
    Column(
        "name", _("Name"), _("The network's name (required), unique in its main municipality."), required=True, width=30
    ),
    Column(
        "kind",
        _("Kind"),
        _(
            "BIN or PLP (residential), BIN-Z or PLP-I (self-employed), sector-BIN or PLP sectoriel (sectoral). "
            "Empty: residential."
        ),
        width=12,
    ),
    Column(
        "sector",
        _("Sector"),
        _("Sectoral networks only: pharmacies, jewellers, port, retail, business park, hospitality or other."),
        width=14,
    ),
    Column("local_label", _("Local label"), _("The name used locally, if any (e.g. BuurtWhatsApp).")),
    Column(
        "status",
        _("Status"),
        _(
            "in preparation (empty: the default for a new network), charter submitted, active, dormant or dissolved. "
            "A merger is recorded on the network's page."
        ),
        width=16,
    ),
    Column(
        "municipality",
        _("Main municipality"),
        _("REFNIS code (five digits, e.g. 11002) or the name of the main municipality (required)."),
        required=True,
    ),
    Column(
        "municipalities",
        _("Other municipalities"),
        _(
            "Other municipalities the network covers, by REFNIS code or name, separated by semicolons. "
            "They must belong to the same police zone."
        ),
    ),
    Column(
        "zone",
        _("Police zone"),
        _("Code (e.g. 5345) or name of the police zone. Empty: the current zone of the main municipality."),
        width=14,
    ),
    Column("founded_on", _("Founded on"), _("Date of founding: YYYY-MM-DD or DD/MM/YYYY."), width=14),
    Column("public_description", _("Public description"), _("Shown to the public."), width=40),
    Column("public_email", _("Public e-mail address"), _("The network's public contact address."), width=26),
    Column("public_phone", _("Public telephone"), _("The network's public telephone number."), width=18),
    Column(
        "streets",
        _("Streets"),
        _(
            "The streets of the area, separated by a vertical bar (|) or on separate lines, each as "
            "street;postal code;from;to (the house numbers optional), optionally followed by ;even or ;odd. "
            "Empty: the streets stay as they are."
        ),
        width=60,
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_KEYS = frozenset(column.key for column in COLUMNS if column.required)
# The fields of an existing network that an import changes (its code, main municipality and zone identify it).
UPDATABLE_FIELDS = (
    "name",
    "kind",
    "sector",
    "local_label",
    "public_description",
    "public_email",
    "public_phone",
    "founded_on",
)
# Empty cells in these columns keep the current value of an existing network.
KEEP_WHEN_EMPTY = frozenset({"status", "zone", "streets", "kind"})

_KIND_ALIASES = {
    "bin": NetworkKind.RESIDENTIAL,
    "plp": NetworkKind.RESIDENTIAL,
    "residentieel": NetworkKind.RESIDENTIAL,
    "residentiel": NetworkKind.RESIDENTIAL,
    "binz": NetworkKind.SELF_EMPLOYED,
    "zbin": NetworkKind.SELF_EMPLOYED,
    "plpi": NetworkKind.SELF_EMPLOYED,
    "zelfstandigen": NetworkKind.SELF_EMPLOYED,
    "independants": NetworkKind.SELF_EMPLOYED,
    "sectorbin": NetworkKind.SECTORAL,
    "binsector": NetworkKind.SECTORAL,
    "plpsectoriel": NetworkKind.SECTORAL,
    "sectoriel": NetworkKind.SECTORAL,
    "sectoraal": NetworkKind.SECTORAL,
}
PARITY_WORDS = {
    "even": StreetParity.EVEN,
    "pair": StreetParity.EVEN,
    "pairs": StreetParity.EVEN,
    "gerade": StreetParity.EVEN,
    "odd": StreetParity.ODD,
    "oneven": StreetParity.ODD,
    "impair": StreetParity.ODD,
    "impairs": StreetParity.ODD,
    "ungerade": StreetParity.ODD,
}
# The word written for each parity in exports and templates, per language.
PARITY_WRITTEN = {
    "nl": {StreetParity.EVEN: "even", StreetParity.ODD: "oneven"},
    "fr": {StreetParity.EVEN: "pair", StreetParity.ODD: "impair"},
    "de": {StreetParity.EVEN: "gerade", StreetParity.ODD: "ungerade"},
    "en": {StreetParity.EVEN: "even", StreetParity.ODD: "odd"},
}
_CODE = re.compile(r"^BIN-(\d{5})-(\d+)$")
_STREET_ITEMS = re.compile(r"\s*(?:\||\r?\n)\s*")
_LIST_ITEMS = re.compile(r"\s*[;,|\n]\s*")
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"^[0-9+()./ \-]{6,32}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def _norm(value: str) -> str:
    """A key for comparing names: accents, case, spaces and punctuation ignored ("Sint-Niklaas" = "sint niklaas")."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    return "".join(char for char in decomposed if char.isalnum()).casefold()


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@lru_cache(maxsize=8)
def _aliases(kind: str) -> dict[str, str]:
    """Normalised labels (in every language) and codes → value, for headers and for choices."""
    if kind == "header":
        pairs = [(column.key, column.label) for column in COLUMNS]
    else:
        pairs = list({"kind": NetworkKind, "sector": NetworkSector, "status": NetworkStatus}[kind].choices)
    aliases: dict[str, str] = {}
    for value, label in pairs:
        aliases[_norm(value)] = value
        for language in _languages():
            with translation.override(language):
                aliases.setdefault(_norm(str(label)), value)
    if kind == "kind":
        for alias, value in _KIND_ALIASES.items():
            aliases.setdefault(alias, value)
    return aliases


def column_headers() -> list[str]:
    """The template's headers, in the active language."""
    return [str(column.label) for column in COLUMNS]


# --- reading the file -----------------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One row of the file: its cells, its errors per column, and what the commit will do with it."""

    number: int
    cells: dict[str, Cell]
    errors: dict[str, list[str]] = field(default_factory=dict)
    action: str = ""  # "create", "update" or "unchanged"
    network: Network | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, list[Any]] = field(default_factory=dict)

    def error(self, key: str, message, **params) -> None:
        self.errors.setdefault(key, []).append(str(message % params if params else message))

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def name(self) -> str:
        return str(self.cells.get("name", ""))

    def error_list(self) -> list[tuple[str, list[str]]]:
        """(column header, messages) in the order of the columns, for display."""
        labels = {column.key: str(column.label) for column in COLUMNS}
        order = {key: index for index, key in enumerate(("", *COLUMN_KEYS))}
        return [
            (labels.get(key, ""), messages)
            for key, messages in sorted(self.errors.items(), key=lambda item: order.get(item[0], 99))
        ]


@dataclass
class ImportPlan:
    """The result of validating a file: rows with their errors, or with what they will change."""

    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    register: Any = field(default=None, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and all(row.is_valid for row in self.rows)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.is_valid]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.is_valid and row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "create": self.count("create"),
            "update": self.count("update"),
            "unchanged": self.count("unchanged"),
            "errors": len(self.error_rows),
        }


def _map_header(header: Sequence[Cell], plan: ImportPlan) -> dict[int, str]:
    aliases = _aliases("header")
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, title in enumerate(header):
        title = str(title).strip()
        if not title:
            continue
        key = aliases.get(_norm(title))
        if key is None:
            plan.ignored_columns.append(title)
            continue
        if key in seen:
            plan.file_errors.append(
                str(
                    _("The column “%(column)s” appears twice (also as “%(other)s”).")
                    % {"column": title, "other": seen[key]}
                )
            )
            continue
        seen[key] = title
        mapping[index] = key
    missing = [column for column in COLUMNS if column.required and column.key not in seen]
    for column in missing:
        plan.file_errors.append(str(_("The column “%(column)s” is missing.") % {"column": column.label}))
    plan.columns = [key for key in COLUMN_KEYS if key in seen]
    return mapping


def _rows(table: Table, mapping: dict[int, str]) -> list[ImportRow]:
    rows = []
    for number, cells in table[1:]:
        values: dict[str, Cell] = {}
        for index, key in mapping.items():
            value = cells[index] if index < len(cells) else ""
            values[key] = value.strip() if isinstance(value, str) else value
        if all(value == "" for value in values.values()):
            continue
        rows.append(ImportRow(number=number, cells=values))
    return rows


# --- the register, read once ----------------------------------------------------------------------------------------


class _Register:
    """Everything the rows are checked against, read in a handful of queries."""

    def __init__(self, actor, rows: list[ImportRow]):
        self.actor = actor
        self.national = has_role(actor, Role.ADVP)
        self.own_zones = scope_ids(actor, Role.ZONE_OFFICER)
        self.municipalities = {m.pk: m for m in Municipality.objects.current()}
        self.by_refnis = {m.refnis: m for m in self.municipalities.values()}
        # Former municipalities too: networks founded before a merger keep theirs.
        self.refnis_of = dict(Municipality.objects.values_list("pk", "refnis"))
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for municipality in self.municipalities.values():
            for name in (municipality.name_nl, municipality.name_fr, municipality.name_de):
                if name:
                    self.by_name[_norm(name)].add(municipality.pk)
        self.zones = {zone.pk: zone for zone in PoliceZone.objects.current()}
        self.zone_by_code = {str(zone.code): zone for zone in self.zones.values() if zone.code}
        self.zone_by_name: dict[str, set[int]] = defaultdict(set)
        for zone in self.zones.values():
            self.zone_by_name[_norm(zone.name)].add(zone.pk)
        self.zone_of = dict(
            ZoneMembership.objects.filter(valid_to__isnull=True, municipality__is_current=True).values_list(
                "municipality_id", "zone_id"
            )
        )
        self.postal_codes: dict[int, set[str]] = defaultdict(set)
        for code, municipality_id in PostalCode.objects.values_list("code", "municipality_id"):
            self.postal_codes[municipality_id].add(code)
        self._load_networks(rows)

    def _load_networks(self, rows: list[ImportRow]) -> None:
        codes = {str(row.cells.get("code", "")).strip().upper() for row in rows} - {""}
        municipality_ids = set()
        for row in rows:
            municipality = self.municipality(str(row.cells.get("municipality", "")))
            if isinstance(municipality, Municipality):
                municipality_ids.add(municipality.pk)
        fields = ("pk", "code", "name", "municipality_id")
        # Every network of the municipalities in the file, whoever may see it: names are unique in the register.
        self.names: dict[tuple[str, int], tuple[int, str]] = {}
        for pk, code, name, municipality_id in Network.objects.filter(municipality_id__in=municipality_ids).values_list(
            *fields
        ):
            self.names[(name.lower(), municipality_id)] = (pk, code)
        self.codes_in_use = set()
        for chunk in _chunks(codes):
            self.codes_in_use |= set(Network.objects.filter(code__in=chunk).values_list("code", flat=True))
        # Only the networks that rows may update are loaded: those named by a code, or by name and municipality.
        candidate_pks = set()
        for row in rows:
            municipality = self.municipality(str(row.cells.get("municipality", "")))
            name = str(row.cells.get("name", "")).strip().lower()
            if isinstance(municipality, Municipality) and (name, municipality.pk) in self.names:
                candidate_pks.add(self.names[(name, municipality.pk)][0])
        changeable = Network.objects.for_user(self.actor, "change").select_related("municipality")
        self.networks = {}
        for chunk in _chunks(candidate_pks):
            self.networks.update((network.pk, network) for network in changeable.filter(pk__in=chunk))
        for chunk in _chunks(codes):
            self.networks.update((network.pk, network) for network in changeable.filter(code__in=chunk))
        self.network_by_code = {network.code: network for network in self.networks.values()}
        self.covered: dict[int, list[int]] = defaultdict(list)
        self.streets: dict[int, list[tuple]] = defaultdict(list)
        with_streets = any(row.cells.get("streets") for row in rows)
        for chunk in _chunks(self.networks):
            for network_id, municipality_id in Network.municipalities.through.objects.filter(
                network_id__in=chunk
            ).values_list("network_id", "municipality_id"):
                self.covered[network_id].append(municipality_id)
            if with_streets:
                for street in AreaStreet.objects.filter(network_id__in=chunk).order_by("pk"):
                    self.streets[street.network_id].append(_street_tuple(street))

    def municipality(self, value: str) -> Municipality | str | None:
        """The municipality named by a REFNIS code or a name; "ambiguous" or None when that fails."""
        value = value.strip()
        if not value:
            return None
        if value.isdigit():
            return self.by_refnis.get(value.zfill(5))
        pks = self.by_name.get(_norm(value), set())
        if len(pks) > 1:
            return "ambiguous"
        return self.municipalities[next(iter(pks))] if pks else None

    def zone(self, value: str) -> PoliceZone | str | None:
        value = value.strip()
        match = re.match(r"^(\d{4})\b", value)
        if match:
            return self.zone_by_code.get(match.group(1))
        pks = self.zone_by_name.get(_norm(value), set())
        if len(pks) > 1:
            return "ambiguous"
        return self.zones[next(iter(pks))] if pks else None

    def current_zone(self, municipality: Municipality) -> PoliceZone | None:
        zone_id = self.zone_of.get(municipality.pk)
        return self.zones.get(zone_id) if zone_id else None

    def may_import_into(self, zone: PoliceZone) -> bool:
        return self.national or zone.pk in self.own_zones


def _chunks(values: Iterable, size: int = 5000) -> Iterable[list]:
    """Values in slices small enough for one SQL `IN (…)` on every database."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _street_tuple(street: AreaStreet) -> tuple:
    return (street.postal_code, street.street, street.number_from, street.number_to, street.parity)


# --- checking one row -----------------------------------------------------------------------------------------------


def _choice(row: ImportRow, key: str, kind: str, message) -> str | None:
    value = str(row.cells.get(key, "")).strip()
    if not value:
        return None
    choice = _aliases(kind).get(_norm(value))
    if choice is None:
        row.error(key, message, value=value)
    return choice


def _date(row: ImportRow, key: str) -> datetime.date | None:
    value = row.cells.get(key, "")
    if isinstance(value, datetime.date):
        day = value
    elif not value:
        return None
    else:
        day = None
        for pattern in _DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(str(value).strip(), pattern).date()
                break
            except ValueError:
                continue
        if day is None:
            row.error(key, _("“%(value)s” is not a date: write YYYY-MM-DD or DD/MM/YYYY."), value=value)
            return None
    if day > timezone.localdate():
        row.error(key, _("The founding date cannot be in the future."))
    elif day.year < 1900:
        row.error(key, _("“%(value)s” is not a plausible founding date."), value=day.isoformat())
    return day


def _text(row: ImportRow, key: str, max_length: int | None) -> str:
    value = str(row.cells.get(key, "")).strip()
    if max_length and len(value) > max_length:
        row.error(key, _("At most %(max)s characters (this one has %(length)s)."), max=max_length, length=len(value))
    return value


def _check_municipality(row: ImportRow, register: _Register, by_code: Network | None) -> Municipality | None:
    value = str(row.cells.get("municipality", "")).strip()
    if not value:
        row.error("municipality", _("Give the main municipality (REFNIS code or name)."))
        return None
    if by_code is not None:
        # A network keeps its main municipality even after that municipality merged into a new one.
        own = by_code.municipality
        if value.zfill(5) == own.refnis or _norm(value) in {
            _norm(n) for n in (own.name_nl, own.name_fr, own.name_de) if n
        }:
            return own
    municipality = register.municipality(value)
    if municipality == "ambiguous":
        row.error("municipality", _("“%(value)s” names several municipalities: give the REFNIS code."), value=value)
        return None
    if municipality is None:
        row.error(
            "municipality",
            _("Unknown municipality “%(value)s”: give its REFNIS code (five digits) or its current name."),
            value=value,
        )
        return None
    return municipality


def _check_zone(row: ImportRow, register: _Register, municipality: Municipality, existing: Network | None):
    """The network's zone: the given one must be the municipality's current zone, and in the importer's scope."""
    current = register.current_zone(municipality)
    value = str(row.cells.get("zone", "")).strip()
    given = None
    if value:
        given = register.zone(value)
        if given == "ambiguous":
            row.error("zone", _("“%(value)s” names several police zones: give the zone code."), value=value)
            return None
        if given is None:
            row.error("zone", _("Unknown police zone “%(value)s”: give its code (e.g. 5345) or its name."), value=value)
            return None
    if existing is not None:
        # The zone of an existing network identifies it, like its main municipality: it does not change here.
        zone = register.zones.get(existing.zone_id) or PoliceZone.objects.get(pk=existing.zone_id)
        if given is not None and given.pk != zone.pk:
            row.error(
                "zone",
                _("The police zone of an existing network does not change: it is %(zone)s."),
                zone=str(zone),
            )
        return zone
    if current is None:
        row.error(
            "municipality", _("%(municipality)s belongs to no current police zone."), municipality=municipality.name
        )
        return None
    if given is not None and given.pk != current.pk:
        row.error(
            "zone",
            _("%(municipality)s belongs to police zone %(zone)s."),
            municipality=municipality.name,
            zone=str(current),
        )
        return None
    if not register.may_import_into(current):
        row.error(
            "zone" if value else "municipality",
            _("Police zone %(zone)s is outside your scope: you can import networks of your own zone only."),
            zone=str(current),
        )
        return None
    return current


def _check_other_municipalities(
    row: ImportRow, register: _Register, municipality: Municipality, zone: PoliceZone
) -> list[int]:
    covered = [municipality.pk]
    for item in _LIST_ITEMS.split(str(row.cells.get("municipalities", "")).strip()):
        if not item:
            continue
        other = register.municipality(item)
        if other == "ambiguous":
            row.error(
                "municipalities", _("“%(value)s” names several municipalities: give the REFNIS code."), value=item
            )
            continue
        if other is None:
            row.error(
                "municipalities",
                _("Unknown municipality “%(value)s”: give its REFNIS code (five digits) or its current name."),
                value=item,
            )
            continue
        if other.pk in covered:
            continue
        other_zone = register.current_zone(other)
        if other_zone is None or other_zone.pk != zone.pk:
            row.error(
                "municipalities",
                _("%(municipality)s belongs to police zone %(zone)s, not to %(network_zone)s."),
                municipality=other.name,
                zone=str(other_zone) if other_zone else "–",
                network_zone=str(zone),
            )
            continue
        covered.append(other.pk)
    return covered


def parse_streets(text: str) -> tuple[list[tuple], list[str]]:
    """The streets of one cell: (postal code, street, from, to, parity) tuples, and translated errors. Uses the
    same reading as a pasted street list (street;postal code;from;to), plus an optional ;even or ;odd."""
    lines, parities = [], []
    for item in _STREET_ITEMS.split(text.strip()):
        parts = item.rsplit(";", 1)
        parity = StreetParity.ALL
        if len(parts) == 2 and _norm(parts[1]) in PARITY_WORDS:
            item, parity = parts[0], PARITY_WORDS[_norm(parts[1])]
        lines.append(item)
        parities.append(parity)
    parsed = parse_street_lines("\n".join(lines))
    errors = [
        str(
            _("Street %(number)s (“%(text)s”): %(message)s") % {"number": line, "text": lines[line - 1], "message": msg}
        )
        for line, msg in parsed.errors
    ]
    streets = [
        (street.postal_code, street.street, street.number_from, street.number_to, parities[street.line - 1])
        for street in parsed.rows
    ]
    return streets, errors


def _check_streets(row: ImportRow, register: _Register, covered: list[int]) -> list[tuple] | None:
    text = str(row.cells.get("streets", "")).strip()
    if not text:
        return None
    streets, errors = parse_streets(text)
    for message in errors:
        row.error("streets", message)
    allowed = set().union(*(register.postal_codes.get(pk, set()) for pk in covered))
    outside = sorted({street[0] for street in streets} - allowed)
    for code in outside:
        row.error("streets", _("Postal code %(code)s does not serve a municipality of this network."), code=code)
    return streets


def _find_existing(row: ImportRow, register: _Register, code: str, name: str, municipality: Municipality | None):
    """The network this row updates (by code, else by name and municipality), or None for a new one."""
    if code:
        network = register.network_by_code.get(code)
        if network is None and code in register.codes_in_use:
            row.error("code", _("Another network already has the code %(code)s."), code=code)
        return network
    if municipality is None or not name:
        return None
    found = register.names.get((name.lower(), municipality.pk))
    if found is None:
        return None
    network = register.networks.get(found[0])
    if network is None:
        row.error(
            "name",
            _("%(municipality)s already has a network called “%(name)s”, which you cannot change."),
            municipality=municipality.name,
            name=name,
        )
    return network


def _check_status(row: ImportRow, existing: Network | None) -> str | None:
    status = _choice(
        row,
        "status",
        "status",
        _("Unknown status “%(value)s”: in preparation, charter submitted, active, dormant or dissolved."),
    )
    if status is None:
        return None
    if existing is None:
        if status == NetworkStatus.MERGED:
            row.error("status", _("A network cannot be created as merged."))
        return status
    if status == existing.status:
        return status
    if status == NetworkStatus.MERGED:
        row.error("status", _("Record a merger on the network's page: it names the network merged into."))
    elif status not in TRANSITIONS[existing.status]:
        row.error(
            "status",
            _("A network that is “%(from)s” cannot become “%(to)s”."),
            **{"from": NetworkStatus(existing.status).label, "to": NetworkStatus(status).label},
        )
    elif existing.status == NetworkStatus.CHARTER_SUBMITTED and status == NetworkStatus.ACTIVE:
        row.error("status", _("A network becomes active when ADVP finds its charter conform."))
    return status


def _check_row(row: ImportRow, register: _Register, seen_codes: dict, seen_names: dict) -> None:
    cells = row.cells
    code = str(cells.get("code", "")).strip().upper()
    if code and not _CODE.match(code):
        row.error("code", _("“%(value)s” is not a network code: they read BIN-<REFNIS>-<number>."), value=code)
        code = ""
    name = _text(row, "name", 200)
    if "name" in cells and not name:
        row.error("name", _("Enter the network's name."))
    municipality = _check_municipality(row, register, register.network_by_code.get(code) if code else None)
    existing = _find_existing(row, register, code, name, municipality)
    row.network = existing

    if code:
        if code in seen_codes:
            row.error("code", _("The same code as row %(row)s."), row=seen_codes[code])
        seen_codes.setdefault(code, row.number)
        if existing is None and municipality is not None and _CODE.match(code).group(1) != municipality.refnis:
            row.error(
                "code",
                _("A network code reads BIN-%(refnis)s-<number> for this municipality."),
                refnis=municipality.refnis,
            )
    if name and municipality is not None:
        key = (name.lower(), municipality.pk)
        if key in seen_names:
            row.error("name", _("The same name and municipality as row %(row)s."), row=seen_names[key])
        seen_names.setdefault(key, row.number)
        other = register.names.get(key)
        if other is not None and (existing is None or other[0] != existing.pk) and code:
            row.error(
                "name",
                _("%(municipality)s already has a network called “%(name)s”."),
                municipality=municipality.name,
                name=name,
            )
    if existing is not None and municipality is not None and municipality.pk != existing.municipality_id:
        row.error(
            "municipality",
            _("The main municipality of an existing network does not change: it is %(municipality)s."),
            municipality=register.municipalities.get(existing.municipality_id, existing.municipality).name,
        )

    kind = _choice(
        row, "kind", "kind", _("Unknown kind “%(value)s”: BIN, BIN-Z or sector-BIN (PLP, PLP-I, PLP sectoriel).")
    )
    if kind is None:
        kind = existing.kind if existing is not None else NetworkKind.RESIDENTIAL
    sector = _choice(
        row,
        "sector",
        "sector",
        _("Unknown sector “%(value)s”: pharmacies, jewellers, port, retail, business park, hospitality or other."),
    )
    if "sector" not in cells and existing is not None:
        sector = existing.sector
    sector = sector or ""
    if kind == NetworkKind.SECTORAL and not sector and "sector" not in row.errors:
        row.error("sector", _("A sectoral network needs its sector."))
    if kind != NetworkKind.SECTORAL and sector:
        row.error("sector", _("Only a sectoral network has a sector."))
    status = _check_status(row, existing)

    values: dict[str, Any] = {"name": name, "kind": kind, "sector": sector, "status": status}
    for key, max_length in (("local_label", 80), ("public_description", None), ("public_phone", 32)):
        if key in cells:
            values[key] = _text(row, key, max_length)
    if values.get("public_phone") and not _PHONE.match(values["public_phone"]):
        row.error("public_phone", _("“%(value)s” is not a telephone number."), value=values["public_phone"])
    if "public_email" in cells:
        email = _text(row, "public_email", 254)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("public_email", _("“%(value)s” is not an e-mail address."), value=email)
        values["public_email"] = email
    if "founded_on" in cells:
        values["founded_on"] = _date(row, "founded_on")

    zone = _check_zone(row, register, municipality, existing) if municipality is not None else None
    values["municipality"], values["zone"] = municipality, zone
    covered = None
    if municipality is not None and zone is not None:
        if "municipalities" in cells:
            covered = _check_other_municipalities(row, register, municipality, zone)
        elif existing is not None:
            covered = register.covered.get(existing.pk, [municipality.pk])
        else:
            covered = [municipality.pk]
        values["streets"] = _check_streets(row, register, covered) if "streets" in cells else None
    elif "streets" in cells and str(cells["streets"]).strip():
        # Without a known municipality the postal codes cannot be checked, but the list itself can.
        for message in parse_streets(str(cells["streets"]))[1]:
            row.error("streets", message)
    values["municipalities"] = covered
    row.values = values
    if row.is_valid:
        _plan_row(row, register, code)


def _plan_row(row: ImportRow, register: _Register, code: str) -> None:
    values, existing = row.values, row.network
    if existing is None:
        row.action = "create"
        values["code"] = code
        return
    changes: dict[str, list[Any]] = {}
    for key in UPDATABLE_FIELDS:
        if key in values:
            old, new = getattr(existing, key), values[key]
            if new != old:
                changes[key] = [old, new]
    if values["status"] and values["status"] != existing.status:
        changes["status"] = [existing.status, values["status"]]
    if values["municipalities"] is not None:
        before = sorted(register.refnis_of[pk] for pk in register.covered.get(existing.pk, []))
        after = sorted(register.refnis_of[pk] for pk in values["municipalities"])
        if before != after:
            changes["municipalities"] = [before, after]
    if values.get("streets") is not None:
        before_streets = register.streets.get(existing.pk, [])
        if _street_keys(before_streets) != _street_keys(values["streets"]):
            changes["area_streets"] = [f"{len(before_streets)} streets", f"{len(values['streets'])} streets"]
    row.changes = changes
    row.action = "update" if changes else "unchanged"


def _street_keys(streets: Iterable[tuple]) -> set[tuple]:
    return {(code, _normalise(street), start, end, parity) for code, street, start, end, parity in streets}


def import_validate(*, actor, table: Table) -> ImportPlan:
    """Check every row of a read file against the register, writing nothing."""
    plan = ImportPlan()
    if not table:
        plan.file_errors.append(str(_("The file is empty.")))
        return plan
    mapping = _map_header(table[0][1], plan)
    if plan.file_errors:
        return plan
    plan.rows = _rows(table, mapping)
    if not plan.rows:
        plan.file_errors.append(str(_("The file has a header but no rows of networks.")))
        return plan
    register = _Register(actor, plan.rows)
    seen_codes: dict[str, int] = {}
    seen_names: dict[tuple, int] = {}
    for row in plan.rows:
        _check_row(row, register, seen_codes, seen_names)
    plan.register = register
    return plan


# --- writing --------------------------------------------------------------------------------------------------------


def _highest_numbers(refnis_codes: set[str], extra_codes: Iterable[str] = ()) -> dict[str, int]:
    """The highest n of the codes BIN-<REFNIS>-<n> already given (in the register or in `extra_codes`, the codes
    the file itself names), per municipality."""
    highest = dict.fromkeys(refnis_codes, 0)
    prefixes = sorted(refnis_codes)
    codes: list[str] = list(extra_codes)
    if len(prefixes) > 20:
        # Many municipalities (a national file): one pass over the codes beats hundreds of LIKE conditions, which
        # no index serves (0.4 s for 3,000 rows at 15,000 networks). Codes that do not match are skipped below.
        codes += Network.objects.filter(code__startswith="BIN-").values_list("code", flat=True)
        prefixes = []
    for start in range(0, len(prefixes), 200):
        condition = Q()
        for refnis in prefixes[start : start + 200]:
            condition |= Q(code__startswith=f"BIN-{refnis}-")
        codes += Network.objects.filter(condition).values_list("code", flat=True)
    for code in codes:
        match = _CODE.match(code)
        if match and match.group(1) in highest:
            highest[match.group(1)] = max(highest[match.group(1)], int(match.group(2)))
    return highest


def _audit_events(actor, items: Iterable[tuple[Network, str, dict]]) -> list[AuditEvent]:
    """Audit events as `core.audit.audit_record` writes them, built for one bulk insert."""
    from core.audit import _plain_changes  # the same JSON-ready form as every other audit event

    content_type = ContentType.objects.get_for_model(Network)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    label = actor.email if authenticated else "system"
    return [
        AuditEvent(
            actor=actor if authenticated else None,
            actor_label=label,
            action=action,
            content_type=content_type,
            object_id=str(network.pk),
            object_repr=str(network)[:255],
            changes=_plain_changes(changes),
        )
        for network, action, changes in items
    ]


def _normalise(street: str) -> str:
    """`text.normalise_street`, with a fast path for plain ASCII names (most of them), where it comes to the same."""
    if street.isascii():
        return _SPACES.sub(" ", street.replace("`", "'")).strip().casefold()
    return normalise_street(street)


def _street_rows(network_id: int, streets: list[tuple]) -> list[tuple]:
    """Rows of the streets table for one network, without repeats."""
    rows, seen = [], set()
    for postal_code, street, number_from, number_to, parity in streets:
        normalised = _normalise(street)
        key = (postal_code, normalised, number_from, number_to, parity)
        if key in seen:
            continue
        seen.add(key)
        rows.append((network_id, postal_code, street, normalised, number_from, number_to, parity))
    return rows


def _insert_rows(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain rows in batches with `executemany`. Used for the two tables an import fills by the hundred
    thousand (streets, and the network–municipality links), whose rows have no defaults, no JSON and no signals:
    building a model instance per row would take most of the import's time. Values are checked before."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(column).column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from the model, values bound  # nosec B608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    networks: list[Network] = field(default_factory=list)


def _write(*, actor, plan: ImportPlan, source: str) -> ImportOutcome:
    """Write a valid plan. Must run inside the caller's transaction."""
    outcome = ImportOutcome()
    today = timezone.localdate()
    now = timezone.now()
    to_create = [row for row in plan.rows if row.action == "create"]
    to_update = [row for row in plan.rows if row.action == "update"]
    outcome.unchanged = sum(1 for row in plan.rows if row.action == "unchanged")
    status_changes: list[NetworkStatusChange] = []
    audit: list[tuple[Network, str, dict]] = []
    through = Network.municipalities.through
    links: list = []
    streets: list[tuple] = []

    # New networks: codes numbered on from the highest in use per municipality.
    highest = _highest_numbers(
        {row.values["municipality"].refnis for row in to_create},
        [row.values["code"] for row in to_create if row.values["code"]],
    )
    new_networks = []
    created_reason = str(_("Imported from %(file)s") % {"file": source})
    for row in to_create:
        values = row.values
        municipality = values["municipality"]
        code = values["code"]
        if not code:
            highest[municipality.refnis] += 1
            code = f"BIN-{municipality.refnis}-{highest[municipality.refnis]}"
        network = Network(
            code=code,
            name=values["name"],
            kind=values["kind"],
            sector=values["sector"],
            local_label=values.get("local_label", ""),
            status=values["status"] or NetworkStatus.IN_PREPARATION,
            municipality=municipality,
            zone=values["zone"],
            founded_on=values.get("founded_on"),
            public_description=values.get("public_description", ""),
            public_email=values.get("public_email", ""),
            public_phone=values.get("public_phone", ""),
            created_at=now,
        )
        new_networks.append((row, network))
    Network.objects.bulk_create([network for _row, network in new_networks], batch_size=500)
    if new_networks and new_networks[0][1].pk is None:
        # Backends that do not return ids from a bulk insert: read them back by code.
        ids = dict(Network.objects.filter(code__in=[n.code for _r, n in new_networks]).values_list("code", "pk"))
        for _row, network in new_networks:
            network.pk = ids[network.code]
    for row, network in new_networks:
        values = row.values
        links += [(network.pk, pk) for pk in values["municipalities"]]
        streets += _street_rows(network.pk, values.get("streets") or [])
        founded_on = values.get("founded_on")
        status_changes.append(
            NetworkStatusChange(
                network_id=network.pk,
                from_status="",
                to_status=network.status,
                on=founded_on if network.status != NetworkStatus.IN_PREPARATION and founded_on else today,
                reason=created_reason,
                actor=actor,
                created_at=now,
            )
        )
        changes = {
            key: [None, value]
            for key, value in (
                ("code", network.code),
                ("name", network.name),
                ("kind", network.kind),
                ("sector", network.sector),
                ("local_label", network.local_label),
                ("status", network.status),
                ("municipality", network.municipality_id),
                ("zone", network.zone_id),
                ("founded_on", network.founded_on),
                ("public_description", network.public_description),
                ("public_email", network.public_email),
                ("public_phone", network.public_phone),
            )
            if value not in ("", None)
        }
        changes["municipalities"] = [
            None,
            sorted(plan.register.refnis_of[pk] for pk in values["municipalities"]),
        ]
        if values.get("streets"):
            changes["area_streets"] = [None, f"{len(values['streets'])} streets"]
        changes["import"] = [None, source]
        audit.append((network, AuditAction.CREATE, changes))
        outcome.networks.append(network)
    outcome.created = len(new_networks)

    # Existing networks: changed fields in one bulk update; their municipalities and streets replaced.
    updated_fields: set[str] = set()
    relinked, restreeted, notify = [], [], []
    for row in to_update:
        network, values, changes = row.network, row.values, row.changes
        for key in (
            "name",
            "kind",
            "sector",
            "local_label",
            "public_description",
            "public_email",
            "public_phone",
            "founded_on",
        ):
            if key in changes:
                setattr(network, key, values[key] if values[key] is not None or key == "founded_on" else "")
                updated_fields.add(key)
        if "status" in changes:
            network.status = values["status"]
            updated_fields.add("status")
            status_changes.append(
                NetworkStatusChange(
                    network_id=network.pk,
                    from_status=changes["status"][0],
                    to_status=network.status,
                    on=today,
                    reason=str(_("Set by the import of %(file)s") % {"file": source}),
                    actor=actor,
                    created_at=now,
                )
            )
            if network.status in FINAL_STATUSES:
                notify.append(len(status_changes) - 1)
        if "municipalities" in changes:
            relinked.append(network.pk)
            links += [(network.pk, pk) for pk in values["municipalities"]]
        if "area_streets" in changes:
            restreeted.append(network.pk)
            streets += _street_rows(network.pk, values["streets"])
        network.updated_at = now
        audit.append((network, AuditAction.UPDATE, {**changes, "import": [None, source]}))
        outcome.networks.append(network)
    if to_update:
        Network.objects.bulk_update(
            [row.network for row in to_update], sorted(updated_fields | {"updated_at"}), batch_size=500
        )
    outcome.updated = len(to_update)
    for chunk in _chunks(relinked):
        through.objects.filter(network_id__in=chunk).delete()
    for chunk in _chunks(restreeted):
        AreaStreet.objects.filter(network_id__in=chunk).delete()
    _insert_rows(through, ("network", "municipality"), links)
    _insert_rows(
        AreaStreet,
        ("network", "postal_code", "street", "street_normalised", "number_from", "number_to", "parity"),
        streets,
    )
    NetworkStatusChange.objects.bulk_create(status_changes, batch_size=1000)
    AuditEvent.objects.bulk_create(_audit_events(actor, audit), batch_size=1000)
    if notify:
        notified = [status_changes[index] for index in notify]
        if notified[0].pk is None:
            ids = NetworkStatusChange.objects.filter(
                network_id__in=[change.network_id for change in notified], created_at=now
            ).values_list("pk", flat=True)
        else:
            ids = [change.pk for change in notified]
        from .network import _enqueue_end_notification  # ADVP hears at once when a network ends

        for change_id in ids:
            transaction.on_commit(lambda change_id=change_id: _enqueue_end_notification(change_id))
    return outcome


def networks_import(*, actor, table: Table, source: str) -> tuple[ImportPlan, ImportOutcome | None]:
    """Validate a read file and, when every row is valid, write all of it in one transaction. Returns the plan
    (with its errors) and what was written (None when nothing was)."""
    if not can_import_networks(actor):
        raise PermissionDenied(_("You cannot import networks."))
    with transaction.atomic():
        plan = import_validate(actor=actor, table=table)
        if not plan.is_valid:
            return plan, None
        try:
            with transaction.atomic():
                outcome = _write(actor=actor, plan=plan, source=source)
        except IntegrityError:
            plan.file_errors.append(
                str(_("The register changed while the file was being imported. Check the preview again."))
            )
            return plan, None
    return plan, outcome


# --- import batches: upload, preview, commit, cancel ----------------------------------------------------------------


def import_batch_create(*, actor, upload: IO[bytes], name: str, size: int | None = None) -> ImportBatch:
    """Check an uploaded file (type by content, size, zip bomb, number of rows) and keep it for the preview.
    Raises SpreadsheetError (a ValidationError) with a translated message; nothing is kept then."""
    if not can_import_networks(actor):
        raise PermissionDenied(_("You cannot import networks."))
    if size is not None and size > spreadsheets.MAX_FILE_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(max)s MB."), code="too_big", params={"max": spreadsheets.MAX_FILE_BYTES >> 20}
        )
    data = upload.read(spreadsheets.MAX_FILE_BYTES + 1)
    file_format, table = spreadsheets.read_spreadsheet(io.BytesIO(data), size=size)
    _clean_old_batches()
    batch = ImportBatch(
        original_name=(name or "import")[:255],
        file_format=file_format,
        row_count=max(len(table) - 1, 0),
        created_by=actor,
    )
    batch.file.save(f"import.{file_format}", ContentFile(data), save=False)
    batch.full_clean()
    with transaction.atomic():
        batch.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=batch,
            changes={"original_name": [None, batch.original_name], "row_count": [None, batch.row_count]},
        )
    return batch


def import_batch_read(batch: ImportBatch) -> Table:
    with batch.file.open("rb") as stream:
        _format, table = spreadsheets.read_spreadsheet(stream)
    return table


def import_batch_preview(*, actor, batch: ImportBatch) -> ImportPlan:
    """Validate the kept file again (the register may have changed since the upload), writing nothing."""
    if batch.status != ImportStatus.PENDING or not batch.file:
        plan = ImportPlan()
        plan.file_errors.append(str(_("This import has already been carried out or cancelled.")))
        return plan
    try:
        table = import_batch_read(batch)
    except (SpreadsheetError, FileNotFoundError, OSError):
        plan = ImportPlan()
        plan.file_errors.append(str(_("The uploaded file is no longer available: upload it again.")))
        return plan
    return import_validate(actor=actor, table=table)


def import_batch_commit(*, actor, batch: ImportBatch) -> tuple[ImportPlan, ImportOutcome | None]:
    """Write every row of the kept file in one transaction, or none when any row has an error."""
    if not can_import_networks(actor) or batch.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot carry out this import."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        plan = import_batch_preview(actor=actor, batch=batch)
        if not plan.is_valid:
            return plan, None
        try:
            with transaction.atomic():
                outcome = _write(actor=actor, plan=plan, source=batch.original_name)
        except IntegrityError:
            plan.file_errors.append(
                str(_("The register changed while the file was being imported. Check the preview again."))
            )
            return plan, None
        batch.status = ImportStatus.COMMITTED
        batch.committed_at = timezone.now()
        batch.created_count, batch.updated_count = outcome.created, outcome.updated
        batch.save(update_fields=["status", "committed_at", "created_count", "updated_count"])
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=batch,
            changes={
                "file": [None, batch.original_name],
                "rows": [None, len(plan.rows)],
                "created": [None, outcome.created],
                "updated": [None, outcome.updated],
                "unchanged": [None, outcome.unchanged],
            },
        )
        file_name = batch.file.name
        transaction.on_commit(lambda: _delete_file(file_name))
    return plan, outcome


def import_batch_cancel(*, actor, batch: ImportBatch) -> ImportBatch:
    """Drop a pending import and its file."""
    if batch.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot cancel this import."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.PENDING:
            return batch
        batch.status = ImportStatus.CANCELLED
        batch.save(update_fields=["status"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=batch, changes={"status": [ImportStatus.PENDING, batch.status]}
        )
        file_name = batch.file.name
        transaction.on_commit(lambda: _delete_file(file_name))
    return batch


def _delete_file(name: str) -> None:
    if name:
        from django.core.files.storage import default_storage

        default_storage.delete(name)


def _clean_old_batches(days: int = 2) -> None:
    """Uploaded files left waiting for more than `days` are deleted with their batch."""
    old = ImportBatch.objects.filter(
        status=ImportStatus.PENDING, created_at__lt=timezone.now() - datetime.timedelta(days=days)
    )
    for batch in old:
        _delete_file(batch.file.name)
    old.update(status=ImportStatus.CANCELLED)


# --- the template ---------------------------------------------------------------------------------------------------


def _example_row(actor) -> list[Cell]:
    """An example row, in a municipality of the user's own zone when they have one (Antwerp otherwise)."""
    municipality, zone = None, None
    zones = sorted(scope_ids(actor, Role.ZONE_OFFICER)) if actor is not None else []
    membership = (
        ZoneMembership.objects.filter(valid_to__isnull=True, zone_id__in=zones, municipality__is_current=True)
        .select_related("municipality", "zone")
        .order_by("municipality__refnis")
        .first()
        if zones
        else ZoneMembership.objects.filter(valid_to__isnull=True, municipality__refnis="11002")
        .select_related("municipality", "zone")
        .first()
    )
    if membership is not None:
        municipality, zone = membership.municipality, membership.zone
    postal = (
        PostalCode.objects.filter(municipality=municipality).order_by("code").values_list("code", flat=True).first()
        if municipality
        else None
    ) or "2000"
    language = translation.get_language() or "nl"
    even = PARITY_WRITTEN.get(language[:2], PARITY_WRITTEN["en"])[StreetParity.EVEN]
    street_a, street_b = (
        ("Rue de l'Église", "Rue de la Station")
        if municipality and municipality.language == "fr"
        else ("Kirchstraße", "Bahnhofstraße")
        if municipality and municipality.language == "de"
        else ("Kerkstraat", "Stationsstraat")
    )
    return [
        "",
        str(_("Example network")),
        "BIN",
        "",
        "",
        str(NetworkStatus.IN_PREPARATION.label),
        municipality.refnis if municipality else "11002",
        "",
        str(zone.code) if zone and zone.code else "",
        datetime.date(timezone.localdate().year, 1, 15),
        str(_("Neighbours who look out for each other.")),
        "bin@example.be",
        "",
        f"{street_a};{postal} | {street_b};{postal};1;99;{even}",
    ]


def import_template(*, actor, file_format: str) -> tuple[bytes, str, str]:
    """The template to fill in: headers in the active language and one example row; the XLSX has a second sheet
    explaining every column. Returns (content, file name, content type)."""
    header = column_headers()
    example = _example_row(actor)
    if file_format == spreadsheets.XLSX:
        notes = [(str(_("Column")), str(_("What to write")))] + [
            (str(column.label) + (" *" if column.required else ""), str(column.help)) for column in COLUMNS
        ]
        content = spreadsheets.write_xlsx(
            header,
            [example],
            sheet_name=str(_("Networks")),
            widths=[column.width for column in COLUMNS],
            notes=notes,
            notes_title=str(_("Instructions")),
        )
        return (
            content,
            "binplp-networks-template.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    stream = io.StringIO()
    spreadsheets.write_csv(stream, header, [example])
    return stream.getvalue().encode("utf-8"), "binplp-networks-template.csv", "text/csv; charset=utf-8"
