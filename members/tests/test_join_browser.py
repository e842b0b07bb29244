"""A visitor finds network A, joins it (after a mistake in the form), confirms the e-mail read from the real SMTP
server; the coordinator publishes the network's own rules. axe-core on every page."""

from __future__ import annotations

import pytest

from core.testing.browser import sign_in_as
from members.choices import JoinRequestStatus
from members.models import JoinRequest
from members.tests.join_support import confirm_path, ensure_first_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_joins_and_confirms_by_email(page, live_server, personas, smtp_server):
    ensure_first_documents()
    page.visit("/find/?postal_code=2000&street=Meirr&number=12")
    page.locator('#results a[href="/join/BIN-11002-1/"]').click()
    page.wait_for_url("**/join/BIN-11002-1/")
    page.check_accessible()

    page.locator("#id_first_name").fill("Nora")
    page.locator("#id_last_name").fill("Nieuwlid")
    page.locator("#id_email").fill("nora.browser@example.be")
    page.locator("#id_mobile").fill("03 201 23 45")  # a fixed line: refused
    page.locator("#id_street").fill("Meir")
    page.locator("#id_house_number").fill("25")
    page.locator("#id_postal_code").fill("2000")
    page.locator("#id_by_sms").check()
    page.locator("#id_adult_confirmed").check()
    page.locator("#id_accept_rules").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary a[href='#id_accept_privacy']")
    page.check_accessible()
    assert not JoinRequest.objects.exists()

    page.locator("#id_mobile").fill("0470 12 34 56")
    page.locator("#id_accept_privacy").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/join/BIN-11002-1/sent/")
    page.check_accessible()

    [message] = smtp_server.to("nora.browser@example.be")
    page.visit(confirm_path(message))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    request = JoinRequest.objects.get()
    assert request.status == JoinRequestStatus.PENDING and request.mobile == "+32470123456" and request.by_sms

    page.visit("/join/documents/privacy/")
    page.visit("/join/BIN-11002-1/rules/")


def test_the_coordinator_publishes_the_networks_rules(page, live_server, personas):
    ensure_first_documents()
    sign_in_as(page, live_server, personas.coordinator)
    page.visit("/join/BIN-11002-1/rules/publish/")
    page.locator("#id_version").fill("own-1")
    page.locator("#id_body_de").fill("")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary a[href='#id_body_de']")
    page.check_accessible()
    page.locator("#id_body_de").fill("## Regeln\n\nUnsere eigenen Regeln.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/join/BIN-11002-1/rules/")
    page.check_accessible()
    assert personas.network_a.policy_documents.get().version == "own-1"
