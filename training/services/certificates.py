"""Certificates of the BIN course: their verification code, the PDF, the e-mail to the holder, revoking, and the
public lookup.

A code is 12 random Crockford base-32 characters and a check character, written in groups of four:
`7KQ4-M2XD-9TPA-F`. The check character (Luhn mod 32) catches every single mistyped character and almost every
swap of two neighbours, so the verification page tells a typo ("this is not a certificate code") from a well-formed
code that was never issued ("no certificate has this code"). Crockford's alphabet has no I, L, O or U; people who
type them mean 1, 1, 0 (U is refused).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.pdf import FONTS, html_to_pdf
from core.scoping import can

from ..emails import LANGUAGES, training_email
from ..models import Certificate, Enrolment, in_language

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 12
GROUP = 4
_TYPED = str.maketrans({"I": "1", "L": "1", "O": "0"})


# --- Codes ---------------------------------------------------------------------------------------------------------


def _check_character(body: str) -> str:
    """Luhn mod N over the Crockford alphabet (N = 32)."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def _formatted(compact: str) -> str:
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def certificate_code_new() -> str:
    """A fresh random code, formatted (uniqueness is the database's job: the caller retries on a clash)."""
    body = "".join(secrets.choice(ALPHABET) for _i in range(RANDOM_LENGTH))
    return _formatted(body + _check_character(body))


def certificate_code_normalise(text: str) -> str:
    """The code as stored, from what a person typed (any case, spaces or dashes, I/L/O for 1/1/0). Raises a
    ValidationError "not a certificate code" when it cannot be one."""
    compact = "".join(ch for ch in str(text or "").upper() if ch not in " -\t\r\n.").translate(_TYPED)
    if (
        len(compact) != RANDOM_LENGTH + 1
        or any(ch not in ALPHABET for ch in compact)
        or _check_character(compact[:-1]) != compact[-1]
    ):
        raise ValidationError(
            _(
                "This is not a certificate code. A code has 13 letters and digits, as printed on the certificate "
                "(for example 7KQ4-M2XD-9TPA-F); check for a mistyped character."
            ),
            code="not_a_code",
        )
    return _formatted(compact)


def certificate_lookup(code: str) -> Certificate | None:
    """The certificate with this code, or None when a well-formed code was never issued. Raises ValidationError for a
    malformed code (see certificate_code_normalise)."""
    return Certificate.objects.filter(code=certificate_code_normalise(code)).first()


def certificate_verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("training:certificate_verify_code", args=[certificate.code])


# --- Issuing (called by session_close, inside its transaction) -----------------------------------------------------


def certificate_issue(*, actor: User | None, enrolment: Enrolment, issued_on: datetime.date) -> Certificate:
    """Issue the certificate of a passed enrolment. Runs inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("certificate_issue runs inside the transaction of the session's closing")
    version = enrolment.session.version
    valid_until = None
    if version.certificate_valid_years:
        try:
            valid_until = issued_on.replace(year=issued_on.year + version.certificate_valid_years)
        except ValueError:  # 29 February
            valid_until = issued_on.replace(year=issued_on.year + version.certificate_valid_years, day=28)
    with translation.override(enrolment.trainee.language):
        course_title = version.course.title
    for _attempt in range(5):
        code = certificate_code_new()
        if not Certificate.objects.filter(code=code).exists():
            break
    certificate = Certificate(
        enrolment=enrolment,
        code=code,
        holder_name=enrolment.trainee.full_name,
        course_title=course_title,
        issued_on=issued_on,
        valid_until=valid_until,
    )
    certificate.full_clean()
    certificate.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=certificate,
        changes={"enrolment": enrolment.pk, "issued_on": issued_on, "valid_until": valid_until},
    )
    return certificate


# --- The PDF -------------------------------------------------------------------------------------------------------


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": f"{rest:02d}"}


def certificate_context(certificate: Certificate) -> dict:
    """What the PDF shows; call inside the language the PDF is written in."""
    enrolment = certificate.enrolment
    session = enrolment.session
    version = session.version
    modules = list(version.modules.all())
    return {
        "fonts": FONTS,
        "certificate": certificate,
        "holder_name": certificate.holder_name,
        # The PDF's language, like its modules (the verification page shows the title as issued).
        "course_title": in_language(version.course, "title") or certificate.course_title,
        "academy": session.academy.name,
        "session_date": date_format(timezone.localtime(session.starts_at).date(), "DATE_FORMAT"),
        "issued_on": date_format(certificate.issued_on, "DATE_FORMAT"),
        "valid_until": date_format(certificate.valid_until, "DATE_FORMAT") if certificate.valid_until else "",
        "modules": [{"title": in_language(m, "title"), "duration": _duration(m.minutes)} for m in modules],
        "total_duration": _duration(sum(m.minutes for m in modules)),
        "version": version.number,
        "code": certificate.code,
        "verify_url": certificate_verify_url(certificate),
        "revoked": certificate.revoked_at is not None,
    }


def certificate_pdf(certificate: Certificate, language: str | None = None) -> bytes:
    """The certificate as a PDF, in `language` (by default the holder's), with the shipped fonts."""
    language = language or certificate.enrolment.trainee.language
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "training/certificate/pdf.html", {**certificate_context(certificate), "language": language}
        )
    return html_to_pdf(html)


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


# --- Sending -------------------------------------------------------------------------------------------------------


def certificate_send(*, certificate_id: int) -> bool:
    """E-mail the certificate, with its PDF, to its holder once: the row stays locked while the message goes to the
    SMTP server and `emailed_at` is set in the same transaction, so a retry after a failure sends it, and a retry
    after a success does not. Skipped for a revoked certificate."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee", "enrolment__session__academy", "enrolment__session__version__course")
            .filter(pk=certificate_id, emailed_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if certificate is None:
            return False
        trainee = certificate.enrolment.trainee
        pdf = certificate_pdf(certificate, trainee.language)
        message = training_email(
            template="certificate_issued",
            context={
                "certificate": certificate,
                "trainee": trainee,
                "session": certificate.enrolment.session,
                "verify_url": certificate_verify_url(certificate),
            },
            to=trainee.email,
            language=trainee.language,
            attachments=[(certificate_filename(certificate), pdf, "application/pdf")],
        )
        message.send()
        Certificate.objects.filter(pk=certificate.pk).update(emailed_at=timezone.now())
    return True


# --- Revoking ------------------------------------------------------------------------------------------------------


def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (the Knowledge Centre, or the trainers of the academy that issued it): the verification
    page then says it is revoked, and coverage no longer counts it."""
    if not can(actor, "change", certificate):
        raise PermissionDenied(_("You cannot revoke this certificate."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")}, code="reason_required")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise ValidationError(_("This certificate was already revoked."), code="already_revoked")
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason[:300]
        certificate.full_clean()
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.REVOKE,
            obj=certificate,
            changes={
                "revoked_at": [None, certificate.revoked_at],
                "revoked_reason": [None, certificate.revoked_reason],
            },
        )
    return certificate
