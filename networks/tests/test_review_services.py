import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditAction, AuditEvent
from networks.checklist import CHECKLIST, checklist_seed
from networks.choices import CharterStatus, NetworkStatus, ReviewDecision
from networks.models import Charter, CharterReview, ChecklistItem, Letter, NetworkStatusChange, ReviewItemResult
from networks.services.charter import (
    charter_create,
    charter_review_decide,
    charter_review_save,
    checklist_active,
    checklist_item_save,
)
from networks.services.letters import letter_send_email

from .charter_fixtures import (
    all_results,
    pdf_text,
    submitted_charter,
)

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_the_checklist_is_seeded_once_and_edits_are_kept():
    assert ChecklistItem.objects.count() == len(CHECKLIST)
    ChecklistItem.objects.filter(code="area").update(text_nl="Aangepast door ADVP", is_active=False)

    assert checklist_seed() == 0

    assert ChecklistItem.objects.count() == len(CHECKLIST)
    item = ChecklistItem.objects.get(code="area")
    assert item.text_nl == "Aangepast door ADVP" and not item.is_active
    ChecklistItem.objects.filter(code="budget_plan").delete()
    assert checklist_seed() == 1


def test_a_conform_decision_activates_the_network_and_files_two_letters(submitted, decide, personas, smtp_server):
    review = decide(submitted)

    charter = Charter.objects.get(pk=submitted.pk)
    assert charter.status == CharterStatus.CONFORM and charter.decided_at == review.decided_at
    assert review.decision == ReviewDecision.CONFORM and review.reviewer == personas.advp_admin
    assert review.lead_time == review.decided_at - charter.submitted_at
    assert ReviewItemResult.objects.filter(review=review, satisfied=True).count() == len(checklist_active())
    network = charter.network
    network.refresh_from_db()
    assert network.status == NetworkStatus.ACTIVE
    assert NetworkStatusChange.objects.filter(network=network, to_status="active").exists()
    letters = {letter.recipient: letter for letter in Letter.objects.filter(review=review)}
    assert set(letters) == {"chief_of_police", "mayor"}
    year = review.decided_at.year
    assert letters["chief_of_police"].reference == f"ADVP/{year}/{review.pk:05d}/1"
    assert letters["mayor"].reference == f"ADVP/{year}/{review.pk:05d}/2"
    assert all(letter.language == "nl" and letter.emailed_at for letter in letters.values())
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, content_type__model="letter").count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, content_type__model="charterreview").count() == 1


def test_the_letters_reach_the_zone_and_the_municipality_with_the_pdf(submitted, decide, personas, smtp_server):
    decide(submitted)

    to_zone = smtp_server.to(personas.zone_officer.email)
    to_municipality = smtp_server.to(personas.municipality_official.email)
    assert len(to_zone) == 1 and len(to_municipality) == 1
    assert not smtp_server.to(personas.other_zone_officer.email)
    chief_letter = Letter.objects.get(recipient="chief_of_police")
    attachments = list(to_zone[0].iter_attachments())
    assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_filename() == chief_letter.reference.replace("/", "-") + ".pdf"
    text = pdf_text(attachments[0].get_content())
    assert "Aan de korpschef" in text and "Politiezone Antwerpen" in text
    assert chief_letter.reference in str(to_zone[0]["Subject"])
    mayor_text = pdf_text(list(to_municipality[0].iter_attachments())[0].get_content())
    assert "Aan de burgemeester" in mayor_text and "Gemeente Antwerpen" in mayor_text
    assert Letter.objects.get(recipient="mayor").emailed_to == [personas.municipality_official.email]


def test_sending_a_letter_twice_sends_it_once(submitted, decide, smtp_server):
    decide(submitted)
    letter = Letter.objects.get(recipient="chief_of_police")
    smtp_server.clear()

    assert letter_send_email(letter_id=letter.pk) is False
    assert smtp_server.messages == []


def test_a_letter_without_anyone_to_receive_it_stays_filed_unsent(network, personas, decide, smtp_server):
    from accounts.models import RoleAssignment

    charter = submitted_charter(network, actor=personas.zone_officer)
    RoleAssignment.objects.filter(user=personas.municipality_official).delete()
    decide(charter)

    mayor = Letter.objects.get(recipient="mayor")
    assert mayor.emailed_at is None and mayor.pdf
    assert Letter.objects.get(recipient="chief_of_police").emailed_at is not None


def test_changes_needed_sends_the_network_back_to_preparation_with_the_remarks(submitted, decide, smtp_server):
    review = decide(
        submitted,
        decision=ReviewDecision.CHANGES_NEEDED,
        unsatisfied=("budget_plan",),
        remark="Het budgetplan vermeldt niet wie de sms-kosten draagt.",
        remarks="Gelieve ook het huishoudelijk reglement bij te voegen.",
    )

    submitted.refresh_from_db()
    assert submitted.status == CharterStatus.CHANGES_NEEDED
    submitted.network.refresh_from_db()
    assert submitted.network.status == NetworkStatus.IN_PREPARATION
    text = pdf_text(Letter.objects.get(review=review, recipient="mayor").pdf.read())
    assert "nog niet aan alle vormvereisten" in text
    assert "Het budgetplan vermeldt de kosten en wie ze draagt." in text
    assert "sms-kosten draagt" in text and "huishoudelijk reglement bij te voegen" in text


def test_a_conform_charter_needs_every_item_satisfied(submitted, personas):
    results = all_results(unsatisfied_codes=("area",), remark="Geen straten.")
    with pytest.raises(ValidationError) as caught:
        charter_review_decide(actor=personas.advp_admin, charter=submitted, decision="conform", results=results)
    assert _codes(caught.value) == {"conform_with_unsatisfied"}
    assert not CharterReview.objects.exists() and not Letter.objects.exists()


def test_changes_needed_needs_unsatisfied_items_with_remarks(submitted, personas):
    with pytest.raises(ValidationError) as caught:
        charter_review_decide(
            actor=personas.advp_admin, charter=submitted, decision="changes_needed", results=all_results()
        )
    assert _codes(caught.value) == {"changes_without_items"}
    with pytest.raises(ValidationError) as caught:
        charter_review_decide(
            actor=personas.advp_admin,
            charter=submitted,
            decision="changes_needed",
            results=all_results(unsatisfied_codes=("area",), remark=""),
        )
    assert _codes(caught.value) == {"remark_required"}


def test_every_item_must_be_checked(submitted, personas):
    with pytest.raises(ValidationError) as caught:
        charter_review_decide(
            actor=personas.advp_admin, charter=submitted, decision="conform", results=all_results()[1:]
        )
    assert _codes(caught.value) == {"incomplete"}


def test_only_advp_reviews(submitted, personas):
    for person in (personas.zone_officer, personas.knowledge_centre, personas.coordinator, personas.outsider):
        with pytest.raises(PermissionDenied):
            charter_review_decide(actor=person, charter=submitted, decision="conform", results=all_results())
        with pytest.raises(PermissionDenied):
            charter_review_save(actor=person, charter=submitted, results=all_results())


def test_a_draft_is_not_reviewed(network, personas):
    draft = charter_create(actor=personas.zone_officer, network=network)
    with pytest.raises(ValidationError) as caught:
        charter_review_decide(actor=personas.advp_admin, charter=draft, decision="conform", results=all_results())
    assert _codes(caught.value) == {"not_submitted"}


def test_checks_can_be_saved_before_deciding(submitted, personas, decide):
    items = checklist_active()
    review = charter_review_save(
        actor=personas.advp_admin,
        charter=submitted,
        results=[{"item": items[0].pk, "satisfied": True, "remark": "ok"}],
        remarks="Eerste lezing",
    )
    assert review.decision == "" and review.decided_at is None and review.item_results.count() == 1
    charter_review_save(
        actor=personas.advp_admin,
        charter=submitted,
        results=[{"item": items[0].pk, "satisfied": False, "remark": "toch niet"}],
    )
    assert ReviewItemResult.objects.get(review=review).remark == "toch niet"
    assert AuditEvent.objects.filter(content_type__model="charterreview", object_id=str(review.pk)).count() == 2

    decide(submitted)
    assert CharterReview.objects.get(pk=review.pk).decision == "conform"


def test_a_new_conform_version_supersedes_the_old_one(network, personas, decide):
    first = submitted_charter(network, actor=personas.zone_officer)
    decide(first)
    second = submitted_charter(network, actor=personas.zone_officer)
    network.refresh_from_db()
    assert network.status == NetworkStatus.CHARTER_SUBMITTED

    decide(second)

    assert Charter.objects.get(pk=first.pk).status == CharterStatus.SUPERSEDED
    assert Charter.objects.get(pk=second.pk).status == CharterStatus.CONFORM
    network.refresh_from_db()
    assert network.status == NetworkStatus.ACTIVE


def test_changes_needed_on_a_new_version_keeps_the_network_active_on_the_old_one(network, personas, decide):
    first = submitted_charter(network, actor=personas.zone_officer)
    decide(first)
    second = submitted_charter(network, actor=personas.zone_officer)

    decide(second, decision="changes_needed", unsatisfied=("contacts",), remark="Telefoon ontbreekt.")

    network.refresh_from_db()
    assert network.status == NetworkStatus.ACTIVE
    assert Charter.objects.get(pk=first.pk).status == CharterStatus.CONFORM
    change = NetworkStatusChange.objects.filter(network=network).order_by("-created_at", "-id").first()
    assert "version 1 remains in force" in change.reason


def test_only_advp_edits_the_checklist(personas):
    item = checklist_item_save(
        actor=personas.advp_admin,
        code="ssl",
        text_nl="Het netwerk gebruikt een beveiligd kanaal.",
        text_fr="Le partenariat utilise un canal sécurisé.",
        order=110,
        is_active=True,
    )
    assert AuditEvent.objects.get(content_type__model="checklistitem", action=AuditAction.CREATE).changes["code"] == [
        None,
        "ssl",
    ]
    checklist_item_save(actor=personas.advp_admin, item=item, is_active=False)
    assert item not in checklist_active()
    with pytest.raises(PermissionDenied):
        checklist_item_save(actor=personas.knowledge_centre, item=item, is_active=True)
    with pytest.raises(ValidationError):
        checklist_item_save(actor=personas.advp_admin, code="area", text_nl="dubbel", text_fr="double")


def test_the_average_lead_time_counts_days_from_submission_to_decision(submitted, decide, personas):
    import datetime

    from django.utils import timezone

    from networks.charter_selectors import average_lead_time_days, lead_time_days

    Charter.objects.filter(pk=submitted.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=6))
    submitted.refresh_from_db()
    review = decide(submitted)

    assert 5.9 < lead_time_days(review) < 6.1
    since = timezone.localdate() - datetime.timedelta(days=365)
    assert 5.9 < average_lead_time_days(user=personas.advp_admin, since=since) < 6.1
    assert average_lead_time_days(user=personas.zone_officer, since=since) is None
