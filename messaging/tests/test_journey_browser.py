"""The issue's journey (issue 5), in a real browser, axe-core auditing every page: a mandated officer sends an urgent
alert to two networks; the members' e-mail arrives at the SMTP server and their SMS at Kannel's fake SMSC; a member
opens the rating link from her e-mail, rates the alert and replies; the officer reads the reply, sends the
feedback the alert owes from the task list, and the task closes."""

from __future__ import annotations

import datetime
import re

import pytest

from core.testing.browser import assert_accessible, sign_in_as
from members.models import Membership
from messaging.models import Delivery, Message, Rating, Reply
from networks.models import Network

from .conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(body: str, kind: str) -> str:
    found = re.search(rf"https?://\S+/messages/m/\S+/{kind}/\S*", body)
    assert found, f"no {kind} link in the e-mail"
    return found.group(0).rstrip(".,)")


def _open_language(page, code: str) -> None:
    page.locator(f'details.compose-language:has(summary[lang="{code}"])').evaluate("details => details.open = true")


def test_an_alert_to_two_networks_is_rated_answered_and_followed_by_feedback(
    page, live_server, personas, make_members, smtp_server, kannel, dlr_recorder, settings
):
    settings.SITE_URL = live_server.url
    second = Network.objects.create(
        code="BIN-11002-2",
        name="BIN Network A-bis",
        kind="residential",
        status="active",
        municipality=personas.network_a.municipality,
        zone=personas.network_a.zone,
        founded_on=datetime.date(2020, 5, 1),
    )
    second.municipalities.add(personas.network_a.municipality)
    make_members(personas.network_a, 2, by_sms=False)
    others = make_members(second, 2, by_sms=True)
    assert Membership.objects.filter(network=second).count() == 2

    # The officer composes the alert for both networks, checks the preview and sends it.
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/messages/new/")
    page.locator('input[name="type"][value="urgent_alert"]').check()
    page.locator('input[name="networks"][value="BIN-11002-1"]').check()
    page.locator('input[name="networks"][value="BIN-11002-2"]').check()
    page.locator("#id_title_nl").fill("Inbraakpoging Meir")
    page.locator("#id_body_nl").fill("Twee verdachte personen aan de **Meir**. Doe de buitenverlichting aan.")
    page.locator("#id_sms_nl").fill("BIN: verdachte personen Meir. Bel 101 met info.")
    _open_language(page, "fr")
    page.locator("#id_title_fr").fill("Tentative de cambriolage Meir")
    page.locator("#id_body_fr").fill("Deux personnes suspectes au **Meir**. Allumez l'éclairage extérieur.")
    page.locator("#compose-form button[type=submit]").click()
    page.wait_for_selector("form.compose-confirm")
    assert_accessible(page)
    page.locator("form.compose-confirm button[type=submit]:not([name=edit])").click()
    page.wait_for_url("**/messages/*/")
    assert_accessible(page)
    alert = Message.objects.get(type="urgent_alert")
    assert set(alert.networks.values_list("code", flat=True)) == {"BIN-11002-1", "BIN-11002-2"}
    assert alert.recipients == 5 and alert.owes_feedback

    # E-mail reaches every member, in their language; SMS reach the members who chose them.
    recipients = [personas.member.email, *(m.user.email for m in others)]
    assert wait_for(lambda: all(smtp_server.to(address) for address in recipients))
    assert wait_for(lambda: len(kannel.received()) >= 3)  # two members of the second network + the member persona
    assert {sms["to"] for sms in kannel.received()} >= {m.mobile for m in others}
    mail = smtp_server.to(personas.member.email)[0]
    assert "Tentative de cambriolage Meir" in mail["Subject"]  # the member persona reads French
    body = smtp_server.body(mail)

    # The member rates the alert from her e-mail, without signing in, then replies.
    member_context = page.context.browser.new_context(locale="fr-BE", base_url=live_server.url)
    member_page = member_context.new_page()
    member_page.goto(_link(body, "rate/useful"))
    assert_accessible(member_page)
    assert Rating.objects.get(message=alert, member__user=personas.member).useful
    member_page.goto(_link(body, "reply"))
    assert_accessible(member_page)
    member_page.locator("form textarea").fill("J'ai vu deux personnes partir vers la Groenplaats vers 22 h.")
    member_page.locator("form:has(textarea) button[type=submit]").click()
    member_page.wait_for_load_state()
    assert_accessible(member_page)
    member_context.close()
    reply = Reply.objects.get(message=alert)
    assert "Groenplaats" in reply.body

    # The officer reads the reply, then sends the feedback the alert owes from the task list.
    page.visit("/messages/replies/")
    assert page.get_by_text("Groenplaats", exact=False).count() >= 1
    page.visit("/messages/feedback/")
    page.locator(f'a[href$="?feedback_for={alert.pk}"]').click()
    page.wait_for_selector("#compose-form")
    assert_accessible(page)
    page.locator("#id_title_nl").fill("Feedback: inbraakpoging Meir")
    page.locator("#id_body_nl").fill("De politie heeft twee personen gecontroleerd. Bedankt voor uw waakzaamheid.")
    _open_language(page, "fr")  # the alert went in French too: so does its feedback
    page.locator("#id_title_fr").fill("Feed-back : tentative de cambriolage Meir")
    page.locator("#id_body_fr").fill("La police a contrôlé deux personnes. Merci de votre vigilance.")
    page.locator("#compose-form button[type=submit]").click()
    page.wait_for_selector("form.compose-confirm")
    assert_accessible(page)
    page.locator("form.compose-confirm button[type=submit]:not([name=edit])").click()
    page.wait_for_url("**/messages/*/")

    alert.refresh_from_db()
    feedback = Message.objects.get(type="feedback")
    assert feedback.feedback_for == alert and alert.feedback_sent_at is not None and not alert.owes_feedback
    page.visit("/messages/feedback/")
    assert page.locator(f'a[href$="?feedback_for={alert.pk}"]').count() == 0  # the task is closed
    assert wait_for(lambda: Delivery.objects.filter(message=feedback, channel="email", status="sent").count() == 5)
