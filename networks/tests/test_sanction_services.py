import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import RoleAssignment
from core.models import AuditAction, AuditEvent
from core.roles import Role
from networks.models import Partner, Sanction
from networks.services.sanction import appeal_deadline_for, sanction_create, sanction_record_appeal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _fields(error: ValidationError) -> set[str]:
    return set(error.error_dict)


def _member(network, actor, **values):
    data = {
        "target": "member",
        "measure": "written_reprimand",
        "member_ref": "Lid 0042",
        "decided_on": TODAY - 2 * DAY,
        "decided_by": "Coördinator en gemandateerde politieambtenaar",
        "reason": "Verspreidde een herkenbare foto van een verdachte.",
        **values,
    }
    return sanction_create(actor=actor, network=network, **data)


def _coordinator(network, actor, **values):
    data = {
        "target": "coordinator",
        "measure": "permanent_removal",
        "partner": network.partners.get(role="coordinator"),
        "decided_on": TODAY - 3 * DAY,
        "decided_by": "Burgemeester van Antwerpen",
        "reason": "Racistische berichten in de groep.",
        "copy_to_advp_on": TODAY - 2 * DAY,
        **values,
    }
    return sanction_create(actor=actor, network=network, **data)


def test_it_records_a_member_sanction_and_audits_it(network, personas):
    sanction = _member(network, personas.zone_officer)

    assert sanction.target == "member" and sanction.partner is None and sanction.created_by == personas.zone_officer
    event = AuditEvent.objects.get(content_type__model="sanction", object_id=str(sanction.pk))
    assert event.action == AuditAction.CREATE and event.changes["measure"] == [None, "written_reprimand"]
    # ADVP reads the audit trail but not member sanctions: the event does not name or describe the member.
    assert "member_ref" not in event.changes and "reason" not in event.changes


def test_a_temporary_suspension_needs_an_end_after_the_decision(network, personas):
    with pytest.raises(ValidationError) as caught:
        _member(network, personas.zone_officer, measure="temporary_suspension")
    assert _fields(caught.value) == {"ends_on"}
    with pytest.raises(ValidationError) as caught:
        _member(network, personas.zone_officer, measure="temporary_suspension", ends_on=TODAY - 5 * DAY)
    assert _fields(caught.value) == {"ends_on"}
    sanction = _member(network, personas.zone_officer, measure="temporary_suspension", ends_on=TODAY + 30 * DAY)
    assert sanction.ends_on == TODAY + 30 * DAY


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"measure": "talk"}, {"measure"}),
        ({"member_ref": ""}, {"member_ref"}),
        ({"decided_on": TODAY + DAY}, {"decided_on"}),
        ({"decided_by": " ", "reason": ""}, {"decided_by", "reason"}),
        ({"ends_on": TODAY + DAY}, {"ends_on"}),
        ({"copy_to_advp_on": TODAY}, {"copy_to_advp_on"}),
    ],
)
def test_member_sanctions_are_checked(network, personas, values, fields):
    with pytest.raises(ValidationError) as caught:
        _member(network, personas.zone_officer, **values)
    assert _fields(caught.value) == fields
    assert not Sanction.objects.exists()


def test_a_permanent_removal_gets_its_appeal_deadline_and_ends_the_coordinator(network, personas):
    assert RoleAssignment.objects.filter(
        user=personas.coordinator, role=Role.COORDINATOR, scope_id=network.pk, revoked_at__isnull=True
    ).exists()

    sanction = _coordinator(network, personas.zone_officer)

    assert sanction.appeal_deadline == TODAY - 3 * DAY + datetime.timedelta(days=21)
    assert sanction.appeal_deadline == appeal_deadline_for(sanction.decided_on)
    assert sanction.appeal_open
    partner = Partner.objects.get(pk=sanction.partner_id)
    assert partner.active_to == sanction.decided_on and not partner.is_active
    assert not RoleAssignment.objects.filter(
        user=personas.coordinator, role=Role.COORDINATOR, scope_id=network.pk, revoked_at__isnull=True
    ).exists()
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, object_id=str(personas.coordinator.pk)).exists()


def test_a_permanent_removal_needs_the_copy_to_advp(network, personas):
    with pytest.raises(ValidationError) as caught:
        _coordinator(network, personas.zone_officer, copy_to_advp_on=None)
    assert _fields(caught.value) == {"copy_to_advp_on"}
    with pytest.raises(ValidationError) as caught:
        _coordinator(network, personas.zone_officer, copy_to_advp_on=TODAY - 10 * DAY)
    assert _fields(caught.value) == {"copy_to_advp_on"}
    assert network.partners.get(role="coordinator").is_active


def test_lighter_coordinator_measures_keep_the_coordinator(network, personas):
    sanction = _coordinator(network, personas.zone_officer, measure="written_reprimand_chief", copy_to_advp_on=None)
    assert sanction.appeal_deadline is None
    assert network.partners.get(role="coordinator").is_active


def test_a_coordinator_sanction_names_a_coordinator_of_this_network(network, personas):
    officer = network.partners.get(role="mandated_officer")
    with pytest.raises(ValidationError) as caught:
        _coordinator(network, personas.zone_officer, partner=officer)
    assert _fields(caught.value) == {"partner"}
    other = personas.network_a.partners.get(role="coordinator")
    with pytest.raises(ValidationError) as caught:
        _coordinator(network, personas.zone_officer, partner=other)
    assert _fields(caught.value) == {"partner"}


def test_only_the_zone_and_the_coordinator_record_member_sanctions(network, personas):
    for person in (
        personas.advp_admin,  # member sanctions name a member: not ADVP's to record
        personas.knowledge_centre,
        personas.municipality_official,
        personas.other_zone_officer,
        personas.outsider,
        None,
    ):
        with pytest.raises(PermissionDenied):
            _member(network, person)
    assert not Sanction.objects.exists() and not AuditEvent.objects.filter(content_type__model="sanction").exists()
    assert _member(network, personas.zone_officer).pk
    assert _member(network, personas.coordinator).pk


def test_the_zone_and_advp_record_coordinator_sanctions(network, personas):
    talk = {"measure": "talk", "copy_to_advp_on": None}
    for person in (
        personas.knowledge_centre,
        personas.municipality_official,
        personas.coordinator,
        personas.other_zone_officer,
    ):
        with pytest.raises(PermissionDenied):
            _coordinator(network, person, **talk)
    assert _coordinator(network, personas.advp_admin, **talk).created_by == personas.advp_admin
    assert _coordinator(network, personas.zone_officer, **talk).created_by == personas.zone_officer


def test_an_advp_member_sanction_is_refused_before_its_content_is_checked(network, personas):
    with pytest.raises(PermissionDenied):
        _member(network, personas.advp_admin, member_ref="", reason="")


def test_the_recorded_row_itself_must_be_within_the_rule(network, personas, monkeypatch):
    """Should the check before recording ever be wrong, the check on the recorded row refuses and rolls back."""
    from networks.services import sanction as service

    monkeypatch.setattr(service, "sanction_targets", lambda *args, **kwargs: ["member", "coordinator"])
    with pytest.raises(PermissionDenied):
        _member(network, personas.advp_admin)
    assert not Sanction.objects.exists() and not AuditEvent.objects.filter(content_type__model="sanction").exists()


def test_only_the_zone_and_advp_change_a_coordinator_sanction(network, personas):
    removal = _coordinator(network, personas.zone_officer)
    for person in (personas.knowledge_centre, personas.municipality_official, personas.other_zone_officer):
        with pytest.raises(PermissionDenied):
            sanction_record_appeal(actor=person, sanction=removal, appeal_lodged_on=TODAY - DAY)
    removal.refresh_from_db()
    assert removal.appeal_lodged_on is None


def test_advp_cannot_change_a_member_sanction(network, personas):
    reprimand = _member(network, personas.zone_officer)
    with pytest.raises(PermissionDenied):
        sanction_record_appeal(actor=personas.advp_admin, sanction=reprimand, appeal_lodged_on=TODAY)


@pytest.mark.parametrize("action", ["view", "change", "create"])
def test_sanction_targets_answer_as_the_rule_does(network, personas, action):
    """What forms offer and services accept before a sanction exists matches what for_user returns once it does."""
    from networks.charter_selectors import sanction_targets

    _member(network, personas.zone_officer)
    _coordinator(network, personas.zone_officer, measure="talk", copy_to_advp_on=None)
    for name, person in personas.all().items():
        rows = Sanction.objects.for_user(person, action).filter(network=network)
        recorded = set(rows.values_list("target", flat=True))
        assert set(sanction_targets(person, action, network)) == recorded, (name, action)
        assert recorded <= set(sanction_targets(person, action)), (name, action)
    assert sanction_targets(None, action, network) == []


def test_the_appeal_and_its_outcome_are_recorded(network, personas):
    sanction = _coordinator(network, personas.zone_officer)

    sanction = sanction_record_appeal(actor=personas.zone_officer, sanction=sanction, appeal_lodged_on=TODAY - DAY)
    assert sanction.appeal_lodged_on == TODAY - DAY and not sanction.appeal_open
    sanction = sanction_record_appeal(
        actor=personas.advp_admin, sanction=sanction, appeal_lodged_on=TODAY - DAY, appeal_outcome="upheld"
    )
    assert sanction.appeal_outcome == "upheld"
    events = AuditEvent.objects.filter(content_type__model="sanction", action=AuditAction.UPDATE)
    assert [event.changes for event in events.order_by("id")][-1] == {"appeal_outcome": ["", "upheld"]}


def test_an_appeal_after_the_deadline_or_against_a_lighter_measure_is_refused(network, personas):
    removal = _coordinator(
        network, personas.zone_officer, decided_on=TODAY - 30 * DAY, copy_to_advp_on=TODAY - 29 * DAY
    )
    assert not removal.appeal_open
    with pytest.raises(ValidationError) as caught:
        sanction_record_appeal(actor=personas.zone_officer, sanction=removal, appeal_lodged_on=TODAY - DAY)
    assert _fields(caught.value) == {"appeal_lodged_on"}
    reprimand = _member(network, personas.zone_officer)
    with pytest.raises(ValidationError):
        sanction_record_appeal(actor=personas.zone_officer, sanction=reprimand, appeal_lodged_on=TODAY)
