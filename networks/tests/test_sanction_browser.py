"""The zone records a member sanction and a coordinator's talk in a real browser; ADVP's national register shows the
talk, says that member sanctions are not listed, and never shows the member. Every page passes the axe-core audit.
Selectors use names, values and URLs, not words, so translations do not break them."""

import pytest
from django.utils import timezone

from networks.models import Sanction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_zone_records_sanctions_and_advp_sees_the_coordinators_only(page, live_server, personas, network):
    from core.testing.browser import sign_in_as

    code = network.code
    today = timezone.localdate().isoformat()
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit(f"/networks/{code}/sanctions/new/?target=member")
    page.check_accessible()
    page.locator("#id_member_ref").fill("Lid Vertrouwelijk")
    page.locator('input[name="measure"][value="written_reprimand"]').check()
    page.locator("#id_decided_on").fill(today)
    page.locator("#id_decided_by").fill("Coördinator en gemandateerde")
    page.locator("#id_reason").fill("Berichten met persoonsgegevens gedeeld.")
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"**/networks/{code}/sanctions/")

    page.visit(f"/networks/{code}/sanctions/new/?target=coordinator")
    page.locator('input[name="measure"][value="talk"]').check()
    page.locator("#id_decided_on").fill(today)
    page.locator("#id_decided_by").fill("Korpschef Smet")
    page.locator("#id_reason").fill("Berichten zonder afspraak verstuurd.")
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"**/networks/{code}/sanctions/")
    page.check_accessible()
    assert set(Sanction.objects.values_list("target", flat=True)) == {"member", "coordinator"}
    assert "Lid Vertrouwelijk" in page.content()

    sign_in_as(page, live_server, personas.advp_admin)
    page.visit("/networks/sanctions/")
    page.check_accessible()
    assert page.locator('[data-sanctions-shown="coordinator"]').count() == 1
    assert "Korpschef Smet" in page.content() and "Lid Vertrouwelijk" not in page.content()
    page.visit(f"/networks/{code}/")
    page.check_accessible()
    assert page.locator('#sanctions [data-sanctions-shown="coordinator"]').count() == 1
    assert page.locator(f'#sanctions a[href="/networks/{code}/sanctions/new/?target=member"]').count() == 0
    assert "Lid Vertrouwelijk" not in page.content()
