"""Delete my account: what is erased, what is kept anonymously, and who is refused."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.services import user_set_language
from core.models import AuditAction, AuditEvent
from core.roles import Role
from members.choices import ConsentSource, DocumentKind, JoinRequestStatus, MembershipStatus
from members.models import Consent, JoinRequest, Member, Membership
from members.services import portal as services
from members.tests import factories, portal_helpers
from members.tests.portal_helpers import make_member_of
from networks.models import Sanction

pytestmark = pytest.mark.django_db

# Fixtures shared by the portal's tests.
_fresh_cache = portal_helpers._fresh_cache
member_en = portal_helpers.member_en
member_client = portal_helpers.member_client

ERASE = reverse("members_portal:erase")
PERSONAL = ("member@test.binplp.be", "Mo", "Lambert", "+32470123456", "470123456", "Meir 12")


@pytest.fixture
def history(personas, member_en):
    """A member with the usual traces: consents, join requests for their address, a sanction, a left membership,
    audit rows of changes they made (including one about their account, labelled with their name)."""
    member = Member.objects.get(user=member_en)
    Membership.objects.create(
        member=member,
        network=personas.network_b,
        status=MembershipStatus.LEFT,
        joined_on=datetime.date(2023, 1, 1),
        ended_on=datetime.date(2023, 6, 30),
    )
    Consent.objects.create(
        member=member, document=factories.document(DocumentKind.PRIVACY_NOTICE), source=ConsentSource.JOIN
    )
    factories.join_request(personas.network_b, email="member@test.binplp.be", status=JoinRequestStatus.PENDING)
    factories.join_request(personas.network_a, email="MEMBER@test.binplp.be", status=JoinRequestStatus.APPROVED)
    kept_request = factories.join_request(personas.network_a, email="someone.else@example.be")
    sanction = Sanction.objects.create(
        network=personas.network_a,
        target="member",
        member_ref=f"#{member.pk}",
        measure="written_reprimand",
        decided_on=datetime.date(2025, 5, 1),
        decided_by="Coordinator",
        reason="Shared an alert on social media.",
    )
    services.member_update(
        actor=member_en,
        member=member,
        first_name="Mo",
        last_name="Lambert",
        mobile="0470 12 34 56",
        street="Meir",
        house_number="12",
        box="",
        postal_code="2018",
    )
    User.objects.filter(pk=member_en.pk).update(language="fr")
    member_en.language = "fr"
    user_set_language(actor=member_en, user=member_en, language="en")  # labelled "Mo Lambert" in the trail
    return {"member": member, "sanction": sanction, "kept_request": kept_request}


def test_the_page_explains_what_is_erased_and_what_is_kept(member_client, history):
    response = member_client.get(ERASE)
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("What is deleted", "What is kept, and why", "anonymous rows", "audit trail", "Sanctions"):
        assert text in content
    assert 'name="email"' in content and "<legend>Confirm</legend>" in content


def test_a_wrong_confirmation_erases_nothing(member_client, personas, history):
    response = member_client.post(ERASE, {"email": "someone@example.be"})
    assert response.status_code == 400
    assert "This is not the e-mail address of your account." in response.content.decode()
    assert Member.objects.filter(user=personas.member).exists()
    assert User.objects.get(pk=personas.member.pk).is_active


def test_a_member_erases_their_account(member_client, personas, history):
    member_pk, user_pk = history["member"].pk, personas.member.pk
    response = member_client.post(ERASE, {"email": "Member@Test.binplp.be"})
    assert response.status_code == 302 and response["Location"] == reverse("members_portal:erased")
    assert "_auth_user_id" not in member_client.session  # signed out
    member_client.cookies["binplp_language"] = "en"  # signing out cleared the cookies
    page = member_client.get(response["Location"])
    assert page.status_code == 200 and b"Your account has been deleted" in page.content

    # Memberships stay as anonymous rows; an end date already set is kept.
    rows = {
        row.network_id: row for row in Membership.objects.filter(network__in=[personas.network_a, personas.network_b])
    }
    assert {row.status for row in rows.values()} == {MembershipStatus.ERASED}
    assert all(row.member_id is None for row in rows.values())
    assert rows[personas.network_a.pk].ended_on == timezone.localdate()
    assert rows[personas.network_b.pk].ended_on == datetime.date(2023, 6, 30)
    assert rows[personas.network_a.pk].joined_on == datetime.date(2024, 1, 15)

    # Profile, consents and the join requests for the address are gone; others' requests are not.
    assert not Member.objects.filter(pk=member_pk).exists()
    assert not Consent.objects.filter(member_id=member_pk).exists()
    assert not JoinRequest.objects.filter(email__iexact="member@test.binplp.be").exists()
    assert JoinRequest.objects.filter(pk=history["kept_request"].pk).exists()

    # The account is emptied and locked.
    user = User.objects.get(pk=user_pk)
    assert user.email == f"erased-{user_pk}@invalid.binplp.be"
    assert (user.first_name, user.last_name, user.phone) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert RoleAssignment.objects.get(user=user, role=Role.MEMBER).revoked_at is not None

    # The sanction stays with its "#id" reference, which points at no one now.
    sanction = Sanction.objects.get(pk=history["sanction"].pk)
    assert sanction.member_ref == f"#{member_pk}"

    # The audit trail records the erasure and holds nothing personal any more.
    deletion = AuditEvent.objects.get(action=AuditAction.DELETE, object_repr=f"#{member_pk}")
    assert deletion.changes == {"memberships_erased": 2, "consents_deleted": 1, "join_requests_deleted": 2}
    assert deletion.actor_id == user_pk
    for event in AuditEvent.objects.all():
        text = json.dumps(event.changes, ensure_ascii=False) + event.object_repr + event.actor_label
        for value in PERSONAL:
            assert value not in text, (event.action, event.object_repr, event.changes, value)

    # The person can no longer sign in, and a new sign-in link is not sent.
    assert not member_client.login(email="member@test.binplp.be", password="persona-password-2026")


def test_an_erased_member_can_join_again_later_as_a_new_person(member_client, personas, history):
    member_client.post(ERASE, {"email": "member@test.binplp.be"})
    assert not User.objects.filter(email__iexact="member@test.binplp.be").exists()


def test_a_coordinator_who_is_a_member_is_refused(client, personas):
    member = make_member_of(personas.coordinator, personas.network_b)
    personas.coordinator.language = "en"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    page = client.get(ERASE)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Your account cannot be deleted here yet." in content and "Network coordinator" in content
    assert 'name="email"' not in content

    response = client.post(ERASE, {"email": personas.coordinator.email})
    assert response.status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()
    assert User.objects.get(pk=personas.coordinator.pk).is_active
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_the_service_refuses_a_privileged_member_and_someone_else(personas):
    member = make_member_of(personas.coordinator, personas.network_b)
    with pytest.raises(ValidationError) as refused:
        services.member_erase(actor=personas.coordinator, member=member)
    # The coordinator role, and the ongoing coordinator partnership of network A.
    assert [error.code for error in refused.value.error_list] == ["erasure_refused", "erasure_refused"]
    other = Member.objects.get(user=personas.member)
    with pytest.raises(PermissionDenied):
        services.member_erase(actor=personas.coordinator, member=other)
    assert Member.objects.filter(pk=other.pk).exists()


def test_an_ongoing_partner_role_blocks_erasure(personas, member_en):
    from networks.models import Partner

    Partner.objects.create(
        network=personas.network_a, role="steering_group", user=member_en, active_from=datetime.date(2024, 1, 1)
    )
    blockers = services.erasure_blockers(member_en)
    assert len(blockers) == 1 and "BIN Network A" in str(blockers[0])
    with pytest.raises(ValidationError):
        services.member_erase(actor=member_en, member=Member.objects.get(user=member_en))
    Partner.objects.filter(user=member_en).update(active_to=datetime.date(2024, 12, 31))
    assert services.erasure_blockers(member_en) == []
    services.member_erase(actor=member_en, member=Member.objects.get(user=member_en))
    assert Partner.objects.get(user=member_en).user.is_active is False  # the partner history keeps its (empty) row
