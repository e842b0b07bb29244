"""ADVP manages staff accounts but never lists members; tokens obey the same MFA rule as pages."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import RoleAssignment, User
from core.roles import Role

pytestmark = pytest.mark.django_db


def test_advp_sees_staff_accounts_but_no_member_only_account(client, personas):
    visible = set(User.objects.for_user(personas.advp_admin).values_list("email", flat=True))
    assert personas.zone_officer.email in visible and personas.trainer.email in visible
    assert personas.member.email not in visible
    assert not RoleAssignment.objects.for_user(personas.advp_admin).filter(user=personas.member).exists()

    client.force_login(personas.advp_admin)
    page = client.get("/accounts/users/", {"role": Role.MEMBER}).content.decode()
    assert personas.member.email not in page
    assert client.get(f"/accounts/users/{personas.member.pk}/").status_code == 404


def test_a_member_who_also_holds_a_staff_role_is_visible_as_staff(personas):
    RoleAssignment.objects.create(user=personas.member, role=Role.KNOWLEDGE_CENTRE)
    assert User.objects.for_user(personas.advp_admin).filter(pk=personas.member.pk).exists()


def test_a_token_of_a_privileged_account_without_second_factor_is_refused(personas):
    officer = User.objects.create_user(email="no.mfa@test.binplp.be", password="x-long-password-1")
    zone = personas.zone_officer.role_assignments.get().scope
    RoleAssignment.objects.create(user=officer, role=Role.ZONE_OFFICER, scope=zone)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}", HTTP_ACCEPT_LANGUAGE="en")
    response = api.get("/api/v1/networks/")
    assert response.status_code in (401, 403)
    assert "second factor" in response.json()["detail"]

    enrolled = APIClient()
    enrolled.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.zone_officer).key}")
    assert enrolled.get("/api/v1/networks/").status_code == 200
