"""A trainer plans a session in a real browser and publishes it; an anonymous visitor then finds it in the public
catalogue. axe-core audits every page on the way."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.testing.browser import sign_in_as
from training.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainer_plans_and_publishes_a_session(page, live_server, personas, course_version, _browser):
    sign_in_as(page, live_server, personas.trainer)
    page.visit("/training/sessions/")
    page.visit("/training/sessions/new/")
    day = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T09:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T16:30")
    page.locator("#id_place").fill("Campus Vesta, lokaal 4.02")
    page.locator("#id_language").select_option("nl")
    page.locator("#id_capacity").fill("18")
    page.locator("#id_trainer").select_option(str(personas.trainer.pk))
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_url("**/training/sessions/*/")
    page.check_accessible()
    session = Session.objects.get()
    assert session.status == "draft" and session.capacity == 18
    page.locator("#publish-button").click()
    page.wait_for_load_state()
    page.check_accessible()
    session.refresh_from_db()
    assert session.status == "published"

    visitor = _browser.new_context(locale="nl-BE", base_url=live_server.url).new_page()
    try:
        visitor.goto("/training/sessions/")
        from core.testing.browser import assert_accessible

        assert_accessible(visitor)
        row = visitor.locator(f'tr[data-session="{session.pk}"]')
        assert "Campus Vesta, lokaal 4.02" in row.inner_text() and "18" in row.inner_text()
        row.locator("a").click()
        visitor.wait_for_url(f"**/training/sessions/{session.pk}/")
        assert_accessible(visitor)
        assert "Module 1" in visitor.content()
    finally:
        visitor.context.close()
