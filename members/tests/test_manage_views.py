"""Member management pages: who reaches them, what the member list and the member page show, filters, HTMX, the
audit of every view, query counts, the index, the navigation and the home section."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditAction, AuditEvent
from core.testing.matrix import ANONYMOUS_LOGIN, assert_permission_matrix
from members.choices import ConsentSource, JoinRequestStatus, MembershipStatus
from members.models import Consent, Member, Membership, PolicyDocument
from networks.models import Sanction

from . import factories
from .manage_helpers import (
    COUNT_READERS,
    MANAGERS,
    NO_COUNTS,
    NOT_MANAGERS,
    ensure_registered,
    list_url,
    people,
    requests_url,
    sign_in,
    speak_english,
    view_events,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """National counts are cached: each test starts and ends without them."""
    cache.clear()
    yield
    cache.clear()


def _persona_member(personas) -> Member:
    return Member.objects.get(user=personas.member)


def _names(response) -> list[str]:
    return [row["member__user__last_name"] for row in response.context["page"]]


# --- who reaches what --------------------------------------------------------------------------------------------


def test_it_answers_member_pages_to_the_networks_managers_only(client, personas):
    network = personas.network_a
    member = _persona_member(personas)
    urls = [
        list_url(network),
        reverse("members_manage:member_export", args=[network.code, "csv"]),
        reverse("members_manage:member_export", args=[network.code, "xlsx"]),
        requests_url(network),
        reverse("members_manage:member_add", args=[network.code]),
        reverse("members_manage:member_detail", args=[member.pk]),
        # Counts of one network are for its managers; national roles read counts at /members/counts/.
        reverse("members_manage:member_figures", args=[network.code]),
    ]
    for url in urls:
        assert_permission_matrix(
            client,
            url,
            anonymous=ANONYMOUS_LOGIN,
            allowed=people(personas, MANAGERS),
            hidden=people(personas, NOT_MANAGERS),
        )


def test_the_other_zone_reaches_its_own_network_and_not_network_a(client, personas):
    factories.member(personas.network_b, last_name="Bruxellois")
    assert_permission_matrix(
        client,
        list_url(personas.network_b),
        allowed=[personas.other_zone_officer],
        hidden=[personas.zone_officer, personas.coordinator, personas.advp_admin, personas.municipality_official],
    )


def test_an_unknown_network_or_member_answers_404(client, personas):
    sign_in(client, personas.zone_officer)
    assert client.get("/members/networks/BIN-99999-1/").status_code == 404
    assert client.get(reverse("members_manage:member_detail", args=[999999])).status_code == 404


def test_the_index_and_the_counts_answer_managers_and_those_who_see_networks(client, personas):
    for url in (
        reverse("members_manage:index"),
        reverse("members_manage:counts"),
        reverse("members_manage:counts_csv"),
    ):
        assert_permission_matrix(
            client,
            url,
            allowed=people(personas, COUNT_READERS),
            in_scope_wrong_role=people(personas, NO_COUNTS),
        )


# --- the member list ---------------------------------------------------------------------------------------------


def test_the_list_holds_the_networks_current_members_by_last_name(client, personas):
    factories.member(personas.network_a, last_name="Zeeman")
    factories.member(personas.network_a, last_name="Adams")
    factories.member(personas.network_a, last_name="Gone", status=MembershipStatus.LEFT)
    factories.member(personas.network_b, last_name="Bruxellois")
    sign_in(client, personas.coordinator)
    response = client.get(list_url(personas.network_a))
    assert response.status_code == 200
    assert _names(response) == ["Adams", "Lambert", "Zeeman"]
    content = response.content.decode()
    assert "Bruxellois" not in content and "Gone" not in content
    assert "member@test.binplp.be" in content and "+32470123456" in content and "Meir 12, 2000" in content
    assert '<caption class="visually-hidden">' in content and 'scope="col"' in content


def test_the_list_searches_and_filters(client, personas):
    speak_english(personas)
    factories.member(personas.network_a, last_name="Peeters", email="an.peeters@example.be", mobile="+32478111222")
    factories.member(personas.network_a, last_name="Smet", street="Groenplaats", by_sms=True, by_email=False)
    old = factories.member(personas.network_a, last_name="Oud")
    Membership.objects.filter(member=old).update(joined_on=datetime.date(2020, 5, 1), in_area=False)
    factories.member(personas.network_a, last_name="Weg", status=MembershipStatus.LEFT)
    factories.member(personas.network_a, last_name="Geschorst", status=MembershipStatus.SUSPENDED)
    sign_in(client, personas.zone_officer)
    url = list_url(personas.network_a)
    assert _names(client.get(url, {"q": "peeters"})) == ["Peeters"]
    assert _names(client.get(url, {"q": "AN.PEETERS@"})) == ["Peeters"]
    assert _names(client.get(url, {"q": "478111"})) == ["Peeters"]
    assert _names(client.get(url, {"q": "groenpl"})) == ["Smet"]
    assert _names(client.get(url, {"status": "left"})) == ["Weg"]
    assert _names(client.get(url, {"status": "suspended"})) == ["Geschorst"]
    assert "Weg" not in _names(client.get(url))
    assert _names(client.get(url, {"channel": "sms"})) == ["Lambert", "Smet"]
    assert "Smet" not in _names(client.get(url, {"channel": "email"}))
    assert _names(client.get(url, {"in_area": "no"})) == ["Oud"]
    assert "Oud" not in _names(client.get(url, {"in_area": "yes"}))
    assert _names(client.get(url, {"joined_before": "2021-01-01"})) == ["Oud"]
    assert "Oud" not in _names(client.get(url, {"joined_since": "2021-01-01"}))
    response = client.get(url, {"status": "erased"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_filters_refresh_the_table_with_htmx_and_the_export_links_follow(client, personas):
    factories.member(personas.network_a, last_name="Peeters")
    sign_in(client, personas.coordinator)
    url = list_url(personas.network_a)
    full = client.get(url).content.decode()
    assert f'hx-get="{url}"' in full and 'hx-target="#results"' in full
    partial = client.get(url, {"q": "peeters"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "Peeters" in partial and "Lambert" not in partial
    assert 'id="member-export-links" hx-swap-oob="true"' in partial and "export.csv?q=peeters" in partial


def test_every_render_of_the_list_is_audited_with_the_members_on_the_page(client, personas):
    others = [factories.member(personas.network_a) for _index in range(2)]
    sign_in(client, personas.coordinator)
    client.get(list_url(personas.network_a))
    client.get(list_url(personas.network_a), {"q": others[0].user.last_name}, headers={"HX-Request": "true"})
    first, second = view_events("member list")
    expected = sorted([_persona_member(personas).pk, *(member.pk for member in others)])
    assert first.changes["members"] == expected and first.actor == personas.coordinator
    assert (first.content_type.model, first.object_id) == ("network", str(personas.network_a.pk))
    assert second.changes["members"] == [others[0].pk]
    assert "Lambert" not in str(first.changes) and first.object_repr == str(personas.network_a)


def test_the_list_takes_the_same_queries_for_few_or_many_members(client, personas, django_assert_num_queries):
    sign_in(client, personas.zone_officer)
    url = list_url(personas.network_a)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(12):
        factories.member(personas.network_a, status=MembershipStatus.SUSPENDED if index % 3 == 0 else "active")
        factories.join_request(personas.network_a)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"]) == 13
    with CaptureQueriesContext(connection) as partial_few:
        client.get(url, {"q": "member"}, headers={"HX-Request": "true"})
    factories.member(personas.network_a)
    with django_assert_num_queries(len(partial_few)):
        client.get(url, {"q": "member"}, headers={"HX-Request": "true"})


def test_the_list_pages_by_fifty(client, personas):
    for _index in range(50):
        factories.member(personas.network_a)
    sign_in(client, personas.coordinator)
    response = client.get(list_url(personas.network_a))  # the persona member makes 51
    assert len(response.context["page"]) == 50 and response.context["page"].paginator.num_pages == 2
    assert len(client.get(list_url(personas.network_a), {"page": 2}).context["page"]) == 1


def test_the_list_loads_the_counts_panel_and_the_growth_chart(client, personas):
    speak_english(personas)
    factories.member(personas.network_a, status=MembershipStatus.SUSPENDED)
    factories.join_request(personas.network_a)
    sign_in(client, personas.coordinator)
    figures = reverse("members_manage:member_figures", args=[personas.network_a.code])
    listing = client.get(list_url(personas.network_a)).content.decode()
    assert f'hx-get="{figures}"' in listing and f'href="{figures}"' in listing  # loaded by HTMX, a link without JS
    assert "1 request waiting" in listing
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
        response = client.get(figures, **headers)
        stats = response.context["stats"]
        assert (stats["active"], stats["suspended"], stats["pending"]) == (1, 1, 1)
        content = response.content.decode()
        assert 'role="img"' in content and "<svg" in content and "<script" not in content.split("<svg", 1)[1]
        assert "Members per month" in content
        assert len(response.context["growth_rows"]) == 24
        assert ("<html" in content) is not bool(headers)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, changes__context="member figures").exists()


# --- the member page ---------------------------------------------------------------------------------------------


def test_the_member_page_shows_data_memberships_consents_and_sanctions_in_scope_only(client, personas):
    speak_english(personas)
    member = _persona_member(personas)
    Membership.objects.create(member=member, network=personas.network_b, joined_on=datetime.date(2025, 2, 1))
    rules = PolicyDocument.objects.filter(kind="internal_rules").first()
    Consent.objects.create(member=member, document=rules, network=personas.network_a, source=ConsentSource.JOIN)
    Consent.objects.create(member=member, document=rules, network=personas.network_b, source=ConsentSource.JOIN)
    for network, reason in ((personas.network_a, "Reason in A"), (personas.network_b, "Reason in B")):
        Sanction.objects.create(
            network=network,
            target="member",
            member_ref=f"#{member.pk}",
            measure="written_reprimand",
            decided_on=datetime.date(2026, 1, 5),
            decided_by="Coordinator and officer",
            reason=reason,
        )
    sign_in(client, personas.zone_officer)
    response = client.get(reverse("members_manage:member_detail", args=[member.pk]))
    assert response.status_code == 200
    detail = response.context["detail"]
    assert [m.network for m in detail.memberships] == [personas.network_a]
    assert {c.network for c in detail.consents} == {personas.network_a}
    assert [s.reason for s in detail.sanctions] == ["Reason in A"]
    content = response.content.decode()
    assert "Mo Lambert" in content and "member@test.binplp.be" in content and "PLP Network B" not in content
    assert reverse("networks:network_sanctions", args=[personas.network_a.code]) in content
    [event] = view_events("member detail")
    assert event.changes["members"] == [member.pk] and event.object_repr == f"#{member.pk}"


def test_a_member_who_left_is_still_shown_to_the_managers_but_erased_rows_are_not(client, personas):
    gone = factories.member(personas.network_a, status=MembershipStatus.LEFT)
    sign_in(client, personas.coordinator)
    assert client.get(reverse("members_manage:member_detail", args=[gone.pk])).status_code == 200
    Membership.objects.filter(member=gone).update(member=None, status=MembershipStatus.ERASED)
    assert client.get(reverse("members_manage:member_detail", args=[gone.pk])).status_code == 404


# --- index, navigation, home, network page -----------------------------------------------------------------------


def test_the_index_lists_the_managed_networks_with_their_counts(client, personas):
    speak_english(personas)
    factories.member(personas.network_a, status=MembershipStatus.SUSPENDED)
    factories.join_request(personas.network_a)
    factories.join_request(personas.network_a, status=JoinRequestStatus.UNCONFIRMED)
    sign_in(client, personas.zone_officer)
    response = client.get(reverse("members_manage:index"))
    [row] = response.context["rows"]
    assert (row["network"], row["active"], row["suspended"], row["pending"]) == (personas.network_a, 1, 1, 1)
    assert requests_url(personas.network_a) in response.content.decode()
    sign_in(client, personas.other_zone_officer)
    assert [r["network"] for r in client.get(reverse("members_manage:index")).context["rows"]] == [personas.network_b]
    sign_in(client, personas.advp_admin)
    response = client.get(reverse("members_manage:index"))
    assert "rows" not in response.context and reverse("members_manage:counts") in response.content.decode()


def test_the_navigation_and_the_home_page_lead_managers_to_their_members(client, personas):
    ensure_registered()
    speak_english(personas)
    factories.join_request(personas.network_a)
    factories.join_request(personas.network_a)
    sign_in(client, personas.coordinator)
    content = client.get("/").content.decode()
    assert 'href="/members/"' in content
    assert "Join requests waiting for you" in content and "2 requests" in content
    assert requests_url(personas.network_a) in content
    for name, sees in (("advp_admin", True), ("municipality_official", True), ("member", False), ("outsider", False)):
        sign_in(client, getattr(personas, name))
        page = client.get("/").content.decode()
        assert ('href="/members/"' in page) is sees, name
        assert "Join requests waiting for you" not in page


def test_the_network_page_links_to_its_members_for_its_managers_only(client, personas):
    url = personas.network_a.get_absolute_url()
    sign_in(client, personas.coordinator)
    assert list_url(personas.network_a) in client.get(url).content.decode()
    sign_in(client, personas.advp_admin)
    assert list_url(personas.network_a) not in client.get(url).content.decode()


def test_no_page_view_writes_anything_but_the_audit_row(client, personas):
    sign_in(client, personas.coordinator)
    before = AuditEvent.objects.exclude(action=AuditAction.VIEW).count()
    client.get(list_url(personas.network_a))
    client.get(reverse("members_manage:member_detail", args=[_persona_member(personas).pk]))
    assert AuditEvent.objects.exclude(action=AuditAction.VIEW).count() == before
