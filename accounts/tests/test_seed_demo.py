import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_PERSONAS
from accounts.models import RoleAssignment, User
from core.models import AuditEvent
from core.roles import Role

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        EmailAddress.objects.count(),
        AuditEvent.objects.count(),
    )


def test_seed_demo_creates_every_persona_once(reference_data, settings):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    output = out.getvalue()
    assert "9 created" in output and DEMO_PASSWORD in output
    assert "coordinator@demo.binplp.be" in output and "BIN-11002-1" in output

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == first
    assert "0 created, 9 already present" in out.getvalue()

    for persona in DEMO_PERSONAS:
        user = User.objects.get(email=persona.email)
        assert user.is_demo and user.check_password(DEMO_PASSWORD) and user.language == persona.language
        assert EmailAddress.objects.get(user=user).verified


def test_seed_demo_scopes_match_the_test_personas(reference_data):
    call_command("seed_demo", stdout=io.StringIO())

    def scope_of(email, role):
        return RoleAssignment.objects.get(user__email=email, role=role).scope

    assert scope_of("politie.antwerpen@demo.binplp.be", Role.ZONE_OFFICER).code == 5345
    assert scope_of("preventie.antwerpen@demo.binplp.be", Role.MUNICIPAL_OFFICIAL).refnis == "11002"
    assert scope_of("trainer.vesta@demo.binplp.be", Role.TRAINER).code == "vesta"
    assert scope_of("advp@demo.binplp.be", Role.ADVP) is None
    assert scope_of("lid@demo.binplp.be", Role.MEMBER) is None
    network = scope_of("coordinator@demo.binplp.be", Role.COORDINATOR)
    assert network.code == "BIN-11002-1" and network.partners.get().user.email == "coordinator@demo.binplp.be"
    languages = {persona.language for persona in DEMO_PERSONAS}
    assert languages == {"nl", "fr", "de", "en"}


def test_seed_demo_restores_a_changed_password(reference_data):
    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.get(email="advp@demo.binplp.be")
    user.set_password("changed-it-myself-1")
    user.save()
    call_command("seed_demo", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_demo_accounts_sign_in_in_demo_mode(client, reference_data, settings):
    call_command("seed_demo", stdout=io.StringIO())
    settings.BINPLP_DEMO_MODE = True
    for persona in DEMO_PERSONAS:
        client.post("/accounts/login/", {"login": persona.email, "password": DEMO_PASSWORD})
        response = client.get("/")
        assert response.status_code == 200, persona.email
        assert response.context["user"].email == persona.email
        client.post("/accounts/logout/")
