"""Navigation and home-page registrations of messaging (part "follow"), called from MessagingConfig.ready().

Home sections: the feedback the officer's zone owes (count owed, count overdue), the coordinator's networks with their
log and delivery problems, and a link to the statistics for municipal officials and national roles. The main "Messages"
entry is part "send"'s. Importing tasks_follow here registers the hourly feedback reminders at start-up."""

from __future__ import annotations

from core.roles import Role, has_role

LIMIT = 10


def feedback_context(request) -> dict:
    from .selectors_follow import feedback_counts

    return feedback_counts(user=request.user)


def coordinator_context(request) -> dict:
    from core.roles import scope_ids
    from networks.models import Network

    from .selectors_follow import problem_counts

    ids = sorted(scope_ids(request.user, Role.COORDINATOR))
    networks = list(Network.objects.filter(pk__in=ids).only("pk", "code", "name").order_by("name")[:LIMIT])
    problems = problem_counts([network.pk for network in networks])
    return {"rows": [{"network": network, "problems": problems.get(network.pk, 0)} for network in networks]}


def _sees_statistics_only(user) -> bool:
    """Municipal officials and national roles: the officers' section already links to the statistics."""
    return has_role(user, Role.MUNICIPAL_OFFICIAL, Role.ADVP, Role.KNOWLEDGE_CENTRE) and not has_role(
        user, Role.ZONE_OFFICER
    )


def register() -> None:
    from core.home import register_home_section

    from . import tasks_follow  # noqa: F401  (registers the hourly feedback reminders)

    register_home_section(
        "messaging/follow/home/_feedback.html",
        visible=lambda user: has_role(user, Role.ZONE_OFFICER),
        context=feedback_context,
        order=26,
    )
    register_home_section(
        "messaging/follow/home/_coordinator.html",
        visible=lambda user: has_role(user, Role.COORDINATOR),
        context=coordinator_context,
        order=29,
    )
    register_home_section("messaging/follow/home/_statistics.html", visible=_sees_statistics_only, order=60)
