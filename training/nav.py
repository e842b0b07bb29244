"""Navigation of the training app: the main menu entry, the sub-navigation (templates/training/_subnav.html), and
the home-page sections each part registers (home_sessions, home_enrol, home_coverage)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role, is_national

from . import permissions

# (label, URL name, who sees it)
SUBNAV = [
    (_("Sessions"), "training:session_list", lambda u: True),
    (_("Our staff"), "training:zone_overview", permissions.can_enrol_staff),
    (_("The course"), "training:course_list", permissions.is_staff_reader),
    (_("Coverage"), "training:coverage", permissions.can_see_coverage),
    (_("Statistics"), "training:statistics", permissions.can_see_statistics),
    (_("Policy"), "training:policy", lambda u: is_national(u)),
    (_("Verify a certificate"), "training:certificate_verify", lambda u: True),
]


def subnav_links(request) -> list[dict]:
    user = request.user
    links = []
    for label, url_name, visible in SUBNAV:
        if visible(user):
            links.append({"label": label, "url": reverse(url_name), "current": False})
    matches = [link for link in links if request.path.startswith(link["url"])]
    if matches:
        max(matches, key=lambda link: len(link["url"]))["current"] = True
    return links


def _menu_visible(user) -> bool:
    return has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE, Role.ZONE_OFFICER, Role.TRAINER)


def register() -> None:
    from core.navigation import register_nav

    from . import home_coverage, home_enrol, home_sessions

    register_nav(_("BIN course"), "training:session_list", visible=_menu_visible, order=40)
    home_sessions.register()
    home_enrol.register()
    home_coverage.register()
