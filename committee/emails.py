"""E-mails of the committee, written in the recipient's language from
`templates/committee/email/<name>_{subject,message}.{txt,html}`, with an optional .ics invitation attached."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def committee_email(
    *, template: str, context: dict, to: str, language: str, ics: bytes | None = None, ics_method: str = "REQUEST"
) -> EmailMultiAlternatives:
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "language": language, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"committee/email/{template}_subject.txt", context).split())
        text = render_to_string(f"committee/email/{template}_message.txt", context)
        html = render_to_string(f"committee/email/{template}_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    if ics is not None:
        message.attach("invitation.ics", ics, f"text/calendar; charset=utf-8; method={ics_method}")
    return message
