"""Whom a message goes to, and the checked draft of a message before it is previewed and sent.

Target resolution turns what the sender chose — some networks, a whole police zone, a whole municipality, or an area
drawn on the map — into the networks that receive the message. It is always restricted to the networks the sender
may send to: mandated officers reach the networks of their zone(s) as the police, coordinators their own
network(s); a target outside that scope is a validation error that names it, never a silent drop.

For an area, a network is reached when its own area (`area_polygon`) intersects the drawn one; a network without a
drawn area is matched by the boundaries of the municipalities it covers; a network with neither cannot be placed on
the map and is left out (the preview says which).

`draft_build` runs every check of the compose form and the API in one place (targets, message type against the
communication plan, texts, time, feedback) and collects all errors at once, keyed by field.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, scope_ids
from geography.models import Municipality, MunicipalityBoundary, PoliceZone, ZoneMembership
from networks.choices import NetworkStatus
from networks.models import Network

from .. import permissions
from ..choices import MessageType, Sender, TargetKind
from ..models import Message
from .sending import LANGUAGES, texts_clean

# Networks that ended have no members left to reach.
FINAL_STATUSES = (NetworkStatus.DISSOLVED, NetworkStatus.MERGED)
# Belgium with a margin (longitude, latitude): a drawn area elsewhere is a mistake.
BELGIUM_BOUNDS = (2.3, 49.3, 6.6, 51.7)
AREA_MAX_CORNERS = 2000
AREA_MAX_CHARACTERS = 200_000
SCHEDULE_MAX_DAYS = 366


def sendable_networks(user):
    """Every network `user` may send to: the networks of their zones (as the police) and the networks they
    coordinate, except networks that were dissolved or merged."""
    return (permissions.police_networks(user) | permissions.coordinator_networks(user)).exclude(
        status__in=FINAL_STATUSES
    )


def target_kinds(user) -> list[str]:
    """The kinds of target `user` may choose: mandated officers all of them, coordinators their networks or an area
    (which reaches only their own networks)."""
    if scope_ids(user, Role.ZONE_OFFICER):
        return list(TargetKind.values)
    if scope_ids(user, Role.COORDINATOR):
        return [TargetKind.NETWORKS, TargetKind.AREA]
    return []


def officer_zones(user):
    return PoliceZone.objects.filter(pk__in=sorted(scope_ids(user, Role.ZONE_OFFICER))).order_by("name")


def officer_municipalities(user):
    """The current municipalities of the officer's zones."""
    zones = sorted(scope_ids(user, Role.ZONE_OFFICER))
    if not zones:
        return Municipality.objects.none()
    members = ZoneMembership.objects.filter(zone_id__in=zones, valid_to__isnull=True).values("municipality_id")
    return Municipality.objects.current().filter(pk__in=members).order_by("name_nl")


def _names(networks) -> str:
    return ", ".join(sorted(str(n.code) for n in networks))


# --- networks --------------------------------------------------------------------------------------------------


def networks_from_codes(*, actor, codes: list[str]) -> list[Network]:
    """The networks with these codes, each one the actor may send to."""
    wanted = []
    for code in codes:
        code = str(code).strip().upper()
        if code and code not in wanted:
            wanted.append(code)
    if not wanted:
        raise ValidationError({"networks": _("Choose at least one network.")})
    found = {n.code: n for n in Network.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError(
            {"networks": _("No network has this code: %(codes)s.") % {"codes": ", ".join(unknown)}}, code="unknown"
        )
    ended = [n for n in found.values() if n.status in FINAL_STATUSES]
    if ended:
        raise ValidationError(
            {"networks": _("These networks were dissolved or merged: %(codes)s.") % {"codes": _names(ended)}},
            code="ended",
        )
    allowed = set(sendable_networks(actor).filter(pk__in=[n.pk for n in found.values()]).values_list("pk", flat=True))
    outside = [n for n in found.values() if n.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "networks": _(
                    "You may not send messages to these networks: %(codes)s. Mandated officers reach the networks of "
                    "their zone, coordinators their own network."
                )
                % {"codes": _names(outside)}
            },
            code="outside_scope",
        )
    return [found[code] for code in wanted]


# --- a whole zone or municipality -------------------------------------------------------------------------------


def networks_of_zone(*, actor, zone_id) -> tuple[PoliceZone, list[Network]]:
    zone = PoliceZone.objects.filter(pk=_int(zone_id, "target_zone")).first()
    if zone is None:
        raise ValidationError({"target_zone": _("Choose a police zone.")}, code="unknown")
    if zone.pk not in scope_ids(actor, Role.ZONE_OFFICER):
        raise ValidationError(
            {"target_zone": _("You are not a mandated officer of %(zone)s: choose your own zone.") % {"zone": zone}},
            code="outside_scope",
        )
    networks = list(sendable_networks(actor).filter(zone=zone).order_by("name"))
    if not networks:
        raise ValidationError(
            {"target_zone": _("%(zone)s has no network to send to.") % {"zone": zone}}, code="no_networks"
        )
    return zone, networks


def networks_of_municipality(*, actor, municipality_id) -> tuple[Municipality, list[Network]]:
    municipality = Municipality.objects.current().filter(pk=_int(municipality_id, "target_municipality")).first()
    if municipality is None:
        raise ValidationError({"target_municipality": _("Choose a municipality.")}, code="unknown")
    zones = sorted(scope_ids(actor, Role.ZONE_OFFICER))
    if not officer_municipalities(actor).filter(pk=municipality.pk).exists():
        raise ValidationError(
            {
                "target_municipality": _("%(municipality)s does not belong to your police zone.")
                % {"municipality": municipality.name}
            },
            code="outside_scope",
        )
    networks = list(
        sendable_networks(actor)
        .filter(zone_id__in=zones)
        .filter(Q(municipality=municipality) | Q(municipalities=municipality))
        .distinct()
        .order_by("name")
    )
    if not networks:
        raise ValidationError(
            {
                "target_municipality": _("No network of %(municipality)s to send to.")
                % {"municipality": municipality.name}
            },
            code="no_networks",
        )
    return municipality, networks


def _int(value, field_name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({field_name: _("Choose one of the options.")}, code="invalid") from None


# --- an area on the map -----------------------------------------------------------------------------------------


def area_parse(value) -> dict:
    """The drawn area as a GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude), checked: valid, not
    empty, in Belgium. Accepts a geometry, a Feature, a one-feature FeatureCollection, or their JSON text."""
    from shapely.geometry import mapping, shape

    def error(message: str, code: str) -> ValidationError:
        return ValidationError({"target_area": message}, code=code)

    if value in (None, "", {}):
        raise error(_("Draw the area on the map: click at least three corners."), "required")
    if isinstance(value, str):
        if len(value) > AREA_MAX_CHARACTERS:
            raise error(_("The area is too detailed: draw it with fewer corners."), "too_large")
        try:
            value = json.loads(value)
        except ValueError:
            raise error(_("The area is not valid GeoJSON."), "invalid_json") from None
    if not isinstance(value, dict):
        raise error(_("The area is not valid GeoJSON."), "invalid_json")
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise error(_("Draw one area."), "one_feature")
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise error(_("The area must be a polygon."), "not_polygon")
    try:
        geometry = shape(value)
    except Exception:  # noqa: BLE001 - shapely raises many kinds on malformed coordinates
        raise error(_("The area's coordinates cannot be read."), "bad_coordinates") from None
    polygons = list(getattr(geometry, "geoms", [geometry]))
    if geometry.is_empty or any(len(set(p.exterior.coords)) < 3 for p in polygons):
        raise error(_("The area is empty: click at least three corners."), "empty")
    if sum(len(p.exterior.coords) for p in polygons) > AREA_MAX_CORNERS:
        raise error(_("The area is too detailed: draw it with fewer corners."), "too_large")
    if not geometry.is_valid:
        raise error(_("The area's edges cross each other: draw its corners in order around it."), "invalid_polygon")
    if geometry.area == 0:
        raise error(_("The area is empty: click at least three corners."), "empty")
    min_x, min_y, max_x, max_y = geometry.bounds
    west, south, east, north = BELGIUM_BOUNDS
    if min_x < west or max_x > east or min_y < south or max_y > north:
        raise error(_("The area lies outside Belgium: coordinates are longitude, latitude (WGS84)."), "outside")
    return json.loads(json.dumps(mapping(geometry)))


@dataclass
class AreaMatch:
    networks: list[Network] = field(default_factory=list)
    by_boundary: list[Network] = field(default_factory=list)  # matched by their municipalities' boundaries
    ignored: list[Network] = field(default_factory=list)  # neither an area nor a known boundary


def networks_in_area(*, actor, area: dict) -> AreaMatch:
    """The networks the actor may send to whose area intersects `area` (their municipalities' boundaries when they
    have no area of their own)."""
    from shapely import prepared
    from shapely.geometry import shape

    drawn = prepared.prep(shape(area))
    candidates = list(sendable_networks(actor).order_by("name").prefetch_related("municipalities"))
    match = AreaMatch()
    without_area = []
    for network in candidates:
        if network.area_polygon:
            try:
                polygon = shape(network.area_polygon)
            except Exception:  # noqa: BLE001 - a stored area that cannot be read counts as none
                without_area.append(network)
                continue
            if drawn.intersects(polygon if polygon.is_valid else polygon.buffer(0)):
                match.networks.append(network)
        else:
            without_area.append(network)
    if without_area:
        municipality_ids = {m.pk for n in without_area for m in n.municipalities.all()} | {
            n.municipality_id for n in without_area
        }
        boundaries = {}
        for municipality_id, geometry in MunicipalityBoundary.objects.filter(
            municipality_id__in=sorted(municipality_ids)
        ).values_list("municipality_id", "geometry"):
            boundary = shape(geometry)
            boundaries[municipality_id] = drawn.intersects(boundary if boundary.is_valid else boundary.buffer(0))
        for network in without_area:
            covered = [m.pk for m in network.municipalities.all()] or [network.municipality_id]
            known = [boundaries[pk] for pk in covered if pk in boundaries]
            if not known:
                match.ignored.append(network)
            elif any(known):
                match.networks.append(network)
                match.by_boundary.append(network)
    if not match.networks:
        raise ValidationError({"target_area": _("No network you may send to lies in this area.")}, code="no_networks")
    return match


# --- the draft --------------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """A message checked and ready to preview or send."""

    actor: object
    message_type: str
    sender: str
    target_kind: str
    networks: list[Network]
    texts: dict
    target_zone: PoliceZone | None = None
    target_municipality: Municipality | None = None
    target_area: dict | None = None
    send_at: datetime.datetime | None = None
    feedback_for: Message | None = None
    by_boundary: list[Network] = field(default_factory=list)
    ignored: list[Network] = field(default_factory=list)

    @property
    def is_scheduled(self) -> bool:
        return self.send_at is not None

    def send_kwargs(self) -> dict:
        return {
            "actor": self.actor,
            "message_type": self.message_type,
            "networks": self.networks,
            "texts": self.texts,
            "target_kind": self.target_kind,
            "target_zone": self.target_zone,
            "target_municipality": self.target_municipality,
            "target_area": self.target_area,
            "send_at": self.send_at,
            "feedback_for": self.feedback_for,
        }


def texts_from_fields(data: dict) -> dict:
    """{language: {title, body, sms}} from flat fields `title_<lang>`, `body_<lang>`, `sms_<lang>`."""
    texts = {}
    for code in LANGUAGES:
        values = {part: data.get(f"{part}_{code}") or "" for part in ("title", "body", "sms")}
        if any(str(v).strip() for v in values.values()):
            texts[code] = values
    return texts


def sms_normalise(texts: dict) -> dict:
    """Line breaks as one character (browsers post CR LF; the phone shows LF, and the counter counts one)."""
    result = {}
    for code, value in (texts or {}).items():
        if isinstance(value, dict) and isinstance(value.get("sms"), str):
            value = {**value, "sms": value["sms"].replace("\r\n", "\n").replace("\r", "\n")}
        result[code] = value
    return result


def feedback_alert(*, actor, alert_id) -> Message:
    """The urgent alert the actor gives feedback on: one they may act on that still owes its feedback."""
    alert = Message.objects.for_user(actor, "change").filter(pk=_int(alert_id, "feedback_for")).first()
    if alert is None:
        raise ValidationError(
            {"feedback_for": _("You cannot give feedback on this message: it is not an alert of your zone.")},
            code="not_allowed",
        )
    if not alert.owes_feedback:
        raise ValidationError(
            {"feedback_for": _("This alert does not wait for feedback: its feedback was already sent.")},
            code="no_feedback_owed",
        )
    return alert


def draft_build(
    *,
    actor,
    message_type: str,
    target_kind: str,
    texts: dict,
    network_codes: list[str] | None = None,
    zone_id=None,
    municipality_id=None,
    area=None,
    send_at: datetime.datetime | None = None,
    feedback_for_id=None,
    now: datetime.datetime | None = None,
) -> Draft:
    """Check everything about a message before it is previewed or sent; raise one ValidationError with every
    problem, keyed by field (type, target_kind, networks, target_zone, target_municipality, target_area,
    title_<lang>, body_<lang>, sms_<lang>, texts, send_at, feedback_for)."""
    now = now or timezone.now()
    errors: dict[str, list] = {}

    def collect(error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)

    if message_type not in MessageType.values:
        errors["type"] = [_("Choose a message type.")]
    kinds = target_kinds(actor)
    networks: list[Network] = []
    zone = municipality = geometry = None
    match = AreaMatch()
    if target_kind not in TargetKind.values:
        errors["target_kind"] = [_("Choose whom to send the message to.")]
    elif target_kind not in kinds:
        errors["target_kind"] = [_("Only mandated officers send to a whole zone or municipality.")]
    else:
        try:
            if target_kind == TargetKind.NETWORKS:
                networks = networks_from_codes(actor=actor, codes=list(network_codes or []))
            elif target_kind == TargetKind.ZONE:
                zone, networks = networks_of_zone(actor=actor, zone_id=zone_id)
            elif target_kind == TargetKind.MUNICIPALITY:
                municipality, networks = networks_of_municipality(actor=actor, municipality_id=municipality_id)
            else:
                geometry = area_parse(area)
                match = networks_in_area(actor=actor, area=geometry)
                networks = match.networks
        except ValidationError as error:
            collect(error)

    sender = permissions.sender_for(actor, networks) if networks else None
    if networks and sender is None:
        errors.setdefault("networks" if target_kind == TargetKind.NETWORKS else f"target_{target_kind}", []).append(
            _(
                "You send to the networks of your zone as the police and to your own network as its coordinator: "
                "send them separate messages."
            )
        )
    if (
        sender == Sender.POLICE
        and message_type in MessageType.values
        and message_type not in permissions.allowed_types(actor, networks)
    ):
        errors.setdefault("type", []).append(
            _(
                "Under ADVP's training policy, only officers holding a valid BIN course certificate send "
                "urgent messages."
            )
        )
    if sender == Sender.COORDINATOR and message_type in MessageType.values:
        for network in networks:
            if message_type not in permissions.coordinator_types(network.pk):
                errors.setdefault("type", []).append(
                    _("The communication plan of %(network)s does not let coordinators send this type of message.")
                    % {"network": network.name}
                )
                break

    try:
        cleaned = texts_clean(sms_normalise(texts))
    except ValidationError as error:
        collect(error)
        cleaned = {}

    if send_at is not None:
        if send_at <= now:
            errors.setdefault("send_at", []).append(_("Choose a time in the future, or send now."))
        elif send_at > now + datetime.timedelta(days=SCHEDULE_MAX_DAYS):
            errors.setdefault("send_at", []).append(_("Schedule a message at most a year ahead."))

    alert = None
    if feedback_for_id not in (None, ""):
        try:
            alert = feedback_alert(actor=actor, alert_id=feedback_for_id)
        except ValidationError as error:
            collect(error)
        else:
            if message_type != MessageType.FEEDBACK:
                errors.setdefault("type", []).append(_("Feedback on an alert must be of the type feedback."))
            if networks and (sender != Sender.POLICE or alert.zone_id not in {n.zone_id for n in networks}):
                errors.setdefault("feedback_for", []).append(
                    _("Feedback goes from the police of the alert's zone to networks of that zone.")
                )

    if errors:
        raise ValidationError(errors)
    return Draft(
        actor=actor,
        message_type=message_type,
        sender=sender,
        target_kind=target_kind,
        networks=networks,
        texts=cleaned,
        target_zone=zone,
        target_municipality=municipality,
        target_area=geometry,
        send_at=send_at,
        feedback_for=alert,
        by_boundary=match.by_boundary,
        ignored=match.ignored,
    )
