"""Issue 6's journey in a real browser, every page audited by axe-core: ADVP plans the steering committee's meeting,
sends the invitations, records the minutes and an action item; then starts the annual report of a past year, writes
its foreword, freezes it and downloads its PDF; a visitor then reads the published report and downloads open data."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from committee.models import ActionItem, Invitation, Meeting
from core.testing.browser import assert_accessible, sign_in_as
from dashboard.models import AnnualReport
from dashboard.tests import test_opendata_support as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

known_dataset = support.known_dataset  # the register with known figures from 2022 to today


def test_committee_meeting_then_annual_report_then_open_data(
    page, live_server, english, seats, smtp_server, known_dataset, _browser
):
    cache.clear()
    sign_in_as(page, live_server, english.advp_admin)
    page.context.add_cookies([{"name": "binplp_language", "value": "en", "url": live_server.url}])

    # The meeting: planned, an agenda item, the invitations sent.
    page.visit("/committee/meetings/new/")
    day = timezone.localdate() + datetime.timedelta(days=45)
    page.locator("#id_title").fill("Steering committee: the year's figures")
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T14:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T16:00")
    page.locator("#id_video_url").fill("https://meet.example.be/bin-committee")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/committee/meetings/*/")
    assert_accessible(page)
    meeting = Meeting.objects.get()
    page.locator("#item-form #id_title_en").fill("Annual report")
    page.locator("#item-form #id_owner_term").select_option(str(seats["contact"].pk))
    page.locator("#item-form #id_minutes").fill("45")
    page.locator("#item-form button[type=submit]").click()
    page.wait_for_selector("#agenda li")
    page.locator(f'a[href="/committee/meetings/{meeting.pk}/invite/"]').click()
    page.wait_for_url(f"**/committee/meetings/{meeting.pk}/invite/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/committee/meetings/{meeting.pk}/")
    assert Invitation.objects.filter(meeting=meeting, sent_sequence__isnull=False).count() >= 1
    assert smtp_server.to(seats["contact"].email)

    # Minutes and an action item.
    page.visit(f"/committee/meetings/{meeting.pk}/minutes/")
    page.locator("#id_minutes_en").fill("The committee **approved** the annual report's outline.")
    page.locator("#id_publish").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/committee/meetings/{meeting.pk}/")
    due = timezone.localdate() + datetime.timedelta(days=75)
    page.locator("#action-form #id_title").fill("Publish the annual report")
    page.locator("#action-form #id_owner_term").select_option(str(seats["contact"].pk))
    page.locator("#action-form #id_due_on").fill(f"{due:%Y-%m-%d}")
    page.locator("#action-form button[type=submit]").click()
    page.wait_for_selector("#actions li")
    assert_accessible(page)
    assert ActionItem.objects.get().title == "Publish the annual report"

    # The annual report of last year: a year without data is refused first, with its reason.
    year = timezone.localdate().year - 1
    page.visit("/statistics/reports/")
    assert_accessible(page)
    page.locator("#id_year").fill("2001")
    page.locator("main form button[type=submit]").click()
    assert "no figures for 2001" in page.locator("main").inner_text()
    assert_accessible(page)
    assert not AnnualReport.objects.exists()
    page.locator("#id_year").fill(str(year))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/statistics/reports/{year}/")
    assert_accessible(page)
    assert page.locator("[data-draft]").count() == 1
    assert page.locator("section[data-section='networks'] table").count() == 2

    page.locator(f"a[href='/statistics/reports/{year}/edit/']").click()
    page.wait_for_url(f"**/statistics/reports/{year}/edit/")
    assert_accessible(page)
    page.locator("#id_foreword").fill("A year of **steady growth** for the networks.")
    page.locator("#id_comment_coverage").fill("Coverage rose in Antwerp.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/statistics/reports/{year}/edit/?language=en")
    page.visit(f"/statistics/reports/{year}/")
    assert "steady growth" in page.locator(".report-foreword").inner_text()
    assert "Coverage rose in Antwerp." in page.locator("#section-coverage").inner_text()

    page.locator(f"a[href='/statistics/reports/{year}/freeze/']").click()
    page.wait_for_url(f"**/statistics/reports/{year}/freeze/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/statistics/reports/{year}/")
    assert_accessible(page)
    report = AnnualReport.objects.get()
    assert report.is_frozen and report.figures["year"] == year
    assert page.locator("[data-draft]").count() == 0

    with page.expect_download() as download:
        page.locator("a[data-pdf='en']").click()
    assert download.value.suggested_filename == f"annual-report-{year}-en.pdf"
    pdf = PdfReader(download.value.path())
    text = "\n".join(each.extract_text() for each in pdf.pages)
    assert len(pdf.pages) >= 4
    assert f"Annual report {year}" in text and "steady growth" in text
    assert "Coverage of municipalities and police zones" in text

    # A visitor reads the published report and downloads open data.
    visitor = _browser.new_context(locale="en-GB", base_url=live_server.url).new_page()
    try:
        visitor.context.add_cookies([{"name": "binplp_language", "value": "en", "url": live_server.url}])
        visitor.goto("/statistics/")
        visitor.locator("a[href='/statistics/reports/']").first.click()
        visitor.wait_for_url("**/statistics/reports/")
        assert_accessible(visitor)
        visitor.locator(f"a[href='/statistics/reports/{year}/']").click()
        visitor.wait_for_url(f"**/statistics/reports/{year}/")
        assert_accessible(visitor)
        assert "steady growth" in visitor.locator(".report-foreword").inner_text()
        visitor.goto("/statistics/open-data/")
        assert_accessible(visitor)
        with visitor.expect_download() as download:
            visitor.locator("a[data-download='csv-zone']").click()
        rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read()), delimiter=";"))  # noqa: PTH123, SIM115
        assert rows[0][:2] == ["level", "code"] and len(rows) > 1
    finally:
        visitor.context.close()
