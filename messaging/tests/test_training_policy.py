"""ADVP's training policy in the messaging rules (messaging/permissions.py `allowed_types`): with the policy on, a
mandated officer without a valid BIN course certificate sends no urgent types — through the service, the API and
the compose page, which says why. Off (the default), or with a certificate, nothing changes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from messaging import permissions
from messaging.choices import URGENT_TYPES, MessageType
from messaging.models import Message
from training.models import TrainingPolicy

from . import send_support
from .send_support import TEXTS, send, sign_in

pytestmark = pytest.mark.django_db

english = send_support.english


@pytest.fixture
def policy_on(db):
    policy, _created = TrainingPolicy.objects.get_or_create(pk=1)
    policy.urgent_requires_certificate = True
    policy.save()
    return policy


def _certify(user, *, email: str = "", valid_until=None, revoked: bool = False):
    """A closed session of the BIN course at academy vesta that `user` passed (by account, or by `email`)."""
    from geography.models import Academy, PoliceZone
    from training.models import Certificate, Course, CourseVersion, Enrolment, Session, Trainee

    course, _c = Course.objects.get_or_create(code="bin-course", defaults={"title_nl": "BIN", "title_fr": "PLP"})
    version, _v = CourseVersion.objects.get_or_create(course=course, number=1, defaults={"status": "current"})
    start = timezone.now() - datetime.timedelta(days=30)
    session = Session.objects.create(
        version=version,
        academy=Academy.objects.get(code="vesta"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        place="Campus Vesta",
        language="nl",
        capacity=10,
        status="closed",
    )
    trainee = Trainee.objects.create(
        zone=PoliceZone.objects.current().get(code=5345),
        user=None if email else user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=email or f"trainee.{user.pk}@police.test",
    )
    enrolment = Enrolment.objects.create(
        session=session, trainee=trainee, status="enrolled", source="zone", attendance="attended", result="passed"
    )
    return Certificate.objects.create(
        enrolment=enrolment,
        code=f"TEST-{user.pk:04d}-{Certificate.objects.count()}",
        holder_name=str(user),
        course_title="BIN course",
        issued_on=timezone.localdate() - datetime.timedelta(days=30),
        valid_until=valid_until,
        revoked_at=timezone.now() if revoked else None,
    )


def _urgent(personas, actor=None):
    return send(personas, actor=actor, message_type=MessageType.URGENT_ALERT, texts=TEXTS)


def test_with_the_policy_off_an_untrained_officer_sends_an_urgent_alert(english):
    assert not TrainingPolicy.objects.filter(urgent_requires_certificate=True).exists()
    message = _urgent(english)
    assert message.type == MessageType.URGENT_ALERT and message.status == "sent"


def test_with_the_policy_on_an_untrained_officer_is_refused_urgent_types(english, policy_on):
    with pytest.raises(ValidationError) as raised:
        _urgent(english)
    assert raised.value.message_dict["type"] == [
        "Under ADVP's training policy, only officers holding a valid BIN course certificate send urgent messages."
    ]
    assert not Message.objects.exists()
    from messaging.forms_send import composable_types
    from messaging.services.targets import draft_build

    assert not set(URGENT_TYPES) & set(composable_types(english.zone_officer))
    with pytest.raises(ValidationError) as preview:  # the preview refuses before the send would
        draft_build(
            actor=english.zone_officer,
            message_type=MessageType.URGENT_ALERT,
            target_kind="networks",
            texts=TEXTS,
            network_codes=[english.network_a.code],
        )
    assert "training policy" in " ".join(preview.value.message_dict["type"])
    for message_type in URGENT_TYPES:
        assert message_type not in permissions.allowed_types(english.zone_officer, [english.network_a])
    # The other types still go out.
    assert send(english, message_type=MessageType.PREVENTION_TIP).status == "sent"


@pytest.mark.parametrize("how", ["account", "email"])
def test_with_the_policy_on_a_trained_officer_sends_urgent_types(english, policy_on, how):
    officer = english.zone_officer
    _certify(officer, email=officer.email.upper() if how == "email" else "")
    assert _urgent(english).status == "sent"
    assert set(URGENT_TYPES) <= set(permissions.allowed_types(officer, [english.network_a]))


def test_a_revoked_or_expired_certificate_does_not_count(english, policy_on):
    officer = english.zone_officer
    _certify(officer, revoked=True)
    _certify(officer, email=officer.email, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        _urgent(english)


def test_the_rule_costs_one_query(english, policy_on, django_assert_num_queries):
    officer = english.zone_officer
    networks = [english.network_a]
    permissions.allowed_types(officer, networks)  # the officer's roles are read once and cached
    with django_assert_num_queries(1):
        permissions.allowed_types(officer, networks)


def test_coordinators_are_not_affected(english, policy_on):
    send_support.charter(english.network_a, coordinator_types=[MessageType.URGENT_ALERT, MessageType.NEWSLETTER])
    assert MessageType.URGENT_ALERT in permissions.allowed_types(english.coordinator, [english.network_a])


def test_the_api_refuses_too(english, policy_on):
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(english.zone_officer)
    body = {"type": "urgent_alert", "target_kind": "networks", "networks": ["BIN-11002-1"], "texts": TEXTS}
    response = api.post("/api/v1/messages/", body, format="json")
    assert response.status_code == 400 and "type" in response.json()
    assert not Message.objects.exists()
    _certify(english.zone_officer)
    assert api.post("/api/v1/messages/", body, format="json").status_code == 201


def test_the_compose_page_says_why_urgent_types_are_missing(client, english, policy_on):
    page = sign_in(client, english.zone_officer).get("/messages/new/").content.decode()
    assert "need a valid BIN course certificate under the ADVP policy" in page and "data-training-policy" in page
    assert 'href="/training/sessions/"' in page
    _certify(english.zone_officer)
    page = client.get("/messages/new/").content.decode()
    assert "data-training-policy" not in page


def test_the_compose_page_says_nothing_with_the_policy_off(client, english):
    page = sign_in(client, english.zone_officer).get("/messages/new/").content.decode()
    assert "data-training-policy" not in page
