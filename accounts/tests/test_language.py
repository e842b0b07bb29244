"""Switching the interface language: a cookie for visitors, saved on the account for users."""

import pytest
from django.urls import reverse

from core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("accounts:set_language")


def html_lang(response) -> str:
    content = response.content.decode()
    start = content.index('<html lang="') + len('<html lang="')
    return content[start : content.index('"', start)]


def test_a_visitor_gets_a_cookie(client, reference_data):
    response = client.post(URL, {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["binplp_language"].value == "fr"
    assert html_lang(client.get("/")) == "fr"


def test_a_signed_in_user_keeps_the_choice_on_the_account(client, personas):
    user = personas.outsider
    client.force_login(user)
    client.post(URL, {"language": "en", "next": "/accounts/profile/"})
    user.refresh_from_db()
    assert user.language == "en"
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(user.pk)).get().changes == {
        "language": ["de", "en"]
    }
    # The account's language wins over a stale cookie and the browser.
    client.cookies["binplp_language"] = "nl"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "en"


def test_an_unknown_code_is_refused_with_a_message_and_changes_nothing(client, personas):
    user = personas.outsider
    client.force_login(user)
    response = client.post(URL, {"language": "xx", "next": "/"}, follow=True)
    assert "binplp_language" not in response.cookies or response.cookies["binplp_language"].value != "xx"
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    user.refresh_from_db()
    assert user.language == "de"
    assert html_lang(response) == "de"
    assert not AuditEvent.objects.filter(object_id=str(user.pk), action=AuditAction.UPDATE).exists()


def test_an_unknown_code_for_a_visitor(client, reference_data):
    client.cookies["binplp_language"] = "en"
    response = client.post(URL, {"language": "es", "next": "/"}, follow=True)
    assert "That language is not available" in response.content.decode()
    assert html_lang(response) == "en"


def test_an_unsupported_browser_language_falls_back_to_dutch(client, reference_data):
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "nl"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="es, de;q=0.5")) == "de"


def test_next_must_stay_on_this_site(client, reference_data):
    response = client.post(URL, {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_get_is_not_allowed(client, reference_data):
    assert client.get(URL).status_code == 405
