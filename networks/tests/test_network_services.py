import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from geography.models import Municipality, PoliceZone
from networks.models import Network, NetworkStatusChange
from networks.services import network_change_status, network_create, network_end_notify, network_update

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError, field: str) -> list[str]:
    return [item.code for item in error.error_dict[field]]


def _state():
    return Network.objects.count(), NetworkStatusChange.objects.count(), AuditEvent.objects.count()


# --- create ----------------------------------------------------------------------------------------


def test_it_creates_a_network_with_a_code_zone_history_and_audit(personas, antwerp):
    network = network_create(
        actor=personas.zone_officer,
        name="  BIN Zurenborg ",
        municipality=antwerp,
        founded_on=datetime.date(2024, 5, 1),
        public_email="zurenborg@example.be",
    )
    network.refresh_from_db()
    # Network A holds BIN-11002-1: the next number of the municipality.
    assert network.code == "BIN-11002-2"
    assert network.name == "BIN Zurenborg"
    assert network.zone.code == 5345 and network.status == "in_preparation"
    assert list(network.municipalities.all()) == [antwerp]
    [change] = network.status_changes.all()
    assert (change.from_status, change.to_status, change.actor) == ("", "in_preparation", personas.zone_officer)
    event = AuditEvent.objects.get(object_id=str(network.pk), action=AuditAction.CREATE)
    assert event.actor == personas.zone_officer
    assert event.changes["code"] == [None, "BIN-11002-2"] and event.changes["municipalities"] == [None, ["11002"]]


def test_codes_count_per_municipality(make_network):
    first = make_network(name="One")
    second = make_network(name="Two")
    ghent = make_network(name="Three", refnis="44021")
    assert (first.code, second.code, ghent.code) == ("BIN-11002-2", "BIN-11002-3", "BIN-44021-1")


def test_a_given_code_is_kept_and_checked(make_network):
    assert make_network(name="Imported", code="bin-11002-40").code == "BIN-11002-40"
    before = _state()
    with pytest.raises(ValidationError) as caught:
        make_network(name="Wrong", code="BIN-44021-1")
    assert _codes(caught.value, "code") == ["invalid_code"]
    with pytest.raises(ValidationError) as caught:
        make_network(name="Again", code="BIN-11002-40")
    assert _codes(caught.value, "code") == ["duplicate_code"]
    assert _state() == before


def test_the_zone_must_be_that_of_the_main_municipality(english, antwerp):
    brussels_zone = PoliceZone.objects.current().get(code=5339)
    before = _state()
    with pytest.raises(ValidationError) as caught:
        network_create(actor=english.advp_admin, name="X", municipality=antwerp, zone=brussels_zone)
    assert _codes(caught.value, "zone") == ["zone_mismatch"]
    assert "belongs to police zone 5345" in " ".join(caught.value.messages)
    assert _state() == before


def test_every_covered_municipality_must_be_in_the_zone(english, antwerp):
    ghent = Municipality.objects.current().get(refnis="44021")
    before = _state()
    with pytest.raises(ValidationError) as caught:
        network_create(actor=english.advp_admin, name="X", municipality=antwerp, municipalities=[ghent])
    assert _codes(caught.value, "municipalities") == ["municipality_other_zone"]
    message = " ".join(caught.value.messages)
    assert ghent.name in message and "belongs to police zone" in message
    assert _state() == before


def test_names_are_unique_per_municipality_whatever_the_case(english, make_network):
    before = _state()
    with pytest.raises(ValidationError) as caught:
        make_network(name="bin network a")
    assert _codes(caught.value, "name") == ["duplicate_name"]
    assert _state() == before
    # The same name in another municipality is fine.
    assert make_network(name="BIN Network A", refnis="44021").code == "BIN-44021-1"


def test_a_sector_goes_with_sectoral_networks_only(make_network):
    with pytest.raises(ValidationError) as caught:
        make_network(name="Pharmacies", kind="sectoral")
    assert _codes(caught.value, "sector") == ["sector_required"]
    with pytest.raises(ValidationError) as caught:
        make_network(name="Street", kind="residential", sector="port")
    assert _codes(caught.value, "sector") == ["sector_not_taken"]
    network = make_network(name="Apothekers", kind="sectoral", sector="pharmacies")
    assert network.kind_label.startswith("sectoral")


def test_several_errors_come_together(make_network):
    with pytest.raises(ValidationError) as caught:
        make_network(name="", kind="sectoral", founded_on=timezone.localdate() + datetime.timedelta(days=3))
    assert set(caught.value.error_dict) == {"name", "sector", "founded_on"}


@pytest.mark.parametrize("who", ["other_zone_officer", "municipality_official", "knowledge_centre", "coordinator"])
def test_only_advp_and_the_zone_create(personas, antwerp, who):
    before = _state()
    with pytest.raises(PermissionDenied):
        network_create(actor=getattr(personas, who), name="X", municipality=antwerp)
    assert _state() == before


# --- update ----------------------------------------------------------------------------------------


def test_it_updates_and_audits_only_what_changed(personas, make_network):
    network = make_network(name="Old name")
    berchem = Municipality.objects.current().get(refnis="11002")
    network_update(actor=personas.zone_officer, network=network, name="New name", public_phone=" 03 000 00 00 ")
    network.refresh_from_db()
    assert (network.name, network.public_phone) == ("New name", "03 000 00 00")
    event = AuditEvent.objects.filter(object_id=str(network.pk), action=AuditAction.UPDATE).get()
    assert event.changes == {"name": ["Old name", "New name"], "public_phone": ["", "03 000 00 00"]}
    # Nothing changed: no audit row.
    network_update(actor=personas.zone_officer, network=network, name="New name", municipalities=[berchem])
    assert AuditEvent.objects.filter(object_id=str(network.pk), action=AuditAction.UPDATE).count() == 1


@pytest.mark.parametrize("who", ["other_zone_officer", "municipality_official", "knowledge_centre", "coordinator"])
def test_only_advp_and_the_zone_update(personas, who):
    with pytest.raises(PermissionDenied):
        network_update(actor=getattr(personas, who), network=personas.network_a, name="Taken over")
    personas.network_a.refresh_from_db()
    assert personas.network_a.name == "BIN Network A"


# --- status ----------------------------------------------------------------------------------------


def test_the_life_cycle_follows_the_allowed_transitions(english, make_network):
    network = make_network(name="Cycle")
    network = network_change_status(actor=english.zone_officer, network=network, to_status="charter_submitted")
    with pytest.raises(ValidationError) as caught:
        network_change_status(actor=english.zone_officer, network=network, to_status="active")
    assert _codes(caught.value, "to_status") == ["needs_conform_review"]
    network = network_change_status(actor=english.advp_admin, network=network, to_status="active", via_review=True)
    with pytest.raises(ValidationError) as caught:
        network_change_status(actor=english.zone_officer, network=network, to_status="in_preparation")
    assert _codes(caught.value, "to_status") == ["transition_not_allowed"]
    assert "cannot become" in " ".join(caught.value.messages)
    steps = list(network.status_changes.order_by("created_at", "pk").values_list("from_status", "to_status"))
    assert steps == [("", "in_preparation"), ("in_preparation", "charter_submitted"), ("charter_submitted", "active")]


def test_dormant_needs_a_reason_and_a_date(personas):
    network = personas.network_a
    before = _state()
    with pytest.raises(ValidationError) as caught:
        network_change_status(actor=personas.zone_officer, network=network, to_status="dormant")
    assert set(caught.value.error_dict) == {"reason", "on"}
    with pytest.raises(ValidationError) as caught:
        network_change_status(
            actor=personas.zone_officer,
            network=network,
            to_status="dormant",
            reason="No coordinator",
            on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert _codes(caught.value, "on") == ["future_date"]
    assert _state() == before
    network_change_status(
        actor=personas.zone_officer,
        network=network,
        to_status="dormant",
        reason="No coordinator",
        on=timezone.localdate(),
    )
    network.refresh_from_db()
    assert network.status == "dormant"


def test_a_merger_needs_another_active_network(personas, make_network):
    network_a = personas.network_a
    target = make_network(name="Target")  # in preparation
    kwargs = {
        "actor": personas.advp_admin,
        "network": network_a,
        "to_status": "merged",
        "reason": "r",
        "on": timezone.localdate(),
    }
    with pytest.raises(ValidationError) as caught:
        network_change_status(**kwargs)
    assert _codes(caught.value, "merged_into") == ["required"]
    with pytest.raises(ValidationError) as caught:
        network_change_status(**kwargs, merged_into=network_a)
    assert _codes(caught.value, "merged_into") == ["merge_into_self"]
    with pytest.raises(ValidationError) as caught:
        network_change_status(**kwargs, merged_into=target)
    assert _codes(caught.value, "merged_into") == ["merge_into_not_active"]
    with pytest.raises(ValidationError) as caught:
        # A zone officer cannot merge into a network they cannot see.
        network_change_status(**{**kwargs, "actor": personas.zone_officer}, merged_into=personas.network_b)
    assert _codes(caught.value, "merged_into") == ["merge_into_hidden"]
    network_change_status(**kwargs, merged_into=personas.network_b)
    network_a.refresh_from_db()
    assert (network_a.status, network_a.merged_into) == ("merged", personas.network_b)
    with pytest.raises(ValidationError):
        network_change_status(actor=personas.advp_admin, network=network_a, to_status="active")


def test_advp_is_emailed_at_once_when_a_network_dissolves(
    personas, smtp_server, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        network_change_status(
            actor=personas.zone_officer,
            network=personas.network_a,
            to_status="dissolved",
            reason="Too few members",
            on=timezone.localdate(),
        )
    [message] = smtp_server.messages
    assert message["To"] == personas.advp_admin.email
    assert "BIN-11002-1" in message["Subject"]
    body = message.get_payload(decode=True).decode() if not message.is_multipart() else str(message)
    assert "Too few members" in body and "/networks/BIN-11002-1/" in body
    change = NetworkStatusChange.objects.get(to_status="dissolved")
    assert change.advp_notified_at is not None
    # Running the task again sends nothing: it is sent once.
    assert network_end_notify(status_change_id=change.pk) == 0
    assert len(smtp_server.messages) == 1
    # And the ADVP home page shows it.
    client.force_login(personas.advp_admin)
    content = client.get("/").content.decode()
    assert "BIN-11002-1" in content and "Too few members" in content


def test_no_email_for_other_changes(personas, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        network_change_status(
            actor=personas.zone_officer,
            network=personas.network_a,
            to_status="dormant",
            reason="r",
            on=timezone.localdate(),
        )
    assert smtp_server.messages == []
