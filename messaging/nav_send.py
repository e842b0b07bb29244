"""Navigation and home-page registrations of messaging (part "send"), called from MessagingConfig.ready(); and the
links of the messaging sub-navigation (templates/messaging/_subnav.html), each shown to whoever may open its page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role, is_national

FOLLOWERS = (Role.ZONE_OFFICER, Role.COORDINATOR, Role.MUNICIPAL_OFFICIAL)


# (label, URL name, who sees it). The pages of parts "member" and "follow" are linked by their agreed URL names.
def can_see_statistics(user) -> bool:
    from .selectors_follow import can_see_statistics as allowed

    return allowed(user)


SUBNAV = [
    (_("Sent messages"), "messaging:message_list", lambda u: has_role(u, *FOLLOWERS)),
    (_("New message"), "messaging:compose", lambda u: has_role(u, Role.ZONE_OFFICER, Role.COORDINATOR)),
    (_("Reports from members"), "messaging:report_list", lambda u: has_role(u, Role.ZONE_OFFICER)),
    (_("Replies"), "messaging:reply_list", lambda u: has_role(u, Role.ZONE_OFFICER, Role.COORDINATOR)),
    (_("Feedback due"), "messaging:feedback_due", lambda u: has_role(u, Role.ZONE_OFFICER)),
    (_("Statistics"), "messaging:statistics", lambda u: can_see_statistics(u)),
    (
        _("Prevention tips"),
        "messaging:tip_list",
        lambda u: has_role(u, Role.ZONE_OFFICER, Role.COORDINATOR) or is_national(u),
    ),
]


def subnav_links(request) -> list[dict]:
    user = request.user
    links = []
    for label, url_name, visible in SUBNAV:
        if not visible(user):
            continue
        url = reverse(url_name)
        links.append({"label": label, "url": url, "current": False})
    path = request.path
    matches = [link for link in links if path == link["url"] or path.startswith(link["url"])]
    if matches:
        max(matches, key=lambda link: len(link["url"]))["current"] = True
    return links


def _messages_home_visible(user) -> bool:
    return has_role(user, Role.ZONE_OFFICER, Role.COORDINATOR) or is_national(user)


def _messages_home_context(request) -> dict:
    user = request.user
    return {
        "can_compose": has_role(user, Role.ZONE_OFFICER, Role.COORDINATOR),
        "can_follow": has_role(user, *FOLLOWERS),
    }


def register() -> None:
    from core.home import register_home_section
    from core.navigation import register_nav

    register_nav(_("Messages"), "messaging:message_list", visible=lambda user: has_role(user, *FOLLOWERS), order=30)
    register_home_section(
        "messaging/send/home/_messages.html",
        visible=_messages_home_visible,
        context=_messages_home_context,
        order=28,
    )
