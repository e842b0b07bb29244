"""The issue's journey in a real browser, every page audited by axe-core: ADVP plans a meeting, adds an agenda item
and sends the invitations; a member replies from the link in their e-mail (no account); ADVP writes the minutes and
an action item, and the action appears on the follow-up list."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from committee.models import ActionItem, Invitation, Meeting
from core.testing.browser import assert_accessible, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_from_planning_to_the_follow_up_list(page, live_server, english, seats, smtp_server, _browser):
    sign_in_as(page, live_server, english.advp_admin)
    page.context.add_cookies([{"name": "binplp_language", "value": "en", "url": live_server.url}])

    # Plan the meeting.
    page.visit("/committee/meetings/new/")
    day = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_title").fill("Steering committee 2027")
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T10:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T12:00")
    page.locator("#id_place").fill("FOD Binnenlandse Zaken, Brussel")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/committee/meetings/*/")
    assert_accessible(page)
    meeting = Meeting.objects.get()

    # An agenda item presented by a seat holder.
    page.locator("#item-form #id_title_en").fill("Register figures")
    page.locator("#item-form #id_title_fr").fill("Chiffres du registre")
    page.locator("#item-form #id_owner_term").select_option(str(seats["contact"].pk))
    page.locator("#item-form #id_minutes").fill("30")
    page.locator("#item-form button[type=submit]").click()
    page.wait_for_selector("#agenda li")
    assert_accessible(page)
    assert "Register figures" in page.locator("#agenda").inner_text()

    # The invitations: two holders with an address, one skipped and named.
    page.locator(f'a[href="/committee/meetings/{meeting.pk}/invite/"]').click()
    page.wait_for_url(f"**/committee/meetings/{meeting.pk}/invite/")
    assert_accessible(page)
    assert "Noemail Person" in page.locator("#skipped").inner_text()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/committee/meetings/{meeting.pk}/")
    assert_accessible(page)
    assert "Noemail Person" in page.locator(".messages").inner_text()
    (email,) = smtp_server.to(seats["contact"].email)
    link = re.search(r"https?://\S+/committee/reply/\S+/", smtp_server.body(email)).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    # The member replies from the e-mail, without an account.
    visitor = _browser.new_context(locale="nl-BE", base_url=live_server.url).new_page()
    try:
        visitor.goto(f"/{path}")
        assert_accessible(visitor)
        assert "Register figures" in visitor.locator("#agenda").inner_text()
        visitor.locator('#reply-form input[value="yes"]').check()
        visitor.locator("#reply-form button[type=submit]").click()
        visitor.wait_for_url("**?saved=1")
        assert_accessible(visitor)
    finally:
        visitor.context.close()
    assert Invitation.objects.get(term=seats["contact"]).reply == "yes"
    page.reload()
    assert "I will attend" in page.locator("#replies").inner_text()

    # The minutes, published, and an action item.
    page.visit(f"/committee/meetings/{meeting.pk}/minutes/")
    page.locator("#id_minutes_en").fill("## Minutes\n\nThe figures were **approved**.")
    page.locator("#id_publish").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/committee/meetings/{meeting.pk}/")
    assert_accessible(page)
    assert "approved" in page.locator("#minutes").inner_text()
    due = timezone.localdate() + datetime.timedelta(days=60)
    page.locator("#action-form #id_title").fill("Send the figures per province")
    page.locator("#action-form #id_owner_term").select_option(str(seats["contact"].pk))
    page.locator("#action-form #id_due_on").fill(f"{due:%Y-%m-%d}")
    page.locator("#action-form button[type=submit]").click()
    page.wait_for_selector("#actions li")
    assert_accessible(page)
    assert ActionItem.objects.get().title == "Send the figures per province"

    # The follow-up list.
    page.visit("/committee/actions/")
    assert "Send the figures per province" in page.locator("#action-table").inner_text()
