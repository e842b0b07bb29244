"""Reads of the reference geography that are more than a `get`: lists with what their pages show,
a municipality's zone on a day, and the GeoJSON layers of the map (cached)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.crypto import get_random_string

from .models import (
    Academy,
    Municipality,
    MunicipalityBoundary,
    PoliceZone,
    PoliceZoneBoundary,
    Province,
    Region,
    ZoneMembership,
)


def _current_memberships(to_attr: str, related: str) -> Prefetch:
    return Prefetch(
        "zone_memberships" if related == "zone" else "memberships",
        queryset=ZoneMembership.objects.filter(valid_to__isnull=True).select_related(related),
        to_attr=to_attr,
    )


def region_list(*, user) -> QuerySet[Region]:
    """Regions with their provinces, and how many current municipalities and zones each holds."""
    provinces = Province.objects.for_user(user).annotate(
        municipality_count=Count("municipalities", filter=Q(municipalities__is_current=True))
    )
    return (
        Region.objects.for_user(user)
        .annotate(municipality_count=Count("municipalities", filter=Q(municipalities__is_current=True)))
        .prefetch_related(Prefetch("provinces", queryset=provinces))
    )


def municipality_list(*, user, filters: Mapping | None = None) -> QuerySet[Municipality]:
    """Current municipalities with their province, region, current zone (`current_memberships`) and
    postal codes; narrowed by `MunicipalityFilterSet` when `filters` are given."""
    queryset = (
        Municipality.objects.for_user(user)
        .current()
        .select_related("province", "region")
        .prefetch_related(_current_memberships("current_memberships", "zone"), "postal_codes")
    )
    if filters is not None:
        from .filters import MunicipalityFilterSet

        queryset = MunicipalityFilterSet(filters, queryset=queryset).qs
    return queryset


def zone_list(*, user, filters: Mapping | None = None) -> QuerySet[PoliceZone]:
    """Police zones with their current municipalities (`current_memberships`) and predecessors; narrowed
    by `PoliceZoneFilterSet` (current zones unless asked otherwise) when `filters` are given."""
    queryset = (
        PoliceZone.objects.for_user(user)
        .annotate(municipality_count=Count("memberships", filter=Q(memberships__valid_to__isnull=True)))
        .prefetch_related(
            _current_memberships("current_memberships", "municipality"),
            Prefetch("predecessors", queryset=PoliceZone.objects.only("pk", "code", "name")),
        )
        .order_by("name", "pk")
    )
    if filters is not None:
        from .filters import PoliceZoneFilterSet

        queryset = PoliceZoneFilterSet(filters, queryset=queryset).qs
    return queryset


def academy_list(*, user) -> QuerySet[Academy]:
    return Academy.objects.for_user(user).select_related("province", "region")


def zone_for_municipality_on(municipality: Municipality, day: datetime.date) -> PoliceZone | None:
    """The police zone `municipality` belonged to on `day` (None when the records do not say)."""
    membership = (
        ZoneMembership.objects.filter(municipality=municipality)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("zone")
        .order_by("-valid_from")
        .first()
    )
    return membership.zone if membership else None


def municipality_zone_history(municipality: Municipality) -> QuerySet[ZoneMembership]:
    return municipality.zone_memberships.select_related("zone").order_by("-valid_to", "valid_from")


# --- GeoJSON layers of the map ------------------------------------------------------------------------------------

_VERSION_KEY = "geography:geojson:version"
_CACHE_SECONDS = 24 * 3600


def geojson_invalidate() -> None:
    """Forget the cached map layers (after the reference data or a zone changed)."""
    cache.set(_VERSION_KEY, get_random_string(12), None)


def _cache_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = get_random_string(12)
        cache.add(_VERSION_KEY, version, None)
        version = cache.get(_VERSION_KEY, version)
    return version


def _feature_collection(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def zones_geojson(*, user, zone_ids: list[int] | None = None) -> bytes:
    """Current zones (or the given ones) as GeoJSON; properties name, code, code_status, url."""
    cache_key = None
    if zone_ids is None:
        cache_key = f"geography:geojson:{_cache_version()}:zones"
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
    zones = PoliceZone.objects.for_user(user)
    zones = zones.filter(pk__in=zone_ids) if zone_ids is not None else zones.current()
    boundaries = PoliceZoneBoundary.objects.filter(zone__in=zones).select_related("zone").order_by("zone__name")
    payload = _feature_collection(
        [
            {
                "type": "Feature",
                "geometry": boundary.geometry,
                "properties": {
                    "name": str(boundary.zone.name),
                    "code": boundary.zone.code,
                    "code_status": boundary.zone.code_status,
                    "url": boundary.zone.get_absolute_url(),
                },
            }
            for boundary in boundaries
        ]
    )
    if cache_key:
        cache.set(cache_key, payload, _CACHE_SECONDS)
    return payload


def municipalities_geojson(*, user, municipality_ids: list[int] | None = None, language: str) -> bytes:
    """Current municipalities (or the given ones) as GeoJSON; properties name (in `language`), refnis, url."""
    cache_key = None
    if municipality_ids is None:
        cache_key = f"geography:geojson:{_cache_version()}:municipalities:{language}"
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
    municipalities = Municipality.objects.for_user(user)
    if municipality_ids is not None:
        municipalities = municipalities.filter(pk__in=municipality_ids)
    else:
        municipalities = municipalities.current()
    boundaries = MunicipalityBoundary.objects.filter(municipality__in=municipalities).select_related("municipality")
    payload = _feature_collection(
        [
            {
                "type": "Feature",
                "geometry": boundary.geometry,
                "properties": {
                    "name": boundary.municipality.name,
                    "refnis": boundary.municipality.refnis,
                    "url": boundary.municipality.get_absolute_url(),
                },
            }
            for boundary in boundaries
        ]
    )
    if cache_key:
        cache.set(cache_key, payload, _CACHE_SECONDS)
    return payload
