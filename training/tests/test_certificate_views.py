"""Certificate pages (training/views_certificate.py): the public verification (valid, revoked, expired, unknown,
malformed and forged codes; only name, course and dates shown; rate limited per address), the scoped PDF and
revoking."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from core.testing.matrix import ANONYMOUS_ALLOWED, assert_permission_matrix
from geography.models import Academy
from training.models import Certificate, Enrolment
from training.services.certificates import certificate_code_new

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def english(personas):
    from accounts.models import User

    User.objects.update(language="en")
    return personas


@pytest.fixture
def certificate(make_session, make_trainee):
    def make(*, academy=None, **fields):
        session = make_session(days=-2, status="closed", academy=academy)
        trainee = make_trainee(
            first_name="Jeanne",
            last_name="Dupont",
            email=f"j{Certificate.objects.count()}@p.test",
            function="Inspecteur",
        )
        enrolment = Enrolment.objects.create(
            session=session, trainee=trainee, status="enrolled", source="zone", attendance="attended", result="passed"
        )
        values = {
            "enrolment": enrolment,
            "code": certificate_code_new(),
            "holder_name": trainee.full_name,
            "course_title": "BIN course",
            "issued_on": datetime.date(2026, 3, 4),
            "valid_until": datetime.date(2031, 3, 4),
        }
        values.update(fields)
        return Certificate.objects.create(**values)

    return make


def get(client, url):
    client.cookies["binplp_language"] = "en"
    return client.get(url)


def test_a_valid_code_shows_name_course_and_dates_only(client, certificate):
    issued = certificate()
    response = get(client, f"/training/verify/{issued.code}/")
    page = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid" in page
    assert "Jeanne Dupont" in page and "BIN course" in page and "March 4, 2026" in page and "March 4, 2031" in page
    for secret in ("Inspecteur", issued.enrolment.trainee.email, "Vesta", "Antwerpen"):
        assert secret not in page


def test_the_form_goes_to_the_codes_page_and_forgives_typing(client, certificate):
    issued = certificate()
    typed = issued.code.lower().replace("-", " ")
    response = get(client, f"/training/verify/?code={typed}")
    assert response.status_code == 302 and response["Location"] == f"/training/verify/{issued.code}/"


def test_revoked_and_expired_are_told(client, certificate):
    revoked = certificate(revoked_at=timezone.now(), revoked_reason="fraud")
    expired = certificate(issued_on=datetime.date(2019, 1, 1), valid_until=datetime.date(2024, 1, 1))
    page = get(client, f"/training/verify/{revoked.code}/").content.decode()
    assert "This certificate has been revoked" in page and "fraud" not in page
    page = get(client, f"/training/verify/{expired.code}/").content.decode()
    assert "This certificate has expired" in page


def test_unknown_and_malformed_codes_get_their_own_message(client, certificate):
    certificate()
    unknown = certificate_code_new()
    response = get(client, f"/training/verify/{unknown}/")
    assert response.status_code == 404 and "No certificate has the code" in response.content.decode()
    for forged in ("ABCD-EFGH", "0000-0000-0000-1", "%3Cscript%3E"):
        response = get(client, f"/training/verify/{forged}/")
        assert response.status_code == 400 and "This is not a certificate code" in response.content.decode()
    response = get(client, "/training/verify/?code=hello")
    assert response.status_code == 400 and "This is not a certificate code" in response.content.decode()


def test_verification_is_rate_limited_per_address(client, settings, certificate):
    settings.BINPLP_TRAINING_VERIFY_RATE_PER_HOUR = 3
    issued = certificate()
    for _i in range(3):
        assert get(client, f"/training/verify/{issued.code}/").status_code == 200
    response = get(client, f"/training/verify/{issued.code}/")
    assert response.status_code == 429 and "Too many verifications" in response.content.decode()
    assert get(client, f"/training/verify/?code={issued.code}").status_code == 429
    assert get(client, "/training/verify/").status_code == 200  # the empty form is not counted


def test_matrix_of_the_pdf_and_revoke(client, english, certificate, make_officer):
    ours = certificate()
    assert_permission_matrix(
        client,
        "/training/verify/",
        anonymous=ANONYMOUS_ALLOWED,
        allowed=[english.outsider],
    )
    assert_permission_matrix(
        client,
        f"/training/certificates/{ours.pk}/pdf/",
        # National roles should be allowed too; see the report (certificate_rule: `own | Q()` drops the Q()).
        allowed=[english.trainer, english.zone_officer],
        hidden=[english.other_zone_officer, english.outsider, english.coordinator],
    )
    assert_permission_matrix(
        client,
        f"/training/certificates/{ours.pk}/revoke/",
        allowed=[english.trainer],
        in_scope_wrong_role=[english.zone_officer],
        hidden=[english.other_zone_officer, english.outsider],
    )
    theirs = certificate(academy=Academy.objects.exclude(code="vesta").first())
    assert_permission_matrix(client, f"/training/certificates/{theirs.pk}/revoke/", hidden=[english.trainer])


def test_national_roles_see_certificates_and_the_knowledge_centre_revokes(client, english, certificate):
    theirs = certificate(academy=Academy.objects.exclude(code="vesta").first())
    assert_permission_matrix(
        client, f"/training/certificates/{theirs.pk}/pdf/", allowed=[english.advp_admin, english.knowledge_centre]
    )
    assert_permission_matrix(
        client,
        f"/training/certificates/{theirs.pk}/revoke/",
        allowed=[english.knowledge_centre],
        in_scope_wrong_role=[english.advp_admin],
    )


def test_the_pdf_download(client, english, certificate):
    issued = certificate()
    client.force_login(english.zone_officer)
    response = client.get(f"/training/certificates/{issued.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Jeanne Dupont" in text and issued.code in text


def test_revoking_through_the_page(client, english, certificate):
    issued = certificate()
    client.force_login(english.trainer)
    client.cookies["binplp_language"] = "en"
    response = client.post(f"/training/certificates/{issued.pk}/revoke/", {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(f"/training/certificates/{issued.pk}/revoke/", {"reason": "Mistaken result"})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.revoked_reason == "Mistaken result"
    client.logout()
    assert "This certificate has been revoked" in get(client, f"/training/verify/{issued.code}/").content.decode()
