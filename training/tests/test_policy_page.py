"""The training policy (/training/policy/ and services.policy.policy_update): ADVP switches it, the Knowledge Centre
reads it, the page explains the effect and counts the officers without a certificate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from training.models import TrainingPolicy
from training.services.policy import policy_update

from .coverage_support import certify

pytestmark = pytest.mark.django_db

URL = "/training/policy/"


@pytest.fixture(autouse=True)
def _english(personas):
    from accounts.models import User

    User.objects.update(language="en")


def _audit(policy) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(policy.pk), object_repr=str(policy)))


def test_it_is_off_by_default_and_advp_switches_it_with_an_audit_row(personas):
    assert not TrainingPolicy.current().urgent_requires_certificate
    policy = policy_update(actor=personas.advp_admin, urgent_requires_certificate=True)
    assert policy.urgent_requires_certificate and TrainingPolicy.current().updated_by == personas.advp_admin
    [event] = _audit(policy)
    assert event.action == AuditAction.UPDATE and event.actor == personas.advp_admin
    assert event.changes == {"urgent_requires_certificate": [False, True]}
    policy_update(actor=personas.advp_admin, urgent_requires_certificate=True)  # no change: no row
    assert len(_audit(policy)) == 1
    policy_update(actor=personas.advp_admin, urgent_requires_certificate=False)
    assert not TrainingPolicy.current().urgent_requires_certificate and len(_audit(policy)) == 2


@pytest.mark.parametrize("who", ["knowledge_centre", "zone_officer", "trainer", "outsider"])
def test_only_advp_changes_it(personas, who):
    with pytest.raises(PermissionDenied):
        policy_update(actor=getattr(personas, who), urgent_requires_certificate=True)
    assert not TrainingPolicy.objects.filter(urgent_requires_certificate=True).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_repr="training policy").exists()


def test_the_page_is_read_by_national_roles_and_changed_by_advp(client, personas):
    assert reverse("training:policy") == URL
    assert_permission_matrix(
        client,
        URL,
        allowed=[personas.advp_admin, personas.knowledge_centre],
        in_scope_wrong_role=[
            personas.zone_officer,
            personas.trainer,
            personas.coordinator,
            personas.municipality_official,
            personas.member,
            personas.outsider,
        ],
    )
    assert_permission_matrix(
        client,
        URL,
        method="post",
        data={"urgent_requires_certificate": "on"},
        allowed=[personas.advp_admin],
        allowed_status=(302,),
        in_scope_wrong_role=[personas.knowledge_centre, personas.zone_officer, personas.trainer, personas.outsider],
    )
    assert TrainingPolicy.current().urgent_requires_certificate


def test_the_page_explains_and_counts_officers_without_certificate(client, personas, make_session, make_trainee):
    client.force_login(personas.knowledge_centre)
    page = client.get(URL).content.decode()
    assert 'data-policy-state="off"' in page and "Only ADVP changes this policy." in page
    assert "a missing person message or a crisis message" in page
    assert "Today, 2 of the 2 mandated officers with a platform account hold no valid certificate" in page
    certify(make_trainee(user=personas.zone_officer), session=make_session(days=-30, status="closed"))
    client.force_login(personas.advp_admin)
    page = client.get(URL).content.decode()
    assert "Today, 1 of the 2 mandated officers" in page and 'name="urgent_requires_certificate"' in page
    response = client.post(URL, {"urgent_requires_certificate": "on"}, follow=True)
    page = response.content.decode()
    assert 'data-policy-state="on"' in page and "only trained officers may send urgent messages" in page
    assert "Last changed by Ada Vandenbroucke" in page
    client.post(URL, {})
    assert not TrainingPolicy.current().urgent_requires_certificate
