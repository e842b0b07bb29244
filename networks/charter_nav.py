"""Who reaches ADVP's charter pages, and their entries in the navigation and on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role


def can_review_charters(user) -> bool:
    """ADVP reviews charters and keeps the checklist."""
    return has_role(user, Role.ADVP)


def can_see_national_sanctions(user) -> bool:
    """The national sanctions register is ADVP's (it receives the copies of coordinator removals)."""
    return has_role(user, Role.ADVP)


def _home_context(request) -> dict:
    from .charter_selectors import age_in_days, review_queue

    queue = review_queue(user=request.user)
    oldest = queue.values_list("submitted_at", flat=True).first()
    return {"charters_waiting": queue.count(), "oldest_waiting_days": age_in_days(oldest)}


def register() -> None:
    from core.home import register_home_section
    from core.navigation import register_nav

    register_nav(_("Charter reviews"), "networks:review_queue", visible=can_review_charters, order=22)
    register_nav(_("Sanctions"), "networks:sanction_national_list", visible=can_see_national_sanctions, order=23)
    register_home_section(
        "networks/reviews/_home_advp.html", visible=can_review_charters, context=_home_context, order=15
    )
