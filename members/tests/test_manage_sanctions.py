"""Sanctions and suspensions from the member page: a row in the network's sanctions register (through its own
service, naming the member by number) and the membership's status; lifting, and the daily lift of ended
suspensions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from members.choices import MembershipStatus
from members.models import Member, Membership
from members.services.management import (
    membership_lift_expired_suspensions,
    membership_lift_suspension,
    membership_sanction,
)
from networks.models import Sanction

from . import factories
from .manage_helpers import NOT_MANAGERS, people, sign_in, speak_english

pytestmark = pytest.mark.django_db


def _membership(personas) -> Membership:
    return Membership.objects.select_related("network", "member").get(
        member__user=personas.member, network=personas.network_a
    )


def _sanction_url(membership) -> str:
    return reverse("members_manage:membership_sanction", args=[membership.pk])


def _form(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "measure": "temporary_suspension",
        "decided_on": today.isoformat(),
        "decided_by": "The coordinator and the mandated officer",
        "ends_on": (today + datetime.timedelta(days=30)).isoformat(),
        "reason": "Shared a recognisable photo of a suspect.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_sanction_pages_answer_who_may_record_member_sanctions(client, personas):
    membership = _membership(personas)
    for url in (_sanction_url(membership),):
        assert_permission_matrix(
            client,
            url,
            # The mandated officer and the coordinator handle member sanctions together (domain brief §3.3).
            allowed=[personas.zone_officer, personas.coordinator],
            hidden=people(personas, NOT_MANAGERS),
        )
    assert_permission_matrix(
        client,
        reverse("members_manage:membership_lift", args=[membership.pk]),
        method="post",
        allowed=[personas.zone_officer, personas.coordinator],
        hidden=people(personas, NOT_MANAGERS),
        allowed_status=(302,),
    )


def test_a_temporary_suspension_is_registered_and_suspends_the_member(client, personas):
    speak_english(personas)
    membership = _membership(personas)
    sign_in(client, personas.zone_officer)
    detail = reverse("members_manage:member_detail", args=[membership.member_id])
    assert _sanction_url(membership) in client.get(detail).content.decode()
    response = client.post(_sanction_url(membership), _form())
    assert response.status_code == 302 and response["Location"] == detail
    sanction = Sanction.objects.get()
    assert (sanction.network, sanction.target, sanction.member_ref) == (
        personas.network_a,
        "member",
        f"#{membership.member_id}",
    )
    assert sanction.measure == "temporary_suspension" and sanction.created_by == personas.zone_officer
    assert sanction.ends_on == timezone.localdate() + datetime.timedelta(days=30)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.SUSPENDED and membership.suspended_until == sanction.ends_on
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, content_type__model="membership")
    assert event.changes["status"] == ["active", "suspended"] and event.changes["sanction"] == sanction.pk
    register_event = AuditEvent.objects.get(action=AuditAction.CREATE, content_type__model="sanction")
    assert "member_ref" not in register_event.changes and "reason" not in register_event.changes
    page = client.get(detail).content.decode()
    assert "Shared a recognisable photo" in page and "Lift the suspension" in page
    assert "Mo Lambert" not in Sanction.objects.values_list("member_ref", flat=True).get()


def test_a_permanent_suspension_removes_the_member_from_the_network(personas):
    membership = _membership(personas)
    decided = timezone.localdate() - datetime.timedelta(days=3)
    membership_sanction(
        actor=personas.zone_officer,
        membership=membership,
        measure="permanent_suspension",
        reason="Repeated racist messages.",
        decided_on=decided,
        decided_by="Mandated officer",
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REMOVED and membership.ended_on == decided
    assert Sanction.objects.get().measure == "permanent_suspension"


def test_a_written_reprimand_leaves_the_membership_as_it_is(personas):
    membership = _membership(personas)
    membership_sanction(
        actor=personas.zone_officer,
        membership=membership,
        measure="written_reprimand",
        reason="Forwarded a police message outside the network.",
        decided_on=timezone.localdate(),
        decided_by="Coordinator",
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert Sanction.objects.get().measure == "written_reprimand"
    assert not AuditEvent.objects.filter(content_type__model="membership", action=AuditAction.UPDATE).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": None}, "ends_on", "needs its end date"),
        ({"measure": "permanent_removal"}, "measure", "Select a valid choice"),
        ({"reason": ""}, "reason", "required"),
        ({"measure": "written_reprimand"}, "ends_on", "Only a temporary measure"),
    ],
)
def test_bad_sanctions_are_refused_with_nothing_stored(client, personas, changes, field, message):
    speak_english(personas)
    membership = _membership(personas)
    sign_in(client, personas.zone_officer)
    response = client.post(_sanction_url(membership), _form(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Sanction.objects.exists()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_the_coordinator_records_a_reprimand_but_outsiders_cannot_sanction(personas):
    membership = _membership(personas)
    sanction = membership_sanction(
        actor=personas.coordinator,
        membership=membership,
        measure="written_reprimand",
        reason="Shared a photo of a suspect in the group.",
        decided_on=timezone.localdate(),
        decided_by="The coordinator and the mandated officer",
    )
    assert sanction.member_ref == f"#{membership.member_id}"
    for actor in (personas.advp_admin, personas.knowledge_centre, personas.other_zone_officer):
        with pytest.raises(PermissionDenied):
            membership_sanction(
                actor=actor,
                membership=membership,
                measure="written_reprimand",
                reason="x",
                decided_on=timezone.localdate(),
                decided_by="x",
            )
    assert Sanction.objects.get() == sanction


def test_a_former_member_cannot_be_sanctioned(personas):
    gone = factories.member(personas.network_a, status=MembershipStatus.LEFT)
    membership = Membership.objects.get(member=gone)
    with pytest.raises(ValidationError):
        membership_sanction(
            actor=personas.zone_officer,
            membership=membership,
            measure="written_reprimand",
            reason="x",
            decided_on=timezone.localdate(),
            decided_by="x",
        )
    assert not Sanction.objects.exists()


def test_lifting_a_suspension_makes_the_member_active_again(client, personas):
    speak_english(personas)
    membership = _membership(personas)
    Membership.objects.filter(pk=membership.pk).update(
        status=MembershipStatus.SUSPENDED, suspended_until=timezone.localdate() + datetime.timedelta(days=9)
    )
    sign_in(client, personas.zone_officer)
    response = client.post(reverse("members_manage:membership_lift", args=[membership.pk]), follow=True)
    assert "active again" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.status, membership.suspended_until) == (MembershipStatus.ACTIVE, None)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, content_type__model="membership")
    assert event.actor == personas.zone_officer and event.changes["status"] == ["suspended", "active"]
    with pytest.raises(ValidationError):
        membership_lift_suspension(actor=personas.zone_officer, membership=membership)


def test_ended_suspensions_are_lifted_daily(personas):
    today = timezone.localdate()
    ended = factories.member(personas.network_a, status=MembershipStatus.SUSPENDED)
    running = factories.member(personas.network_a, status=MembershipStatus.SUSPENDED)
    Membership.objects.filter(member=ended).update(suspended_until=today)
    Membership.objects.filter(member=running).update(suspended_until=today + datetime.timedelta(days=1))
    assert membership_lift_expired_suspensions(today=today) == 1
    assert Membership.objects.get(member=ended).status == MembershipStatus.ACTIVE
    assert Membership.objects.get(member=running).status == MembershipStatus.SUSPENDED
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, content_type__model="membership")
    assert event.actor is None and event.actor_label == "system"
    assert membership_lift_expired_suspensions(today=today) == 0


def test_the_daily_lift_is_a_registered_periodic_task():
    from core.schedule import periodic_tasks

    paths = [entry.path for entry in periodic_tasks()]
    assert "members.tasks.manage.lift_expired_suspensions_task" in paths


def test_the_member_list_shows_suspensions(client, personas):
    speak_english(personas)
    Membership.objects.filter(member=Member.objects.get(user=personas.member)).update(
        status=MembershipStatus.SUSPENDED, suspended_until=datetime.date(2030, 1, 31)
    )
    sign_in(client, personas.coordinator)
    content = client.get(reverse("members_manage:member_list", args=[personas.network_a.code])).content.decode()
    assert "suspended" in content and "until" in content
