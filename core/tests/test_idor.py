"""Insecure direct object references: people ask, by id or code, for objects outside their scope — another zone's
network, charter, letter, members, messages and reports; another network's members; another member's data — through
pages, HTMX fragments, exports, file downloads and the API. Every probe gets 403 or 404 and shows none of the other
party's personal data. National roles (ADVP, Knowledge Centre) never reach member personal data (DESIGN §4).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.testing.url_manifest import (
    A2_MEMBER_EMAIL,
    B_APPLICANT_EMAIL,
    B_MEMBER_EMAIL,
    SECRET_STRINGS_A,
    SECRET_STRINGS_B,
    world_for_module,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


# The module's world lives in the test database: without a django_db test in the run, pytest-django would not set one
# up and the world would be written into the developer's database (see world_for_module's guard).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


@pytest.fixture
def as_(world, db):
    def sign_in(persona: str) -> Client:
        client = Client()
        client.cookies["binplp_language"] = "en"
        client.force_login(getattr(world.personas, persona))
        return client

    return sign_in


def _b(w):
    return w.network_b.code


def _a(w):
    return w.network_a.code


# (persona, method, url(world), headers): the other party's objects, one probe each. Network B is in zone 5339
# (Brussels); `zone_officer`, `coordinator` and `municipality_official` are Antwerp's.
CROSS_ZONE = {
    # pages of network B
    "network detail": lambda w: reverse("networks:network_detail", args=[_b(w)]),
    "network edit": lambda w: reverse("networks:network_edit", args=[_b(w)]),
    "network status": lambda w: reverse("networks:network_status", args=[_b(w)]),
    "area editor": lambda w: reverse("networks:area_edit", args=[_b(w)]),
    "partner add": lambda w: reverse("networks:partner_add", args=[_b(w)]),
    "charter detail": lambda w: reverse("networks:charter_detail", args=[_b(w), 1]),
    "charter plan": lambda w: reverse("networks:charter_plan", args=[_b(w), 1]),
    "charter signed PDF": lambda w: reverse("networks:charter_pdf", args=[_b(w), 1]),
    "letter PDF": lambda w: reverse("networks:letter_download", args=[_b(w), w.letter_b.pk]),
    "letter PDF under network A's code": lambda w: reverse("networks:letter_download", args=[_a(w), w.letter_b.pk]),
    "sanctions": lambda w: reverse("networks:network_sanctions", args=[_b(w)]),
    "member list": lambda w: reverse("members_manage:member_list", args=[_b(w)]),
    "member export CSV": lambda w: reverse("members_manage:member_export", args=[_b(w), "csv"]),
    "member export XLSX": lambda w: reverse("members_manage:member_export", args=[_b(w), "xlsx"]),
    "member add": lambda w: reverse("members_manage:member_add", args=[_b(w)]),
    "member figures": lambda w: reverse("members_manage:member_figures", args=[_b(w)]),
    "join requests": lambda w: reverse("members_manage:request_list", args=[_b(w)]),
    "member detail": lambda w: reverse("members_manage:member_detail", args=[w.member_b.pk]),
    "member sanction form": lambda w: reverse("members_manage:membership_sanction", args=[w.membership_b.pk]),
    "message detail": lambda w: reverse("messaging:message_detail", args=[w.message_b.pk]),
    "report detail": lambda w: reverse("messaging:report_detail", args=[w.report_b.pk]),
    "message log": lambda w: reverse("messaging:network_log", args=[_b(w)]),
    "delivery problems": lambda w: reverse("messaging:network_problems", args=[_b(w)]),
    "tip edit": lambda w: reverse("messaging:tip_edit", args=[w.tip_b.pk]),
    # HTMX fragments of network B
    "HTMX member table": (lambda w: reverse("members_manage:member_list", args=[_b(w)]), HTMX),
    "HTMX member figures": (lambda w: reverse("members_manage:member_figures", args=[_b(w)]), HTMX),
    "HTMX message log table": (lambda w: reverse("messaging:network_log", args=[_b(w)]), HTMX),
    "HTMX message tracking": (lambda w: reverse("messaging:message_tracking", args=[w.message_b.pk]), HTMX),
    "HTMX street suggestions": (lambda w: reverse("networks:area_street_suggestions", args=[_b(w)]) + "?q=Rue", HTMX),
    "HTMX sanctions": (lambda w: reverse("networks:network_sanctions", args=[_b(w)]), HTMX),
    # the API
    "API network members": lambda w: reverse("network_members", args=[_b(w)]),
    "API join requests": lambda w: reverse("network_join_requests", args=[_b(w)]),
    "API message log": lambda w: reverse("network_message_log", args=[_b(w)]),
    "API message detail": lambda w: reverse("messaging_message_detail", args=[w.message_b.pk]),
    "API report detail": lambda w: reverse("messaging_report_detail", args=[w.report_b.pk]),
    "API charter detail": lambda w: reverse("charter-detail", args=[w.charter_b.pk]),
    "API charter review": lambda w: reverse("charter-review-detail", args=[w.charter_b.review.pk]),
    "API letter detail": lambda w: reverse("letter-detail", args=[w.letter_b.pk]),
    "API letter download": lambda w: reverse("letter-download", args=[w.letter_b.pk]),
    "API sanction detail": lambda w: reverse("sanction-detail", args=[w.sanction_b.pk]),
    "API tip detail": lambda w: reverse("messaging_tip-detail", args=[w.tip_b.pk]),
}

# The coordinator of network A asks for network B's members and requests (B has no coordinator of its own).
CROSS_NETWORK = (
    "member list",
    "member export CSV",
    "member export XLSX",
    "member figures",
    "join requests",
    "member detail",
    "member sanction form",
    "HTMX member table",
    "API network members",
    "API join requests",
    "API message log",
    "message log",
    "report detail",
    "API report detail",
    "charter detail",
    "letter PDF",
    "API letter download",
)

# A member (of network A) asks for another member's data and for the managers' pages of their own network.
MEMBER_PROBES = {
    "member detail of a fellow member": lambda w: reverse("members_manage:member_detail", args=[w.member_a2.pk]),
    "member list of own network": lambda w: reverse("members_manage:member_list", args=[_a(w)]),
    "member export of own network": lambda w: reverse("members_manage:member_export", args=[_a(w), "csv"]),
    "join requests of own network": lambda w: reverse("members_manage:request_list", args=[_a(w)]),
    "API members of own network": lambda w: reverse("network_members", args=[_a(w)]),
    "API join requests of own network": lambda w: reverse("network_join_requests", args=[_a(w)]),
    "leave page of a fellow member's membership": lambda w: reverse(
        "members_portal:membership_leave", args=[w.membership_a2.pk]
    ),
    "leave page of another network's membership": lambda w: reverse(
        "members_portal:membership_leave", args=[w.membership_b.pk]
    ),
    "inbox message of another network": lambda w: reverse("messaging_portal:inbox_message", args=[w.message_b.pk]),
    "report of another member (police page)": lambda w: reverse("messaging:report_detail", args=[w.report_b.pk]),
    "API report of another member": lambda w: reverse("messaging_report_detail", args=[w.report_b.pk]),
    "sanction form of a fellow member": lambda w: reverse(
        "members_manage:membership_sanction", args=[w.membership_a2.pk]
    ),
}

# National roles ask for network A's member personal data (DESIGN §4: never theirs to see).
NATIONAL_PROBES = {
    "member list": lambda w: reverse("members_manage:member_list", args=[_a(w)]),
    "HTMX member table": (lambda w: reverse("members_manage:member_list", args=[_a(w)]), HTMX),
    "member export CSV": lambda w: reverse("members_manage:member_export", args=[_a(w), "csv"]),
    "member export XLSX": lambda w: reverse("members_manage:member_export", args=[_a(w), "xlsx"]),
    "member detail": lambda w: reverse("members_manage:member_detail", args=[w.member_a2.pk]),
    "member sanction form": lambda w: reverse("members_manage:membership_sanction", args=[w.membership_a2.pk]),
    "join requests": lambda w: reverse("members_manage:request_list", args=[_a(w)]),
    "member's report": lambda w: reverse("messaging:report_detail", args=[w.report_a.pk]),
    "API network members": lambda w: reverse("network_members", args=[_a(w)]),
    "API join requests": lambda w: reverse("network_join_requests", args=[_a(w)]),
    "API member's report": lambda w: reverse("messaging_report_detail", args=[w.report_a.pk]),
    "message detail (recipients)": lambda w: reverse("messaging:message_detail", args=[w.message_a.pk]),
    "API message detail (recipients)": lambda w: reverse("messaging_message_detail", args=[w.message_a.pk]),
}

# Pages and endpoints national roles do open: counts, statistics and network data only — no member's details.
NATIONAL_ALLOWED = {
    "member counts": lambda w: reverse("members_manage:counts"),
    "member counts CSV": lambda w: reverse("members_manage:counts_csv"),
    "API member counts": lambda w: reverse("member_counts"),
    "network detail": lambda w: reverse("networks:network_detail", args=[_a(w)]),
    "network list export": lambda w: reverse("networks:network_export", args=["csv"]),
    "message statistics": lambda w: reverse("messaging:statistics"),
    "API message statistics": lambda w: reverse("message_statistics"),
    "API networks": lambda w: reverse("network-list"),
    "API network": lambda w: reverse("network-detail", args=[_a(w)]),
    "API partners": lambda w: reverse("partner-list"),
    "statistics dashboard": lambda w: reverse("dashboard:board"),
    "audit trail": lambda w: reverse("core:audit_list"),
}

# Lists a zone officer of Antwerp opens, asked to filter on network B: rows of B must not appear.
FILTERED_LISTS = {
    "reports filtered on B": lambda w: reverse("messaging:report_list") + f"?network={w.network_b.pk}",
    "messages filtered on B": lambda w: reverse("messaging:message_list") + f"?network={w.network_b.pk}",
    "replies": lambda w: reverse("messaging:reply_list"),
    "API reports filtered on B": lambda w: reverse("messaging_report_list") + f"?network={w.network_b.pk}",
    "API replies": lambda w: reverse("messaging_reply_list"),
    "API messages": lambda w: reverse("messaging_message_list"),
    "API partners": lambda w: reverse("partner-list") + f"?network={_b(w)}",
    "API sanctions": lambda w: reverse("sanction-list"),
    "API letters": lambda w: reverse("letter-list"),
    "member counts": lambda w: reverse("members_manage:counts"),
}


def _target(entry, world):
    url, headers = entry if isinstance(entry, tuple) else (entry, {})
    return url(world), headers


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _assert_refused(response, url: str, who: str, secrets) -> None:
    body = _body(response)
    assert response.status_code in (403, 404), f"{who} GET {url}: got {response.status_code}"
    leaked = [secret for secret in secrets if secret in body]
    assert not leaked, f"{who} GET {url}: the refusal shows {leaked}"


@pytest.mark.parametrize("who", ["zone_officer", "municipality_official"])
@pytest.mark.parametrize("probe", sorted(CROSS_ZONE))
def test_antwerp_cannot_reach_brussels(world, as_, who, probe):
    url, headers = _target(CROSS_ZONE[probe], world)
    _assert_refused(as_(who).get(url, **headers), url, who, SECRET_STRINGS_B)


@pytest.mark.parametrize("probe", sorted(CROSS_ZONE))
def test_brussels_officer_cannot_reach_antwerp(world, as_, probe):
    """The same probes the other way round: network A's objects asked for by the officer of zone 5339."""
    swapped = _swap(world)
    url, headers = _target(CROSS_ZONE[probe], swapped)
    _assert_refused(as_("other_zone_officer").get(url, **headers), url, "other_zone_officer", SECRET_STRINGS_A)


def _swap(world):
    """The world seen from Brussels: `network_b` and every `*_b` object are network A's."""
    from types import SimpleNamespace

    objects = dict(world.objects)
    for key in list(objects):
        if key.endswith("_a"):
            objects[key[:-2] + "_b"] = world.objects[key]
    objects["member_b"] = world.member_a2
    objects["membership_b"] = world.membership_a2
    return SimpleNamespace(network_a=world.network_b, network_b=world.network_a, **objects)


@pytest.mark.parametrize("probe", CROSS_NETWORK)
def test_coordinator_cannot_reach_another_network(world, as_, probe):
    url, headers = _target(CROSS_ZONE[probe], world)
    _assert_refused(as_("coordinator").get(url, **headers), url, "coordinator", SECRET_STRINGS_B)


@pytest.mark.parametrize("probe", sorted(MEMBER_PROBES))
def test_member_cannot_reach_other_members(world, as_, probe):
    url, headers = _target(MEMBER_PROBES[probe], world)
    _assert_refused(as_("member").get(url, **headers), url, "member", (A2_MEMBER_EMAIL, *SECRET_STRINGS_B))


@pytest.mark.parametrize("who", ["advp_admin", "knowledge_centre"])
@pytest.mark.parametrize("probe", sorted(NATIONAL_PROBES))
def test_national_roles_never_reach_member_data(world, as_, who, probe):
    url, headers = _target(NATIONAL_PROBES[probe], world)
    _assert_refused(as_(who).get(url, **headers), url, who, SECRET_STRINGS_A)


@pytest.mark.parametrize("who", ["advp_admin", "knowledge_centre"])
@pytest.mark.parametrize("probe", sorted(NATIONAL_ALLOWED))
def test_national_pages_hold_no_member_data(world, as_, who, probe):
    url, headers = _target(NATIONAL_ALLOWED[probe], world)
    response = as_(who).get(url, **headers)
    if response.status_code == 403:
        return  # not theirs at all (e.g. the audit trail for the Knowledge Centre): nothing to leak
    assert response.status_code == 200, f"{who} GET {url}: got {response.status_code}"
    body = _body(response)
    leaked = [secret for secret in (*SECRET_STRINGS_A, *SECRET_STRINGS_B) if secret in body]
    assert not leaked, f"{who} GET {url} shows member data {leaked}"


@pytest.mark.parametrize("probe", sorted(FILTERED_LISTS))
def test_lists_hold_only_the_zones_rows(world, as_, probe):
    url, headers = _target(FILTERED_LISTS[probe], world)
    response = as_("zone_officer").get(url, **headers)
    assert response.status_code in (200, 400, 403), f"zone_officer GET {url}: got {response.status_code}"
    body = _body(response)
    leaked = [secret for secret in (*SECRET_STRINGS_B, "Merci", "Rue Neuve") if secret in body]
    assert not leaked, f"zone_officer GET {url} shows network B's {leaked}"


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("zone_officer", "join_request_approve"),
        ("coordinator", "join_request_approve"),
        ("zone_officer", "join_request_decline"),
        ("advp_admin", "join_request_approve"),
    ],
)
def test_api_writes_on_another_networks_requests_are_refused(world, as_, who, name):
    """POST, not GET: the write itself is refused, and network B's request stays pending."""
    url = reverse(name, args=[_b(world), world.request_b.pk])
    response = as_(who).post(url, {}, content_type="application/json")
    assert response.status_code in (403, 404), f"{who} POST {url}: got {response.status_code}"
    assert B_APPLICANT_EMAIL not in _body(response)
    world.request_b.refresh_from_db()
    assert world.request_b.status == "pending"


@pytest.mark.parametrize(
    ("who", "name", "args"),
    [
        ("zone_officer", "members_manage:request_approve", lambda w: [_b(w), w.request_b.pk]),
        ("coordinator", "members_manage:request_approve", lambda w: [_b(w), w.request_b.pk]),
        # network A's code with network B's request: the request must belong to the network of the URL
        ("coordinator", "members_manage:request_approve", lambda w: [_a(w), w.request_b.pk]),
        ("zone_officer", "members_manage:request_decline", lambda w: [_a(w), w.request_b.pk]),
        ("zone_officer", "members_manage:membership_sanction", lambda w: [w.membership_b.pk]),
    ],
)
def test_page_writes_on_another_networks_members_are_refused(world, as_, who, name, args):
    url = reverse(name, args=args(world))
    response = as_(who).post(url, {"measure": "written_reprimand", "reason": "x"})
    assert response.status_code in (403, 404), f"{who} POST {url}: got {response.status_code}"
    body = _body(response)
    assert B_APPLICANT_EMAIL not in body and B_MEMBER_EMAIL not in body
    world.request_b.refresh_from_db()
    world.membership_b.refresh_from_db()
    assert world.request_b.status == "pending" and world.membership_b.status == "active"


@pytest.mark.parametrize(
    ("who", "url", "secret"),
    [
        ("zone_officer", lambda w: reverse("members_manage:member_detail", args=[w.member_a2.pk]), A2_MEMBER_EMAIL),
        ("coordinator", lambda w: reverse("members_manage:member_list", args=[_a(w)]), A2_MEMBER_EMAIL),
        ("other_zone_officer", lambda w: reverse("members_manage:member_detail", args=[w.member_b.pk]), B_MEMBER_EMAIL),
        ("other_zone_officer", lambda w: reverse("network_join_requests", args=[_b(w)]), B_APPLICANT_EMAIL),
    ],
)
def test_the_probes_would_see_a_leak(world, as_, who, url, secret):
    """Control: the people in scope do get the data the probes look for, so its absence above means something."""
    response = as_(who).get(url(world))
    assert response.status_code == 200
    assert secret in _body(response)
