"""Browser journeys of issue 2, in Debian's chromium with an axe-core audit of every page visited."""

import re

import pytest

from accounts.models import Invitation, User
from core.roles import Role, has_role
from core.testing.browser import code_for_secret, totp_code
from geography.models import PoliceZone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, field="#id_password"):
    """Press the submit button of the form that holds `field`."""
    page.locator(field).locator("xpath=ancestor::form").locator("button[type=submit]").first.click()


def test_advp_invites_an_officer_who_enrols_mfa_and_reaches_their_zone(page, personas, smtp_server):
    advp = personas.advp_admin
    zone = PoliceZone.objects.current().get(code=5345)

    # ADVP signs in with password and authenticator code.
    page.visit("/accounts/login/")
    page.locator("#id_login").fill(advp.email)
    page.locator("#id_password").fill("persona-password-2026")
    _submit(page)
    page.wait_for_url("**/2fa/authenticate/")
    page.check_accessible()
    page.locator("#id_code").fill(totp_code(advp))
    _submit(page, "#id_code")
    page.wait_for_load_state()
    assert "/2fa/" not in page.url and "/login/" not in page.url, (page.url, page.locator("main").inner_text())
    page.check_accessible()

    # ... and invites a new mandated officer for the Antwerp zone.
    page.visit("/accounts/invitations/new/")
    page.locator("#id_email").fill("new.officer@politie.example.be")
    page.locator("#id_role").select_option(Role.ZONE_OFFICER)
    page.locator("#id_scope_municipality").wait_for(state="detached")  # htmx narrowed the scope to a zone
    page.locator("#id_scope_policezone").select_option(str(zone.pk))
    page.locator("#id_language").select_option("fr")
    _submit(page, "#id_email")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/invitations/"), page.locator("main").inner_text()
    page.check_accessible()
    invitation = Invitation.objects.get(email="new.officer@politie.example.be")
    assert invitation.scope == zone

    # The invitation arrives by e-mail, in French, at a real SMTP server.
    [mail] = smtp_server.to("new.officer@politie.example.be")
    link = re.search(r"https?://\S+/accounts/invitations/accept/\S+/", smtp_server.body(mail)).group(0)
    accept_path = link[link.index("/accounts/") :]

    # The invitee (another browser session) sets a password ...
    page.context.clear_cookies()
    page.visit(accept_path)
    page.locator("#id_first_name").fill("Noa")
    page.locator("#id_last_name").fill("Verstraete")
    page.locator("#id_password").fill("a-long-Passphrase-2026")
    page.locator("#id_password_confirm").fill("a-long-Passphrase-2026")
    _submit(page, "#id_password")

    # ... is sent to enrol an authenticator before anything else, reads the secret, confirms a code ...
    page.wait_for_url("**/2fa/totp/activate/")
    page.check_accessible()
    page.visit("/geography/zones/")  # any other page sends them back
    page.wait_for_url("**/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(code_for_secret(secret))
    _submit(page, "#id_code")

    # ... gets recovery codes, and then reaches the home page of their zone.
    page.wait_for_url("**/2fa/recovery-codes/**")
    page.check_accessible()
    assert len(re.findall(r"\b[0-9a-f]{8}\b", page.locator("main").inner_text())) >= 10
    page.visit("/")
    assert zone.name in page.locator("main").inner_text()
    officer = User.objects.get(email="new.officer@politie.example.be")
    assert has_role(officer, Role.ZONE_OFFICER)
    invitation.refresh_from_db()
    assert invitation.accepted_by == officer

    # The same link cannot be used twice.
    page.context.clear_cookies()
    response = page.goto(accept_path)
    assert response.status == 410
    page.check_accessible()


def test_a_visitor_switches_language_and_it_is_remembered(page, reference_data):
    page.visit("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    for code in ("fr", "de", "en", "nl"):
        page.locator("#language-select").select_option(code)
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == code
        page.check_accessible()
    page.locator("#language-select").select_option("de")
    page.locator(".language-switch button").click()
    page.wait_for_load_state()
    page.visit("/geography/municipalities/?q=Eupen")  # the cookie keeps German on the next page
    assert page.locator("html").get_attribute("lang") == "de"
