"""Download my data: the readable page and the JSON file, audited, holding only the member's own data."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from members.choices import ConsentSource, DocumentKind, JoinRequestStatus
from members.models import Consent, Member, Membership
from members.services import portal as services
from members.tests import factories, portal_helpers

pytestmark = pytest.mark.django_db

# Fixtures shared by the portal's tests.
_fresh_cache = portal_helpers._fresh_cache
member_en = portal_helpers.member_en
member_client = portal_helpers.member_client

PAGE = reverse("members_portal:download")
JSON = reverse("members_portal:download_json")


@pytest.fixture
def held(personas, member_en):
    """The member's consents and a join request held for their e-mail, a change they made, and another member of the
    same network whose data must never appear."""
    member = Member.objects.get(user=member_en)
    privacy = factories.document(DocumentKind.PRIVACY_NOTICE, version="2025-privacy")
    rules = factories.document(DocumentKind.INTERNAL_RULES, network=personas.network_a, version="2025-rules")
    Membership.objects.filter(member=member).update(rules=rules)
    for document in (privacy, rules):
        Consent.objects.create(
            member=member,
            document=document,
            network=personas.network_a,
            accepted_at=timezone.make_aware(datetime.datetime(2024, 1, 10, 9, 30)),
            source=ConsentSource.JOIN,
        )
    factories.join_request(
        personas.network_b, email="Member@test.binplp.be", status=JoinRequestStatus.PENDING, first_name="Mo"
    )
    services.member_update(
        actor=member_en,
        member=member,
        first_name="Mo",
        last_name="Lambert",
        mobile="+32470123456",
        street="Meir",
        house_number="14",
        box="",
        postal_code="2000",
    )
    other = factories.member(
        personas.network_a,
        email="neighbour@example.be",
        first_name="Nadia",
        last_name="Nachbarin",
        mobile="+32470777666",
    )
    factories.join_request(personas.network_a, email="stranger@example.be", last_name="Stranger")
    from networks.models import Sanction

    for ref in (f"#{member.pk}", f"#{other.pk}"):
        Sanction.objects.create(
            network=personas.network_a,
            target="member",
            member_ref=ref,
            measure="written_reprimand",
            decided_on=datetime.date(2025, 5, 1),
            decided_by="The coordinator",
            reason="Shared an alert of Nadia on social media.",
        )
    return {"member": member, "other": other}


def test_the_json_file_holds_everything_about_the_member(member_client, personas, held):
    response = member_client.get(JSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="binplp-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "member@test.binplp.be"
    assert data["account"]["first_name"] == "Mo" and data["account"]["language"] == "en"
    assert data["account"]["created"]
    assert data["profile"]["mobile"] == "+32470123456" and data["profile"]["house_number"] == "14"
    assert data["choices"]["web_inbox"] is True and data["choices"]["by_sms"] is True
    [membership] = data["memberships"]
    assert membership["network_code"] == "BIN-11002-1" and membership["status"] == "active"
    assert membership["joined_on"] == "2024-01-15" and membership["internal_rules_version"] == "2025-rules"
    assert sorted((c["document"], c["version"]) for c in data["consents"]) == [
        ("internal_rules", "2025-rules"),
        ("privacy_notice", "2025-privacy"),
    ]
    assert data["consents"][0]["accepted_at"].startswith("2024-01-10")
    [request] = data["join_requests"]
    assert request["network"] == personas.network_b.name and request["status"] == "pending"
    assert data["sanctions"] == [
        {
            "network": personas.network_a.name,
            "measure": "written_reprimand",
            "measure_label": "written reprimand",
            "decided_on": "2025-05-01",
            "ends_on": None,
        }
    ]
    assert [(event["action"], event["fields"], event["by_you"]) for event in data["history"]] == [
        ("update", ["house_number"], True)
    ]


def test_the_download_holds_no_other_persons_data(member_client, personas, held):
    for url in (JSON, PAGE):
        content = member_client.get(url).content.decode()
        for foreign in (
            "Nadia",
            "Nachbarin",
            "neighbour@example.be",
            "+32470777666",
            "Stranger",
            "stranger@example.be",
        ):
            assert foreign not in content, (url, foreign)
        for foreign in (personas.coordinator.email, personas.coordinator.last_name, personas.zone_officer.email):
            assert foreign not in content, (url, foreign)


def test_each_download_is_recorded_as_a_view_by_the_member(member_client, personas, held):
    member = held["member"]
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    member_client.get(PAGE)
    member_client.get(JSON)
    rows = list(AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id"))[before:]
    assert [(row.actor, row.object_id, row.changes) for row in rows] == [
        (personas.member, str(member.pk), {"members": [member.pk], "context": "portal_download_page"}),
        (personas.member, str(member.pk), {"members": [member.pk], "context": "portal_download_json"}),
    ]


def test_the_readable_page_shows_the_same_data(member_client, personas, held):
    response = member_client.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "+32470123456" in content and "Meir 14, 2000" in content
    assert "2025-rules" in content and "2025-privacy" in content
    assert personas.network_b.name in content  # the join request held for the e-mail address
    assert f'href="{JSON}"' in content
    for heading in ("Account", "Member profile", "Choices", "Memberships", "Consents", "Join requests held"):
        assert heading in content


def test_another_member_downloads_only_their_own_data(client, personas, held):
    client.force_login(held["other"].user)
    data = json.loads(client.get(JSON).content)
    assert data["account"]["email"] == "neighbour@example.be"
    assert data["consents"] == [] and data["join_requests"] == []
    assert "member@test.binplp.be" not in json.dumps(data) and "Lambert" not in json.dumps(data)
