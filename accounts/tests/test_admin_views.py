"""ADVP's pages: users, their roles, invitations. Permission matrix, behaviour, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation, RoleAssignment, User
from accounts.services import role_grant
from core.models import AuditAction, AuditEvent
from core.roles import Role
from core.testing.matrix import assert_permission_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_en(client, english):
    client.cookies["binplp_language"] = "en"
    return client


def not_advp(personas):
    return [
        personas.knowledge_centre,
        personas.zone_officer,
        personas.municipality_official,
        personas.coordinator,
        personas.member,
        personas.trainer,
        personas.outsider,
    ]


# --- permission matrix: every view of this app -------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["accounts:user_list", "accounts:invitation_list", "accounts:invitation_create", "accounts:scope_fields"],
)
def test_advp_pages_matrix(client, personas, url_name):
    assert_permission_matrix(
        client, reverse(url_name), allowed=[personas.advp_admin], in_scope_wrong_role=not_advp(personas)
    )


def test_user_detail_matrix(client, personas):
    url = reverse("accounts:user_detail", args=[personas.zone_officer.pk])
    assert_permission_matrix(client, url, allowed=[personas.advp_admin], in_scope_wrong_role=not_advp(personas))
    client.force_login(personas.advp_admin)
    assert client.get(reverse("accounts:user_detail", args=[999_999])).status_code == 404


def test_role_revoke_matrix(client, personas):
    assignment = personas.zone_officer.role_assignments.get()
    url = reverse("accounts:role_revoke", args=[personas.zone_officer.pk, assignment.pk])
    assert_permission_matrix(
        client,
        url,
        method="post",
        allowed=[personas.advp_admin],
        in_scope_wrong_role=not_advp(personas),
        allowed_status=(302,),
    )
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None


def test_role_grant_matrix(client, personas, vesta):
    url = reverse("accounts:role_grant", args=[personas.outsider.pk])
    assert_permission_matrix(
        client,
        url,
        method="post",
        data={"role": Role.TRAINER, "scope_academy": vesta.pk},
        allowed=[personas.advp_admin],
        in_scope_wrong_role=not_advp(personas),
        allowed_status=(302,),
    )
    assert personas.outsider.role_assignments.get().role == Role.TRAINER


def test_invitation_cancel_matrix(client, personas, invite):
    invitation = invite(email="x@example.be", role=Role.MEMBER)
    url = reverse("accounts:invitation_cancel", args=[invitation.pk])
    assert_permission_matrix(
        client,
        url,
        method="post",
        allowed=[personas.advp_admin],
        in_scope_wrong_role=not_advp(personas),
        allowed_status=(302,),
    )
    invitation.refresh_from_db()
    assert invitation.status == "cancelled"


def test_get_is_not_allowed_on_post_only_views(client, personas, invite):
    invitation = invite(email="x@example.be", role=Role.MEMBER)
    client.force_login(personas.advp_admin)
    assert client.get(reverse("accounts:invitation_cancel", args=[invitation.pk])).status_code == 405
    assert client.get(reverse("accounts:role_grant", args=[personas.outsider.pk])).status_code == 405


def test_the_accept_page_is_public(client, invite):
    invitation = invite(email="x@example.be", role=Role.MEMBER)
    assert client.get(invitation.get_accept_url()).status_code == 200


# --- users list ---------------------------------------------------------------------------------------


def test_users_list_shows_roles_scopes_and_second_factor(client_en, personas, antwerp_zone):
    client_en.force_login(personas.advp_admin)
    response = client_en.get(reverse("accounts:user_list"))
    content = response.content.decode()
    for persona in personas.all().values():
        # Members' accounts stay with their network's coordinators and zone officers, never in ADVP's list.
        assert (persona.email in content) is (persona != personas.member)
    assert str(antwerp_zone) in content
    assert "Mandated police officer" in content
    assert "not enrolled" in content and "enrolled" in content


def test_users_list_search_and_role_filter(client_en, personas):
    client_en.force_login(personas.advp_admin)
    found = client_en.get(reverse("accounts:user_list"), {"q": "peeters"}).context["page"].object_list
    assert [user.pk for user in found] == [personas.zone_officer.pk]
    found = client_en.get(reverse("accounts:user_list"), {"q": "test.binplp.be zoë"}).context["page"].object_list
    assert [user.pk for user in found] == [personas.zone_officer.pk]
    found = client_en.get(reverse("accounts:user_list"), {"role": Role.ZONE_OFFICER}).context["page"].object_list
    assert {user.pk for user in found} == {personas.zone_officer.pk, personas.other_zone_officer.pk}
    response = client_en.get(reverse("accounts:user_list"), {"role": "sheriff"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_users_list_htmx_renders_the_table_only(client_en, personas):
    client_en.force_login(personas.advp_admin)
    response = client_en.get(reverse("accounts:user_list"), {"q": "maes"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and personas.trainer.email.encode() in response.content


def test_users_list_paginates(client_en, personas):
    User.objects.bulk_create([User(email=f"bulk{i}@example.be", last_name=f"Bulk {i:03}") for i in range(60)])
    client_en.force_login(personas.advp_admin)
    first = client_en.get(reverse("accounts:user_list"))
    assert len(first.context["page"].object_list) == 50
    second = client_en.get(reverse("accounts:user_list"), {"page": 2})
    assert len(second.context["page"].object_list) == User.objects.count() - 1 - 50  # all but the member


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_users_list_query_count_does_not_grow_with_users(client, personas, antwerp_zone, antwerp, vesta):
    client.force_login(personas.advp_admin)
    url = reverse("accounts:user_list")
    baseline = _count_queries(client, url)
    scopes = [(Role.ZONE_OFFICER, antwerp_zone), (Role.MUNICIPAL_OFFICIAL, antwerp), (Role.TRAINER, vesta)]
    for index in range(12):
        user = User.objects.create_user(email=f"extra{index}@example.be", last_name=f"Extra {index}")
        role, scope = scopes[index % 3]
        role_grant(actor=personas.advp_admin, user=user, role=role, scope=scope)
        role_grant(actor=personas.advp_admin, user=user, role=Role.MEMBER)
    assert _count_queries(client, url) == baseline


# --- user detail, grant and revoke ----------------------------------------------------------------------


def test_user_detail_shows_roles_mfa_and_history(client_en, personas, antwerp_zone):
    client_en.force_login(personas.advp_admin)
    role_grant(actor=personas.advp_admin, user=personas.outsider, role=Role.ZONE_OFFICER, scope=antwerp_zone)
    content = client_en.get(reverse("accounts:user_detail", args=[personas.outsider.pk])).content.decode()
    assert "Mandated police officer" in content and str(antwerp_zone) in content
    assert "not enrolled" in content
    assert "History" in content and "Role granted" in content
    assert (
        reverse("accounts:role_revoke", args=[personas.outsider.pk, personas.outsider.role_assignments.get().pk])
        in content
    )

    content = client_en.get(reverse("accounts:user_detail", args=[personas.zone_officer.pk])).content.decode()
    assert ">enrolled<" in content


def test_revoking_from_the_detail_page(client_en, personas):
    assignment = personas.trainer.role_assignments.get()
    client_en.force_login(personas.advp_admin)
    response = client_en.post(reverse("accounts:role_revoke", args=[personas.trainer.pk, assignment.pk]), follow=True)
    assert "Role revoked" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, object_id=str(personas.trainer.pk)).exists()
    # A second revoke says so and changes nothing.
    response = client_en.post(reverse("accounts:role_revoke", args=[personas.trainer.pk, assignment.pk]), follow=True)
    assert "already revoked" in response.content.decode()
    # An assignment of another user is not found through this user.
    other = personas.member.role_assignments.get()
    response = client_en.post(reverse("accounts:role_revoke", args=[personas.trainer.pk, other.pk]))
    assert response.status_code == 404


def test_granting_with_the_wrong_scope_says_which_field(client_en, personas, antwerp_zone):
    client_en.force_login(personas.advp_admin)
    url = reverse("accounts:role_grant", args=[personas.outsider.pk])
    response = client_en.post(url, {"role": Role.MUNICIPAL_OFFICIAL, "scope_policezone": antwerp_zone.pk})
    assert response.status_code == 400
    errors = response.context["grant_form"].errors
    assert "Choose the municipality" in errors["scope_municipality"][0]
    assert "Leave this empty" in errors["scope_policezone"][0]
    assert not personas.outsider.role_assignments.exists()


# --- invitations ------------------------------------------------------------------------------------------


def test_the_invite_form_offers_roles_and_scopes(client_en, personas):
    client_en.force_login(personas.advp_admin)
    response = client_en.get(reverse("accounts:invitation_create"))
    form = response.context["form"]
    roles = [value for value, _label in form.fields["role"].choices]
    assert Role.COORDINATOR in roles and Role.ZONE_OFFICER in roles
    assert form.fields["scope_policezone"].queryset.count() == 176
    assert form.fields["scope_municipality"].queryset.count() == 565
    content = response.content.decode()
    for name in ("email", "role", "scope_policezone", "scope_municipality", "scope_network", "scope_academy"):
        assert f'<label for="id_{name}">' in content
    # Networks are too many for a select: the coordinator's network is typed by its code.
    assert 'name="scope_network" maxlength="40"' in content and 'type="text"' in content


def test_a_coordinator_is_invited_for_a_network_by_its_code(client_en, personas):
    client_en.force_login(personas.advp_admin)
    data = {"email": "coord@example.be", "role": Role.COORDINATOR, "language": "nl", "scope_network": "bin-11002-1"}
    response = client_en.post(reverse("accounts:invitation_create"), data)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.scope) == (Role.COORDINATOR, personas.network_a)


def test_inviting_through_the_form_sends_the_email(
    client_en, personas, antwerp, smtp_server, django_capture_on_commit_callbacks
):
    client_en.force_login(personas.advp_admin)
    data = {"email": "preventie@example.be", "role": Role.MUNICIPAL_OFFICIAL, "language": "de"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(reverse("accounts:invitation_create"), {**data, "scope_municipality": antwerp.pk})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitation_list")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.scope, invitation.language) == ("preventie@example.be", antwerp, "de")
    [message] = smtp_server.to("preventie@example.be")
    # The link is signed with a timestamp: the one rebuilt here may be a second later than the e-mailed one.
    payload = invitation.get_accept_url().rsplit(":", 2)[0]
    assert payload in smtp_server.body(message)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": Role.ZONE_OFFICER}, "scope_policezone", "Choose the police zone for this role."),
        ({"role": Role.ADVP, "scope_academy": "vesta"}, "scope_academy", "Leave this empty"),
        ({"role": Role.COORDINATOR}, "scope_network", "Choose the network for this role."),
        ({"role": Role.COORDINATOR, "scope_network": "BIN-99999-1"}, "scope_network", "No network you can choose"),
        ({"role": Role.MEMBER, "email": "not an address"}, "email", "Enter a valid email address."),
        ({"role": Role.MEMBER, "language": "es"}, "language", "Select a valid choice."),
    ],
)
def test_invalid_invitations_are_refused_specifically(client_en, personas, vesta, data, field, message):
    if data.get("scope_academy") == "vesta":
        data["scope_academy"] = vesta.pk
    client_en.force_login(personas.advp_admin)
    response = client_en.post(
        reverse("accounts:invitation_create"), {"email": "x@example.be", "language": "nl", **data}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Invitation.objects.exists()


def test_a_duplicate_invitation_is_refused_in_the_form(client_en, personas, invite):
    invite(email="dup@example.be", role=Role.KNOWLEDGE_CENTRE)
    client_en.force_login(personas.advp_admin)
    response = client_en.post(
        reverse("accounts:invitation_create"),
        {"email": "dup@example.be", "role": Role.KNOWLEDGE_CENTRE, "language": "nl"},
    )
    assert response.status_code == 400
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_scope_fields_fragment_narrows_to_the_role(client_en, personas):
    client_en.force_login(personas.advp_admin)
    url = reverse("accounts:scope_fields")
    content = client_en.get(url, {"role": Role.TRAINER}).content.decode()
    assert 'name="scope_academy"' in content and 'name="scope_policezone"' not in content
    content = client_en.get(url, {"role": Role.ADVP}).content.decode()
    assert "<select" not in content and "no scope to choose" in content
    content = client_en.get(url, {"role": Role.ZONE_OFFICER, "prefix": "grant"}).content.decode()
    assert 'id="grant_scope_policezone"' in content


def test_invitations_list_filters_by_status(client_en, personas, invite):
    from django.utils import timezone

    pending = invite(email="pending@example.be", role=Role.MEMBER)
    expired = invite(email="expired@example.be", role=Role.MEMBER)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    cancelled = invite(email="cancelled@example.be", role=Role.MEMBER)
    Invitation.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    client_en.force_login(personas.advp_admin)
    url = reverse("accounts:invitation_list")
    for status, invitation in (("pending", pending), ("expired", expired), ("cancelled", cancelled)):
        page = client_en.get(url, {"status": status}).context["page"]
        assert [item.pk for item in page.object_list] == [invitation.pk]
    content = client_en.get(url).content.decode()
    assert reverse("accounts:invitation_cancel", args=[pending.pk]) in content
    assert reverse("accounts:invitation_cancel", args=[expired.pk]) not in content


def test_invitations_list_query_count_is_constant(client, personas, invite, antwerp_zone, antwerp, vesta):
    client.force_login(personas.advp_admin)
    url = reverse("accounts:invitation_list")
    invite(email="a@example.be", role=Role.ZONE_OFFICER, scope=antwerp_zone)
    invite(email="b@example.be", role=Role.MUNICIPAL_OFFICIAL, scope=antwerp)
    invite(email="c@example.be", role=Role.TRAINER, scope=vesta)
    invite(email="d@example.be", role=Role.MEMBER)
    baseline = _count_queries(client, url)
    for index in range(6):
        invite(email=f"m{index}@example.be", role=Role.MUNICIPAL_OFFICIAL, scope=antwerp)
        invite(email=f"t{index}@example.be", role=Role.TRAINER, scope=vesta)
        invite(email=f"z{index}@example.be", role=Role.ZONE_OFFICER, scope=antwerp_zone)
    assert _count_queries(client, url) == baseline


# --- navigation and home ------------------------------------------------------------------------------------


def test_navigation_and_home_for_advp(client_en, personas, invite):
    invite(email="pending@example.be", role=Role.MEMBER)
    client_en.force_login(personas.advp_admin)
    response = client_en.get(reverse("core:home"))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert {"Users", "Invitations", "Audit trail"} <= {str(label) for label in labels}
    content = response.content.decode()
    assert "Pending invitations" in content and "Open the audit trail" in content
    section = next(s for s in response.context["sections"] if s["template"].endswith("_home_advp.html"))
    counts = {row["role"]: row["count"] for row in section["role_counts"]}
    assert counts[Role.ZONE_OFFICER] == 2 and counts[Role.COORDINATOR] == 1
    assert section["pending_invitations"] == 1
    assert len(section["recent_events"]) <= 10


def test_home_for_the_knowledge_centre_summarises_reference_data(client_en, personas):
    client_en.force_login(personas.knowledge_centre)
    response = client_en.get(reverse("core:home"))
    labels = {str(item["label"]) for item in response.context["nav_items"]}
    assert not {"Users", "Invitations", "Audit trail"} & labels
    section = next(s for s in response.context["sections"] if s["template"].endswith("_home_knowledge_centre.html"))
    counts = {str(label): count for label, count in section["reference_counts"]}
    assert counts["Municipalities"] == 565 and counts["Police zones"] == 176
    assert "Browse the reference data" in response.content.decode()


def test_other_roles_see_neither_section(client_en, personas):
    client_en.force_login(personas.zone_officer)
    templates = [s["template"] for s in client_en.get(reverse("core:home")).context["sections"]]
    assert not any("accounts/partials/_home" in template for template in templates)


def test_role_assignments_untouched_by_reads(client_en, personas):
    count = RoleAssignment.objects.count()
    client_en.force_login(personas.advp_admin)
    client_en.get(reverse("accounts:user_list"))
    client_en.get(reverse("accounts:user_detail", args=[personas.member.pk]))
    assert RoleAssignment.objects.count() == count


def test_profile_matrix(client, personas):
    everyone = list(personas.all().values())
    assert_permission_matrix(client, reverse("accounts:profile"), allowed=everyone)
