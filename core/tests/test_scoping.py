import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import Http404

from core.models import AuditEvent
from core.roles import Role, has_role, is_national, is_privileged, scope_ids, user_grants
from core.scoping import can, get_for_user, rule_for
from geography.models import PoliceZone


@pytest.mark.django_db
def test_grants_are_read_once_and_scoped(personas, django_assert_num_queries):
    officer = personas.zone_officer
    with django_assert_num_queries(1):
        user_grants(officer)
        user_grants(officer)
        assert has_role(officer, Role.ZONE_OFFICER)
    zone = PoliceZone.objects.current().get(code=5345)
    assert scope_ids(officer, Role.ZONE_OFFICER) == {zone.pk}
    assert is_privileged(officer) and not is_national(officer)
    assert is_national(personas.knowledge_centre)
    assert not is_privileged(personas.member)


@pytest.mark.django_db
def test_a_model_without_rule_fails_closed():
    class Unruled(models.Model):
        class Meta:
            app_label = "core"
            managed = False

    with pytest.raises(ImproperlyConfigured):
        rule_for(Unruled)


@pytest.mark.django_db
def test_get_for_user_hides_and_forbids(personas):
    zone = PoliceZone.objects.current().get(code=5345)
    # Reference data: visible to all, changeable by ADVP only.
    assert get_for_user(PoliceZone.objects.all(), personas.outsider, pk=zone.pk) == zone
    with pytest.raises(PermissionDenied):
        get_for_user(PoliceZone.objects.all(), personas.zone_officer, "change", pk=zone.pk)
    assert get_for_user(PoliceZone.objects.all(), personas.advp_admin, "change", pk=zone.pk) == zone
    assert can(personas.advp_admin, "change", zone) and not can(personas.member, "change", zone)
    # Audit trail: invisible (404, not 403) to anyone but ADVP.
    from django.db import transaction

    from core.audit import audit_record

    with transaction.atomic():
        event = audit_record(actor=personas.advp_admin, action="update", obj=zone)
    with pytest.raises(Http404):
        get_for_user(AuditEvent.objects.all(), personas.knowledge_centre, pk=event.pk)
    assert AuditEvent.objects.for_user(personas.zone_officer).count() == 0
    assert AuditEvent.objects.for_user(personas.advp_admin).filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_get_for_user_answers_404_for_a_malformed_id(personas):
    """Found by core/tests/test_api_fuzz.py: `pk="true"` raised a ValueError (500) instead of "not found"."""
    with pytest.raises(Http404):
        get_for_user(PoliceZone.objects.all(), personas.advp_admin, "change", pk="true")


def test_api_urls_that_match_no_route_answer_json(client):
    """The API's own 404 for an address no route matches (e.g. an id with a slash), as the schema documents."""
    response = client.get("/api/v1/charter-reviews/a/b/decide/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert client.get("/no-such-page/").headers["Content-Type"].startswith("text/html")
