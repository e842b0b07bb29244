import pytest
from django.db import transaction

from core.audit import audit_record
from core.models import AuditAction
from core.testing.matrix import assert_permission_matrix
from geography.models import Municipality, PoliceZone


@pytest.mark.django_db
def test_audit_trail_is_for_advp_only(client, personas):
    assert_permission_matrix(
        client,
        "/audit/",
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[personas.knowledge_centre, personas.zone_officer, personas.member, personas.outsider],
    )


@pytest.mark.django_db
def test_audit_trail_filters_by_who_what_object_and_when(client, personas, django_assert_max_num_queries):
    zone = PoliceZone.objects.current().get(code=5345)
    town = Municipality.objects.current().get(refnis="44021")  # Gent
    with transaction.atomic():
        audit_record(actor=personas.advp_admin, action=AuditAction.UPDATE, obj=zone, changes={"note": ["", "x"]})
        audit_record(actor=personas.zone_officer, action=AuditAction.UPDATE, obj=town, changes={"name_de": ["", "y"]})
    client.force_login(personas.advp_admin)

    page = client.get("/audit/", {"actor": "officer@"}).content.decode()
    assert "officer@test.binplp.be" in page and "advp@test.binplp.be</td>" not in page

    page = client.get("/audit/", {"object_id": str(zone.pk), "action": "update"}).content.decode()
    assert str(zone) in page and str(town) not in page

    page = client.get("/audit/", {"since": "2999-01-01"}).content.decode()
    assert str(zone) not in page

    response = client.get("/audit/", {"since": "not-a-date"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()

    with django_assert_max_num_queries(12):
        client.get("/audit/")

    fragment = client.get("/audit/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and str(zone) in fragment
