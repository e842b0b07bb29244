"""The MFA gate for privileged roles, and enrolling an authenticator end to end through the client."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from core.roles import Role
from core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

ENROL_URL = "/accounts/2fa/totp/activate/"


def _grant(user, role, scope=None):
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
        scope_id=scope.pk if scope is not None else None,
    )


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture
def newcomer(reference_data, antwerp_zone):
    """A mandated officer who has not enrolled an authenticator yet."""
    user = User.objects.create_user(
        email="fresh.officer@example.be", password=PASSWORD, first_name="Fre", last_name="Sh"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _grant(user, Role.ZONE_OFFICER, antwerp_zone)
    return user


@pytest.mark.parametrize("url_name", ["core:home", "accounts:profile", "accounts:user_list", "geography:about_data"])
def test_a_privileged_user_without_totp_is_sent_to_enrolment_from_any_page(client, newcomer, url_name):
    client.force_login(newcomer)
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response["Location"] == ENROL_URL


def test_htmx_requests_are_redirected_with_a_header(client, newcomer):
    client.force_login(newcomer)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == ENROL_URL


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/anything/"])
def test_the_api_answers_403_json_before_enrolment(client, newcomer, path):
    client.force_login(newcomer)
    response = client.get(path)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_enrolment_sign_out_and_language_stay_reachable(client, newcomer):
    client.force_login(newcomer)
    assert client.get(ENROL_URL).status_code in (200, 302)
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": ENROL_URL})
    assert response.status_code == 302 and response["Location"] == ENROL_URL
    newcomer.refresh_from_db()
    assert newcomer.language == "fr"
    assert client.post(reverse("account_logout")).status_code == 302


def test_with_a_totp_authenticator_the_gate_opens(client, newcomer):
    TOTP.activate(newcomer, generate_totp_secret())
    client.force_login(newcomer)
    assert client.get("/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200


@pytest.mark.parametrize(
    "role", [Role.ADVP, Role.KNOWLEDGE_CENTRE, Role.MUNICIPAL_OFFICIAL, Role.TRAINER, Role.COORDINATOR]
)
def test_every_privileged_role_is_gated(client, personas, role, antwerp, vesta):
    user = User.objects.create_user(email="p@example.be", password=PASSWORD)
    scope = {Role.MUNICIPAL_OFFICIAL: antwerp, Role.TRAINER: vesta, Role.COORDINATOR: personas.network_a}.get(role)
    _grant(user, role, scope)
    client.force_login(user)
    assert client.get("/")["Location"] == ENROL_URL


def test_a_member_and_a_user_without_role_are_never_gated(client, personas):
    for user in (personas.member, personas.outsider):
        assert not Authenticator.objects.filter(user=user).exists()
        client.force_login(user)
        assert client.get("/").status_code == 200
        assert client.get("/accounts/profile/").status_code == 200


def test_demo_accounts_skip_mfa_only_in_demo_mode(client, newcomer, settings):
    User.objects.filter(pk=newcomer.pk).update(is_demo=True)
    client.force_login(newcomer)
    settings.BINPLP_DEMO_MODE = False
    assert client.get("/")["Location"] == ENROL_URL
    settings.BINPLP_DEMO_MODE = True
    response = client.get("/")
    assert response.status_code == 200
    assert b"demo-banner" in response.content


def test_demo_mode_does_not_exempt_real_accounts(client, newcomer, settings):
    settings.BINPLP_DEMO_MODE = True
    client.force_login(newcomer)
    assert client.get("/")["Location"] == ENROL_URL


def test_production_settings_never_allow_demo_mode(settings):
    source = (settings.BASE_DIR / "config" / "settings" / "prod.py").read_text()
    assert re.search(r"^BINPLP_DEMO_MODE = False", source, re.MULTILINE)


def test_enrolling_end_to_end_through_the_client(client, newcomer, django_capture_on_commit_callbacks):
    client.cookies["binplp_language"] = "en"
    response = client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"] == ENROL_URL

    page = client.get(ENROL_URL)
    assert page.status_code == 200, "a fresh sign-in must not ask for the password again"
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()

    wrong = client.post(ENROL_URL, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=newcomer).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENROL_URL, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=newcomer).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert AuditEvent.objects.filter(object_id=str(newcomer.pk), changes__has_key="authenticator").exists()

    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    codes = Authenticator.objects.get(user=newcomer, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert len(codes) == 10 and codes[0] in codes_page.content.decode()
    assert client.get("/").status_code == 200

    # Next time, signing in asks for the authenticator code.
    client.post(reverse("account_logout"))
    cache.clear()
    response = client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200

    # A recovery code works once as the second factor instead.
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302 and client.get("/").status_code == 200
