"""The allauth pages people pass through render inside the site layout, labelled and in their language."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def labelled(content: str, input_id: str) -> bool:
    return f'for="{input_id}"' in content and f'id="{input_id}"' in content


@pytest.fixture
def client_en(client):
    client.cookies["binplp_language"] = "en"
    return client


def test_login_page(client_en, reference_data):
    content = client_en.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in content and content.count("<h1>") == 1
    assert labelled(content, "id_login") and labelled(content, "id_password")
    assert 'autocomplete="current-password"' in content
    assert reverse("account_reset_password") in content
    assert "/accounts/signup/" not in content  # accounts come by invitation only


def test_login_errors_are_shown(client_en, personas):
    response = client_en.post(reverse("account_login"), {"login": personas.member.email, "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_reset_password_done"])
def test_password_reset_pages(client_en, reference_data, url_name):
    response = client_en.get(reverse(url_name))
    content = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in content and "<h1>" in content
    if url_name == "account_reset_password":
        assert labelled(content, "id_email")


def test_password_reset_sends_an_email_with_a_working_link(client_en, personas, smtp_server):
    client_en.post(reverse("account_reset_password"), {"email": personas.member.email})
    [message] = smtp_server.to(personas.member.email)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", smtp_server.body(message)).group(1)
    response = client_en.get(link, follow=True)
    content = response.content.decode()
    assert response.status_code == 200 and labelled(content, "id_password1") and labelled(content, "id_password2")


def test_totp_activation_and_authentication_pages(client_en, personas):
    user = personas.member  # not gated, but may enrol
    client_en.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    content = client_en.get(reverse("mfa_activate_totp")).content.decode()
    secret = client_en.session["mfa.totp.secret"]
    assert content.count("<h1>") == 1 and labelled(content, "id_code") and labelled(content, "authenticator_secret")
    assert f'alt="{secret}"' not in content and 'alt="' in content
    assert re.search(r'<input[^>]*id="authenticator_secret"[^>]*readonly', content)

    TOTP.activate(user, generate_totp_secret())
    client_en.post(reverse("account_logout"))
    response = client_en.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    content = client_en.get(response["Location"]).content.decode()
    assert "<h1>" in content and labelled(content, "id_code")


def test_recovery_codes_page(client_en, personas, django_capture_on_commit_callbacks):
    from accounts.tests.test_mfa import totp_code

    user = personas.member
    client_en.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client_en.get(reverse("mfa_activate_totp"))
    secret = client_en.session["mfa.totp.secret"]
    client_en.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    content = client_en.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert content.count("<h1>") == 1 and 'class="recovery-codes"' in content
    assert reverse("core:home") in content
