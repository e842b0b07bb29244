import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import RoleAssignment
from core.models import AuditAction, AuditEvent
from core.roles import Role, scope_ids
from core.testing.personas import _user
from networks.models import Charter, Partner
from networks.selectors import network_needs_new_charter_version, partner_contacts_snapshot
from networks.services import partner_add, partner_end, partner_update

pytestmark = pytest.mark.django_db

SCREENED = {"adult_confirmed": True, "screening_on": datetime.date(2025, 1, 10), "screening_result": "favourable"}


def _coordinator_grants(user, network):
    return RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR, scope_id=network.pk)


def test_a_contact_partner_is_added_and_audited(personas):
    partner = partner_add(
        actor=personas.zone_officer,
        network=personas.network_a,
        role="steering_group",
        first_name="Sien",
        last_name="Voorbeeld",
        email="sien@example.be",
    )
    assert partner.is_active and partner.active_from == timezone.localdate()
    event = AuditEvent.objects.filter(object_id=str(personas.network_a.pk), action=AuditAction.UPDATE).latest("pk")
    assert event.changes == {"partner": [None, "Sien Voorbeeld (steering_group)"]}


def test_a_coordinator_must_be_adult_and_screened(english):
    before = Partner.objects.count()
    with pytest.raises(ValidationError) as caught:
        partner_add(actor=english.zone_officer, network=english.network_a, role="coordinator", last_name="Jansens")
    assert set(caught.value.error_dict) == {"adult_confirmed", "screening_on", "screening_result"}
    with pytest.raises(ValidationError) as caught:
        partner_add(
            actor=english.zone_officer,
            network=english.network_a,
            role="deputy_coordinator",
            last_name="Jansens",
            **{**SCREENED, "screening_result": "unfavourable"},
        )
    assert caught.value.error_dict["screening_result"][0].code == "screening_unfavourable"
    with pytest.raises(ValidationError) as caught:
        partner_add(
            actor=english.zone_officer, network=english.network_a, role="steering_group", last_name="X", **SCREENED
        )
    assert caught.value.error_dict["screening_result"][0].code == "screening_not_taken"
    with pytest.raises(ValidationError) as caught:
        partner_add(actor=english.zone_officer, network=english.network_a, role="municipal_contact")
    assert "last_name" in caught.value.error_dict
    assert Partner.objects.count() == before


def test_a_coordinator_with_an_account_gets_the_role_and_loses_it_on_end(personas):
    newcomer = _user("new.coordinator@test.binplp.be", "Nora", "Nieuw")
    network = personas.network_a
    partner = partner_add(
        actor=personas.zone_officer, network=network, role="deputy_coordinator", user=newcomer, **SCREENED
    )
    [grant] = _coordinator_grants(newcomer, network)
    assert grant.revoked_at is None and grant.granted_by == personas.zone_officer
    assert scope_ids(newcomer, Role.COORDINATOR) == {network.pk}
    assert AuditEvent.objects.filter(action=AuditAction.GRANT, object_id=str(newcomer.pk)).exists()

    partner_end(actor=personas.zone_officer, partner=partner)
    partner.refresh_from_db()
    assert partner.active_to == timezone.localdate() and not partner.is_active
    [grant] = _coordinator_grants(newcomer, network)
    assert grant.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, object_id=str(newcomer.pk)).exists()
    with pytest.raises(ValidationError):
        partner_end(actor=personas.zone_officer, partner=partner)


def test_a_pending_screening_gives_no_access_until_favourable(personas):
    newcomer = _user("pending@test.binplp.be", "Piet", "Wacht")
    network = personas.network_a
    partner = partner_add(
        actor=personas.advp_admin,
        network=network,
        role="coordinator",
        user=newcomer,
        **{**SCREENED, "screening_result": "pending"},
    )
    assert not _coordinator_grants(newcomer, network).exists()
    partner_update(actor=personas.advp_admin, partner=partner, screening_result="favourable")
    assert _coordinator_grants(newcomer, network).filter(revoked_at__isnull=True).count() == 1
    # Changing to a role that is not a coordinator's takes the access (and the screening record) away.
    partner = partner_update(actor=personas.advp_admin, partner=partner, role="steering_group")
    assert (partner.screening_on, partner.screening_result) == (None, "")
    assert not _coordinator_grants(newcomer, network).filter(revoked_at__isnull=True).exists()


def test_the_role_stays_while_another_partner_row_needs_it(personas):
    coordinator = personas.coordinator
    network = personas.network_a
    deputy_row = partner_add(
        actor=personas.advp_admin, network=network, role="deputy_coordinator", user=coordinator, **SCREENED
    )
    partner_end(actor=personas.advp_admin, partner=deputy_row)
    # The persona is still the coordinator through their first partner row.
    assert scope_ids(coordinator, Role.COORDINATOR) == {network.pk}


@pytest.mark.parametrize("who", ["other_zone_officer", "municipality_official", "knowledge_centre", "coordinator"])
def test_only_advp_and_the_zone_manage_partners(personas, who):
    with pytest.raises(PermissionDenied):
        partner_add(actor=getattr(personas, who), network=personas.network_a, role="steering_group", last_name="X")
    partner = personas.network_a.partners.get()
    with pytest.raises(PermissionDenied):
        partner_end(actor=getattr(personas, who), partner=partner)


def test_changing_partners_calls_for_a_new_charter_version(personas):
    network = personas.network_a
    assert not network_needs_new_charter_version(network)  # no charter yet
    Charter.objects.create(network=network, version=1, contacts=partner_contacts_snapshot(network))
    assert not network_needs_new_charter_version(network)
    partner = partner_add(
        actor=personas.zone_officer, network=network, role="municipal_contact", last_name="Gemeente", email="g@x.be"
    )
    assert network_needs_new_charter_version(network)
    partner_end(actor=personas.zone_officer, partner=partner)
    assert not network_needs_new_charter_version(network)
    partner_update(actor=personas.zone_officer, partner=network.partners.get(role="coordinator"), phone="03 123 45 67")
    assert network_needs_new_charter_version(network)


def test_the_snapshot_holds_contacts_not_screening(personas):
    [row] = partner_contacts_snapshot(personas.network_a)
    assert row == {
        "role": "coordinator",
        "name": "Cas Wouters",
        "email": "coordinator@test.binplp.be",
        "phone": "",
        "organisation": "",
        "user_id": personas.coordinator.pk,
    }


def test_the_screening_of_a_coordinator_is_shown_only_to_those_who_manage_the_network(client, personas):
    """Screening date and result go to ADVP and the zone (who decide on coordinators), not to the Knowledge Centre
    or the municipality, who see the partners' names and contacts only."""
    from rest_framework.test import APIClient

    network = personas.network_a
    coordinator = network.partners.get(role="coordinator")
    assert coordinator.screening_on is not None
    screening_date = coordinator.screening_on.isoformat()
    for person, sees in (
        (personas.zone_officer, True),
        (personas.advp_admin, True),
        (personas.knowledge_centre, False),
        (personas.municipality_official, False),
    ):
        client.force_login(person)
        page = client.get(network.get_absolute_url()).content.decode()
        assert coordinator.display_name in page
        partners = page[page.index('id="partners"') : page.index("</section>", page.index('id="partners"'))]
        # Name, role, contact, active — plus screening and actions for those who manage the network.
        assert partners.count('<th scope="col">') == (6 if sees else 4), person
        api = APIClient()
        api.force_authenticate(person)
        rows = api.get("/api/v1/partners/", {"network": network.code}).json()["results"]
        row = next(r for r in rows if r["id"] == coordinator.pk)
        assert (row["screening_on"] == screening_date) is sees, person
        assert (row["screening_result"] is not None) is sees, person
