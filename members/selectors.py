"""The public finder: which active networks cover an address or a point, and the public map's layer.

Only active networks and only their public fields ever leave this module."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max
from rapidfuzz import fuzz, process
from shapely import prepared
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


def _key(name: str) -> str:
    """The form compared: normalised, punctuation and hyphens turned into single spaces."""
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


def matching_street_names(postal_code: str, street: str) -> list[str]:
    """The normalised names of the active networks' streets with this postal code that `street` means: the exact
    ones if any, otherwise the closest within the typo threshold."""
    known = (
        AreaStreet.objects.filter(postal_code=postal_code, network__status=NetworkStatus.ACTIVE)
        .values_list("street_normalised", flat=True)
        .distinct()
    )
    by_key: dict[str, list[str]] = {}
    for name in known:
        by_key.setdefault(_key(name), []).append(name)
    if not by_key:
        return []
    spellings = street_spellings(street)
    exact = [name for spelling in spellings for name in by_key.get(spelling, [])]
    if exact:
        return exact
    best: dict[str, float] = {}
    for spelling in spellings:
        for key, score, _index in process.extract(
            spelling, list(by_key), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None
        ):
            best[key] = max(score, best.get(key, 0))
    if not best:
        return []
    top = max(best.values())
    return [name for key, score in best.items() if score == top for name in by_key[key]]


def _covers_number(area_street: AreaStreet, number: int | None) -> bool:
    if number is None:
        return True
    if area_street.number_from is not None and number < area_street.number_from:
        return False
    if area_street.number_to is not None and number > area_street.number_to:
        return False
    if area_street.parity == StreetParity.EVEN and number % 2:
        return False
    return not (area_street.parity == StreetParity.ODD and not number % 2)


def _public_networks():
    return Network.objects.filter(status=NetworkStatus.ACTIVE).select_related("municipality", "zone")


def networks_covering(postal_code: str, street: str, number: int | None = None) -> list[Network]:
    """The active networks whose area holds this address (house number ranges and parity respected; without a
    number, every network holding some part of the street)."""
    names = matching_street_names(postal_code, street)
    if not names:
        return []
    rows = AreaStreet.objects.filter(
        postal_code=postal_code, street_normalised__in=names, network__status=NetworkStatus.ACTIVE
    ).only("network_id", "number_from", "number_to", "parity")
    ids = {row.network_id for row in rows if _covers_number(row, number)}
    return list(_public_networks().filter(pk__in=ids)) if ids else []


# --- Geometry: municipality boundaries, prepared once per process ----------------------------------------------


@dataclass
class _Shapes:
    token: tuple
    prepared: dict[int, object] = field(default_factory=dict)  # municipality id → prepared geometry
    geometry: dict[int, object] = field(default_factory=dict)
    centroid: dict[int, tuple[float, float]] = field(default_factory=dict)  # (lon, lat)


_shapes: _Shapes | None = None
_shapes_lock = threading.Lock()


def _municipality_shapes() -> _Shapes:
    """The current boundaries as shapely geometries, rebuilt only when the boundaries table changed."""
    global _shapes
    stats = MunicipalityBoundary.objects.aggregate(count=Count("id"), last=Max("id"))
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
            _shapes = shapes
        return _shapes


def municipality_at(lat: float, lon: float) -> Municipality | None:
    point = Point(lon, lat)
    for municipality_id, geom in _municipality_shapes().prepared.items():
        if geom.contains(point):
            return Municipality.objects.get(pk=municipality_id)
    return None


def networks_at_point(lat: float, lon: float, municipality: Municipality | None) -> list[Network]:
    """The active networks of the municipality at the point whose drawn area holds it."""
    if municipality is None:
        return []
    point = Point(lon, lat)
    ids = []
    for network_id, polygon in Network.objects.filter(
        status=NetworkStatus.ACTIVE, municipalities=municipality, area_polygon__isnull=False
    ).values_list("id", "area_polygon"):
        try:
            if shape(polygon).buffer(0).contains(point):
                ids.append(network_id)
        except (ValueError, TypeError, AttributeError, KeyError):
            continue
    return list(_public_networks().filter(pk__in=ids)) if ids else []


def nearby_networks(municipalities: list[Municipality], exclude: set[int] = frozenset()) -> list[Network]:
    """Active networks in the same municipality (by name, at most five): where nothing covers the address."""
    if not municipalities:
        return []
    return list(
        _public_networks().filter(municipalities__in=municipalities).exclude(pk__in=exclude).distinct()[:NEARBY_LIMIT]
    )


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
        municipalities = list(Municipality.objects.filter(postal_codes__code=postal_code, is_current=True).distinct())
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
