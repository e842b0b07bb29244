"""The zone officer follows the messages in a real browser: the feedback owed, the network's log (filtered, then
exported) and the statistics with their chart. Every page passes the axe-core audit. Selectors use data attributes,
names and URLs, not words, so translations do not break them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from .follow_support import DAY, HOUR, feedback, mark, send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_follows_feedback_log_and_statistics(page, live_server, personas, make_members):
    from core.testing.browser import sign_in_as

    make_members(personas.network_a, 3, by_sms=False)
    now = timezone.now()
    overdue = send(personas, at=now - 30 * HOUR, title="Inbraak Meir")
    answered = send(personas, at=now - 3 * DAY, title="Verdachte wagen Groenplaats")
    feedback(personas, answered, at=answered.sent_at + 5 * HOUR)
    mark(answered, "email", "sent", count=3)
    mark(answered, "email", "failed", error="recipient refused (550)")
    send(personas, at=now - 10 * DAY, message_type="prevention_tip", title="Sluit uw ramen")

    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/messages/feedback/")
    assert page.locator('[data-figure="owed"]').inner_text() == "1"
    assert page.locator(f'tr[data-alert="{overdue.pk}"][data-state="overdue"]').count() == 1
    send_link = page.locator(f'a[href$="?feedback_for={overdue.pk}"]')
    assert send_link.count() == 1

    page.visit("/messages/networks/BIN-11002-1/log/")
    assert page.locator("tr[data-message]").count() == 4
    page.select_option("#id_type", "prevention_tip")
    page.wait_for_url("**/log/?*type=prevention_tip*")
    page.wait_for_function("document.querySelectorAll('tr[data-message]').length === 1")
    page.check_accessible()
    with page.expect_download() as download:
        page.locator('a[href*="format=csv"]').click()
    assert download.value.suggested_filename.endswith(".csv")

    page.visit("/messages/statistics/")
    assert page.locator('svg[role="img"]').count() == 1
    assert page.locator('[data-figure="messages"]').inner_text() == "4"
    page.locator("details summary").first.click()
    page.check_accessible()
    page.locator('a[href="/messages/networks/BIN-11002-1/log/"]').click()
    page.wait_for_url("**/messages/networks/BIN-11002-1/log/")
    page.check_accessible()
