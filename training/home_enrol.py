"""Home-page section of training, part "enrol" (registered from nav.register()): for a zone's officers, the
requests to approve, the upcoming sessions of the zone's staff and how many mandated officers are not yet trained."""

from __future__ import annotations

from core.roles import Role, has_role


def zone_officer_context(request) -> dict:
    from . import selectors_enrol as selectors

    user = request.user
    zones = []
    for zone in selectors.officer_zone_list(user):
        staff = selectors.zone_staff(user=user, zone=zone)
        zones.append(
            {
                "zone": zone,
                "requests": selectors.zone_requests(user=user, zone=zone).count(),
                "enrolments": list(selectors.zone_enrolments(user=user, zone=zone)[:10]),
                "officers": sum(1 for row in staff if row.is_officer),
                "untrained": sum(1 for row in staff if row.is_officer and row.certificate.state != "valid"),
            }
        )
    return {"training_zones": zones}


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "training/enrol/_home_zone.html",
        visible=lambda user: has_role(user, Role.ZONE_OFFICER),
        context=zone_officer_context,
        order=31,
    )
