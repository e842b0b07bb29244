"""Home-page section of training, part "coverage" (registered from nav.register()): for ADVP and the Knowledge
Centre, the national share of mandated officers trained and the number of networks without a trained officer."""

from __future__ import annotations

from core.roles import is_national


def coverage_context(request) -> dict:
    from .selectors_coverage import coverage_summary

    return {"coverage": coverage_summary(user=request.user)}


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "training/coverage/home/_national.html", visible=is_national, context=coverage_context, order=45
    )
