"""Every write to networks, their area and their partners: checked, in one transaction, audited.

Errors are `ValidationError`s keyed by the field they are about, translated, so forms, the API and the
importer can show them where they belong; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction
from core.roles import Role, has_role, scope_ids
from core.scoping import can
from geography.models import Municipality, MunicipalityBoundary, PoliceZone, PostalCode

from ..choices import (
    COORDINATOR_ROLES,
    FINAL_STATUSES,
    STATUSES_NEEDING_REASON,
    TRANSITIONS,
    NetworkKind,
    NetworkStatus,
    PartnerRole,
    ScreeningResult,
    StreetParity,
)
from ..models import AreaStreet, Network, NetworkStatusChange, Partner
from ..text import ParsedStreets, normalise_street, parse_street_lines, tidy_street

# --- helpers ---------------------------------------------------------------------------------------


class Errors:
    """Collects field errors so that a form shows all of them at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field_name: str, message, code: str, /, **params) -> None:
        text = message % params if params else message
        self.errors.setdefault(field_name, []).append(ValidationError(text, code=code))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _field_error(field_name: str, message, code: str, /, **params) -> ValidationError:
    return ValidationError({field_name: ValidationError(message % params if params else message, code=code)})


def _require_change(actor, network: Network) -> None:
    if actor is None or not can(actor, "change", network):
        raise PermissionDenied(_("You cannot change this network."))


def _require_create_in(actor, zone: PoliceZone) -> None:
    if actor is None:
        raise PermissionDenied(_("You cannot create networks."))
    if has_role(actor, Role.ADVP):
        return
    if zone.pk not in scope_ids(actor, Role.ZONE_OFFICER):
        raise PermissionDenied(_("You can create networks only in your own police zone."))


def _lock(network: Network) -> Network:
    return Network.objects.select_for_update().get(pk=network.pk)


def _audit_network(actor, network: Network, action: str, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=network, changes=changes)


def _current_zone(municipality: Municipality) -> PoliceZone | None:
    return municipality.current_zone()


NETWORK_FIELDS = (
    "name",
    "kind",
    "sector",
    "local_label",
    "founded_on",
    "public_description",
    "public_email",
    "public_phone",
)
_CODE = re.compile(r"^BIN-(\d{5})-(\d+)$")


def network_code_next(municipality: Municipality) -> str:
    """The next free code of a municipality: BIN-<REFNIS>-<n>, n one more than the highest so far."""
    prefix = f"BIN-{municipality.refnis}-"
    highest = 0
    for code in Network.objects.filter(code__startswith=prefix).values_list("code", flat=True):
        match = _CODE.match(code)
        if match:
            highest = max(highest, int(match.group(2)))
    return f"{prefix}{highest + 1}"


def _check_identity(errors: Errors, values: dict, *, municipality: Municipality, exclude_pk: int | None) -> None:
    name = (values.get("name") or "").strip()
    values["name"] = name
    if not name:
        errors.add("name", _("Enter the network's name."), "required")
    elif Network.objects.filter(municipality=municipality, name__iexact=name).exclude(pk=exclude_pk).exists():
        errors.add(
            "name",
            _("%(municipality)s already has a network called “%(name)s”."),
            "duplicate_name",
            municipality=municipality.name,
            name=name,
        )
    kind = values.get("kind") or NetworkKind.RESIDENTIAL
    values["kind"] = kind
    if kind not in NetworkKind.values:
        errors.add("kind", _("Choose one of the offered kinds."), "invalid_kind")
    sector = values.get("sector") or ""
    if kind == NetworkKind.SECTORAL and not sector:
        errors.add("sector", _("A sectoral network needs its sector."), "sector_required")
    if kind != NetworkKind.SECTORAL and sector:
        errors.add("sector", _("Only a sectoral network has a sector."), "sector_not_taken")
    values["sector"] = sector
    founded_on = values.get("founded_on")
    if founded_on and founded_on > timezone.localdate():
        errors.add("founded_on", _("The founding date cannot be in the future."), "future_date")


def _check_municipalities(
    errors: Errors, *, municipality: Municipality, zone: PoliceZone, municipalities: Iterable[Municipality]
) -> list[Municipality]:
    """All covered municipalities (the main one included): current and in `zone` today."""
    covered = {m.pk: m for m in municipalities}
    covered[municipality.pk] = municipality
    for other in covered.values():
        if not other.is_current:
            errors.add(
                "municipalities",
                _("%(municipality)s no longer exists as such (merged); choose a current municipality."),
                "municipality_not_current",
                municipality=other.name,
            )
            continue
        other_zone = _current_zone(other)
        if other_zone is None or other_zone.pk != zone.pk:
            errors.add(
                "municipalities",
                _("%(municipality)s belongs to police zone %(zone)s, not to %(network_zone)s."),
                "municipality_other_zone",
                municipality=other.name,
                zone=str(other_zone) if other_zone else "–",
                network_zone=str(zone),
            )
    return list(covered.values())


def _full_clean(errors: Errors, obj, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            for message in messages:
                errors.add(field_name if field_name != "__all__" else "__all__", message, "invalid")


def _status_change(*, actor, network: Network, from_status: str, to_status: str, on, reason: str = ""):
    change = NetworkStatusChange(
        network=network, from_status=from_status, to_status=to_status, on=on, reason=reason, actor=actor
    )
    change.full_clean()
    change.save()
    return change


# --- networks --------------------------------------------------------------------------------------


def network_create(
    *,
    actor,
    name: str,
    municipality: Municipality,
    kind: str = NetworkKind.RESIDENTIAL,
    sector: str = "",
    local_label: str = "",
    zone: PoliceZone | None = None,
    municipalities: Iterable[Municipality] = (),
    founded_on: datetime.date | None = None,
    public_description: str = "",
    public_email: str = "",
    public_phone: str = "",
    status: str = NetworkStatus.IN_PREPARATION,
    code: str | None = None,
) -> Network:
    """ADVP or a mandated officer of the zone creates a network. The zone defaults to the main municipality's
    current zone and must be it; every covered municipality must belong to that zone. The code
    "BIN-<REFNIS>-<n>" is generated unless given (an import re-using a known code)."""
    errors = Errors()
    if municipality is None or not municipality.is_current:
        raise _field_error("municipality", _("Choose a current municipality."), "municipality_not_current")
    current_zone = _current_zone(municipality)
    if current_zone is None:
        raise _field_error(
            "municipality",
            _("%(municipality)s belongs to no current police zone."),
            "municipality_without_zone",
            municipality=municipality.name,
        )
    if zone is None:
        zone = current_zone
    elif zone.pk != current_zone.pk:
        raise _field_error(
            "zone",
            _("%(municipality)s belongs to police zone %(zone)s."),
            "zone_mismatch",
            municipality=municipality.name,
            zone=str(current_zone),
        )
    _require_create_in(actor, zone)
    if status not in NetworkStatus.values:
        errors.add("status", _("Choose one of the offered statuses."), "invalid_status")
    elif status == NetworkStatus.MERGED:
        errors.add("status", _("A network cannot be created as merged."), "invalid_status")
    values = {
        "name": name,
        "kind": kind,
        "sector": sector,
        "local_label": (local_label or "").strip(),
        "founded_on": founded_on,
        "public_description": (public_description or "").strip(),
        "public_email": (public_email or "").strip(),
        "public_phone": (public_phone or "").strip(),
    }
    with transaction.atomic():
        # One creation at a time per municipality, so that two never get the same number.
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        _check_identity(errors, values, municipality=municipality, exclude_pk=None)
        covered = _check_municipalities(errors, municipality=municipality, zone=zone, municipalities=municipalities)
        if code:
            code = code.strip().upper()
            match = _CODE.match(code)
            if not match or match.group(1) != municipality.refnis:
                errors.add(
                    "code",
                    _("A network code reads BIN-%(refnis)s-<number> for this municipality."),
                    "invalid_code",
                    refnis=municipality.refnis,
                )
            elif Network.objects.filter(code=code).exists():
                errors.add("code", _("Another network already has the code %(code)s."), "duplicate_code", code=code)
        else:
            code = network_code_next(municipality)
        network = Network(code=code, municipality=municipality, zone=zone, status=status, **values)
        if not errors:
            _full_clean(errors, network)
        errors.raise_if_any()
        network.save()
        network.municipalities.set(covered)
        _status_change(
            actor=actor,
            network=network,
            from_status="",
            to_status=status,
            on=founded_on if status != NetworkStatus.IN_PREPARATION and founded_on else timezone.localdate(),
            reason="",
        )
        _audit_network(
            actor,
            network,
            AuditAction.CREATE,
            {
                **{key: [None, value] for key, value in snapshot(network).items() if value not in ("", None)},
                "municipalities": [None, sorted(m.refnis for m in covered)],
            },
        )
    return network


def network_update(*, actor, network: Network, **values: Any) -> Network:
    """Change a network's identity and public contact, and the municipalities it covers (all in its zone).
    Its code, main municipality and zone do not change: they identify it."""
    unknown = set(values) - {*NETWORK_FIELDS, "municipalities"}
    if unknown:
        raise TypeError(f"network_update got unexpected fields: {sorted(unknown)}")
    _require_change(actor, network)
    errors = Errors()
    with transaction.atomic():
        network = _lock(network)
        before = snapshot(network)
        before_municipalities = sorted(network.municipalities.values_list("refnis", flat=True))
        merged = {name: getattr(network, name) for name in NETWORK_FIELDS}
        merged.update({key: value for key, value in values.items() if key in NETWORK_FIELDS})
        for key in ("local_label", "public_description", "public_email", "public_phone"):
            merged[key] = (merged[key] or "").strip()
        _check_identity(errors, merged, municipality=network.municipality, exclude_pk=network.pk)
        covered = None
        if "municipalities" in values:
            covered = _check_municipalities(
                errors, municipality=network.municipality, zone=network.zone, municipalities=values["municipalities"]
            )
        for key, value in merged.items():
            setattr(network, key, value)
        if not errors:
            _full_clean(errors, network)
        errors.raise_if_any()
        network.save()
        changes = diff(before, snapshot(network))
        changes.pop("updated_at", None)
        if covered is not None:
            network.municipalities.set(covered)
            after_municipalities = sorted(m.refnis for m in covered)
            if after_municipalities != before_municipalities:
                changes["municipalities"] = [before_municipalities, after_municipalities]
        if changes:
            _audit_network(actor, network, AuditAction.UPDATE, changes)
    return network


def network_change_status(
    *,
    actor,
    network: Network,
    to_status: str,
    on: datetime.date | None = None,
    reason: str = "",
    merged_into: Network | None = None,
    via_review: bool = False,
) -> Network:
    """Move a network through its life cycle (choices.TRANSITIONS). Dormant, dissolved and merged need a reason
    and a date; merged needs the other, active network. A network becomes active after charter submission only
    through a conform review (`via_review`, used by the charter review service). ADVP is e-mailed at once
    when a network dissolves or merges."""
    _require_change(actor, network)
    reason = (reason or "").strip()
    errors = Errors()
    with transaction.atomic():
        network = _lock(network)
        from_status = network.status
        if to_status not in NetworkStatus.values:
            raise _field_error("to_status", _("Choose one of the offered statuses."), "invalid_status")
        if to_status not in TRANSITIONS[from_status]:
            raise _field_error(
                "to_status",
                _("A network that is “%(from)s” cannot become “%(to)s”."),
                "transition_not_allowed",
                **{"from": NetworkStatus(from_status).label, "to": NetworkStatus(to_status).label},
            )
        if from_status == NetworkStatus.CHARTER_SUBMITTED and to_status == NetworkStatus.ACTIVE and not via_review:
            raise _field_error(
                "to_status",
                _("A network becomes active when ADVP finds its charter conform."),
                "needs_conform_review",
            )
        today = timezone.localdate()
        if to_status in STATUSES_NEEDING_REASON:
            if not reason:
                errors.add("reason", _("Give the reason for this change."), "required")
            if on is None:
                errors.add("on", _("Give the date of this change."), "required")
        on = on or today
        if on > today:
            errors.add("on", _("The date cannot be in the future."), "future_date")
        if to_status == NetworkStatus.MERGED:
            if merged_into is None:
                errors.add("merged_into", _("Choose the network it merged into."), "required")
            elif merged_into.pk == network.pk:
                errors.add("merged_into", _("A network cannot merge into itself."), "merge_into_self")
            elif not Network.objects.for_user(actor, "view").filter(pk=merged_into.pk).exists():
                errors.add("merged_into", _("Choose a network you can see."), "merge_into_hidden")
            elif merged_into.status != NetworkStatus.ACTIVE:
                errors.add(
                    "merged_into", _("A network can merge only into an active network."), "merge_into_not_active"
                )
        elif merged_into is not None:
            errors.add("merged_into", _("Only a merged network names the network it merged into."), "not_merging")
        errors.raise_if_any()
        before = snapshot(network, ["status", "merged_into"])
        network.status = to_status
        network.merged_into = merged_into if to_status == NetworkStatus.MERGED else None
        network.full_clean()
        network.save(update_fields=["status", "merged_into", "updated_at"])
        change = _status_change(
            actor=actor, network=network, from_status=from_status, to_status=to_status, on=on, reason=reason
        )
        changes = diff(before, snapshot(network, ["status", "merged_into"]))
        changes["status_date"] = [None, on]
        if reason:
            changes["reason"] = [None, reason]
        _audit_network(actor, network, AuditAction.UPDATE, changes)
        if to_status in FINAL_STATUSES:
            change_id = change.pk
            transaction.on_commit(lambda: _enqueue_end_notification(change_id))
    return network


def _enqueue_end_notification(change_id: int) -> None:
    from ..tasks import notify_advp_network_ended_task

    notify_advp_network_ended_task.enqueue(change_id)


def _advp_recipients():
    from accounts.models import User

    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.ADVP, role_assignments__revoked_at__isnull=True)
        .distinct()
        .order_by("pk")
    )


def network_end_notify(*, status_change_id: int) -> int:
    """E-mail every ADVP officer, each in their language, that a network dissolved or merged. Sent at least once:
    the change stays locked while the messages leave and is marked in the same transaction. Returns how many left."""
    with transaction.atomic():
        change = (
            NetworkStatusChange.objects.select_for_update(of=("self",))
            .filter(pk=status_change_id, advp_notified_at__isnull=True, to_status__in=sorted(FINAL_STATUSES))
            .select_related("network__municipality", "network__zone", "network__merged_into", "actor")
            .first()
        )
        if change is None:
            return 0
        sent = 0
        for user in _advp_recipients():
            _end_message(change, user).send()
            sent += 1
        NetworkStatusChange.objects.filter(pk=change.pk).update(advp_notified_at=timezone.now())
    return sent


def _end_message(change: NetworkStatusChange, user) -> EmailMultiAlternatives:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "change": change,
            "network": change.network,
            "status": NetworkStatus(change.to_status).label,
            "url": settings.SITE_URL + change.network.get_absolute_url(),
            "site_url": settings.SITE_URL,
            "recipient": user,
        }
        subject = " ".join(render_to_string("networks/email/network_ended_subject.txt", context).split())
        text = render_to_string("networks/email/network_ended_message.txt", context)
    return EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )


# --- area: streets and polygon ---------------------------------------------------------------------


def _postal_codes_of(network: Network) -> set[str]:
    return set(PostalCode.objects.filter(municipality__in=network.municipalities.all()).values_list("code", flat=True))


def _new_street(
    errors: Errors,
    *,
    network: Network,
    allowed_codes: set[str],
    postal_code: str,
    street: str,
    number_from: int | None,
    number_to: int | None,
    parity: str,
) -> AreaStreet | None:
    postal_code = (postal_code or "").strip()
    street = tidy_street(street)
    ok = True
    if not street:
        errors.add("street", _("Enter the street name."), "required")
        ok = False
    if not re.fullmatch(r"[1-9]\d{3}", postal_code):
        errors.add("postal_code", _("A Belgian postal code has four digits."), "invalid_postal_code")
        ok = False
    elif postal_code not in allowed_codes:
        errors.add(
            "postal_code",
            _("Postal code %(code)s does not serve a municipality of this network."),
            "postal_code_outside",
            code=postal_code,
        )
        ok = False
    if parity not in StreetParity.values:
        errors.add("parity", _("Choose one of the offered options."), "invalid_parity")
        ok = False
    if number_from is not None and number_to is not None and number_to < number_from:
        errors.add("number_to", _("The last house number must not be lower than the first."), "number_range")
        ok = False
    if not ok:
        return None
    return AreaStreet(
        network=network,
        postal_code=postal_code,
        street=street,
        street_normalised=normalise_street(street),
        number_from=number_from,
        number_to=number_to,
        parity=parity,
    )


def _street_key(street: AreaStreet) -> tuple:
    return (street.postal_code, street.street_normalised, street.number_from, street.number_to, street.parity)


def _street_label(street: AreaStreet) -> str:
    numbers = f" {street.numbers_label}" if street.numbers_label else ""
    parity = f" ({street.parity})" if street.parity != StreetParity.ALL else ""
    return f"{street.street}{numbers}{parity}, {street.postal_code}"


def area_street_add(
    *,
    actor,
    network: Network,
    postal_code: str,
    street: str,
    number_from: int | None = None,
    number_to: int | None = None,
    parity: str = StreetParity.ALL,
) -> AreaStreet:
    """Add one street (or part of it) to the network's area; its postal code must serve one of its municipalities."""
    _require_change(actor, network)
    errors = Errors()
    with transaction.atomic():
        network = _lock(network)
        row = _new_street(
            errors,
            network=network,
            allowed_codes=_postal_codes_of(network),
            postal_code=postal_code,
            street=street,
            number_from=number_from,
            number_to=number_to,
            parity=parity,
        )
        errors.raise_if_any()
        existing = {_street_key(s) for s in network.streets.all()}
        if _street_key(row) in existing:
            raise _field_error("street", _("This street is already in the area."), "duplicate_street")
        row.full_clean()
        row.save()
        _audit_network(actor, network, AuditAction.UPDATE, {"area_street": [None, _street_label(row)]})
        Network.objects.filter(pk=network.pk).update(updated_at=timezone.now())
    return row


def area_street_remove(*, actor, network: Network, street: AreaStreet) -> None:
    """Take one street out of the network's area."""
    _require_change(actor, network)
    if street.network_id != network.pk:
        raise _field_error("street", _("This street is not in this network's area."), "wrong_network")
    with transaction.atomic():
        network = _lock(network)
        label = _street_label(street)
        deleted, _detail = AreaStreet.objects.filter(pk=street.pk, network=network).delete()
        if not deleted:
            raise _field_error("street", _("This street is no longer in the area."), "gone")
        _audit_network(actor, network, AuditAction.UPDATE, {"area_street": [label, None]})
        Network.objects.filter(pk=network.pk).update(updated_at=timezone.now())


@dataclass
class StreetListResult:
    """What a pasted list did: streets added, streets removed (when replacing), lines skipped as duplicates."""

    added: int = 0
    removed: int = 0
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, first line with the same street)
    already_present: list[int] = field(default_factory=list)  # lines already in the area (when adding)


def area_streets_parse(text: str, *, default_postal_code: str = "") -> ParsedStreets:
    """Read a pasted list: "street;postal code;from;to" per line, or one street per line with a chosen postal code."""
    return parse_street_lines(text, default_postal_code=default_postal_code)


def area_streets_replace(
    *, actor, network: Network, text: str, default_postal_code: str = "", replace: bool = True
) -> StreetListResult:
    """Set the network's streets from a pasted list (or add them, `replace=False`). All or nothing: one bad line
    and nothing changes; the error names each line. Lines repeating an earlier one are skipped and reported."""
    _require_change(actor, network)
    parsed = area_streets_parse(text, default_postal_code=(default_postal_code or "").strip())
    line_errors: list[tuple[int, str]] = list(parsed.errors)
    result = StreetListResult(duplicates=list(parsed.duplicates))
    with transaction.atomic():
        network = _lock(network)
        allowed = _postal_codes_of(network)
        rows = []
        for parsed_row in parsed.rows:
            row_errors = Errors()
            row = _new_street(
                row_errors,
                network=network,
                allowed_codes=allowed,
                postal_code=parsed_row.postal_code,
                street=parsed_row.street,
                number_from=parsed_row.number_from,
                number_to=parsed_row.number_to,
                parity=StreetParity.ALL,
            )
            for messages in row_errors.errors.values():
                line_errors.extend((parsed_row.line, message.messages[0]) for message in messages)
            if row is not None:
                rows.append((parsed_row.line, row))
        errors = Errors()
        for line, message in sorted(line_errors, key=lambda item: item[0]):
            errors.add("text", _("Line %(line)s: %(message)s"), "invalid_line", line=line, message=message)
        if not parsed.rows and not parsed.errors:
            errors.add("text", _("Paste at least one street."), "empty")
        errors.raise_if_any()
        before = sorted(_street_label(s) for s in network.streets.all())
        if replace:
            result.removed, _detail = network.streets.all().delete()
            existing: set[tuple] = set()
        else:
            existing = {_street_key(s) for s in network.streets.all()}
        to_create = []
        for line, row in rows:
            if _street_key(row) in existing:
                result.already_present.append(line)
                continue
            existing.add(_street_key(row))
            to_create.append(row)
        AreaStreet.objects.bulk_create(to_create)
        result.added = len(to_create)
        after = sorted(_street_label(s) for s in network.streets.all())
        if before != after:
            _audit_network(
                actor,
                network,
                AuditAction.UPDATE,
                {"area_streets": [f"{len(before)} streets", f"{len(after)} streets"]},
            )
            Network.objects.filter(pk=network.pk).update(updated_at=timezone.now())
    return result


# Belgium with a margin: a polygon elsewhere is a mistake (swapped coordinates, another projection).
_BELGIUM_BOUNDS = (2.3, 49.3, 6.6, 51.7)


def polygon_validate(value, *, municipalities: Iterable[Municipality]) -> dict | None:
    """The GeoJSON geometry of an area, checked: a valid Polygon or MultiPolygon in WGS84 that lies in or touches
    the given municipalities. Accepts a geometry, a Feature, a one-feature FeatureCollection, or their JSON text."""
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union
    from shapely.validation import explain_validity

    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _field_error("area_polygon", _("The area is not valid GeoJSON."), "invalid_json") from None
    if not isinstance(value, dict):
        raise _field_error("area_polygon", _("The area is not valid GeoJSON."), "invalid_json")
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise _field_error("area_polygon", _("Draw one area (one polygon or multipolygon)."), "one_feature")
        value = features[0]
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if value.get("type") not in ("Polygon", "MultiPolygon"):
        raise _field_error("area_polygon", _("The area must be a polygon or a multipolygon."), "not_polygon")
    try:
        geometry = shape(value)
    except Exception:  # noqa: BLE001 - shapely raises many kinds on malformed coordinates
        raise _field_error("area_polygon", _("The area's coordinates cannot be read."), "bad_coordinates") from None
    if geometry.is_empty:
        raise _field_error("area_polygon", _("The area is empty: draw at least three points."), "empty")
    if not geometry.is_valid:
        raise _field_error(
            "area_polygon",
            _("The area is not a valid polygon (%(reason)s). Check that its edges do not cross."),
            "invalid_polygon",
            reason=explain_validity(geometry),
        )
    min_x, min_y, max_x, max_y = geometry.bounds
    west, south, east, north = _BELGIUM_BOUNDS
    if min_x < west or max_x > east or min_y < south or max_y > north:
        raise _field_error(
            "area_polygon",
            _("The area lies outside Belgium: coordinates are longitude, latitude (WGS84)."),
            "outside_belgium",
        )
    boundaries = [
        shape(boundary.geometry)
        for boundary in MunicipalityBoundary.objects.filter(municipality__in=list(municipalities))
    ]
    if boundaries:
        union = unary_union([b if b.is_valid else b.buffer(0) for b in boundaries])
        if not (geometry.intersects(union) or geometry.touches(union)):
            raise _field_error(
                "area_polygon",
                _("The area must lie in or touch the network's municipalities."),
                "outside_municipalities",
            )
    return mapping(geometry) | {"type": geometry.geom_type}


def _plain_geojson(geometry: dict | None) -> dict | None:
    """shapely's mapping() holds tuples; the stored JSON holds lists."""
    return json.loads(json.dumps(geometry)) if geometry is not None else None


def area_polygon_set(*, actor, network: Network, geojson) -> Network:
    """Draw (or clear, with None or "") the network's area on the map."""
    _require_change(actor, network)
    geometry = _plain_geojson(polygon_validate(geojson, municipalities=network.municipalities.all()))
    with transaction.atomic():
        network = _lock(network)
        had = network.area_polygon is not None
        network.area_polygon = geometry
        network.save(update_fields=["area_polygon", "updated_at"])
        _audit_network(
            actor,
            network,
            AuditAction.UPDATE,
            {"area_polygon": ["drawn" if had else None, "drawn" if geometry else None]},
        )
    return network


# --- partners --------------------------------------------------------------------------------------

PARTNER_FIELDS = (
    "role",
    "user",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "adult_confirmed",
    "screening_on",
    "screening_result",
    "active_from",
    "active_to",
)


def _check_partner(errors: Errors, partner: Partner) -> None:
    for key in ("first_name", "last_name", "email", "phone", "organisation"):
        setattr(partner, key, (getattr(partner, key) or "").strip())
    if partner.role not in PartnerRole.values:
        errors.add("role", _("Choose one of the offered roles."), "invalid_role")
    if partner.user is None and not partner.last_name:
        errors.add("last_name", _("Enter the last name, or choose a user of the platform."), "required")
    if partner.role in COORDINATOR_ROLES:
        if not partner.adult_confirmed:
            errors.add("adult_confirmed", _("A coordinator must be 18 or older: confirm it."), "adult_required")
        if partner.screening_on is None:
            errors.add("screening_on", _("Record the date of the police screening."), "screening_required")
        elif partner.screening_on > timezone.localdate():
            errors.add("screening_on", _("The screening date cannot be in the future."), "future_date")
        if not partner.screening_result:
            errors.add("screening_result", _("Record the result of the screening."), "screening_required")
        elif partner.screening_result == ScreeningResult.UNFAVOURABLE:
            errors.add(
                "screening_result",
                _("A person whose screening is unfavourable cannot be coordinator."),
                "screening_unfavourable",
            )
    else:
        if partner.screening_on or partner.screening_result:
            errors.add("screening_result", _("Screening is recorded for coordinators only."), "screening_not_taken")
    if partner.active_to and partner.active_from and partner.active_to < partner.active_from:
        errors.add("active_to", _("The end of the role must not come before its start."), "period")


def _holds_coordinator_role(partner: Partner) -> bool:
    """Whether this partner should hold the platform's coordinator role for the network."""
    return (
        partner.user_id is not None
        and partner.role in COORDINATOR_ROLES
        and partner.screening_result == ScreeningResult.FAVOURABLE
        and partner.is_active
    )


def _sync_coordinator_role(*, actor, network: Network, user) -> None:
    """Give `user` the coordinator role for `network` while one of their partner rows calls for it; take it back
    when none does. Goes through the accounts services, so grants and revocations are audited there."""
    from accounts.models import RoleAssignment
    from accounts.services import role_grant, role_revoke

    should_hold = any(
        _holds_coordinator_role(p) for p in Partner.objects.filter(network=network, user=user).select_related("user")
    )
    assignments = list(
        RoleAssignment.objects.filter(
            user=user, role=Role.COORDINATOR, scope_id=network.pk, revoked_at__isnull=True
        ).filter(scope_type__app_label="networks", scope_type__model="network")
    )
    if should_hold and not assignments:
        role_grant(actor=actor, user=user, role=Role.COORDINATOR, scope=network)
    elif not should_hold:
        for assignment in assignments:
            role_revoke(actor=actor, assignment=assignment)


def _partner_label(partner: Partner) -> str:
    return f"{partner.display_name} ({partner.role})"


def partner_add(*, actor, network: Network, role: str, user=None, **values: Any) -> Partner:
    """Add a partner: a platform user or a contact record. Coordinators and deputies must be confirmed 18+ and
    screened (date and result only); one with a platform account gets the coordinator role for the network."""
    unknown = set(values) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"partner_add got unexpected fields: {sorted(unknown)}")
    _require_change(actor, network)
    if network.is_final:
        raise _field_error("role", _("This network has ended: its partners cannot change."), "network_ended")
    errors = Errors()
    with transaction.atomic():
        network = _lock(network)
        values.setdefault("active_from", timezone.localdate())
        values = {key: value for key, value in values.items() if value is not None or key in ("active_to",)}
        partner = Partner(network=network, role=role, user=user, **values)
        _check_partner(errors, partner)
        if not errors:
            _full_clean(errors, partner)
        errors.raise_if_any()
        partner.save()
        _audit_network(actor, network, AuditAction.UPDATE, {"partner": [None, _partner_label(partner)]})
        if partner.user_id:
            _sync_coordinator_role(actor=actor, network=network, user=partner.user)
    return partner


def partner_update(*, actor, partner: Partner, **values: Any) -> Partner:
    """Change a partner's role, contact or screening record; the platform role follows."""
    unknown = set(values) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"partner_update got unexpected fields: {sorted(unknown)}")
    network = partner.network
    _require_change(actor, network)
    errors = Errors()
    with transaction.atomic():
        _lock(network)
        partner = Partner.objects.select_for_update(of=("self",)).select_related("user").get(pk=partner.pk)
        before = snapshot(partner)
        previous_user = partner.user
        for key, value in values.items():
            setattr(partner, key, value)
        if partner.role not in COORDINATOR_ROLES and "screening_on" not in values and "screening_result" not in values:
            # Moving away from a coordinator role drops the screening record, which only coordinators keep.
            partner.screening_on, partner.screening_result = None, ""
        _check_partner(errors, partner)
        if not errors:
            _full_clean(errors, partner)
        errors.raise_if_any()
        partner.save()
        changes = diff(before, snapshot(partner))
        if changes:
            _audit_network(actor, network, AuditAction.UPDATE, {"partner": [_partner_label(partner), changes]})
        for user in {u for u in (previous_user, partner.user) if u is not None}:
            _sync_coordinator_role(actor=actor, network=network, user=user)
    return partner


def partner_end(*, actor, partner: Partner, active_to: datetime.date | None = None) -> Partner:
    """A partner's role ends (today unless dated); a coordinator loses the platform role for the network."""
    network = partner.network
    _require_change(actor, network)
    with transaction.atomic():
        _lock(network)
        partner = Partner.objects.select_for_update(of=("self",)).select_related("user").get(pk=partner.pk)
        if partner.active_to is not None and partner.active_to <= timezone.localdate():
            raise _field_error("active_to", _("This partner's role has already ended."), "already_ended")
        active_to = active_to or timezone.localdate()
        if active_to < partner.active_from:
            raise _field_error("active_to", _("The end of the role must not come before its start."), "period")
        before = snapshot(partner, ["active_to"])
        partner.active_to = active_to
        partner.full_clean()
        partner.save(update_fields=["active_to"])
        _audit_network(
            actor,
            network,
            AuditAction.UPDATE,
            {"partner": [_partner_label(partner), diff(before, snapshot(partner, ["active_to"]))]},
        )
        if partner.user_id:
            _sync_coordinator_role(actor=actor, network=network, user=partner.user)
    return partner
