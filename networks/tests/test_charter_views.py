import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from networks.choices import CharterStatus
from networks.models import Charter, CharterSignature
from networks.services.charter import charter_create, charter_upload_pdf

from .charter_fixtures import (
    PDF_BYTES,
    complete_charter,
    editors,
    hidden,
    pdf_upload,
    readers_only,
    viewers,
)

pytestmark = pytest.mark.django_db


def _url(name, charter, *args):
    return reverse(f"networks:{name}", args=[charter.network.code, charter.version, *args])


def test_the_charter_page_answers_whoever_sees_the_network(client, draft, personas):
    assert_permission_matrix(client, draft.get_absolute_url(), allowed=viewers(personas), hidden=hidden(personas))


@pytest.mark.parametrize("name", ["charter_plan", "charter_upload", "charter_sign"])
def test_preparation_pages_answer_the_zone_and_advp(client, draft, personas, name):
    assert_permission_matrix(
        client,
        _url(name, draft),
        allowed=editors(personas),
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )


@pytest.mark.parametrize("name", ["charter_submit", "charter_contacts_refresh"])
def test_preparation_actions_answer_the_zone_and_advp(client, draft, personas, name):
    assert_permission_matrix(
        client,
        _url(name, draft),
        method="post",
        allowed=editors(personas),
        allowed_status=(302,),
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )


def test_starting_a_charter_answers_the_zone_and_advp(client, network, personas):
    url = reverse("networks:charter_create", args=[network.code])
    assert_permission_matrix(
        client,
        url,
        method="post",
        allowed=[personas.zone_officer],
        allowed_status=(302,),
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )
    assert Charter.objects.filter(network=network).count() == 1


def test_the_page_shows_what_is_missing_and_the_submit_button(client, draft, personas):
    client.force_login(personas.zone_officer)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Before this version can be submitted" in page
    assert "The signature of the mayor is missing." in page
    assert "Submit to ADVP" in page and "disabled" in page
    assert "Cas Wouters" in page and "Zoë Peeters" in page

    client.force_login(personas.knowledge_centre)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Submit to ADVP" not in page and "Edit the plans" not in page


def test_the_zone_fills_the_plans_through_the_form(client, draft, personas):
    client.force_login(personas.zone_officer)
    data = {
        "channels": ["email", "sms"],
        "message_types": ["urgent_alert", "newsletter"],
        "senders_urgent_alert": ["police"],
        "senders_newsletter": ["coordinator"],
        "feedback_hours": "24",
        "member_fee_eur": "",
        "alternative_financing": "",
        "internal_rules_version": "2025-01",
        "costs-TOTAL_FORMS": "3",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "50",
        "costs-0-label": "Nieuwsbrief drukken",
        "costs-0-amount_eur": "80",
        "costs-0-payer": "municipality",
    }
    response = client.post(_url("charter_plan", draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.senders == {"urgent_alert": ["police"], "newsletter": ["coordinator"]}
    assert draft.cost_items == [{"label": "Nieuwsbrief drukken", "amount_eur": "80.00", "payer": "municipality"}]
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Nieuwsbrief drukken" in page and ("80,00" in page or "80.00" in page)


def test_a_plan_error_is_shown_on_the_form(client, draft, personas):
    client.force_login(personas.zone_officer)
    response = client.post(
        _url("charter_plan", draft),
        {
            "message_types": ["urgent_alert"],
            "senders_urgent_alert": ["coordinator"],
            "costs-TOTAL_FORMS": "0",
            "costs-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Only the police decide to send an urgent alert" in response.content.decode()


def test_uploading_a_pdf_through_the_page(client, draft, personas, media):
    client.force_login(personas.zone_officer)
    response = client.post(_url("charter_upload", draft), {"signed_pdf": pdf_upload()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.signed_pdf


def test_a_script_named_pdf_is_refused_by_the_page(client, draft, personas, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.zone_officer)
    script = SimpleUploadedFile("charter.pdf", b"<?php system($_GET['c']); ?>", content_type="application/pdf")
    response = client.post(_url("charter_upload", draft), {"signed_pdf": script})

    assert response.status_code == 400
    assert "This file is not a PDF" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.signed_pdf


def test_a_web_page_named_pdf_is_refused(client, draft, personas, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.zone_officer)
    page = SimpleUploadedFile(
        "charter.pdf",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        content_type="application/pdf",
    )
    response = client.post(_url("charter_upload", draft), {"signed_pdf": page})

    assert response.status_code == 400
    assert "This file is not a PDF" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.signed_pdf


def test_an_oversized_upload_is_refused_before_it_is_read(client, draft, personas, media):
    client.force_login(personas.zone_officer)
    big = pdf_upload(content=PDF_BYTES + b"0" * (11 * 1024 * 1024))
    response = client.post(_url("charter_upload", draft), {"signed_pdf": big})

    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.signed_pdf


def test_recording_a_signature_through_the_page(client, draft, personas):
    client.force_login(personas.zone_officer)
    page = client.get(_url("charter_sign", draft) + "?signatory=coordinator").content.decode()
    assert 'value="Cas Wouters"' in page
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        _url("charter_sign", draft), {"signatory": "chief_of_police", "name": "Jan Smet", "signed_on": day}
    )
    assert response.status_code == 302
    signature = CharterSignature.objects.get(charter=draft)
    assert signature.name == "Jan Smet" and signature.recorded_by == personas.zone_officer


def test_submitting_a_complete_charter_through_the_page(client, draft, personas):
    complete_charter(draft, actor=personas.zone_officer)
    client.force_login(personas.zone_officer)
    response = client.post(_url("charter_submit", draft), follow=True)
    assert "The charter has been submitted to ADVP." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CharterStatus.SUBMITTED


def test_submitting_an_incomplete_charter_shows_why(client, draft, personas):
    client.force_login(personas.zone_officer)
    response = client.post(_url("charter_submit", draft), follow=True)
    assert "The signed charter (PDF) is not uploaded." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CharterStatus.DRAFT


def test_the_signed_pdf_is_served_only_in_scope(client, draft, personas, media):
    charter_upload_pdf(actor=personas.zone_officer, charter=draft, upload=pdf_upload())
    url = _url("charter_pdf", draft)
    assert_permission_matrix(client, url, allowed=viewers(personas), hidden=hidden(personas))
    client.force_login(personas.municipality_official)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    # The stored file is not reachable under a media URL.
    assert client.get("/media/" + draft.signed_pdf.name if draft.signed_pdf else "/media/x").status_code == 404


def test_no_pdf_yet_is_404(client, draft, personas):
    client.force_login(personas.advp_admin)
    assert client.get(_url("charter_pdf", draft)).status_code == 404


def test_letters_are_downloaded_only_in_scope(client, submitted, decide, personas):
    review = decide(submitted)
    letter = review.letters.get(recipient="mayor")
    url = reverse("networks:letter_download", args=[letter.network.code, letter.pk])

    assert_permission_matrix(client, url, allowed=viewers(personas), hidden=hidden(personas))
    client.force_login(personas.zone_officer)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    wrong_network = reverse("networks:letter_download", args=[personas.network_a.code, letter.pk])
    assert client.get(wrong_network).status_code == 404


def test_the_network_page_shows_versions_letters_and_the_start_button(client, network, personas, submitted, decide):
    decide(submitted)
    client.force_login(personas.zone_officer)
    page = client.get(network.get_absolute_url()).content.decode()

    assert submitted.get_absolute_url() in page
    assert "Start a new version of the charter" in page
    assert "ADVP/" in page

    client.force_login(personas.municipality_official)
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Start a new version of the charter" not in page and "ADVP/" in page


def test_a_submitted_charter_cannot_be_edited_through_the_pages(client, submitted, personas):
    client.force_login(personas.zone_officer)
    response = client.get(_url("charter_plan", submitted))
    assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()
    assert charter_create  # the next version starts from the network page, once ADVP has decided


def test_a_file_just_over_the_limit_is_not_stored(client, draft, personas, media):
    client.force_login(personas.zone_officer)
    big = pdf_upload(content=PDF_BYTES + b"0" * (10 * 1024 * 1024 + 100))
    response = client.post(_url("charter_upload", draft), {"signed_pdf": big})

    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.signed_pdf and not any(media.rglob("*"))


def test_the_upload_still_checks_the_csrf_token(draft, personas, media):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.zone_officer)
    response = client.post(_url("charter_upload", draft), {"signed_pdf": pdf_upload()})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert not draft.signed_pdf
