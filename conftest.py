"""Fixtures shared by every app's tests: reference data, personas, a real SMTP server."""

import pytest

from core.testing.personas import enrol_totp, make_personas
from core.testing.smtp import SMTPTestServer


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference geography once into the test database; each test's transaction rolls back on top."""
    from geography.services import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load(actor=None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (in-memory in the test settings): rate-limit counters, cached figures and
    charts of one test never reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(db):
    """The reference data: loaded once by django_db_setup; reloaded after a transactional test flushed it."""
    from geography.models import PoliceZone
    from geography.services import reference_data_load

    if not PoliceZone.objects.exists():
        reference_data_load(actor=None)
    from members.models import PolicyDocument

    if not PolicyDocument.objects.exists():  # created by a data migration, so also gone after a flush
        from members.tests.join_support import ensure_first_documents

        ensure_first_documents()


@pytest.fixture(autouse=True)
def _reference_data_for_database_tests(request):
    """Every test that touches the database sees the reference data, whatever ran before it on this worker."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("reference_data")


@pytest.fixture
def personas(reference_data):
    personas = make_personas()
    for user in (
        personas.advp_admin,
        personas.knowledge_centre,
        personas.zone_officer,
        personas.other_zone_officer,
        personas.municipality_official,
        personas.trainer,
        personas.coordinator,
    ):
        enrol_totp(user)
    return personas


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code under test outside a request (services, tasks) speaks English unless a test chooses otherwise;
    requests pick their language as in production (account, cookie, browser, then Dutch)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def _smtp_server():
    server = SMTPTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def smtp_server(_smtp_server, settings):
    """Every test sends e-mail to a real SMTP server on loopback; `smtp_server.messages` holds what arrived."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_server.port
    _smtp_server.clear()
    yield _smtp_server


@pytest.fixture(scope="session")
def _browser():
    import os

    from playwright.sync_api import sync_playwright

    from core.testing.browser import CHROMIUM, CHROMIUM_ARGS

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser page (own cookies) with `page.goto_path('/x/')` relative to the live server; every page
    visited through `visit` is audited with axe-core."""
    from core.testing.browser import assert_accessible

    context = _browser.new_context(locale="nl-BE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)

    def visit(path: str):
        response = page.goto(path)
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        assert_accessible(page)
        return response

    page.visit = visit
    page.check_accessible = lambda: assert_accessible(page)
    yield page
    context.close()
