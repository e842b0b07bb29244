"""Plain helpers of the member-management tests (no fixtures: imported fixtures read as redefinitions to linters)."""

from __future__ import annotations

from django.urls import reverse

from core.models import AuditAction, AuditEvent
from core.navigation import _items as nav_items

MANAGERS = ("coordinator", "zone_officer")
NOT_MANAGERS = (
    "advp_admin",
    "knowledge_centre",
    "municipality_official",
    "other_zone_officer",
    "member",
    "trainer",
    "outsider",
)
COUNT_READERS = (
    "advp_admin",
    "knowledge_centre",
    "municipality_official",
    "zone_officer",
    "other_zone_officer",
    "coordinator",
)
NO_COUNTS = ("member", "trainer", "outsider")


def people(personas, names) -> list:
    return [getattr(personas, name) for name in names]


def speak_english(personas) -> None:
    """Every persona reads the pages in English (their account's language)."""
    from accounts.models import User

    everyone = list(personas.all().values())
    User.objects.filter(pk__in=[person.pk for person in everyone]).update(language="en")
    for person in everyone:
        person.language = "en"


def sign_in(client, user):
    client.force_login(user)
    client.cookies["binplp_language"] = "en"
    return client


def list_url(network) -> str:
    return reverse("members_manage:member_list", args=[network.code])


def requests_url(network) -> str:
    return reverse("members_manage:request_list", args=[network.code])


def view_events(context: str):
    return AuditEvent.objects.filter(action=AuditAction.VIEW, changes__context=context).order_by("pk")


def ensure_registered() -> None:
    """The app's navigation entry and home section, registered once per process (members.apps calls these)."""
    from core.home import _sections
    from members import home, manage_nav

    if not any(item.url_name == "members_manage:index" for item in nav_items):
        manage_nav.register()
    if not any(section.template == "members/manage/home/_pending.html" for section in _sections):
        home.register()
