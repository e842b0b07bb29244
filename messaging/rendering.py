"""What a delivery says: the e-mail (text + HTML, rating/reply/unsubscribe links, List-Unsubscribe) and the SMS.

A message is rendered once per language with placeholders for the member's own links, which are then filled in per
delivery: 100,000 e-mails cost one template rendering per language, not one per member."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
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
TOKEN_PLACEHOLDER = "@@BINPLP-TOKEN@@"  # noqa: S105 - a placeholder, not a secret  # nosec B105


def _link(route: str) -> str:
    from django.urls import reverse

    args = [TOKEN_PLACEHOLDER] + (["useful"] if route == "useful" else ["not-useful"] if route == "not_useful" else [])
    name = {"useful": "rate", "not_useful": "rate"}.get(route, route)
    return settings.SITE_URL.rstrip("/") + reverse(f"messaging:{name}", args=args)


class RenderedEmail:
    """One message in one language as the bytes of a finished e-mail (built once by Django's EmailMultiAlternatives:
    text + HTML, headers), with placeholders for what differs per member: the address, the Message-ID, the
    delivery id and the signed token of the member's links. `for_member` fills them in with a few byte
    replacements, so 100,000 e-mails cost one MIME build per language instead of one per member."""

    TO = "binplp-recipient@placeholder.invalid"
    MESSAGE_ID = "<binplp-message-id@placeholder.invalid>"
    DELIVERY = "binplp-delivery-id"

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
            subject = " ".join(render_to_string("messaging/email/message_subject.txt", context).split())
            body = render_to_string("messaging/email/message.txt", context)
            html = render_to_string("messaging/email/message.html", context)
        email = EmailMultiAlternatives(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.TO],
            headers={
                "Message-ID": self.MESSAGE_ID,
                "List-Unsubscribe": f"<{_link('unsubscribe')}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": self.language,
                "X-BINPLP-Delivery": self.DELIVERY,
            },
        )
        email.attach_alternative(html, "text/html")
        self.subject = subject
        self.from_email = sanitize_address(settings.DEFAULT_FROM_EMAIL, email.encoding or settings.DEFAULT_CHARSET)
        self.template = email.message().as_bytes(linesep="\r\n")
        for marker in (self.TO, self.MESSAGE_ID, self.DELIVERY, TOKEN_PLACEHOLDER):
            if marker.encode() not in self.template:  # the MIME encoding must have left the markers intact
                raise RuntimeError(f"e-mail template lost its placeholder {marker}")

    def for_member(self, *, delivery_id: int, message_id: int, member_id: int, to: str) -> tuple[str, bytes]:
        """(envelope recipient, message bytes) of one delivery."""
        address = to if to.isascii() else sanitize_address(to, "utf-8")
        token = member_link_token(message_id=message_id, member_id=member_id)
        data = (
            self.template.replace(self.TO.encode(), address.encode())
            .replace(self.MESSAGE_ID.encode(), f"<d{delivery_id}.{secrets.token_hex(6)}@binplp>".encode())
            .replace(self.DELIVERY.encode(), str(delivery_id).encode())
            .replace(TOKEN_PLACEHOLDER.encode(), token.encode())
        )
        return address, data


def sms_text(message: Message, language: str) -> str:
    """The SMS of a message: its short text in the member's language, else its title."""
    _code, text = message.text_for(language)
    return text.get("sms") or text.get("title", "")
