import pytest
from django.db import transaction

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction, AuditEvent
from geography.models import PoliceZone


@pytest.mark.django_db
def test_it_records_actor_object_and_changes(personas):
    zone = PoliceZone.objects.current().get(code=5345)
    with transaction.atomic():
        event = audit_record(
            actor=personas.advp_admin, action=AuditAction.UPDATE, obj=zone, changes={"name": ["Antwerpen", "Antwerp"]}
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == personas.advp_admin
    assert stored.actor_label == "advp@test.binplp.be"
    assert stored.object_id == str(zone.pk)
    assert stored.content_type.model == "policezone"
    assert stored.changes == {"name": ["Antwerpen", "Antwerp"]}


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action=AuditAction.UPDATE, object_repr="anything")
    assert not AuditEvent.objects.filter(object_repr="anything").exists()


@pytest.mark.django_db
def test_it_refuses_unknown_actions_and_updates(personas):
    with transaction.atomic():
        with pytest.raises(ValueError):
            audit_record(actor=personas.advp_admin, action="teleport")
        event = audit_record(actor=None, action=AuditAction.IMPORT, object_repr="reference data")
    assert event.actor_label == "system"
    event.object_repr = "rewritten"
    with pytest.raises(ValueError):
        event.save()


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}


@pytest.mark.django_db
def test_snapshot_is_json_ready(reference_data):
    zone = PoliceZone.objects.current().get(code=5345)
    values = snapshot(zone, ["code", "name", "valid_from"])
    assert values["code"] == 5345
    assert set(values) == {"code", "name", "valid_from"}
