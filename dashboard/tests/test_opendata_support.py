"""A dataset with known numbers for the open data tests, and brute-force counts computed from it object by object
(independently of the grouped queries under test). No tests here."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict

import pytest
from django.utils import timezone

from accounts.models import User
from geography.models import Municipality, PoliceZone
from members.choices import CURRENT_STATUSES, MembershipStatus
from members.models import Member, Membership
from messaging.models import Message
from networks.models import Network, NetworkStatusChange, Partner
from practices.models import Practice

_numbers = itertools.count(1)

# Boom and Hemiksem: zone 5347 Rupel, province Antwerpen (10000); Gent: zone 5415 Gent, province Oost-Vlaanderen.
BOOM, HEMIKSEM, GENT = "11005", "11018", "44021"
RUPEL, GENT_ZONE = 5347, 5415
ANTWERPEN, OOST_VLAANDEREN = "10000", "40000"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def network(refnis: str, zone_code: int, name: str, kind: str, founded: str | None, history: list[tuple[str, str]]):
    """A network with its status history [(to status, date)], written directly; its status is the last one."""
    municipality = Municipality.objects.current().get(refnis=refnis)
    zone = PoliceZone.objects.current().get(code=zone_code)
    values = {"sector": "pharmacies"} if kind == "sectoral" else {}
    status = history[-1][0]
    created = Network.objects.create(
        code=f"BIN-{refnis}-{900 + next(_numbers)}",
        name=name,
        kind=kind,
        status="active" if status == "merged" else status,
        municipality=municipality,
        zone=zone,
        founded_on=day(founded) if founded else None,
        **values,
    )
    created.municipalities.add(municipality)
    previous = ""
    for to_status, on in history:
        NetworkStatusChange.objects.create(
            network=created, from_status=previous, to_status=to_status, on=day(on), reason="test"
        )
        previous = to_status
    return created


def memberships(target, count: int, *, joined: str, status: str = "active", ended: str | None = None) -> None:
    """`count` memberships of `target`, each with its own member (an account with a name: personal data the open
    data must never show)."""
    users = [
        User(email=f"opendata{next(_numbers)}@example.be", first_name="Secret", last_name=f"Person{n}")
        for n in range(count)
    ]
    users = User.objects.bulk_create(users)
    if not all(user.pk for user in users):
        users = list(User.objects.filter(email__in=[user.email for user in users]))
    people = Member.objects.bulk_create(
        Member(user=user, street="Geheimstraat", house_number="7", postal_code="2850") for user in users
    )
    if not all(person.pk for person in people):
        people = list(Member.objects.filter(user__in=users))
    Membership.objects.bulk_create(
        Membership(
            member=None if status == MembershipStatus.ERASED else person,
            network=target,
            status=status,
            joined_on=day(joined),
            ended_on=day(ended) if ended else None,
        )
        for person in people
    )


def message(zone_code: int, kind: str, sent: str | None) -> Message:
    zone = PoliceZone.objects.current().get(code=zone_code)
    moment = datetime.datetime.fromisoformat(sent).replace(tzinfo=datetime.UTC) if sent else None
    return Message.objects.create(
        type=kind,
        sender="police",
        zone=zone,
        target_kind="zone",
        target_zone=zone,
        status="sent" if sent else "scheduled",
        sent_at=moment,
        send_at=None if sent else timezone.now() + datetime.timedelta(days=3),
        texts={"nl": {"title": "Geheim", "body": "Tekst", "sms": "Tekst"}},
    )


def practice(published: str | None) -> Practice:
    return Practice.objects.create(
        language="nl",
        status="published" if published else "draft",
        title=f"Praktijk {next(_numbers)}",
        summary="s",
        problem="p",
        actions="a",
        results="r",
        published_at=datetime.datetime.fromisoformat(published).replace(tzinfo=datetime.UTC) if published else None,
    )


@pytest.fixture
def known_dataset(reference_data):
    """Six networks in three municipalities of two zones in two provinces, their members, messages, practices and
    one mandated officer. Expected member counts at year end (Boom / Hemiksem / Gent): 2020 12/–/31, 2021 19/5/31,
    2022 19/7/31, 2023 12/7/31, 2024 12/5/31, 2025 and today 12/5/30."""
    n1 = network(BOOM, RUPEL, "Boom Centrum", "residential", "2020-03-01", [
        ("in_preparation", "2020-01-10"), ("charter_submitted", "2020-02-01"), ("active", "2020-03-01"),
    ])  # fmt: skip
    n2 = network(BOOM, RUPEL, "Boom Handel", "self_employed", "2021-05-01", [
        ("active", "2021-05-01"), ("dissolved", "2023-06-30"),
    ])  # fmt: skip
    n3 = network(HEMIKSEM, RUPEL, "Hemiksem Dorp", "residential", "2021-01-01", [
        ("active", "2021-01-01"), ("dormant", "2022-02-01"), ("active", "2022-09-01"),
    ])  # fmt: skip
    n4 = network(HEMIKSEM, RUPEL, "Hemiksem Kaai", "residential", "2022-04-01", [
        ("active", "2022-04-01"), ("merged", "2024-03-01"),
    ])  # fmt: skip
    Network.objects.filter(pk=n4.pk).update(status="merged", merged_into=n3)
    n5 = network(GENT, GENT_ZONE, "Gent Apothekers", "sectoral", "2020-06-01", [("active", "2020-06-01")])
    network(GENT, GENT_ZONE, "Gent Nieuw", "residential", "2024-02-01", [("in_preparation", "2024-02-01")])

    memberships(n1, 12, joined="2020-06-01")
    memberships(n1, 3, joined="2021-01-01", status="left", ended="2023-05-01")
    memberships(n2, 4, joined="2021-06-01", status="left", ended="2023-06-30")
    memberships(n3, 5, joined="2021-02-01")
    memberships(n4, 2, joined="2022-05-01", status="removed", ended="2024-03-01")
    memberships(n5, 29, joined="2020-07-01")
    memberships(n5, 1, joined="2020-07-01", status="suspended")
    memberships(n5, 1, joined="2020-07-01", status="erased", ended="2025-01-10")
    memberships(n5, 1, joined="2020-07-01", status="removed")  # no end date: counts nowhere

    message(RUPEL, "urgent_alert", "2023-04-02T10:00:00")
    message(RUPEL, "urgent_alert", "2023-11-20T08:00:00")
    message(RUPEL, "prevention_tip", "2024-01-05T12:00:00")
    message(GENT_ZONE, "newsletter", "2024-12-31T23:30:00")  # 2025-01-01 00:30 in Brussels
    message(GENT_ZONE, "newsletter", None)  # scheduled, not sent

    practice("2023-03-01T10:00:00")
    practice("2023-09-01T10:00:00")
    practice("2024-05-01T10:00:00")
    practice(None)

    Partner.objects.create(network=n1, role="mandated_officer", last_name="Agent", email="agent@police.be")
    return {"n1": n1, "n2": n2, "n3": n3, "n4": n4, "n5": n5}


# --- brute force ---------------------------------------------------------------------------------------------------


def year_end(year: int) -> datetime.date:
    today = timezone.localdate()
    return today if year == today.year else datetime.date(year, 12, 31)


def status_on(item: Network, when: datetime.date) -> str:
    changes = sorted((c for c in item.status_changes.all() if c.on <= when), key=lambda c: (c.on, c.pk))
    return changes[-1].to_status if changes else ""


def member_on(row: Membership, when: datetime.date) -> bool:
    if row.joined_on > when:
        return False
    if row.ended_on is not None:
        return row.ended_on > when
    return row.status in CURRENT_STATUSES


def place_of(item: Network, level: str) -> str:
    if level == "municipality":
        return item.municipality.refnis
    if level == "zone":
        return str(item.zone.code)
    if level == "province":
        return item.municipality.province.refnis if item.municipality.province else "04000"
    return "BE"


def brute_force(level: str, years: list[int]) -> dict[tuple[str, int], dict[str, int]]:
    """{(code, year): figures} counted one object at a time."""
    figures: dict = defaultdict(lambda: defaultdict(int))
    networks = list(Network.objects.select_related("municipality__province", "zone").prefetch_related("status_changes"))
    for item in networks:
        place = place_of(item, level)
        for year in years:
            row = figures[(place, year)]
            if status_on(item, year_end(year)) == "active":
                row["networks_active"] += 1
                row[f"networks_active_{item.kind}"] += 1
            if item.founded_on and item.founded_on.year == year:
                row["networks_founded"] += 1
                row[f"networks_founded_{item.kind}"] += 1
            for change in item.status_changes.all():
                if change.on.year == year and change.to_status in ("dissolved", "merged"):
                    row[f"networks_{change.to_status}"] += 1
                    row[f"networks_{change.to_status}_{item.kind}"] += 1
    for row in Membership.objects.select_related("network__municipality__province", "network__zone"):
        place = place_of(row.network, level)
        for year in years:
            figures[(place, year)]["members"] += member_on(row, year_end(year))
    if level != "municipality":
        for sent in Message.objects.filter(status="sent").select_related("zone"):
            year = timezone.localtime(sent.sent_at).year
            zone = sent.zone
            if level == "zone":
                place = str(zone.code)
            elif level == "province":
                place = zone.municipalities.first().province.refnis
            else:
                place = "BE"
            figures[(place, year)]["messages_sent"] += 1
            figures[(place, year)][f"messages_{sent.type}"] += 1
    if level == "country":
        for item in Practice.objects.filter(status="published"):
            figures[("BE", timezone.localtime(item.published_at).year)]["practices_published"] += 1
    return figures
