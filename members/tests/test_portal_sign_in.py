"""Signing in to the member portal with an e-mailed link (read from the real SMTP test server)."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from members.tests import factories, portal_helpers
from members.tests.portal_helpers import link_in, make_member_of
from members.tokens import check_sign_in_link, magic_link_tokens, sign_in_path

pytestmark = pytest.mark.django_db

# Fixtures shared by the portal's tests.
_fresh_cache = portal_helpers._fresh_cache
member_client = portal_helpers.member_client
member_en = portal_helpers.member_en

SIGN_IN = reverse("members_portal:sign_in")
SENT = reverse("members_portal:sign_in_sent")
HOME = reverse("members_portal:home")


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a link, running the e-mail task as after a real commit."""

    def _ask(client, email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGN_IN, {"email": email}, **extra)

    return _ask


def _stable(content: bytes) -> str:
    """The page without what changes on every response (CSP nonce, CSRF token)."""
    text = re.sub(r'nonce="[^"]*"', "", content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def signed_in_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_it_shows_the_sign_in_form(client, personas):
    client.cookies["binplp_language"] = "en"
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="email"' in content and 'autocomplete="email"' in content
    assert reverse("account_login") in content  # the password sign-in stays available


def test_it_emails_a_link_in_the_members_language_that_signs_in_once(client, personas, smtp_server, ask):
    member = personas.member  # language fr
    response = ask(client, "Member@Test.binplp.be")
    assert response.status_code == 302 and response["Location"] == SENT

    [message] = smtp_server.to(member.email)
    assert message["Content-Language"] == "fr"
    assert message.get_body(preferencelist=("html",)) is not None
    path = link_in(message)
    assert path.startswith("/me/sign-in/")
    assert path in message.get_body(preferencelist=("html",)).get_content()

    # Opening the link (as a mail scanner would) only shows a button.
    page = client.get(path)
    assert page.status_code == 200
    assert b'method="post"' in page.content
    assert signed_in_user_id(client) is None
    assert client.get(path).status_code == 200  # still unused

    signed = client.post(path)
    assert signed.status_code == 302 and signed["Location"] == HOME
    assert signed_in_user_id(client) == member.pk
    member.refresh_from_db()
    assert member.last_login is not None
    assert client.get(HOME).status_code == 200

    # The link works once: signing in changed last_login, which the token covers.
    client.logout()
    client.cookies["binplp_language"] = "en"
    again = client.post(path)
    assert again.status_code == 400
    assert b"already used" in again.content
    assert b'action="/me/sign-in/"' in again.content  # a new link is offered
    assert signed_in_user_id(client) is None


def test_it_answers_the_same_whether_or_not_the_address_is_a_members(client, personas, smtp_server, ask):
    answers = []
    for email in ("member@test.binplp.be", "nobody@example.be", personas.outsider.email):
        response = ask(client, email)
        followed = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], followed.status_code, _stable(followed.content)))
    assert answers[0] == answers[1] == answers[2]
    # Only the member got an e-mail: the outsider has an account but no member profile.
    assert [str(m["To"]) for m in smtp_server.messages] == ["member@test.binplp.be"]


def test_the_sent_page_says_a_link_may_be_on_its_way(client, personas):
    client.cookies["binplp_language"] = "en"
    content = client.get(SENT).content.decode()
    assert "If this address belongs to a member, a link is on its way." in content


def test_an_invalid_address_gets_a_form_error_and_no_email(client, personas, smtp_server, ask):
    client.cookies["binplp_language"] = "en"
    response = ask(client, "not-an-address")
    assert response.status_code == 400
    assert b"Enter a valid e-mail address" in response.content
    assert smtp_server.messages == []


def test_an_expired_link_is_refused_with_an_offer_of_a_new_one(client, member_en, monkeypatch, settings):
    path = sign_in_path(member_en)
    later = datetime.datetime.now() + datetime.timedelta(minutes=settings.BINPLP_MAGIC_LINK_MINUTES + 1)
    monkeypatch.setattr(magic_link_tokens, "_now", lambda: later)
    client.cookies["binplp_language"] = "en"
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 410
        assert b"This sign-in link has expired." in response.content
        assert b"Send me a sign-in link" in response.content
    assert signed_in_user_id(client) is None


def test_a_link_is_valid_until_its_time_is_over(member_en, monkeypatch, settings):
    path = sign_in_path(member_en)
    _, _, _, uidb64, token, _ = path.split("/")
    almost = datetime.datetime.now() + datetime.timedelta(minutes=settings.BINPLP_MAGIC_LINK_MINUTES - 1)
    monkeypatch.setattr(magic_link_tokens, "_now", lambda: almost)
    assert check_sign_in_link(uidb64, token).valid


@pytest.mark.parametrize("tamper", ["token", "uid", "password_reset_token", "garbage"])
def test_a_forged_link_is_refused(client, member_en, personas, tamper):
    uidb64 = urlsafe_base64_encode(force_bytes(member_en.pk))
    token = magic_link_tokens.make_token(member_en)
    if tamper == "token":
        token = token[:-1] + ("0" if token[-1] != "0" else "1")
    elif tamper == "uid":  # someone else's id with the member's token
        uidb64 = urlsafe_base64_encode(force_bytes(personas.outsider.pk))
    elif tamper == "password_reset_token":  # Django's own reset token has another salt
        token = default_token_generator.make_token(member_en)
    else:
        uidb64, token = "!!", "nonsense"
    path = reverse("members_portal:sign_in_link", kwargs={"uidb64": uidb64, "token": token})
    client.cookies["binplp_language"] = "en"
    response = client.post(path)
    assert response.status_code == 400
    assert b"This sign-in link is not valid" in response.content
    assert signed_in_user_id(client) is None


def test_a_privileged_member_gets_no_link_and_cannot_use_one(client, personas, smtp_server, ask):
    coordinator = personas.coordinator  # holds the coordinator role (MFA) and is made a member of network A too
    make_member_of(coordinator, personas.network_a)

    ask(client, coordinator.email)
    [message] = smtp_server.to(coordinator.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "/me/sign-in/" not in body.replace(reverse("members_portal:sign_in"), "")
    assert reverse("account_login") in body

    # A link made anyway (e.g. sent before the role was given) is refused: it would skip the authenticator.
    path = sign_in_path(coordinator)
    client.cookies["binplp_language"] = "en"
    assert client.get(path).status_code == 403
    response = client.post(path)
    assert response.status_code == 403
    assert b"use the normal sign-in with your password and your authenticator app" in response.content
    assert signed_in_user_id(client) is None


def test_a_link_for_an_inactive_account_is_refused(client, member_en):
    path = sign_in_path(member_en)
    User.objects.filter(pk=member_en.pk).update(is_active=False)
    assert client.post(path).status_code == 400
    assert signed_in_user_id(client) is None


def test_a_link_stops_working_when_the_member_signs_in_otherwise(client, member_en):
    path = sign_in_path(member_en)
    client.force_login(member_en)  # updates last_login
    client.logout()
    assert client.post(path).status_code == 400


def test_it_limits_link_requests_per_email_address(client, personas, smtp_server, ask):
    client.cookies["binplp_language"] = "en"
    for number in range(5):
        assert ask(client, "member@test.binplp.be", REMOTE_ADDR=f"10.0.0.{number}").status_code == 302
    limited = ask(client, "MEMBER@test.binplp.be", REMOTE_ADDR="10.0.0.99")
    assert limited.status_code == 429
    assert b"Too many sign-in links were asked for" in limited.content
    assert len(smtp_server.to("member@test.binplp.be")) == 5


def test_it_limits_link_requests_per_client_address(client, personas, smtp_server, ask):
    for number in range(20):
        assert ask(client, f"someone{number}@example.be", REMOTE_ADDR="10.1.1.1").status_code == 302
    assert ask(client, "member@test.binplp.be", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert smtp_server.messages == []
    assert ask(client, "member@test.binplp.be", REMOTE_ADDR="10.1.1.2").status_code == 302


def test_a_signed_in_member_is_sent_to_the_portal(member_client):
    response = member_client.get(SIGN_IN)
    assert response.status_code == 302 and response["Location"] == HOME


def test_a_member_signed_in_by_link_may_choose_a_password_and_see_the_email_page(client, personas):
    member = personas.member
    User.objects.filter(pk=member.pk).update(password="!unusable")
    member.refresh_from_db()
    client.post(sign_in_path(member))
    assert signed_in_user_id(client) == member.pk
    assert client.get(reverse("account_set_password")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200
    home = client.get(HOME)
    assert reverse("account_set_password").encode() in home.content


def test_a_member_added_by_the_factories_can_ask_for_a_link(client, personas, smtp_server, ask):
    other = factories.member(personas.network_a, email="lid@example.be")
    ask(client, "lid@example.be")
    [message] = smtp_server.to("lid@example.be")
    path = link_in(message)
    client.post(path)
    assert signed_in_user_id(client) == other.user_id
