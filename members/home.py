"""Home page section of member management: the join requests waiting for a coordinator or a mandated officer."""

from __future__ import annotations

from .permissions import manages_any_members

LIMIT = 10


def pending_requests_context(request) -> dict:
    from .manage_selectors import pending_requests_by_network

    rows = pending_requests_by_network(user=request.user)
    return {
        "pending_rows": rows[:LIMIT],
        "pending_total": sum(row["pending"] for row in rows),
        "more": len(rows) > LIMIT,
    }


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "members/manage/home/_pending.html", visible=manages_any_members, context=pending_requests_context, order=27
    )
