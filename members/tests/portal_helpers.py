"""Fixtures and helpers shared by the member portal's tests (imported by members/tests/test_portal*.py)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

LINK_PATTERN = re.compile(r"https?://[^\s\"<>]+/me/sign-in/[^/\s\"<>]+/[^/\s\"<>]+/")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in link rate limits live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member_en(personas):
    """The member persona (a Member of network A) with English chosen, so assertions can read the pages."""
    personas.member.language = "en"
    personas.member.save(update_fields=["language"])
    return personas.member


@pytest.fixture
def member_client(client, member_en):
    client.force_login(member_en)
    return client


@pytest.fixture
def portal_registered(monkeypatch):
    """The portal's navigation entry and home section, registered on copies of the registries (the lead wires
    `members.portal_nav.register()` into the app's `ready()`)."""
    import core.home
    import core.navigation
    from members import portal_nav

    monkeypatch.setattr(core.home, "_sections", list(core.home._sections))
    monkeypatch.setattr(core.navigation, "_items", list(core.navigation._items))
    portal_nav.register()


def link_in(message) -> str:
    """The sign-in link of an e-mail, as a path."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = LINK_PATTERN.search(body)
    assert match is not None, body
    return "/" + match.group(0).split("/", 3)[3]


def make_member_of(user, network, **profile):
    """Give an existing account (e.g. the coordinator persona) a member profile and a membership of `network`."""
    import datetime

    from accounts.models import RoleAssignment
    from core.roles import Role, forget_grants
    from members.models import Member, Membership

    values = {"street": "Meir", "house_number": "3", "postal_code": "2000", "mobile": "+32470999888"}
    values.update(profile)
    member = Member.objects.create(user=user, **values)
    Membership.objects.create(member=member, network=network, joined_on=datetime.date(2024, 6, 1), in_area=True)
    RoleAssignment.objects.get_or_create(user=user, role=Role.MEMBER, revoked_at=None)
    forget_grants(user)
    return member
