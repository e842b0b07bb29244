"""A member opens the rating link of an e-mailed message, rates it, replies, then files a report in the member portal;
axe-core audits every page on the way."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from core.testing.browser import sign_in_as
from messaging.models import Rating, Reply, Report
from messaging.services import outbox

from .member_support import emailed_links, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_rates_replies_and_reports(page, live_server, personas, smtp_server):
    User.objects.filter(pk=personas.member.pk).update(language="en")
    message = send(personas)
    outbox.outbox_dispatch(channel="email")  # already handed over when the send committed; nothing twice
    links = emailed_links(smtp_server, "member@test.binplp.be")

    # One click in the e-mail: rated.
    page.visit(links["useful"])
    assert page.locator("h1").inner_text() == "Thank you for your rating"
    assert Rating.objects.get(message=message).useful is True

    # Reply from there.
    page.locator("main a", has_text="Reply to the sender").click()
    page.wait_for_url(f"**{links['reply']}")
    page.check_accessible()
    page.locator("main form button[type=submit]").click()  # empty: the error summary links to the field
    page.wait_for_selector(".error-summary")
    page.check_accessible()
    page.locator("#id_body").fill("I saw two people at number 40 around 22:00.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    assert Reply.objects.get().body == "I saw two people at number 40 around 22:00."

    # The member portal: the message is in the inbox, then a report.
    sign_in_as(page, live_server, personas.member)
    page.visit("/me/")
    page.visit("/me/messages/")
    page.locator("main .inbox-list a").first.click()
    page.wait_for_url(f"**/me/messages/{message.pk}/")
    page.check_accessible()

    page.visit("/me/reports/new/")
    when = timezone.localtime() - datetime.timedelta(hours=2)
    page.locator("#id_category").select_option("suspicious_behaviour")
    page.locator("#id_happened_on").fill(when.date().isoformat())
    page.locator("#id_happened_time").fill(when.strftime("%H:%M"))
    page.locator("#id_place").fill("Meir 40")
    page.locator("#id_description").fill("Two people looked through the windows of several houses, then left.")
    page.locator("#id_vehicle_type").fill("white van 1-ABC-234")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")  # a number plate: refused, with a link to the field
    page.check_accessible()
    assert not Report.objects.exists()
    page.locator("#id_vehicle_type").fill("white van")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/reports/")
    page.check_accessible()
    report = Report.objects.get()
    assert (report.place, report.vehicle_type, report.status) == ("Meir 40", "white van", "new")
    assert "Meir 40" in page.locator("main").inner_text()


def test_the_staff_pages_of_reports_and_replies_are_accessible(page, live_server, personas):
    from members.models import Member
    from messaging.services import feedback
    from messaging.tests.member_support import make_report

    User.objects.filter(pk__in=[personas.member.pk, personas.zone_officer.pk]).update(language="en")
    member = Member.objects.select_related("user").get(user=personas.member)
    message = send(personas)
    feedback.reply_create(member=member, message=message, body="Thanks for the tip.")
    report = make_report(personas, member)

    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/")
    page.visit("/messages/reports/")
    page.visit(f"/messages/reports/{report.pk}/")
    page.locator("#id_answer").fill("A patrol passed by; thank you.")
    page.locator("main form[action$='/answer/'] button[type=submit]").click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    page.visit("/messages/replies/")
    page.locator("main form button", has_text="Mark as read").click()  # HTMX swaps the row in place
    page.wait_for_selector("main .inbox-list li:not(.is-unread)")
    page.check_accessible()
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.answer == "A patrol passed by; thank you."
