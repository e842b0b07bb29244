"""Browser journeys: Playwright drives Debian's chromium (never a downloaded browser), and every page a
journey visits is audited with axe-core (WCAG 2.1 AA); serious or critical violations fail the test."""

from __future__ import annotations

import os
import shutil

CHROMIUM = os.environ.get("BINPLP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response.get("violations", [])
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
    assert not violations, f"axe-core found serious/critical violations on {page.url}:\n{summary}"  # nosec B101  # test helper: asserting is its job


def sign_in_as(page, live_server, user) -> None:
    """Hand the browser the session of a signed-in test client (for journeys whose subject is not signing in)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


def totp_code(user) -> str:
    """The current code of the user's TOTP authenticator, as their authenticator app would show it."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return code_for_secret(get_adapter().decrypt(authenticator.data["secret"]))


def code_for_secret(secret: str) -> str:
    """The TOTP code for a base32 secret right now (RFC 6238, allauth's own implementation)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
