"""The public page behind the e-mailed link, driven through the test client."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, RoleAssignment, User
from core.models import AuditEvent
from core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-pass-phrase-9"


@pytest.fixture
def client_en(client, english):
    client.cookies["binplp_language"] = "en"
    return client


def form(**changes):
    return {
        "first_name": "Nora",
        "last_name": "Nieuw",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **changes,
    }


def state():
    """What must not change when a link is refused."""
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
        list(Invitation.objects.order_by("pk").values_list("accepted_at", "cancelled_at")),
    )


def test_a_newcomer_sees_the_role_sets_a_password_and_is_signed_in(client_en, invite, antwerp_zone):
    invitation = invite(email="nieuw@example.be", scope=antwerp_zone, language="en")
    url = invitation.get_accept_url()

    page = client_en.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Mandated police officer" in content and str(antwerp_zone) in content
    assert 'name="password_confirm"' in content and 'autocomplete="new-password"' in content

    response = client_en.post(url, form())
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user = User.objects.get(email="nieuw@example.be")
    assert int(client_en.session["_auth_user_id"]) == user.pk
    assert user.role_assignments.get().scope == antwerp_zone
    invitation.refresh_from_db()
    assert invitation.status == "accepted"

    # The MFA gate sends the new mandated officer straight to enrolment, without asking the password again.
    home = client_en.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"] == reverse("mfa_activate_totp")
    enrol = client_en.get(reverse("mfa_activate_totp"))
    assert enrol.status_code == 200
    assert b"Set up your authenticator app" in enrol.content


def test_a_new_member_is_signed_in_and_not_gated(client_en, invite):
    invitation = invite(email="lid@example.be", role=Role.MEMBER)
    response = client_en.post(invitation.get_accept_url(), form(), follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("core:home")
    assert response.context["user"].email == "lid@example.be"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password_confirm": "something-else-42"}, "password_confirm", "The two passwords differ."),
        ({"password": "short", "password_confirm": "short"}, "password", "too short"),
        ({"first_name": ""}, "first_name", "This field is required."),
    ],
)
def test_invalid_account_data_is_refused_specifically_and_changes_nothing(client_en, invite, changes, field, message):
    invitation = invite(email="nieuw@example.be", role=Role.MEMBER, language="en")
    before = state()
    response = client_en.post(invitation.get_accept_url(), form(**changes))
    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert state() == before
    assert "_auth_user_id" not in client_en.session


def test_an_existing_user_is_asked_to_sign_in_then_accepts_the_extra_role(client_en, invite, personas, vesta):
    invitation = invite(email=personas.member.email, role=Role.TRAINER, scope=vesta)
    url = invitation.get_accept_url()
    before = state()

    page = client_en.get(url)
    assert page.status_code == 200
    assert b"An account with this e-mail address already exists" in page.content
    assert reverse("account_login").encode() in page.content
    # Posting a new-account form for an existing address creates nothing.
    assert client_en.post(url, form()).status_code == 200
    assert state() == before

    client_en.force_login(personas.member)
    page = client_en.get(url)
    assert page.status_code == 200 and b"Accept the role" in page.content
    response = client_en.post(url)
    assert response.status_code == 302
    assert personas.member.role_assignments.filter(role=Role.TRAINER, revoked_at__isnull=True).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == personas.member


def test_signed_in_as_another_account_is_refused(client_en, invite, personas):
    invitation = invite(email="someone.else@example.be", role=Role.MEMBER)
    client_en.force_login(personas.outsider)
    before = state()
    for response in (client_en.get(invitation.get_accept_url()), client_en.post(invitation.get_accept_url())):
        assert response.status_code == 403
        assert b"This invitation was sent to someone.else@example.be" in response.content
    assert state() == before


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ("forged", 400, "This invitation link is not valid."),
        ("used", 410, "This invitation has already been used."),
        ("expired", 410, "This invitation has expired. Ask for a new one."),
        ("cancelled", 410, "This invitation has been cancelled."),
    ],
)
def test_unusable_links_say_why_and_change_nothing(client_en, invite, personas, change, status, message):
    invitation = invite(email="nieuw@example.be", role=Role.MEMBER, language="en")
    url = invitation.get_accept_url()
    if change == "forged":
        url = reverse("accounts:invitation_accept", args=[invitation.token[:-2] + "zz"])
    elif change == "used":
        assert client_en.post(url, form()).status_code == 302
        client_en.logout()  # the test client forgets every cookie on logout
        client_en.cookies["binplp_language"] = "en"
    elif change == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    elif change == "cancelled":
        client_en.force_login(personas.advp_admin)
        client_en.post(reverse("accounts:invitation_cancel", args=[invitation.pk]))
        client_en.logout()  # the test client forgets every cookie on logout
        client_en.cookies["binplp_language"] = "en"
    before = state()

    for response in (client_en.get(url), client_en.post(url, form(first_name="Other"))):
        assert response.status_code == status
        assert message in response.content.decode()
    assert state() == before
    assert User.objects.filter(first_name="Other").count() == 0


def test_a_reused_link_does_not_sign_anyone_in(client_en, invite):
    invitation = invite(email="nieuw@example.be", role=Role.MEMBER, language="en")
    url = invitation.get_accept_url()
    client_en.post(url, form())
    other = client_en.__class__()
    other.cookies["binplp_language"] = "en"
    response = other.post(url, form(password="Another-pass-phrase-7", password_confirm="Another-pass-phrase-7"))
    assert response.status_code == 410
    assert "_auth_user_id" not in other.session
    assert User.objects.get(email="nieuw@example.be").check_password(PASSWORD)


def test_the_page_has_labelled_fields_and_a_language(client_en, invite):
    invitation = invite(email="nieuw@example.be", role=Role.MEMBER, language="en")
    content = client_en.get(invitation.get_accept_url()).content.decode()
    assert '<html lang="en">' in content
    for name in ("first_name", "last_name", "password", "password_confirm"):
        assert f'<label for="id_{name}">' in content
    assert content.count("<h1>") == 1
