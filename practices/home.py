"""Home page sections of the practices library: the moderation queue for the Knowledge Centre, and a field
actor's own practices (drafts, changes requested)."""

from __future__ import annotations

from . import selectors
from .permissions import can_contribute, is_moderator


def moderator_context(request) -> dict:
    return {"waiting": selectors.moderation_waiting_count(user=request.user)}


def contributor_context(request) -> dict:
    return {"counts": selectors.contributor_counts(user=request.user)}


def register() -> None:
    from core.home import register_home_section

    register_home_section("practices/home/_moderation.html", visible=is_moderator, context=moderator_context, order=40)
    register_home_section(
        "practices/home/_contributor.html",
        visible=lambda user: can_contribute(user) and not is_moderator(user),
        context=contributor_context,
        order=70,
    )
