"""Member management in a real browser: the coordinator filters the member list (HTMX), approves a request, reads a
member's page; the zone suspends a member; ADVP reads the counts. Every page passes the axe-core audit. Selectors
use names, values and URLs, not words, so translations do not break them."""

import pytest
from django.utils import timezone

from members.choices import JoinRequestStatus, MembershipStatus
from members.models import JoinRequest, Member, Membership

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_managing_members_and_reading_counts(page, live_server, personas, tmp_path):
    from core.testing.browser import sign_in_as

    code = personas.network_a.code
    factories.member(personas.network_a, last_name="Peeters", status=MembershipStatus.SUSPENDED)
    request = factories.join_request(personas.network_a, last_name="Aanvrager", in_area=False)
    factories.join_request(personas.network_a, last_name="Onbevestigd", status=JoinRequestStatus.UNCONFIRMED)

    sign_in_as(page, live_server, personas.coordinator)
    page.visit("/members/")
    page.visit(f"/members/networks/{code}/")
    assert page.locator("svg.chart[role=img]").count() == 1
    page.screenshot(path=str(tmp_path / "member-list.png"), full_page=True)
    page.locator("#id_q").fill("peeters")
    page.locator("#id_q").dispatch_event("change")
    page.wait_for_function("() => !document.querySelector('#results').textContent.includes('Lambert')")
    assert "q=peeters" in page.locator("#member-export-links a").first.get_attribute("href")
    page.check_accessible()

    page.visit(f"/members/networks/{code}/requests/")
    page.locator(f'form[action="/members/networks/{code}/requests/{request.pk}/approve/"] button').click()
    page.wait_for_load_state()
    page.check_accessible()
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.APPROVED
    page.visit(f"/members/networks/{code}/add/")

    member = Member.objects.get(user=personas.member)
    page.visit(f"/members/{member.pk}/")

    sign_in_as(page, live_server, personas.zone_officer)
    membership = Membership.objects.get(member=member, network=personas.network_a)
    page.visit(f"/members/memberships/{membership.pk}/sanction/")
    page.locator('input[name="measure"][value="temporary_suspension"]').check()
    page.locator("#id_decided_on").fill(timezone.localdate().isoformat())
    page.locator("#id_decided_by").fill("Coördinator en gemandateerde")
    page.locator("#id_ends_on").fill((timezone.localdate() + timezone.timedelta(days=14)).isoformat())
    page.locator("#id_reason").fill("Herkenbare foto gedeeld.")
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"**/members/{member.pk}/")
    page.check_accessible()
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.SUSPENDED

    sign_in_as(page, live_server, personas.advp_admin)
    page.visit("/members/counts/")
    page.visit("/members/counts/?by=network&sort=-count")
    page.screenshot(path=str(tmp_path / "counts.png"), full_page=True)
    assert "Lambert" not in page.content()
