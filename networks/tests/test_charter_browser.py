"""A zone officer prepares and submits a charter in a real browser; ADVP reviews it and downloads the letter.
Every page passes the axe-core audit. Selectors use names and URLs, not words, so translations do not break them."""

import datetime

import pytest
from django.utils import timezone

from networks.choices import CharterStatus, NetworkStatus
from networks.models import Charter, Letter

from .charter_fixtures import PDF_BYTES, SIGNATORIES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_charter_from_draft_to_advps_letter(page, live_server, personas, network, smtp_server):
    from core.testing.browser import sign_in_as

    code = network.code
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit(f"/networks/{code}/")
    page.locator(f'form[action="/networks/{code}/charters/new/"] button').click()
    page.wait_for_url(f"**/networks/{code}/charters/1/")
    page.check_accessible()

    page.visit(f"/networks/{code}/charters/1/plan/")
    for name, value in (
        ("channels", "email"),
        ("channels", "sms"),
        ("message_types", "urgent_alert"),
        ("message_types", "prevention_tip"),
        ("senders_urgent_alert", "police"),
        ("senders_prevention_tip", "coordinator"),
    ):
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    page.locator("#id_feedback_hours").fill("48")
    page.locator("#id_internal_rules_version").fill("2024-09")
    page.locator("#id_costs-0-label").fill("SMS-pakket")
    page.locator("#id_costs-0-amount_eur").fill("120")
    page.locator("#id_costs-0-payer").select_option("municipality")
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"**/networks/{code}/charters/1/")

    page.visit(f"/networks/{code}/charters/1/upload/")
    page.set_input_files(
        "#id_signed_pdf", files=[{"name": "charter.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"**/networks/{code}/charters/1/")

    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    for signatory, name in SIGNATORIES.items():
        page.visit(f"/networks/{code}/charters/1/sign/?signatory={signatory}")
        page.locator("#id_name").fill(name)
        page.locator("#id_signed_on").fill(day)
        page.locator('main form button[type="submit"]').click()
        page.wait_for_url(f"**/networks/{code}/charters/1/")
    page.check_accessible()

    page.locator(f'form[action="/networks/{code}/charters/1/submit/"] button').click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    assert Charter.objects.get(network=network).status == CharterStatus.SUBMITTED

    sign_in_as(page, live_server, personas.advp_admin)
    page.visit("/networks/reviews/")
    page.locator(f'a[href="/networks/{code}/charters/1/review/"]').click()
    page.wait_for_url(f"**/networks/{code}/charters/1/review/")
    page.check_accessible()
    for checkbox in page.locator('input[name$="-satisfied"]').all():
        checkbox.check()
    page.locator('input[name="decision"][value="conform"]').check()
    page.locator('button[name="action"][value="decide"]').click()
    page.wait_for_url(f"**/networks/{code}/charters/1/")
    page.check_accessible()

    letter = Letter.objects.get(charter__network=network, recipient="mayor")
    with page.expect_download() as download:
        page.locator(f'a[href="/networks/{code}/letters/{letter.pk}/"]').click()
    assert download.value.suggested_filename == letter.reference.replace("/", "-") + ".pdf"
    network.refresh_from_db()
    assert network.status == NetworkStatus.ACTIVE
    assert smtp_server.to(personas.municipality_official.email)
