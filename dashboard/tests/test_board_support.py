"""A small dataset with known numbers for the dashboard tests (on top of the personas' networks A and B), and counts
computed from it object by object, independently of the grouped queries under test. No tests here."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import User
from geography.models import Municipality, PoliceZone, ZoneMembership
from members.choices import CURRENT_STATUSES
from members.models import Member, Membership
from messaging.models import Message
from networks.models import Charter, Network, Partner

_numbers = itertools.count(1)
ANTWERP_ZONE, BRUSSELS_ZONE = 5345, 5339
ANTWERPEN, BRUSSEL = "11002", "21004"


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def network(refnis: str, zone_code: int, name: str, *, status: str = "active", age_days: int = 0) -> Network:
    municipality = Municipality.objects.current().get(refnis=refnis)
    created = Network.objects.create(
        code=f"BIN-{refnis}-{800 + next(_numbers)}",
        name=name,
        status=status,
        municipality=municipality,
        zone=PoliceZone.objects.current().get(code=zone_code),
        created_at=ago(age_days),
        merged_into=None,
    )
    created.municipalities.add(municipality)
    return created


def members(target: Network, count: int, *, joined_days_ago: int, status: str = "active") -> None:
    for _n in range(count):
        user = User.objects.create_user(email=f"board{next(_numbers)}@example.be", password=None)
        person = Member.objects.create(user=user, street="Geheimstraat", house_number="7", postal_code="2000")
        Membership.objects.create(
            member=person,
            network=target,
            status=status,
            joined_on=timezone.localdate() - datetime.timedelta(days=joined_days_ago),
            ended_on=timezone.localdate() if status == "left" else None,
        )


def message(target: Network, *, days_ago: int, alert: bool = False, feedback: bool = False) -> Message:
    sent = ago(days_ago)
    created = Message.objects.create(
        type="urgent_alert" if alert else "prevention_tip",
        sender="police",
        zone=target.zone,
        target_kind="zone",
        target_zone=target.zone,
        status="sent",
        sent_at=sent,
        feedback_due_at=sent + datetime.timedelta(hours=48) if alert else None,
        feedback_sent_at=sent + datetime.timedelta(hours=24) if feedback else None,
        texts={"nl": {"title": "Bericht", "body": "Tekst", "sms": "Tekst"}},
    )
    created.networks.add(target)
    return created


def partner(target: Network, role: str, *, ended: bool = False) -> Partner:
    screened = {"adult_confirmed": True, "screening_on": datetime.date(2019, 12, 1), "screening_result": "favourable"}
    return Partner.objects.create(
        **(screened if role == "coordinator" else {}),
        network=target,
        role=role,
        first_name="Pat",
        last_name=f"Partner{next(_numbers)}",
        email=f"partner{next(_numbers)}@example.be",
        active_from=datetime.date(2020, 1, 1),
        active_to=timezone.localdate() - datetime.timedelta(days=1) if ended else None,
    )


def charter(target: Network, *, status: str, submitted_days_ago: int | None) -> Charter:
    return Charter.objects.create(
        network=target,
        version=1,
        status=status,
        submitted_at=ago(submitted_days_ago) if submitted_days_ago is not None else None,
    )


@dataclass
class Dataset:
    personas: object
    idle_antwerp: Network
    busy_antwerp: Network
    prep_antwerp: Network
    ended_antwerp: Network
    idle_brussels: Network


@pytest.fixture
def dataset(personas) -> Dataset:
    """Zone 5345 Antwerpen: network A (personas: coordinator, a member, created today), an idle network (two years
    old, a member who joined two years ago, no coordinator), a busy one (a coordinator, a mandated officer, a message
    ten days ago), one in preparation whose charter waits for 12 days (no coordinator), a dissolved one.
    Zone 5339 Brussels: network B (created today, no coordinator, an alert 5 days ago without feedback, a message 400
    days ago), an idle dormant one (its coordinator left) whose charter waits for 30 days."""
    idle_antwerp = network(ANTWERPEN, ANTWERP_ZONE, "Idle Antwerp", age_days=730)
    members(idle_antwerp, 1, joined_days_ago=700)
    busy_antwerp = network(ANTWERPEN, ANTWERP_ZONE, "Busy Antwerp", age_days=730)
    members(busy_antwerp, 3, joined_days_ago=700)
    members(busy_antwerp, 1, joined_days_ago=700, status="left")
    partner(busy_antwerp, "coordinator")
    partner(busy_antwerp, "mandated_officer")
    message(busy_antwerp, days_ago=10, alert=True, feedback=True)
    charter(busy_antwerp, status="draft", submitted_days_ago=None)
    prep_antwerp = network(ANTWERPEN, ANTWERP_ZONE, "Prep Antwerp", status="charter_submitted", age_days=60)
    charter(prep_antwerp, status="submitted", submitted_days_ago=12)
    ended_antwerp = network(ANTWERPEN, ANTWERP_ZONE, "Ended Antwerp", status="dissolved", age_days=900)
    network_b = personas.network_b
    message(network_b, days_ago=5, alert=True)
    message(network_b, days_ago=400)
    idle_brussels = network(BRUSSEL, BRUSSELS_ZONE, "Idle Brussels", status="dormant", age_days=800)
    partner(idle_brussels, "coordinator", ended=True)
    charter(idle_brussels, status="submitted", submitted_days_ago=30)
    return Dataset(personas, idle_antwerp, busy_antwerp, prep_antwerp, ended_antwerp, idle_brussels)


# --- independent counts ---------------------------------------------------------------------------------------------


def networks_in(zone_codes: set[int] | None) -> list[Network]:
    """The networks of some zones (None: all), read one by one."""
    return [n for n in Network.objects.all() if zone_codes is None or n.zone.code in zone_codes]


def current_members(networks: list[Network]) -> int:
    ids = {n.pk for n in networks}
    return sum(1 for m in Membership.objects.all() if m.network_id in ids and m.status in CURRENT_STATUSES)


def zone_municipalities(zone_code: int) -> set[str]:
    return {
        row.municipality.refnis
        for row in ZoneMembership.objects.filter(valid_to__isnull=True, zone__code=zone_code)
        if row.municipality.is_current
    }


def active_networks_of(refnis: str) -> int:
    return sum(
        1 for n in Network.objects.filter(status="active") if refnis in {m.refnis for m in n.municipalities.all()}
    )
