"""ADVP's letters on a charter decision: written as PDF (WeasyPrint) in the main municipality's language, filed
on the network, and e-mailed to the officials of the zone and of the municipality.

The letter texts are official correspondence, written directly in Dutch, French and German in
`networks/letters/templates/` (see the README there) and rendered by their own template engine with the fonts
shipped next to them, so a letter looks the same on every machine.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.pdf import FONTS, LETTERS_DIR, html_to_pdf
from core.roles import Role
from geography.models import Municipality, PoliceZone

from ..choices import LetterLanguage, LetterRecipient
from ..models import CharterReview, ChecklistItem, Letter

TEMPLATES = {
    LetterLanguage.NL: "letters/nl.html",
    LetterLanguage.FR: "letters/fr.html",
    LetterLanguage.DE: "letters/de.html",
    LetterLanguage.NL_FR: "letters/nl-fr.html",
}
# The chief of police's letter comes first (reference …/1), the mayor's second (…/2).
RECIPIENTS = (LetterRecipient.CHIEF_OF_POLICE, LetterRecipient.MAYOR)

_engine = Engine(dirs=[str(LETTERS_DIR / "templates")], autoescape=True)


def letter_language(municipality: Municipality) -> str:
    """The language regime of the main municipality decides the letter: nl, fr, de, or nl+fr in Brussels."""
    return municipality.language if municipality.language in LetterLanguage.values else LetterLanguage.NL


def letter_reference(*, review: CharterReview, recipient: str) -> str:
    year = timezone.localtime(review.decided_at).year if review.decided_at else timezone.localdate().year
    return f"ADVP/{year}/{review.pk:05d}/{RECIPIENTS.index(recipient) + 1}"


def _long_date(day: datetime.date, language: str) -> str:
    with translation.override(language):
        text = date_format(day, "j. F Y" if language == "de" else "j F Y")
    if language == "fr" and day.day == 1:
        text = "1er" + text[1:]
    return text


def _municipality_name(municipality: Municipality, language: str) -> str:
    if language == "fr":
        return municipality.name_fr or municipality.name_nl
    if language == "de":
        local = municipality.name_fr if municipality.language == "fr" else municipality.name_nl
        return municipality.name_de or local
    return municipality.name_nl or municipality.name_fr


def _item_text(item: ChecklistItem, language: str) -> str:
    return getattr(item, f"text_{language}", "") or item.text_nl


def letter_context(*, review: CharterReview, recipient: str, language: str, reference: str) -> dict:
    """What a letter template needs, with dates, names and checklist texts already in each of its languages."""
    charter = review.charter
    network = charter.network
    decided_on = timezone.localdate(review.decided_at) if review.decided_at else timezone.localdate()
    submitted_on = timezone.localdate(charter.submitted_at) if charter.submitted_at else decided_on
    unsatisfied = [result for result in review.item_results.all() if not result.satisfied]
    texts = {
        lang: {
            "date": _long_date(decided_on, lang),
            "submitted": _long_date(submitted_on, lang),
            "municipality": _municipality_name(network.municipality, lang),
            "items": [{"text": _item_text(result.item, lang), "remark": result.remark} for result in unsatisfied],
        }
        for lang in language.split("+")
    }
    reviewer = review.reviewer
    return {
        "html_lang": language.split("+")[0],
        "title": f"{reference} – {network.code}",
        "fonts": FONTS,
        "reference": reference,
        "recipient": recipient,
        "decision": review.decision,
        "network": {"name": network.name, "code": network.code, "kind": network.kind},
        "version": charter.version,
        "zone_name": network.zone.name,
        "reviewer_name": (reviewer.get_full_name() or reviewer.email) if reviewer else "",
        "remarks": review.remarks,
        "t": texts,
    }


def letter_html(context: dict, language: str) -> str:
    return _engine.get_template(TEMPLATES[language]).render(Context(context))


def letter_pdf(context: dict, language: str) -> bytes:
    return html_to_pdf(letter_html(context, language))


def letters_generate(*, actor, review: CharterReview) -> list[Letter]:
    """Write and file the two letters of a decided review. Runs inside the decision's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("letters_generate runs inside the transaction of the decision")
    network = review.charter.network
    language = letter_language(network.municipality)
    letters = []
    for recipient in RECIPIENTS:
        reference = letter_reference(review=review, recipient=recipient)
        context = letter_context(review=review, recipient=recipient, language=language, reference=reference)
        letter = Letter(
            network=network,
            charter=review.charter,
            review=review,
            recipient=recipient,
            reference=reference,
            language=language,
        )
        letter.pdf.save("letter.pdf", ContentFile(letter_pdf(context, language)), save=False)
        letter.full_clean()
        letter.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=letter)
        letters.append(letter)
    return letters


def letter_recipient_users(letter: Letter) -> list[User]:
    """Who receives the letter by e-mail: the mandated officers of the network's zone (letter to the chief of
    police) or the municipal officials of its main municipality (letter to the mayor)."""
    network = letter.network
    if letter.recipient == LetterRecipient.CHIEF_OF_POLICE:
        role, model, scope_id = Role.ZONE_OFFICER, PoliceZone, network.zone_id
    else:
        role, model, scope_id = Role.MUNICIPAL_OFFICIAL, Municipality, network.municipality_id
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__scope_type=ContentType.objects.get_for_model(model),
            role_assignments__scope_id=scope_id,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("email")
    )


def _letter_message(letter: Letter, addresses: list[str]) -> EmailMessage:
    subjects, bodies = [], []
    for language in letter.language.split("+"):
        with translation.override(language):
            context = {
                "letter": letter,
                "network": letter.network,
                "charter": letter.charter,
                "recipient": letter.get_recipient_display(),
                "decision": letter.review.get_decision_display(),
                "network_url": settings.SITE_URL + letter.network.get_absolute_url(),
            }
            subjects.append(" ".join(render_to_string("networks/email/letter_subject.txt", context).split()))
            bodies.append(render_to_string("networks/email/letter_message.txt", context).strip())
    message = EmailMessage(
        subject=" / ".join(subjects),
        body="\n\n————————————————\n\n".join(bodies) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
        headers={"Content-Language": ", ".join(letter.language.split("+"))},
    )
    with letter.pdf.open("rb") as pdf:
        message.attach(f"{letter.reference.replace('/', '-')}.pdf", pdf.read(), "application/pdf")
    return message


def letter_send_email(*, letter_id: int) -> bool:
    """E-mail one letter with its PDF attached, at least once: the row stays locked while the message is handed to
    the SMTP server and is marked sent in the same transaction, so a crash before the mark sends it again on the
    retry rather than never. Letters already sent are skipped; without any recipient holding the role, the letter
    stays filed and unsent. Returns whether an e-mail left."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .filter(pk=letter_id, emailed_at__isnull=True)
            .select_related("network__zone", "network__municipality", "charter", "review")
            .first()
        )
        if letter is None:
            return False
        addresses = [user.email for user in letter_recipient_users(letter)]
        if not addresses:
            return False
        _letter_message(letter, addresses).send()
        letter.emailed_at = timezone.now()
        letter.emailed_to = addresses
        letter.save(update_fields=["emailed_at", "emailed_to"])
        audit_record(actor=None, action=AuditAction.UPDATE, obj=letter, changes={"emailed_to": [[], addresses]})
    return True
