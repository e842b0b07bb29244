"""Certificates (training/services/certificates.py): codes with a check character, the lookup, the PDF (its text
read back with pypdf), the e-mail sent once with the PDF, and revoking."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from core.models import AuditEvent
from geography.models import Academy
from training.models import Certificate, Enrolment
from training.services import certificates as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_session, make_trainee):
    def make(*, academy=None, language="nl", **fields):
        session = make_session(days=-2, status="closed", academy=academy)
        trainee = make_trainee(first_name="Jeanne", last_name="Dupont", language=language)
        enrolment = Enrolment.objects.create(
            session=session, trainee=trainee, status="enrolled", source="zone", attendance="attended", result="passed"
        )
        values = {
            "enrolment": enrolment,
            "code": services.certificate_code_new(),
            "holder_name": trainee.full_name,
            "course_title": "BIN-opleiding",
            "issued_on": timezone.localdate(),
            "valid_until": timezone.localdate() + datetime.timedelta(days=5 * 365),
        }
        values.update(fields)
        return Certificate.objects.create(**values)

    return make


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- codes ---------------------------------------------------------------------------------------------------------


def test_a_new_code_is_well_formed_and_its_own_normal_form():
    codes = {services.certificate_code_new() for _i in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 16 and code.count("-") == 3
        assert services.certificate_code_normalise(code) == code
        assert services.certificate_code_normalise(code.lower().replace("-", " ")) == code


def test_typed_look_alikes_are_read_as_digits():
    body = "0000111100"
    code = services._formatted(body + "00" + services._check_character(body + "00"))
    typed = code.replace("0", "O").replace("1", "l")
    assert services.certificate_code_normalise(typed) == code


@pytest.mark.parametrize("text", ["", "hello", "ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN-PQ", "ABCU-EFGH-JKMN-P", "<script>"])
def test_malformed_codes_are_not_certificate_codes(text):
    with pytest.raises(ValidationError, match="This is not a certificate code"):
        services.certificate_code_normalise(text)


def test_every_single_typo_is_caught_by_the_check_character():
    code = services.certificate_code_new().replace("-", "")
    for index in range(len(code)):
        for char in services.ALPHABET:
            if char == code[index]:
                continue
            forged = code[:index] + char + code[index + 1 :]
            with pytest.raises(ValidationError):
                services.certificate_code_normalise(forged)


def test_lookup_tells_unknown_from_malformed(certificate):
    issued = certificate()
    assert services.certificate_lookup(issued.code.lower()) == issued
    assert services.certificate_lookup(services.certificate_code_new()) is None
    with pytest.raises(ValidationError):
        services.certificate_lookup(issued.code[:-1] + ("0" if issued.code[-1] != "0" else "1"))


# --- PDF and e-mail ------------------------------------------------------------------------------------------------


def test_the_pdf_names_holder_course_academy_modules_and_code(certificate):
    issued = certificate(language="fr")
    text = pdf_text(services.certificate_pdf(issued))
    assert "Jeanne Dupont" in text and "Formation PLP" in text and issued.code in text
    assert "Module 1" in text and "4 h" in text  # 240 minutes
    assert Academy.objects.get(code="vesta").name_fr.split()[0] in text
    assert f"/training/verify/{issued.code}/" in text.replace("\n", "")
    english = pdf_text(services.certificate_pdf(issued, "en"))
    assert "Certificate" in english and "Verification code" in english


def test_the_certificate_is_emailed_once_with_its_pdf(certificate, smtp_server):
    issued = certificate()
    assert services.certificate_send(certificate_id=issued.pk) is True
    assert services.certificate_send(certificate_id=issued.pk) is False
    [message] = smtp_server.messages
    assert message["To"] == issued.enrolment.trainee.email
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == f"certificate-{issued.code}.pdf"
    assert "Jeanne Dupont" in pdf_text(attachment.get_content())
    issued.refresh_from_db()
    assert issued.emailed_at is not None


def test_a_failed_send_is_not_marked_sent(certificate, settings):
    issued = certificate()
    settings.EMAIL_PORT = 1  # nothing listens: the send fails, the retry must send it
    with pytest.raises(OSError):
        services.certificate_send(certificate_id=issued.pk)
    issued.refresh_from_db()
    assert issued.emailed_at is None


# --- revoking ------------------------------------------------------------------------------------------------------


def test_the_academys_trainer_revokes_with_a_reason(personas, certificate):
    issued = certificate()
    revoked = services.certificate_revoke(actor=personas.trainer, certificate=issued, reason="Fraud at the test")
    assert revoked.revoked_at is not None and revoked.revoked_reason == "Fraud at the test"
    assert AuditEvent.objects.filter(action="revoke", object_id=str(issued.pk)).exists()
    with pytest.raises(ValidationError, match="already revoked"):
        services.certificate_revoke(actor=personas.knowledge_centre, certificate=revoked, reason="again")


def test_revoking_needs_a_reason_and_the_right(personas, certificate):
    issued = certificate(academy=Academy.objects.exclude(code="vesta").first())
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=personas.trainer, certificate=issued, reason="x")
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=personas.zone_officer, certificate=issued, reason="x")
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(actor=personas.knowledge_centre, certificate=issued, reason="")
    assert error.value.message_dict["reason"] == ["Say why the certificate is revoked."]
    issued.refresh_from_db()
    assert issued.revoked_at is None
