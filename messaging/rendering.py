"""What a delivery says: the e-mail (text + HTML, rating/reply/unsubscribe links, List-Unsubscribe) and the SMS.

A message is rendered once per language with placeholders for the member's own links, which are then filled in per
delivery: 100,000 e-mails cost one template rendering per language, not one per member."""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from practices.text import practice_html as markdown_html

from .models import Message
from .tokens import member_link_token

PLACEHOLDERS = {
    "useful": "@@BINPLP-USEFUL@@",
    "not_useful": "@@BINPLP-NOT-USEFUL@@",
    "reply": "@@BINPLP-REPLY@@",
    "unsubscribe": "@@BINPLP-UNSUBSCRIBE@@",
}
TOKEN_PLACEHOLDER = "@@BINPLP-TOKEN@@"


def _link(route: str) -> str:
    from django.urls import reverse

    args = [TOKEN_PLACEHOLDER] + (["useful"] if route == "useful" else ["not-useful"] if route == "not_useful" else [])
    name = {"useful": "rate", "not_useful": "rate"}.get(route, route)
    return settings.SITE_URL.rstrip("/") + reverse(f"messaging:{name}", args=args)


class RenderedEmail:
    """The subject, text and HTML of one message in one language, with link placeholders."""

    def __init__(self, message: Message, language: str) -> None:
        code, text = message.text_for(language)
        self.language = code or language
        with translation.override(self.language):
            context = {
                "message": message,
                "title": text.get("title", ""),
                "body": text.get("body", ""),
                "body_html": markdown_html(text.get("body", "")),
                "links": {key: _link(key) for key in PLACEHOLDERS},
                "urgent": message.is_urgent,
                "type_label": message.get_type_display(),
            }
            self.subject = " ".join(render_to_string("messaging/email/message_subject.txt", context).split())
            self.text = render_to_string("messaging/email/message.txt", context)
            self.html = render_to_string("messaging/email/message.html", context)
        self.list_unsubscribe_url = _link("unsubscribe")

    def build(self, *, delivery_id: int, message_id: int, member_id: int, to: str) -> EmailMultiAlternatives:
        token = member_link_token(message_id=message_id, member_id=member_id)
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(TOKEN_PLACEHOLDER, token),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={
                "Message-ID": make_msgid(idstring=f"d{delivery_id}", domain="binplp"),
                "List-Unsubscribe": f"<{self.list_unsubscribe_url.replace(TOKEN_PLACEHOLDER, token)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": self.language,
                "X-BINPLP-Delivery": str(delivery_id),
            },
        )
        email.attach_alternative(self.html.replace(TOKEN_PLACEHOLDER, token), "text/html")
        return email


def sms_text(message: Message, language: str) -> str:
    """The SMS of a message: its short text in the member's language, else its title."""
    _code, text = message.text_for(language)
    return text.get("sms") or text.get("title", "")
