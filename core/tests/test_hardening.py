"""Web hardening (issue 9): production settings, `check --deploy`, the CSP on every kind of page, CSRF on every URL
that takes a write, rate limits with translated 429 answers, secrets only from the environment, and the MFA gate on
every page for privileged roles. Uploads are proven per field in the apps' own tests (see test_uploads_are_covered).
test_csp.py holds the nonce test of the public finder; this module extends it to other pages."""

from __future__ import annotations

import ast
import datetime
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.test import APIClient

from accounts.models import RoleAssignment, User
from core.roles import Role

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
ONE_YEAR = 365 * 24 * 3600
UNSAFE = ("post", "put", "patch", "delete")


def _prod_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod", "SECRET_KEY": secrets.token_urlsafe(64)}
    env.pop("BINPLP_DEMO_MODE", None)
    env.update(extra)
    return env


# --- production settings ---------------------------------------------------------------------------------------

PROD_VALUES = """
import json
from django.conf import settings
names = ["DEBUG", "BINPLP_DEMO_MODE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
         "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
         "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
         "MFA_TRUST_COOKIE_SECURE", "MIDDLEWARE"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def _run_prod(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=BASE_DIR,
        env=_prod_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_are_hardened():
    result = _run_prod(PROD_VALUES, SECURE_HSTS_SECONDS=str(ONE_YEAR))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False and values["BINPLP_DEMO_MODE"] is False
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"] and values["MFA_TRUST_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict") and values["CSRF_COOKIE_SAMESITE"] in (
        "Lax",
        "Strict",
    )
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    for middleware in (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "csp.middleware.CSPMiddleware",
        "accounts.middleware.MFARequiredMiddleware",
    ):
        assert middleware in values["MIDDLEWARE"]


def test_the_default_hsts_lasts_a_year_even_without_the_variable():
    env = _prod_env()
    env.pop("SECURE_HSTS_SECONDS", None)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{PROD_VALUES}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["SECURE_HSTS_SECONDS"] >= ONE_YEAR


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_responses_carry_the_security_headers(client):
    response = client.get("/find/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# --- secrets only from the environment -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = _run_prod("print('started')", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


SECRET_NAME = re.compile(r"(SECRET_KEY|_SECRET|_PASSWORD|_TOKEN|API_KEY|_CREDENTIALS)$")


@pytest.mark.parametrize("module", ["base.py", "prod.py"])
def test_no_secret_is_written_in_the_settings_that_production_loads(module):
    """Every setting named like a secret is read from the environment (os.environ), never a literal."""
    tree = ast.parse((BASE_DIR / "config" / "settings" / module).read_text())
    secret_settings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and SECRET_NAME.search(target.id):
                    secret_settings.append(target.id)
                    literal = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                    assert not (literal and node.value.value), f"{module}: {target.id} is written in the file"
                    assert "os.environ" in ast.unparse(node.value), f"{module}: {target.id} is not from the environment"
    if module == "base.py":
        assert {"SECRET_KEY", "EMAIL_HOST_PASSWORD", "BINPLP_SMS_GATEWAY_PASSWORD"} <= set(secret_settings)


# --- Content Security Policy on every kind of page ---------------------------------------------------------------


def _assert_strict_csp(response, path):
    assert response.status_code == 200, f"{path}: {response.status_code}"
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
    [nonce] = set(re.findall(r"script-src 'self' 'nonce-([^']+)'", policy))
    assert f"style-src 'self' 'nonce-{nonce}'" in policy, path
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, path
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html) + re.findall(r"<style\b[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, f"{path}: {tag}"
    assert not re.search(r"\son(click|load|submit|change|error)=", html), f"{path}: inline event handler"
    return nonce


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/practices/"),
        (None, "/statistics/"),
        ("member", "/me/"),
        ("member", "/me/reports/new/"),
        ("coordinator", "/"),
        ("zone_officer", "/messages/reports/"),
        ("advp_admin", "/accounts/users/"),
        ("advp_admin", "/networks/"),
        ("knowledge_centre", "/committee/"),
    ],
)
def test_every_kind_of_page_has_a_strict_policy_with_a_nonce(client, personas, persona, path):
    if persona:
        client.force_login(getattr(personas, persona))
    _assert_strict_csp(client.get(path, follow=True), path)


# --- CSRF on every form ----------------------------------------------------------------------------------------

# URL names whose view Django sees as csrf_exempt, each with why and what protects it instead (tested below).
CSRF_EXEMPT = {
    "messaging:sms_status": "called by the SMS gateway, not a browser; the path carries a signature of the delivery id",
    "messaging:unsubscribe": "one-click unsubscribe from mail clients (RFC 8058) sends no token; the signed link "
    "authenticates the member and the action only lowers what they receive",
    "networks:charter_upload": "exempt at the outer decorator only, so the upload size limit is installed before the "
    "body is read; csrf_protect runs inside (the walk still expects 403)",
}
# API endpoints (DRF) are csrf_exempt for Django: DRF checks CSRF itself for cookie (session) authentication, and a
# request with `Authorization: Token` sends no cookie a third-party site could ride on. The walk proves the former.

SAMPLES = ("1", "BIN-11002-1", "x", "nl", "auth", "2026", "00000000-0000-4000-8000-000000000001")
_GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")


def _sample(regex: str, converter=None) -> str:
    for value in SAMPLES:
        if re.fullmatch(f"(?:{regex})", value):
            try:
                if converter is not None:
                    converter.to_python(value)
            except ValueError:
                continue
            return value
    raise AssertionError(f"no sample value matches {regex}")


def _route_part(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        if "format" in pattern.converters:
            return None  # DRF's format-suffix twin of a route walked already
        for name, converter in pattern.converters.items():
            route = re.sub(rf"<(?:\w+:)?{name}>", _sample(converter.regex, converter), route)
        return route
    assert isinstance(pattern, RegexPattern)
    regex = pattern._regex
    if "(?P<format>" in regex:
        return None  # DRF's format-suffix twin of a route walked already
    path = _GROUP.sub(lambda m: _sample(m.group(2)), regex)
    return path.lstrip("^").rstrip("$").replace("/?", "/").replace("\\.", ".").replace("\\-", "-")


def url_walk() -> list[tuple[str, str, object]]:
    """(URL name, a path that resolves to the view, the view) for every URL pattern of the project."""
    found, seen = [], set()

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            part = _route_part(entry.pattern)
            if part is None:
                continue
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + part, inner)
            elif isinstance(entry, URLPattern) and "/" + prefix + part not in seen:  # a shadowed route is unreachable
                seen.add("/" + prefix + part)
                found.append((f"{namespace}{entry.name or entry.lookup_str}", "/" + prefix + part, entry.callback))

    walk(get_resolver(), "", "")
    return found


def _unsafe_methods(callback) -> list[str]:
    if hasattr(callback, "actions"):  # a DRF viewset: the methods this route maps to actions
        return [method for method in UNSAFE if method in callback.actions]
    if hasattr(callback, "cls"):  # a DRF APIView
        return [method for method in UNSAFE if hasattr(callback.cls, method)]
    return ["post"]  # a Django view: whatever it accepts, a POST must be refused before it runs


@pytest.fixture
def csrf_rejections():
    """Paths whose request was refused for CSRF, by Django's middleware/csrf_protect or by DRF's session check."""
    rejected: list[str] = []
    reject = CsrfViewMiddleware._reject
    enforce = SessionAuthentication.enforce_csrf

    def django_reject(self, request, reason):
        rejected.append(request.path)
        return reject(self, request, reason)

    def drf_enforce(self, request):
        try:
            return enforce(self, request)
        except DRFPermissionDenied:
            rejected.append(request.path)
            raise

    with (
        mock.patch.object(CsrfViewMiddleware, "_reject", django_reject),
        mock.patch.object(SessionAuthentication, "enforce_csrf", drf_enforce),
    ):
        yield rejected


def test_the_walk_covers_every_url(personas):
    walked = url_walk()
    names = {name for name, _path, _view in walked}
    assert len(walked) > 250
    for name, path, view in walked:
        assert resolve(path).func is view, f"{name}: {path} resolves elsewhere"
    assert set(CSRF_EXEMPT) <= names
    assert {"account_login", "members_join:join", "messaging_portal:report_new", "admin:login"} <= names


@pytest.mark.parametrize("persona", ["advp_admin", "member"])
def test_every_write_without_a_csrf_token_is_refused(personas, csrf_rejections, persona):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(getattr(personas, persona))
    checked, read_only, failures = 0, 0, []
    for name, path, view in url_walk():
        methods = _unsafe_methods(view)
        if not methods:
            read_only += 1  # a read-only API endpoint: nothing to forge
            continue
        if getattr(view, "csrf_exempt", False) and not hasattr(view, "cls"):
            assert name in CSRF_EXEMPT, f"{name} is csrf_exempt without a reason listed in CSRF_EXEMPT"
            if name != "networks:charter_upload":
                continue
        del csrf_rejections[:]
        response = client.generic(methods[0].upper(), path, "")
        checked += 1
        if response.status_code != 403 or path not in csrf_rejections:
            failures.append(f"{methods[0].upper()} {path} ({name}): {response.status_code}")
    assert not failures, "writes accepted without a CSRF token:\n" + "\n".join(failures)
    assert checked > 250 and read_only > 0


def test_the_sms_callback_is_protected_by_its_signed_path(client, personas):
    from messaging.tokens import dlr_token

    forged = dlr_token(1).rsplit(":", 1)[0] + ":forged"
    response = Client(enforce_csrf_checks=True).post(f"/messages/sms/status/{forged}/", {"type": "1"})
    assert response.status_code == 404


def test_one_click_unsubscribe_is_protected_by_its_signed_link(personas):
    from members.models import Member

    member = Member.objects.get(user=personas.member)
    muted, by_email = list(member.muted_types or []), member.by_email
    response = Client(enforce_csrf_checks=True).post("/messages/m/not-a-signed-token/unsubscribe/")
    assert response.status_code >= 400
    member.refresh_from_db()
    assert list(member.muted_types or []) == muted and member.by_email == by_email


def test_token_requests_need_no_csrf_token_but_session_requests_do(personas, csrf_rejections):
    """The API is CSRF-exempt only for token callers (no ambient cookie); a browser session is checked."""
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(personas.zone_officer)
    assert session.post("/api/v1/networks/", {}, format="json").status_code == 403
    assert csrf_rejections == ["/api/v1/networks/"]

    token = APIClient(enforce_csrf_checks=True)
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.zone_officer).key}")
    assert token.post("/api/v1/networks/", {}, format="json").status_code == 400  # validated, not forged
    assert csrf_rejections == ["/api/v1/networks/"]


# --- rate limits ---------------------------------------------------------------------------------------------------


@pytest.fixture
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_sign_in_attempts_are_rate_limited_with_a_translated_page(client, personas, empty_cache, settings):
    """Failed sign-ins lock the account (accounts/tests/test_lockout.py); every sign-in attempt from one address is
    limited too, and allauth's refusal is answered by core.errors.too_many_requests in the reader's language."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    client.cookies["binplp_language"] = "fr"
    for _attempt in range(3):
        assert client.post("/accounts/login/", {"login": "nobody@example.be", "password": "x"}).status_code == 200
    response = client.post("/accounts/login/", {"login": personas.member.email, "password": "x"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives ont été faites en peu de temps" in page and "<html" in page
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_are_locked_out_by_allauth():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "20/15m/ip,5/15m/key"  # proven in test_lockout.py


def test_the_join_form_is_rate_limited(client, personas, empty_cache, settings):
    """Proven end to end in members/tests/test_join_form.py; here only that the limit is on and the page says so."""
    from members.tests.join_support import ensure_first_documents

    ensure_first_documents()
    settings.BINPLP_JOIN_RATE_PER_HOUR = 1
    client.cookies["binplp_language"] = "en"
    url = f"/join/{personas.network_a.code}/"
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {})
    assert response.status_code == 429
    assert "Too many join requests were sent from your internet connection" in response.content.decode()


def _report_form(network) -> dict:
    when = timezone.localtime() - datetime.timedelta(hours=3)
    return {
        "network": network.code,
        "category": "burglary",
        "happened_on": when.date().isoformat(),
        "happened_time": when.strftime("%H:%M"),
        "place": "Groenplaats 3",
        "description": "Two people went from door to door trying the handles, then left on foot towards the Meir.",
        "vehicle_type": "",
    }


def test_members_reports_to_the_police_are_rate_limited(client, personas, empty_cache, settings):
    from messaging.models import Report

    settings.BINPLP_REPORT_RATE_PER_HOUR = 2
    client.force_login(personas.member)  # writes French (the persona's language)
    url = "/me/reports/new/"
    assert client.post(url, _report_form(personas.network_a)).status_code == 302
    assert client.post(url, {}).status_code == 400  # every attempt counts, valid or not
    response = client.post(url, _report_form(personas.network_a))
    assert response.status_code == 429
    assert "Vous avez envoyé trop de signalements au cours de la dernière heure" in response.content.decode()
    assert Report.objects.count() == 1
    assert client.get(url).status_code == 200  # reading the form is not limited


@pytest.fixture
def api_throttles(settings, monkeypatch, empty_cache):
    """The production throttles (the test settings switch them off), with small rates so a test can reach them."""
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
    from rest_framework.views import APIView

    base = __import__("config.settings.base", fromlist=["REST_FRAMEWORK"]).REST_FRAMEWORK
    assert base["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": base["DEFAULT_THROTTLE_CLASSES"]}
    assert api_settings.DEFAULT_THROTTLE_CLASSES  # reloaded by the setting_changed signal
    monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle, UserRateThrottle])
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min", "finder": "2/min"})


def test_the_finder_api_has_its_own_limit(client, api_throttles, personas):
    query = {"postal_code": "2000", "street": "Meir"}
    for _attempt in range(2):
        assert client.get("/api/v1/finder/", query, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    response = client.get("/api/v1/finder/", query, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Te veel verzoeken. Probeer het over ")


def test_the_api_limits_signed_in_and_anonymous_callers(client, api_throttles, personas):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.zone_officer).key}")
    for _attempt in range(3):
        assert api.get("/api/v1/networks/").status_code == 200
    response = api.get("/api/v1/networks/")
    assert response.status_code == 429 and "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0

    for _attempt in range(2):  # anonymous callers count against both limits, by address
        assert client.get("/api/v1/regions/").status_code == 200
    response = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429 and response.json()["detail"].startswith("Trop de requêtes. Réessayez dans ")


# --- privileged roles cannot skip MFA ----------------------------------------------------------------------------


@pytest.fixture
def unenrolled_officer(personas, settings):
    settings.BINPLP_DEMO_MODE = False
    officer = User.objects.create_user(
        email="no.totp@test.binplp.be", password="a-long-password-for-tests-1", language="en"
    )
    zone = personas.zone_officer.role_assignments.get().scope
    RoleAssignment.objects.create(user=officer, role=Role.ZONE_OFFICER, scope=zone)
    return officer


def test_a_privileged_user_without_totp_reaches_no_page_but_enrolment(client, unenrolled_officer):
    from accounts.middleware import MFARequiredMiddleware

    client.force_login(unenrolled_officer)
    reached = []
    for name, path, _view in url_walk():
        if path.startswith(MFARequiredMiddleware.ALLOWED_PREFIXES) or path.startswith("/django-admin/"):
            continue
        response = client.get(path)
        if path.startswith("/api/"):
            ok = response.status_code == 403 and "second factor" in response.json()["detail"]
        else:
            ok = response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
        if not ok:
            reached.append(f"{path} ({name}): {response.status_code}")
    assert not reached, "pages a privileged user reached without a second factor:\n" + "\n".join(reached)


def test_a_demo_flag_does_not_open_the_api_outside_demo_mode(unenrolled_officer):
    User.objects.filter(pk=unenrolled_officer.pk).update(is_demo=True)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=unenrolled_officer).key}")
    response = api.get("/api/v1/networks/")
    assert response.status_code in (401, 403) and "second factor" in response.json()["detail"]


# --- uploads -----------------------------------------------------------------------------------------------------

UPLOAD_TESTS = {
    "charter signed PDF": ("networks/tests/test_charter_views.py", "test_a_web_page_named_pdf_is_refused"),
    "practice attachments": ("practices/tests/test_practice_views.py", "test_a_web_page_named_pdf_is_refused"),
    "committee agenda documents": ("committee/tests/test_views.py", "test_a_disguised_upload_shows_the_error"),
    "training materials": ("training/tests/test_course_views.py", "test_a_web_page_named_pdf_is_refused"),
    "network import XLSX": ("networks/tests/test_import_views.py", "html-as-xlsx"),
}


def test_uploads_are_covered():
    """Every file field of the project has a test uploading a web page under a harmless name."""
    from django.apps import apps
    from django.db.models import FileField

    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    }
    # Letters are generated by the platform (networks/services/letters.py), never uploaded.
    assert fields == {
        "networks.Charter.signed_pdf",
        "networks.Letter.pdf",
        "networks.ImportBatch.file",
        "practices.PracticeAttachment.file",
        "committee.AgendaDocument.file",
        "training.Material.file",
    }
    for path, marker in UPLOAD_TESTS.values():
        assert marker in (BASE_DIR / path).read_text(), f"{path} lost its disguised-upload test"
