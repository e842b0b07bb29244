"""The issue's journey in one browser session, from a visitor to an erased member: a visitor finds network A by a
misspelled street and joins; the confirmation link is read from the real SMTP server; the coordinator (signed in
with password and authenticator code) approves; the new member signs in by e-mailed link, sets quiet hours,
downloads their data and deletes it. axe-core audits every page on the way."""

import json
from pathlib import Path

import pytest

from accounts.models import User
from core.testing.browser import totp_code
from core.testing.personas import PASSWORD
from members.choices import JoinRequestStatus, MembershipStatus
from members.models import JoinRequest, Member, Membership
from members.tests.join_support import confirm_path
from members.tests.portal_helpers import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "nora.journey@example.be"


def test_a_visitor_becomes_a_member_and_then_erases_their_data(page, live_server, personas, smtp_server):
    User.objects.filter(pk=personas.coordinator.pk).update(language="en")
    page.context.add_cookies([{"name": "binplp_language", "value": "en", "url": live_server.url}])

    # A visitor misspells the street, still finds network A, and joins it.
    page.visit("/find/")
    page.locator("#id_postal_code").fill("2000")
    page.locator("#id_street").fill("Meirstrat")
    page.locator("#id_number").fill("25")
    page.locator("#finder-form button[type=submit]").click()
    page.wait_for_selector('#results [data-network="BIN-11002-1"]')
    page.check_accessible()
    page.locator('#results a[href="/join/BIN-11002-1/"]').click()
    page.wait_for_url("**/join/BIN-11002-1/")
    page.check_accessible()
    page.locator("#id_first_name").fill("Nora")
    page.locator("#id_last_name").fill("Journey")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_mobile").fill("0470 12 34 56")
    page.locator("#id_street").fill("Meir")
    page.locator("#id_house_number").fill("25")
    page.locator("#id_postal_code").fill("2000")
    page.locator("#id_language").select_option("en")
    page.locator("#id_adult_confirmed").check()
    page.locator("#id_accept_rules").check()
    page.locator("#id_accept_privacy").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/join/BIN-11002-1/sent/")
    page.check_accessible()

    # The e-mail arrives at the real SMTP server; opening the link and pressing the button confirms.
    [confirmation] = smtp_server.to(EMAIL)
    page.visit(confirm_path(confirmation))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    request = JoinRequest.objects.get(email=EMAIL)
    assert request.status == JoinRequestStatus.PENDING and request.in_area

    # The coordinator signs in with password and authenticator code and approves the request.
    page.visit("/accounts/login/")
    page.locator("#id_login").fill(personas.coordinator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#id_code")
    page.locator("#id_code").fill(totp_code(personas.coordinator))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")
    page.visit("/members/networks/BIN-11002-1/requests/")
    page.locator(f'form[action="/members/networks/BIN-11002-1/requests/{request.pk}/approve/"] button').click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    membership = Membership.objects.get(member__user__email=EMAIL)
    assert membership.status == MembershipStatus.ACTIVE and membership.network == personas.network_a
    page.locator("form[action='/accounts/logout/'] button").first.click()
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "binplp_language", "value": "en", "url": live_server.url}])

    # The new member is told, asks for a sign-in link and signs in to the member portal.
    assert len(smtp_server.to(EMAIL)) == 2  # confirmation, then "you are a member"
    page.visit("/me/sign-in/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/sign-in/sent/")
    page.visit(link_in(smtp_server.to(EMAIL)[-1]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/")
    assert "BIN Network A" in page.locator("main").inner_text()
    page.check_accessible()

    page.visit("/me/choices/")
    page.locator("#id_quiet_from").fill("22:00")
    page.locator("#id_quiet_until").fill("07:00")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    member = Member.objects.get(user__email=EMAIL)
    assert (member.quiet_from.hour, member.quiet_until.hour) == (22, 7)

    page.visit("/me/download/")
    with page.expect_download() as download:
        page.locator('main a[href="/me/download/json/"]').click()
    data = json.loads(Path(download.value.path()).read_text())
    assert EMAIL in json.dumps(data) and "BIN Network A" in json.dumps(data)

    page.visit("/me/delete/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("main form button.button--danger").click()
    page.wait_for_url("**/me/deleted/")
    page.check_accessible()
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not User.objects.filter(email=EMAIL).exists()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ERASED and membership.member is None
