import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from networks.choices import CharterStatus, NetworkStatus
from networks.models import Charter, CharterSignature, NetworkStatusChange
from networks.services.charter import (
    MAX_PDF_BYTES,
    charter_create,
    charter_missing,
    charter_refresh_contacts,
    charter_sign,
    charter_submit,
    charter_update_plan,
    charter_upload_pdf,
)
from networks.services.network import partner_add

from .charter_fixtures import (
    PDF_BYTES,
    PLAN,
    complete_charter,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _events(obj, action=None):
    events = AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return events.filter(action=action) if action else events


def test_it_creates_the_first_version_from_the_partners(network, personas):
    charter = charter_create(actor=personas.zone_officer, network=network)

    assert charter.version == 1 and charter.status == CharterStatus.DRAFT
    assert {c["role"] for c in charter.contacts} == {"coordinator", "mandated_officer"}
    assert {c["name"] for c in charter.contacts} == {"Cas Wouters", "Zoë Peeters"}
    assert charter.created_by == personas.zone_officer
    event = _events(charter, AuditAction.CREATE).get()
    assert event.changes["version"] == [None, 1] and event.actor == personas.zone_officer


def test_only_one_version_is_open_at_a_time(draft, personas):
    with pytest.raises(ValidationError) as caught:
        charter_create(actor=personas.zone_officer, network=draft.network)
    assert _codes(caught.value) == {"open_version"}
    assert Charter.objects.filter(network=draft.network).count() == 1


def test_a_new_version_copies_the_plans_and_takes_fresh_contacts(network, personas, decide):
    from .charter_fixtures import submitted_charter

    first = submitted_charter(network, actor=personas.zone_officer)
    decide(first)
    partner_add(
        actor=personas.advp_admin,
        network=network,
        role="steering_group",
        first_name="Lies",
        last_name="Janssens",
        email="lies@example.be",
    )

    second = charter_create(actor=personas.zone_officer, network=network)

    assert second.version == 2
    assert second.channels == PLAN["channels"] and second.senders == PLAN["senders"]
    assert second.cost_items == PLAN["cost_items"] and second.internal_rules_version == "2024-09"
    assert "Lies Janssens" in {c["name"] for c in second.contacts}
    assert not second.signed_pdf and second.signatures.count() == 0
    assert _events(second, AuditAction.CREATE).get().changes["copied_from"] == [None, 1]


def test_people_who_only_see_the_network_cannot_prepare_its_charter(network, personas):
    for person in (personas.knowledge_centre, personas.municipality_official, personas.coordinator):
        with pytest.raises(PermissionDenied):
            charter_create(actor=person, network=network)
    assert not Charter.objects.exists()


def test_it_saves_the_plans_and_audits_the_difference(draft, personas):
    charter = charter_update_plan(actor=personas.zone_officer, charter=draft, **PLAN)

    charter.refresh_from_db()
    assert charter.channels == ["email", "sms"]
    assert charter.senders["prevention_tip"] == ["police", "coordinator"]
    assert charter.feedback_hours == 48
    assert charter.cost_items == [{"label": "SMS-pakket", "amount_eur": "120.00", "payer": "municipality"}]
    changes = _events(charter, AuditAction.UPDATE).get().changes
    assert changes["channels"] == [[], ["email", "sms"]] and "feedback_hours" in changes


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"channels": ["pigeon"]}, "channels", "invalid_choice"),
        ({"senders": {"newsletter": ["police"]}}, "senders", "type_not_in_plan"),
        ({"senders": {"urgent_alert": ["coordinator"]}}, "senders", "urgent_alert_police"),
        ({"senders": {"feedback": ["mayor"]}}, "senders", "invalid_choice"),
        ({"feedback_hours": 0}, "feedback_hours", "invalid_hours"),
        ({"cost_items": [{"label": "", "amount_eur": "5", "payer": "members"}]}, "cost_items", "label_required"),
        ({"cost_items": [{"label": "SMS", "amount_eur": "-5", "payer": "members"}]}, "cost_items", "invalid_amount"),
        ({"cost_items": [{"label": "SMS", "amount_eur": "5", "payer": "bank"}]}, "cost_items", "payer_required"),
        ({"member_fee_eur": Decimal("5.00")}, "member_fee_eur", "fee_without_costs"),
        ({"member_fee_eur": "1.234"}, "member_fee_eur", "invalid_amount"),
    ],
)
def test_plans_are_checked_field_by_field(draft, personas, changes, field, code):
    with pytest.raises(ValidationError) as caught:
        charter_update_plan(actor=personas.zone_officer, charter=draft, **{**PLAN, **changes})
    assert field in caught.value.error_dict
    assert code in {e.code for e in caught.value.error_dict[field]}
    draft.refresh_from_db()
    assert draft.channels == [] and not _events(draft, AuditAction.UPDATE).exists()


def test_a_member_fee_is_accepted_when_members_pay_costs(draft, personas):
    plan = {
        **PLAN,
        "cost_items": [{"label": "SMS", "amount_eur": "3,50", "payer": "members"}],
        "member_fee_eur": "3.50",
    }
    charter = charter_update_plan(actor=personas.zone_officer, charter=draft, **plan)
    assert charter.member_fee_eur == Decimal("3.50") and charter.cost_items[0]["amount_eur"] == "3.50"


def test_it_stores_a_real_pdf_under_a_random_name(draft, personas, media):
    charter = charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=pdf_upload("Mijn charter.pdf"))

    name = charter.signed_pdf.name
    assert name.startswith("charters/") and name.endswith(".pdf") and "Mijn" not in name and len(name) > 40
    assert (media / name).read_bytes() == PDF_BYTES
    assert _events(charter, AuditAction.UPDATE).get().changes["signed_pdf"] == [None, name]


def test_a_new_upload_replaces_and_removes_the_old_file(draft, personas, media, django_capture_on_commit_callbacks):
    first = charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=pdf_upload()).signed_pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        second = charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=pdf_upload()).signed_pdf.name
    assert first != second
    assert not (media / first).exists() and (media / second).exists()


def test_a_script_renamed_pdf_is_refused(draft, personas, media):
    script = SimpleUploadedFile("charter.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=script)
    assert _codes(caught.value) == {"not_pdf"}
    draft.refresh_from_db()
    assert not draft.signed_pdf and not any(media.rglob("*.pdf"))


def test_an_oversized_pdf_is_refused(draft, personas, media):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * MAX_PDF_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=big)
    assert _codes(caught.value) == {"too_large"}
    assert "10 MB" in caught.value.error_dict["signed_pdf"][0].messages[0]


def test_an_empty_file_is_refused(draft, personas):
    with pytest.raises(ValidationError) as caught:
        charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=pdf_upload(content=b""))
    assert _codes(caught.value) == {"empty"}


def test_it_records_and_corrects_a_signature(draft, personas):
    day = timezone.localdate() - datetime.timedelta(days=3)
    charter_sign(actor=personas.zone_officer, charter=draft, signatory="mayor", name="An De Wit", signed_on=day)
    signature = charter_sign(
        actor=personas.advp_admin, charter=draft, signatory="mayor", name="An De Wit-Peeters", signed_on=day
    )

    assert CharterSignature.objects.filter(charter=draft).count() == 1
    assert signature.name == "An De Wit-Peeters" and signature.recorded_by == personas.advp_admin
    changes = [event.changes for event in _events(draft, AuditAction.UPDATE).order_by("id")]
    assert changes[0]["signature_mayor"][0] is None
    assert changes[1]["signature_mayor"] == [f"An De Wit ({day})", f"An De Wit-Peeters ({day})"]


def test_a_signature_cannot_be_dated_in_the_future_or_be_anonymous(draft, personas):
    with pytest.raises(ValidationError) as caught:
        charter_sign(
            actor=personas.zone_officer,
            charter=draft,
            signatory="pope",
            name=" ",
            signed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert set(caught.value.error_dict) == {"signatory", "name", "signed_on"}
    assert not CharterSignature.objects.exists()


def test_an_incomplete_charter_says_what_is_missing(draft, personas):
    with pytest.raises(ValidationError) as caught:
        charter_submit(actor=personas.zone_officer, charter=draft)
    messages = caught.value.messages
    assert any("signed charter (PDF)" in m for m in messages)
    assert any("chief of police" in m for m in messages)
    assert any("no channel" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == CharterStatus.DRAFT and draft.network.status == NetworkStatus.IN_PREPARATION


def test_contacts_without_coordinator_block_the_submission(network, personas):
    from networks.services.network import partner_end

    charter = charter_create(actor=personas.zone_officer, network=network)
    complete_charter(charter, actor=personas.zone_officer)
    coordinator = network.partners.get(role="coordinator")
    partner_end(actor=personas.advp_admin, partner=coordinator)
    charter = charter_refresh_contacts(actor=personas.zone_officer, charter=charter)

    assert any("no coordinator" in message for message in charter_missing(charter))


def test_a_complete_charter_is_submitted_and_the_network_follows(draft, personas):
    complete_charter(draft, actor=personas.zone_officer)
    assert charter_missing(draft) == []

    charter = charter_submit(actor=personas.zone_officer, charter=draft)

    charter.refresh_from_db()
    assert charter.status == CharterStatus.SUBMITTED and charter.submitted_at is not None
    network = charter.network
    network.refresh_from_db()
    assert network.status == NetworkStatus.CHARTER_SUBMITTED
    change = NetworkStatusChange.objects.filter(network=network).order_by("-created_at", "-id").first()
    assert change.to_status == NetworkStatus.CHARTER_SUBMITTED and "version 1" in change.reason
    assert _events(charter, AuditAction.UPDATE).filter(changes__has_key="submitted_at").exists()


def test_a_submitted_charter_no_longer_changes(draft, personas):
    complete_charter(draft, actor=personas.zone_officer)
    charter_submit(actor=personas.zone_officer, charter=draft)

    for call in (
        lambda: charter_update_plan(actor=personas.zone_officer, charter=draft, **PLAN),
        lambda: charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=pdf_upload()),
        lambda: charter_sign(
            actor=personas.zone_officer,
            charter=draft,
            signatory="mayor",
            name="X",
            signed_on=timezone.localdate(),
        ),
        lambda: charter_submit(actor=personas.zone_officer, charter=draft),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert _codes(caught.value) == {"not_draft"}
