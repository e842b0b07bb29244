"""Home page sections of the networks register: a zone's and a coordinator's networks with their status counts,
and for ADVP the networks that recently dissolved or merged (ADVP must hear at once)."""

from __future__ import annotations

from core.roles import Role, has_role

from . import selectors


def _networks_context(networks) -> dict:
    return {
        "networks": list(networks.select_related("municipality").order_by("name")[:20]),
        "total": networks.count(),
        "status_counts": [row for row in selectors.status_counts(networks) if row["count"]],
    }


def zone_officer_context(request) -> dict:
    return _networks_context(selectors.zone_officer_networks(user=request.user))


def coordinator_context(request) -> dict:
    return _networks_context(selectors.coordinator_networks(user=request.user))


def advp_context(request) -> dict:
    return {"endings": list(selectors.recent_endings(user=request.user))}


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "networks/home/_advp.html",
        visible=lambda user: has_role(user, Role.ADVP),
        context=advp_context,
        order=11,
    )
    register_home_section(
        "networks/home/_zone_officer.html",
        visible=lambda user: has_role(user, Role.ZONE_OFFICER),
        context=zone_officer_context,
        order=29,
    )
    register_home_section(
        "networks/home/_coordinator.html",
        visible=lambda user: has_role(user, Role.COORDINATOR),
        context=coordinator_context,
        order=28,
    )
