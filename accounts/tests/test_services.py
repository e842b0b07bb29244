import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import INVITATION_SALT, Invitation, RoleAssignment, User
from accounts.services import (
    InvitationCancelled,
    InvitationExpired,
    InvitationInvalid,
    InvitationUsed,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_from_token,
    invitation_send_email,
    role_grant,
    role_revoke,
)
from core.models import AuditAction, AuditEvent
from core.roles import Role, has_role

pytestmark = pytest.mark.django_db


def events(action, obj):
    return AuditEvent.objects.filter(action=action, content_type__model=obj._meta.model_name, object_id=str(obj.pk))


# --- invitation_create ------------------------------------------------------------------------------


def test_it_creates_an_invitation_audits_it_and_sends_the_email_in_its_language(invite, antwerp_zone, smtp_server):
    invitation = invite(email="Zoe.Nouvelle@Example.be", scope=antwerp_zone, language="fr")

    invitation.refresh_from_db()
    assert invitation.email == "zoe.nouvelle@example.be"
    assert invitation.role == Role.ZONE_OFFICER and invitation.scope == antwerp_zone
    assert invitation.status == "pending"
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    assert invitation.email_sent_at is not None
    event = events(AuditAction.INVITE, invitation).get()
    assert event.changes["email"] == [None, "zoe.nouvelle@example.be"]

    [message] = smtp_server.to("zoe.nouvelle@example.be")
    assert "binplp" in message["Subject"]
    assert message["Content-Language"] == "fr"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    # The signed token carries a timestamp, so the link is compared by what it opens, not by its characters.
    prefix = settings.SITE_URL + "/accounts/invitations/accept/"
    [token] = re.findall(re.escape(prefix) + r"([^/\s]+)/", text)
    assert prefix + token in html
    assert invitation_from_token(token) == invitation
    assert str(antwerp_zone) in text
    assert 'lang="fr"' in html


def test_the_email_is_written_in_each_invitation_language(invite, smtp_server):
    invite(email="nl@example.be", role=Role.KNOWLEDGE_CENTRE, language="nl")
    invite(email="en@example.be", role=Role.KNOWLEDGE_CENTRE, language="en")
    english = smtp_server.to("en@example.be")[0]
    dutch = smtp_server.to("nl@example.be")[0]
    assert "Open this link to accept" in smtp_server.body(english)
    assert (english["Content-Language"], dutch["Content-Language"]) == ("en", "nl")


def test_only_advp_may_invite(personas, antwerp_zone, smtp_server):
    for actor in (personas.knowledge_centre, personas.zone_officer, personas.outsider):
        with pytest.raises(PermissionDenied):
            invitation_create(actor=actor, email="x@example.be", role=Role.MEMBER, language="nl")
    assert not Invitation.objects.exists()
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("role", "scope_name", "message"),
    [
        (Role.ZONE_OFFICER, "antwerp", "applies to a police zone"),
        (Role.MUNICIPAL_OFFICIAL, "antwerp_zone", "applies to a municipality"),
        (Role.TRAINER, None, "Choose the police academy"),
        (Role.ADVP, "antwerp_zone", "takes no scope"),
        (Role.MEMBER, "vesta", "takes no scope"),
    ],
)
def test_the_scope_must_match_the_role(personas, request, role, scope_name, message):
    scope = request.getfixturevalue(scope_name) if scope_name else None
    with pytest.raises(ValidationError) as caught, _english():
        invitation_create(actor=personas.advp_admin, email="x@example.be", role=role, scope=scope, language="nl")
    assert message in " ".join(caught.value.messages)
    assert not Invitation.objects.exists()


def test_a_merged_zone_cannot_be_a_scope(personas):
    from geography.models import PoliceZone

    old = PoliceZone.objects.filter(is_current=False).first()
    if old is None:
        pytest.skip("the reference data holds no ended police zone")
    with pytest.raises(ValidationError) as caught, _english():
        invitation_create(
            actor=personas.advp_admin, email="x@example.be", role=Role.ZONE_OFFICER, scope=old, language="nl"
        )
    assert "choose a current one" in " ".join(caught.value.messages)


def test_a_coordinator_is_invited_for_a_network(personas):
    with pytest.raises(ValidationError) as caught, _english():
        invitation_create(actor=personas.advp_admin, email="c@example.be", role=Role.COORDINATOR, language="nl")
    assert caught.value.error_dict["scope"][0].code == "scope_required"
    invitation = invitation_create(
        actor=personas.advp_admin,
        email="c@example.be",
        role=Role.COORDINATOR,
        scope=personas.network_a,
        language="nl",
    )
    assert invitation.scope == personas.network_a


def test_an_ended_network_is_no_scope(personas):
    from networks.models import Network

    Network.objects.filter(pk=personas.network_b.pk).update(status="dissolved")
    personas.network_b.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        invitation_create(
            actor=personas.advp_admin,
            email="c@example.be",
            role=Role.COORDINATOR,
            scope=personas.network_b,
            language="nl",
        )
    assert caught.value.error_dict["scope"][0].code == "scope_not_current"


def test_unknown_role_and_language_are_refused(personas):
    with pytest.raises(ValidationError):
        invitation_create(actor=personas.advp_admin, email="c@example.be", role="sheriff", language="nl")
    with pytest.raises(ValidationError):
        invitation_create(actor=personas.advp_admin, email="c@example.be", role=Role.MEMBER, language="es")
    with pytest.raises(ValidationError):
        invitation_create(actor=personas.advp_admin, email="not-an-address", role=Role.MEMBER, language="nl")
    assert not Invitation.objects.exists()


def test_a_second_pending_invitation_for_the_same_email_role_and_scope_is_refused(invite, antwerp_zone, smtp_server):
    first = invite(email="dup@example.be", scope=antwerp_zone)
    with pytest.raises(ValidationError) as caught:
        invite(email="DUP@example.be", scope=antwerp_zone)
    assert caught.value.code == "duplicate_invitation"
    assert Invitation.objects.count() == 1
    assert len(smtp_server.to("dup@example.be")) == 1

    # Another zone is another invitation; after cancelling or expiry the same one may be sent again.
    from geography.models import PoliceZone

    other_zone = PoliceZone.objects.current().exclude(pk=antwerp_zone.pk).first()
    invite(email="dup@example.be", scope=other_zone)
    invitation_cancel(actor=first.invited_by, invitation=first)
    second = invite(email="dup@example.be", scope=antwerp_zone)
    Invitation.objects.filter(pk=second.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    invite(email="dup@example.be", scope=antwerp_zone)
    assert Invitation.objects.filter(email="dup@example.be").count() == 4


def test_someone_holding_the_role_already_is_not_invited_again(invite, personas, antwerp_zone):
    with pytest.raises(ValidationError) as caught:
        invite(email=personas.zone_officer.email, scope=antwerp_zone)
    assert caught.value.code == "already_holds_role"


# --- the e-mail task ---------------------------------------------------------------------------------


def test_the_email_task_is_idempotent_and_skips_closed_invitations(invite, personas, smtp_server):
    invitation = invite(email="once@example.be", role=Role.MEMBER)
    assert len(smtp_server.messages) == 1
    assert invitation_send_email(invitation_id=invitation.pk) is False
    assert len(smtp_server.messages) == 1

    Invitation.objects.filter(pk=invitation.pk).update(email_sent_at=None, cancelled_at=timezone.now())
    assert invitation_send_email(invitation_id=invitation.pk) is False
    Invitation.objects.filter(pk=invitation.pk).update(cancelled_at=None, accepted_at=timezone.now())
    assert invitation_send_email(invitation_id=invitation.pk) is False
    assert invitation_send_email(invitation_id=999_999) is False
    assert len(smtp_server.messages) == 1


def test_the_task_runs_through_django_tasks(invite, smtp_server):
    from accounts.tasks import send_invitation_email_task

    invitation = invite(email="task@example.be", role=Role.MEMBER)
    Invitation.objects.filter(pk=invitation.pk).update(email_sent_at=None)
    smtp_server.clear()
    result = send_invitation_email_task.enqueue(invitation.pk)
    assert result.return_value is True
    assert len(smtp_server.to("task@example.be")) == 1


def test_a_failed_send_releases_the_claim_for_a_retry(invite, settings, smtp_server):
    invitation = invite(email="retry@example.be", role=Role.MEMBER)
    Invitation.objects.filter(pk=invitation.pk).update(email_sent_at=None)
    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    with pytest.raises(OSError):
        invitation_send_email(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.email_sent_at is None


def test_the_task_retries_until_the_smtp_server_answers(invite, settings, smtp_server, monkeypatch):
    """SMTP down: the task re-enqueues itself with a growing delay (the immediate test backend runs the retries at
    once) and gives up after the last; the invitation stays unsent. SMTP back: the next run sends it exactly once."""
    from core import tasks as core_tasks

    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    attempts = []
    original = core_tasks.retry_delay
    monkeypatch.setattr(core_tasks, "retry_delay", lambda attempt: attempts.append(attempt) or original(attempt))
    invitation = invite(email="later@example.be", role=Role.MEMBER)
    invitation.refresh_from_db()
    assert invitation.email_sent_at is None
    assert attempts == [1, 2, 3, 4, 5, 6]
    assert smtp_server.to("later@example.be") == []

    from accounts.tasks import send_invitation_email_task

    settings.EMAIL_PORT = smtp_server.port
    send_invitation_email_task.enqueue(invitation.pk)
    send_invitation_email_task.enqueue(invitation.pk)
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
    assert len(smtp_server.to("later@example.be")) == 1


# --- invitation_from_token ---------------------------------------------------------------------------


def test_a_valid_token_gives_the_invitation(invite, antwerp_zone):
    invitation = invite(scope=antwerp_zone)
    assert invitation_from_token(invitation.token) == invitation


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ("forged", InvitationInvalid, "This invitation link is not valid."),
        ("other_email", InvitationInvalid, "This invitation link is not valid."),
        ("missing", InvitationInvalid, "This invitation link is not valid."),
        ("accepted", InvitationUsed, "This invitation has already been used."),
        ("cancelled", InvitationCancelled, "This invitation has been cancelled."),
        ("expired", InvitationExpired, "This invitation has expired. Ask for a new one."),
    ],
)
def test_unusable_tokens_say_why(invite, change, error, message):
    invitation = invite(role=Role.MEMBER)
    token = invitation.token
    now = timezone.now()
    if change == "forged":
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    elif change == "other_email":
        token = signing.dumps({"invitation": invitation.pk, "email": "else@example.be"}, salt=INVITATION_SALT)
    elif change == "missing":
        token = signing.dumps({"invitation": invitation.pk + 1000, "email": invitation.email}, salt=INVITATION_SALT)
    elif change == "accepted":
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
    elif change == "cancelled":
        Invitation.objects.filter(pk=invitation.pk).update(cancelled_at=now)
    elif change == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=now)
    with pytest.raises(error) as caught, _english():
        invitation_from_token(token)
    assert str(caught.value).startswith(message)


# --- invitation_accept -------------------------------------------------------------------------------


def test_a_newcomer_accepting_gets_an_account_with_a_verified_address_and_the_role(invite, personas, antwerp_zone):
    invitation = invite(email="nieuw@example.be", scope=antwerp_zone, language="fr")

    user = invitation_accept(
        invitation=invitation, password="a-Long-pass-phrase-9", first_name=" Nora ", last_name="Nieuw"
    )

    user.refresh_from_db()
    assert (user.email, user.first_name, user.last_name, user.language) == ("nieuw@example.be", "Nora", "Nieuw", "fr")
    assert user.check_password("a-Long-pass-phrase-9")
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary and address.email == "nieuw@example.be"
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.scope, assignment.granted_by) == (
        Role.ZONE_OFFICER,
        antwerp_zone,
        personas.advp_admin,
    )
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == user
    assert events(AuditAction.ACCEPT, invitation).get().actor == user
    assert events(AuditAction.GRANT, user).count() == 1
    assert events(AuditAction.CREATE, user).count() == 1
    assert has_role(user, Role.ZONE_OFFICER)


@pytest.mark.parametrize(
    ("password", "first_name", "last_name", "field"),
    [
        ("short", "Nora", "Nieuw", "password"),
        ("1234567890123", "Nora", "Nieuw", "password"),
        ("nieuw@example.be", "Nora", "Nieuw", "password"),
        ("", "Nora", "Nieuw", "password"),
        ("a-Long-pass-phrase-9", "", "Nieuw", "first_name"),
        ("a-Long-pass-phrase-9", "Nora", " ", "last_name"),
    ],
)
def test_bad_account_data_changes_nothing(invite, password, first_name, last_name, field):
    invitation = invite(email="nieuw@example.be", role=Role.MEMBER)
    users = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, password=password, first_name=first_name, last_name=last_name)
    assert field in caught.value.error_dict
    assert User.objects.count() == users
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_existing_account_must_be_signed_in_and_then_gets_the_role_added(invite, personas, vesta):
    invitation = invite(email=personas.member.email, role=Role.TRAINER, scope=vesta)

    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, password="a-Long-pass-phrase-9", first_name="X", last_name="Y")
    assert caught.value.code == "sign_in_required"
    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, user=personas.outsider)
    assert caught.value.code == "wrong_account"
    invitation.refresh_from_db()
    assert invitation.status == "pending"

    user = invitation_accept(invitation=invitation, user=personas.member)
    assert user == personas.member
    assert set(user.role_assignments.filter(revoked_at__isnull=True).values_list("role", flat=True)) == {
        Role.MEMBER,
        Role.TRAINER,
    }
    assert user.check_password("persona-password-2026")  # the password is not touched
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_an_invitation_is_accepted_only_once(invite):
    invitation = invite(email="once@example.be", role=Role.MEMBER)
    invitation_accept(invitation=invitation, password="a-Long-pass-phrase-9", first_name="A", last_name="B")
    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=invitation, password="a-Long-pass-phrase-9", first_name="A", last_name="B")
    assert User.objects.filter(email="once@example.be").count() == 1


def test_an_expired_or_cancelled_invitation_cannot_be_accepted(invite, personas):
    expired = invite(email="late@example.be", role=Role.MEMBER)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    with pytest.raises(InvitationExpired):
        invitation_accept(invitation=expired, password="a-Long-pass-phrase-9", first_name="A", last_name="B")
    cancelled = invite(email="gone@example.be", role=Role.MEMBER)
    invitation_cancel(actor=personas.advp_admin, invitation=cancelled)
    with pytest.raises(InvitationCancelled):
        invitation_accept(invitation=cancelled, password="a-Long-pass-phrase-9", first_name="A", last_name="B")
    assert not User.objects.filter(email__in=["late@example.be", "gone@example.be"]).exists()


# --- invitation_cancel -------------------------------------------------------------------------------


def test_cancelling_is_for_advp_and_for_open_invitations(invite, personas):
    invitation = invite(email="c@example.be", role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        invitation_cancel(actor=personas.knowledge_centre, invitation=invitation)
    invitation_cancel(actor=personas.advp_admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "cancelled"
    assert events(AuditAction.UPDATE, invitation).get().changes["cancelled_at"][0] is None
    with pytest.raises(ValidationError):
        invitation_cancel(actor=personas.advp_admin, invitation=invitation)


# --- role_grant / role_revoke ------------------------------------------------------------------------


def test_advp_grants_and_revokes_roles_with_audit(personas, antwerp):
    user = personas.outsider
    assignment = role_grant(actor=personas.advp_admin, user=user, role=Role.MUNICIPAL_OFFICIAL, scope=antwerp)
    assert (assignment.granted_by, assignment.scope) == (personas.advp_admin, antwerp)
    assert has_role(user, Role.MUNICIPAL_OFFICIAL)
    grant = events(AuditAction.GRANT, user).get()
    assert grant.actor == personas.advp_admin and "municipal_official" in grant.changes["role"][1]

    with pytest.raises(ValidationError):
        role_grant(actor=personas.advp_admin, user=user, role=Role.MUNICIPAL_OFFICIAL, scope=antwerp)

    role_revoke(actor=personas.advp_admin, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert not has_role(user, Role.MUNICIPAL_OFFICIAL)
    assert events(AuditAction.REVOKE, user).get().changes["role"][1] is None
    with pytest.raises(ValidationError):
        role_revoke(actor=personas.advp_admin, assignment=assignment)
    # After revoking, the role may be given again.
    role_grant(actor=personas.advp_admin, user=user, role=Role.MUNICIPAL_OFFICIAL, scope=antwerp)


def test_only_advp_grants_or_revokes(personas, antwerp_zone):
    with pytest.raises(PermissionDenied):
        role_grant(actor=personas.zone_officer, user=personas.outsider, role=Role.ZONE_OFFICER, scope=antwerp_zone)
    assignment = personas.zone_officer.role_assignments.get()
    with pytest.raises(PermissionDenied):
        role_revoke(actor=personas.zone_officer, assignment=assignment)
    assert not personas.outsider.role_assignments.exists()
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_the_last_advp_role_cannot_be_revoked(personas):
    assignment = personas.advp_admin.role_assignments.get(role=Role.ADVP)
    with pytest.raises(ValidationError) as caught:
        role_revoke(actor=personas.advp_admin, assignment=assignment)
    assert caught.value.code == "last_advp"


def _english():
    from django.utils import translation

    return translation.override("en")
