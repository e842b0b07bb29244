"""Home page sections for the roles scoped to a piece of reference geography."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.roles import Role, has_role, scope_ids

from .models import Academy, Municipality, PoliceZone, ZoneMembership


def _open_memberships(related: str) -> QuerySet[ZoneMembership]:
    return ZoneMembership.objects.filter(valid_to__isnull=True).select_related(related)


def zone_officer_context(request) -> dict:
    zones = (
        PoliceZone.objects.for_user(request.user)
        .filter(pk__in=scope_ids(request.user, Role.ZONE_OFFICER))
        .prefetch_related(
            Prefetch("memberships", queryset=_open_memberships("municipality"), to_attr="current_memberships")
        )
    )
    return {"zones": list(zones)}


def municipal_official_context(request) -> dict:
    municipalities = (
        Municipality.objects.for_user(request.user)
        .filter(pk__in=scope_ids(request.user, Role.MUNICIPAL_OFFICIAL))
        .prefetch_related(
            Prefetch("zone_memberships", queryset=_open_memberships("zone"), to_attr="current_memberships")
        )
    )
    return {"municipalities": list(municipalities)}


def trainer_context(request) -> dict:
    academies = Academy.objects.for_user(request.user).filter(pk__in=scope_ids(request.user, Role.TRAINER))
    return {"academies": list(academies)}


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "geography/home/_zone_officer.html",
        visible=lambda user: has_role(user, Role.ZONE_OFFICER),
        context=zone_officer_context,
        order=30,
    )
    register_home_section(
        "geography/home/_municipal_official.html",
        visible=lambda user: has_role(user, Role.MUNICIPAL_OFFICIAL),
        context=municipal_official_context,
        order=31,
    )
    register_home_section(
        "geography/home/_trainer.html",
        visible=lambda user: has_role(user, Role.TRAINER),
        context=trainer_context,
        order=32,
    )
