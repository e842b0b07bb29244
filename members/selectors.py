"""The public finder: which active networks cover an address or a point, and the public map's layer.

Only active networks and only their public fields ever leave this module. On SQLite the finder's reads are kept per
process (per thread) for as long as the database is unchanged — any write, by this process or another, drops them
(see `_database_token`) — so that a warm search costs no query; benchmarks in bench/run.py."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Max
from rapidfuzz import fuzz, process
from shapely import STRtree, prepared
from shapely.geometry import Point, shape

from geography.models import Municipality, MunicipalityBoundary, PostalCode
from networks.choices import NetworkStatus, StreetParity
from networks.models import AreaStreet, Network
from networks.text import normalise_street

FUZZY_THRESHOLD = 85
NEARBY_LIMIT = 5

# Abbreviations, applied to the normalised (lower case, accents stripped) name. Each gives one or more spellings.
_SUFFIXES = [  # also at the end of a Dutch compound: "Kerkstr." → "kerkstraat", "Mechelsestwg" → "mechelsesteenweg"
    (re.compile(r"stwg\.?(?=\s|$)"), ["steenweg"]),
    (re.compile(r"str\.?(?=\s|$)"), ["straat"]),
]
_WORDS = [  # whole words only
    (re.compile(r"\b(?:av|ave)\.?(?=\s|$)"), ["avenue"]),
    (re.compile(r"\b(?:bd|boul|blvd)\.?(?=\s|$)"), ["boulevard"]),
    (re.compile(r"\bch\.(?=\s|$)"), ["chaussee"]),
    (re.compile(r"\bpl\.(?=\s|$)"), ["plein", "place"]),
    (re.compile(r"(?<=\w)pl\.(?=\s|$)"), ["plein", "plaats"]),
]
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=200_000)
def _key(name: str) -> str:
    """The form compared: normalised, punctuation and hyphens turned into single spaces. Memoised: the same few
    thousand street names come back on every search."""
    return _NOT_ALNUM.sub(" ", name).strip()


def street_spellings(name: str) -> list[str]:
    """The comparison keys of what a visitor typed: the name with its abbreviations written out (every reading
    of an ambiguous one such as "pl.")."""
    spellings = [normalise_street(name)]
    for pattern, replacements in [*_SUFFIXES, *_WORDS]:
        expanded = []
        for spelling in spellings:
            if pattern.search(spelling):
                expanded.extend(pattern.sub(replacement, spelling) for replacement in replacements)
            else:
                expanded.append(spelling)
        spellings = expanded
    return list(dict.fromkeys(_key(spelling) for spelling in spellings if _key(spelling)))


# --- Reads kept while the database is unchanged ----------------------------------------------------------------

READ_CACHE_ENTRIES = 512  # per thread: streets of a postal code, networks, municipalities, drawn areas
_reads = threading.local()


def _database_token() -> tuple | None:
    """Something that changes whenever the database may have changed since, or None where there is no cheap sign.

    SQLite has one: `PRAGMA data_version` moves when another connection (another worker, the background worker)
    commits, and the connection's `total_changes` when it writes itself — bulk writes, queryset updates and rolled
    back writes included, which model signals would miss. Nothing is kept inside a transaction (it may yet roll
    back), nor across a new connection. On PostgreSQL nothing is kept: these reads are small indexed queries there."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    connection.ensure_connection()
    raw = connection.connection
    version = raw.execute("PRAGMA data_version").fetchone()[0]
    return (raw, version, raw.total_changes)


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, or its value from the last time while the database has not changed (see _database_token).
    The finder's answers depend only on the database, so a warm search reads nothing but the token."""
    token = _database_token()
    if token is None:
        return compute()
    if getattr(_reads, "token", None) != token:
        _reads.token, _reads.values = token, OrderedDict()
    values = _reads.values
    if key in values:
        values.move_to_end(key)
        return values[key]
    value = values[key] = compute()
    if len(values) > READ_CACHE_ENTRIES:
        values.popitem(last=False)
    return value


def forget_reads() -> None:
    """Drop this thread's kept reads (the benchmarks time searches that must read the database)."""
    _reads.__dict__.clear()


# (normalised street, network id, number from, number to, parity) of one street entry of an active network.
StreetRow = tuple[str, int, int | None, int | None, str]
_PROBE = "0000"  # the postal code the street query is compiled with, replaced by the real one on each search
_street_query: tuple[str, str, list] | None = None  # (database vendor, SQL, parameters with the probe)


def _street_rows(postal_code: str) -> list[StreetRow]:
    """The street entries of the active networks with this postal code, in one query. The SQL is the ORM's own,
    compiled once per process and then run through the cursor: building the query on every search cost more
    than running it."""
    global _street_query
    if _street_query is None or _street_query[0] != connection.vendor:
        queryset = (
            AreaStreet.objects.filter(postal_code=_PROBE, network__status=NetworkStatus.ACTIVE)
            .order_by()
            .values_list("street_normalised", "network_id", "number_from", "number_to", "parity")
        )
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        _street_query = (connection.vendor, sql, list(params))
    _vendor, sql, params = _street_query
    with connection.cursor() as cursor:
        cursor.execute(sql, [postal_code if param == _PROBE else param for param in params])
        return cursor.fetchall()


def _streets_by_key(postal_code: str) -> dict[str, list[StreetRow]]:
    """The active networks' street entries with this postal code by comparison key."""

    def read() -> dict[str, list[StreetRow]]:
        by_key: dict[str, list[StreetRow]] = {}
        for row in _street_rows(postal_code):
            by_key.setdefault(_key(row[0]), []).append(row)
        return by_key

    return _cached(("streets", postal_code), read)


def _matching_keys(by_key: dict[str, list[StreetRow]], street: str) -> list[str]:
    """The keys `street` means: the exact ones if any, otherwise the closest within the typo threshold."""
    if not by_key:
        return []
    spellings = street_spellings(street)
    exact = [spelling for spelling in spellings if spelling in by_key]
    if exact:
        return exact
    best: dict[str, float] = {}
    keys = list(by_key)
    for spelling in spellings:
        for key, score, _index in process.extract(
            spelling, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None
        ):
            best[key] = max(score, best.get(key, 0))
    if not best:
        return []
    top = max(best.values())
    return [key for key, score in best.items() if score == top]


def matching_street_names(postal_code: str, street: str) -> list[str]:
    """The normalised names of the active networks' streets with this postal code that `street` means: the exact
    ones if any, otherwise the closest within the typo threshold."""
    by_key = _streets_by_key(postal_code)
    names = (row[0] for key in _matching_keys(by_key, street) for row in by_key[key])
    return list(dict.fromkeys(names))


def _covers_number(area_street, number: int | None) -> bool:
    """Whether an area street entry (a model instance or a StreetRow) holds this house number."""
    if isinstance(area_street, tuple):
        _name, _network, number_from, number_to, parity = area_street
    else:
        number_from, number_to, parity = area_street.number_from, area_street.number_to, area_street.parity
    if number is None:
        return True
    if number_from is not None and number < number_from:
        return False
    if number_to is not None and number > number_to:
        return False
    if parity == StreetParity.EVEN and number % 2:
        return False
    return not (parity == StreetParity.ODD and not number % 2)


# What members.public shows of a network, its municipality and its zone: the finder reads only these columns (never
# the drawn area, a JSON document that would be decoded for nothing).
PUBLIC_FIELDS = (
    *("code", "name", "kind", "sector", "public_description", "public_email", "public_phone"),
    *("municipality__name_nl", "municipality__name_fr", "municipality__name_de", "municipality__language"),
    *("municipality__refnis", "zone__code", "zone__name"),
)


def _public_networks():
    return (
        Network.objects.filter(status=NetworkStatus.ACTIVE).select_related("municipality", "zone").only(*PUBLIC_FIELDS)
    )


def _networks(ids) -> list[Network]:
    """The active networks with these ids (public fields, in the register's order)."""
    if not ids:
        return []
    ids = frozenset(ids)
    return list(_cached(("networks", ids), lambda: list(_public_networks().filter(pk__in=ids))))


def networks_covering(postal_code: str, street: str, number: int | None = None) -> list[Network]:
    """The active networks whose area holds this address (house number ranges and parity respected; without a
    number, every network holding some part of the street)."""
    by_key = _streets_by_key(postal_code)
    return _networks(
        {row[1] for key in _matching_keys(by_key, street) for row in by_key[key] if _covers_number(row, number)}
    )


# --- Geometry: municipality boundaries, prepared once per process ----------------------------------------------


@dataclass
class _Shapes:
    token: tuple
    prepared: dict[int, object] = field(default_factory=dict)  # municipality id → prepared geometry
    geometry: dict[int, object] = field(default_factory=dict)
    centroid: dict[int, tuple[float, float]] = field(default_factory=dict)  # (lon, lat)
    tree: STRtree | None = None  # the boundaries' bounding boxes: a point is tested against a few, not all 565
    tree_ids: list[int] = field(default_factory=list)  # municipality id of each geometry in the tree


_shapes: _Shapes | None = None
_shapes_lock = threading.Lock()


def _municipality_shapes() -> _Shapes:
    """The current boundaries as shapely geometries, rebuilt only when the boundaries table changed."""
    global _shapes
    stats = _cached(("boundaries",), lambda: MunicipalityBoundary.objects.aggregate(count=Count("id"), last=Max("id")))
    token = (stats["count"], stats["last"])
    with _shapes_lock:
        if _shapes is None or _shapes.token != token:
            shapes = _Shapes(token=token)
            for municipality_id, geometry in MunicipalityBoundary.objects.filter(
                municipality__is_current=True
            ).values_list("municipality_id", "geometry"):
                geom = shape(geometry)
                shapes.geometry[municipality_id] = geom
                shapes.prepared[municipality_id] = prepared.prep(geom)
                centre = geom.centroid
                shapes.centroid[municipality_id] = (round(centre.x, 5), round(centre.y, 5))
            shapes.tree_ids = list(shapes.geometry)
            shapes.tree = STRtree([shapes.geometry[pk] for pk in shapes.tree_ids])
            _shapes = shapes
        return _shapes


def municipality_at(lat: float, lon: float) -> Municipality | None:
    point = Point(lon, lat)
    shapes = _municipality_shapes()
    # Candidates whose bounding box holds the point, in the order the boundaries were read (the first wins, as on
    # a shared border before).
    for index in sorted(shapes.tree.query(point)) if shapes.tree is not None else ():
        municipality_id = shapes.tree_ids[index]
        if shapes.prepared[municipality_id].contains(point):
            return _cached(
                ("municipality", municipality_id), lambda pk=municipality_id: Municipality.objects.get(pk=pk)
            )
    return None


def networks_at_point(lat: float, lon: float, municipality: Municipality | None) -> list[Network]:
    """The active networks of the municipality at the point whose drawn area holds it."""
    if municipality is None:
        return []
    point = Point(lon, lat)
    return _networks(network_id for network_id, area in _drawn_areas(municipality) if area.contains(point))


def _drawn_areas(municipality: Municipality) -> list[tuple[int, object]]:
    """(network id, prepared geometry) of the active networks of the municipality that have a drawn area."""

    def read():
        areas = []
        for network_id, polygon in Network.objects.filter(
            status=NetworkStatus.ACTIVE, municipalities=municipality, area_polygon__isnull=False
        ).values_list("id", "area_polygon"):
            try:
                areas.append((network_id, prepared.prep(shape(polygon).buffer(0))))
            except (ValueError, TypeError, AttributeError, KeyError):
                continue
        return areas

    return _cached(("areas", municipality.pk), read)


def nearby_networks(municipalities: list[Municipality], exclude: set[int] = frozenset()) -> list[Network]:
    """Active networks in the same municipality (by name, at most five): where nothing covers the address."""
    if not municipalities:
        return []

    def read():
        # The first five are chosen on narrow rows (id, name, code) in a subquery and only those five are read in
        # full: a large town holds a thousand networks at design scale, whose every column a DISTINCT would sort.
        linked = Network.municipalities.through.objects.filter(municipality__in=municipalities).values("network_id")
        first = (
            Network.objects.filter(status=NetworkStatus.ACTIVE, pk__in=linked)
            .exclude(pk__in=exclude)
            .order_by("name", "code")
            .values("pk")[:NEARBY_LIMIT]
        )
        return list(_public_networks().filter(pk__in=first).order_by("name", "code"))

    key = ("nearby", tuple(sorted(municipality.pk for municipality in municipalities)), frozenset(exclude))
    return list(_cached(key, read))


@dataclass
class FinderResult:
    networks: list[Network]
    nearby: list[Network]
    municipalities: list[Municipality]


def find(
    *,
    postal_code: str = "",
    street: str = "",
    number: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> FinderResult:
    """What the finder answers, for an address or for a point."""
    if lat is not None and lon is not None:
        municipality = municipality_at(lat, lon)
        municipalities = [municipality] if municipality else []
        networks = networks_at_point(lat, lon, municipality)
    else:
        municipalities = list(
            _cached(
                ("municipalities", postal_code),
                lambda: list(Municipality.objects.filter(postal_codes__code=postal_code, is_current=True).distinct()),
            )
        )
        networks = networks_covering(postal_code, street, number)
    nearby = [] if networks else nearby_networks(municipalities)
    return FinderResult(networks=networks, nearby=nearby, municipalities=municipalities)


def postal_code_known(code: str) -> bool:
    return PostalCode.objects.filter(code=code).exists()


# --- The public map -------------------------------------------------------------------------------------------


def networks_geojson(*, kind: str = "") -> bytes:
    """Active networks as GeoJSON: the drawn polygon, otherwise a point at the centre of the main municipality."""
    networks = Network.objects.filter(status=NetworkStatus.ACTIVE).only(
        "code", "name", "kind", "sector", "municipality_id", "area_polygon"
    )
    if kind:
        networks = networks.filter(kind=kind)
    centroids = _municipality_shapes().centroid
    features = []
    for network in networks.order_by("name", "code"):
        if network.area_polygon:
            geometry = network.area_polygon
        elif network.municipality_id in centroids:
            lon, lat = centroids[network.municipality_id]
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"code": network.code, "name": network.name, "kind": network.kind},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
