"""Navigation of the committee: the main menu entry (ADVP, the Knowledge Centre and seat holders) and the
home-page section (the next meeting and the open actions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import permissions


def _home_context(request) -> dict:
    from .selectors import home

    return {"committee": home(user=request.user)}


def register() -> None:
    from core.home import register_home_section
    from core.navigation import register_nav

    register_nav(_("Steering committee"), "committee:composition", visible=permissions.is_committee_reader, order=60)
    register_home_section(
        "committee/home/_committee.html",
        visible=permissions.is_committee_reader,
        context=_home_context,
        order=60,
    )
