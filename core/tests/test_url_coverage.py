"""Every URL of the project is in the access manifest, and the manifest holds: each entry is requested (GET) as
every persona and anonymously, with arguments pointing at network A's objects, and answers as the manifest says.

Adding a URL without saying in `core/testing/url_manifest.py` who may open it fails `test_every_url_is_in_the_manifest`.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.testing.url_manifest import (
    ANONYMOUS,
    MANIFEST,
    PERSONAS,
    Exempt,
    Rule,
    classify,
    url_kwargs,
    world_for_module,
)

ADMIN_PREFIX = "django-admin/"


def _walk(resolver, prefix: str = "", namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), tuple(pattern.pattern.regex.groupindex)


def url_patterns() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every named URL pattern: name → (route, keyword names). DRF's format-suffix twins share their name."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, route, keywords in _walk(get_resolver()):
        if name and name not in found:
            found[name] = (route, keywords)
    return found


def test_every_url_is_in_the_manifest():
    names = set(url_patterns())
    missing = sorted(names - set(MANIFEST))
    gone = sorted(set(MANIFEST) - names)
    assert not missing, f"URL names not in core/testing/url_manifest.py (say who may open them): {missing}"
    assert not gone, f"manifest entries whose URL no longer exists: {gone}"


def test_unnamed_urls_are_only_the_admins():
    """A URL without a name cannot be listed in the manifest; only Django admin's internal redirects may lack one."""
    unnamed = [route for name, route, _ in _walk(get_resolver()) if not name and not route.startswith(ADMIN_PREFIX)]
    assert not unnamed, f"unnamed URL patterns (give them a name and a manifest entry): {unnamed}"


def test_exemptions_give_a_reason():
    for name, entry in MANIFEST.items():
        assert isinstance(entry, Rule | Exempt), name
        if isinstance(entry, Exempt):
            assert len(entry.reason) > 10, f"{name}: say why it is exempt"


# The module's world lives in the test database: without a django_db test in the run, pytest-django would not set one
# up and the world would be written into the developer's database (see world_for_module's guard).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


CHECKED = sorted(name for name, entry in MANIFEST.items() if isinstance(entry, Rule))


# Who is asked when every persona gets the same answer: one national role, one citizen, one outsider (and anonymous).
SAMPLE = (ANONYMOUS, "advp_admin", "member", "outsider")


def _asked(entry: Rule) -> tuple[str, ...]:
    uniform = not entry.people
    return SAMPLE if uniform else (ANONYMOUS, *PERSONAS)


@pytest.fixture(scope="module")
def clients(world):
    """A client per persona, signed in once for the module (sessions live in the module's transaction)."""
    signed_in = {}
    for who in (ANONYMOUS, *PERSONAS):
        client = Client()
        client.cookies["binplp_language"] = "en"
        if who != ANONYMOUS:
            client.force_login(getattr(world.personas, who))
        signed_in[who] = client
    return signed_in


def _observe(world, clients, name: str, keywords, asked=(ANONYMOUS, *PERSONAS)) -> tuple[str, dict[str, str]]:
    url = reverse(name, kwargs=url_kwargs(name, keywords, world))
    return url, {who: classify(clients[who].get(url)) for who in asked}


@pytest.mark.parametrize("name", CHECKED)
def test_manifest_holds(world, clients, name):
    patterns = url_patterns()
    if name not in patterns:
        pytest.fail(f"{name}: in the manifest but not a URL")
    entry = MANIFEST[name]
    with transaction.atomic():
        url, outcomes = _observe(world, clients, name, patterns[name][1], _asked(entry))
        transaction.set_rollback(True)
    wrong = {
        who: f"got {outcome}, expected {entry.expected(who)}"
        for who, outcome in outcomes.items()
        if not (entry.expected_for_anonymous(outcome) if who == ANONYMOUS else outcome == entry.expected(who))
    }
    assert not wrong, f"GET {url} ({name}): {wrong}"


@pytest.mark.skipif(not os.environ.get("ACL_PROBE"), reason="writes the observed outcomes of every URL (a tool)")
def test_probe_every_url(world, clients):
    """ACL_PROBE=/tmp/out.json: record what every persona gets on every URL (to write or review the manifest)."""
    observed = {}
    for name, (route, keywords) in sorted(url_patterns().items()):
        if route.startswith("accounts/") and not name.startswith("accounts:"):
            continue
        if os.environ.get("ACL_PROBE_NAMES") and name not in os.environ["ACL_PROBE_NAMES"].split(","):
            continue
        try:
            started = time.perf_counter()
            with transaction.atomic():
                url, outcomes = _observe(world, clients, name, keywords)
                transaction.set_rollback(True)
            outcomes["seconds"] = round(time.perf_counter() - started, 2)
        except Exception as error:  # noqa: BLE001 - a tool: record and go on
            observed[name] = {"error": repr(error)[:300]}
            continue
        observed[name] = {"url": url, **outcomes}
    with open(os.environ["ACL_PROBE"], "w") as out:
        json.dump(observed, out, indent=1)
