"""The member portal's entry in the main navigation and its section on the home page. `register()` is called once
from `MembersConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role

from .choices import CURRENT_STATUSES


def is_member(user) -> bool:
    return has_role(user, Role.MEMBER)


def member_home_context(request) -> dict:
    from . import portal_selectors

    member = portal_selectors.member_for_user(user=request.user)
    if member is None:
        return {"member": None, "memberships": []}
    memberships = [
        membership
        for membership in portal_selectors.member_memberships(member=member)
        if membership.status in CURRENT_STATUSES
    ]
    return {"member": member, "memberships": memberships}


def register() -> None:
    from core.home import register_home_section
    from core.navigation import register_nav

    register_nav(_("My networks"), "members_portal:home", visible=is_member, order=12)
    register_home_section(
        "members/portal/partials/_home_member.html", visible=is_member, context=member_home_context, order=5
    )
