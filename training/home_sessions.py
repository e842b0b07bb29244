"""Home-page section of training, part "sessions": a trainer's next sessions with their seats filled, and the
sessions that ended and wait to be closed (registered from nav.register())."""

from __future__ import annotations

from . import permissions


def _context(request) -> dict:
    from .selectors_sessions import trainer_home

    return trainer_home(user=request.user)


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "training/session/home/_sessions.html",
        visible=permissions.can_plan_sessions,
        context=_context,
        order=42,
    )
