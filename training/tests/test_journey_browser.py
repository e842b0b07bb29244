"""The issue's journey in a real browser, every page audited by axe-core: a trainer plans and publishes a session; the
zone enrols two of its mandated officers; the session takes place (its dates are moved into the past: the only step
not done through the UI), one officer attends and passes, the other is absent; the trainer closes the session; the
certificate arrives by e-mail with its PDF and verifies on the public page; the zone's coverage goes from 0 to 50 %."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.testing.browser import assert_accessible, sign_in_as
from training.models import Certificate, Enrolment, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _share(page) -> str:
    page.visit("/training/coverage/")
    return " ".join(page.locator('[data-figure="share"]').inner_text().split())


def test_a_session_from_planning_to_a_verified_certificate_raises_coverage(
    page, live_server, personas, course_version, make_officer, smtp_server, _browser
):
    anna = make_officer(personas.network_a, first_name="Anna", last_name="Aerts", email="anna.aerts@police.test")
    bert = make_officer(personas.network_a, first_name="Bert", last_name="Bosmans", email="bert.bosmans@police.test")

    # The zone's coverage before: two mandated officers, none trained.
    sign_in_as(page, live_server, personas.zone_officer)
    assert _share(page) == "0 %"
    page.context.clear_cookies()

    # The trainer plans and publishes a session.
    sign_in_as(page, live_server, personas.trainer)
    page.visit("/training/sessions/new/")
    day = timezone.localdate() + datetime.timedelta(days=21)
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T09:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T16:30")
    page.locator("#id_place").fill("Campus Vesta, Ranst – lokaal 2.14")
    page.locator("#id_language").select_option("nl")
    page.locator("#id_capacity").fill("12")
    page.locator("#id_trainer").select_option(str(personas.trainer.pk))
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_url("**/training/sessions/*/")
    page.check_accessible()
    session = Session.objects.get()
    page.locator("#publish-button").click()
    page.wait_for_load_state()
    page.check_accessible()
    session.refresh_from_db()
    assert session.status == "published"
    page.context.clear_cookies()

    # The zone enrols its two mandated officers; both get a seat and an invitation with the .ics.
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit(f"/training/sessions/{session.pk}/")
    page.locator("#enrol-link").click()
    page.wait_for_url(f"**/training/sessions/{session.pk}/enrol/")
    page.check_accessible()
    for officer in (anna, bert):
        page.locator(f'input[name="people"][value="partner-{officer.pk}"]').check()
    page.locator("#enrol-form button[type=submit]").click()
    page.wait_for_selector('[data-result="seated"]')
    page.check_accessible()
    enrolments = {e.trainee.email: e for e in Enrolment.objects.select_related("trainee")}
    assert {e.status for e in enrolments.values()} == {"enrolled"} and len(enrolments) == 2
    for address in ("anna.aerts@police.test", "bert.bosmans@police.test"):
        (invitation,) = smtp_server.to(address)
        assert any(part.get_content_type() == "text/calendar" for part in invitation.walk())
    page.context.clear_cookies()

    # The day comes and goes.
    past = timezone.now() - datetime.timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(starts_at=past - datetime.timedelta(hours=7), ends_at=past)

    # The trainer records that Anna attended and passed and Bert was absent, then closes the session.
    sign_in_as(page, live_server, personas.trainer)
    anna_enrolment, bert_enrolment = enrolments["anna.aerts@police.test"], enrolments["bert.bosmans@police.test"]
    page.visit(f"/training/sessions/{session.pk}/attendance/")
    page.check(f'input[name="attendance_{anna_enrolment.pk}"][value="attended"]')
    page.check(f'input[name="result_{anna_enrolment.pk}"][value="passed"]')
    page.check(f'input[name="attendance_{bert_enrolment.pk}"][value="absent"]')
    page.locator("#attendance-form button[type=submit]").click()
    page.wait_for_load_state()
    page.check_accessible()
    page.visit(f"/training/sessions/{session.pk}/close/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.check_accessible()
    session.refresh_from_db()
    assert session.status == "closed"
    certificate = Certificate.objects.get()
    assert certificate.enrolment_id == anna_enrolment.pk and certificate.holder_name == "Anna Aerts"
    page.context.clear_cookies()

    # Anna's certificate came by e-mail with its PDF; its code verifies on the public page.
    pdfs = [
        part.get_payload(decode=True)
        for m in smtp_server.to("anna.aerts@police.test")
        for part in m.walk()
        if part.get_content_type() == "application/pdf"
    ]
    assert len(pdfs) == 1
    pdf = pdfs[0]
    text = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)
    assert "Anna Aerts" in text and certificate.code in text
    assert not any(
        part.get_content_type() == "application/pdf"
        for m in smtp_server.to("bert.bosmans@police.test")
        for part in m.walk()
    )
    visitor = _browser.new_context(locale="nl-BE", base_url=live_server.url).new_page()
    try:
        visitor.goto("/training/verify/")
        assert_accessible(visitor)
        visitor.locator("main form input[name=code]").fill(certificate.code.lower().replace("-", " "))
        visitor.locator("main form button[type=submit]").click()
        visitor.wait_for_selector("#verify-result")
        assert_accessible(visitor)
        result = visitor.locator("#verify-result-section").inner_text()
        assert "Anna Aerts" in result and "anna.aerts" not in result
        assert re.search(r"/training/verify/[0-9A-Z-]+/", visitor.url)
    finally:
        visitor.context.close()

    # The zone's coverage after: one of its two mandated officers is trained.
    sign_in_as(page, live_server, personas.zone_officer)
    assert _share(page) == "50 %"
