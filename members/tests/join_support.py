"""Helpers for the join and documents tests: the national documents (restored after a flush by a transactional
test), the join form's data, and reading confirmation links from e-mails."""

from __future__ import annotations

import importlib
import re

from django.apps import apps
from django.conf import settings

from members.choices import DocumentKind
from members.services.documents import document_current

PASSWORD_FREE_EMAIL = "new.person@example.be"
_first_documents = importlib.import_module("members.migrations.0002_first_documents")


def ensure_first_documents() -> None:
    """Version 2026-1 of the national documents, as the data migration creates them."""
    _first_documents.create_first_documents(apps)


def join_data(network, **overrides) -> dict:
    """A complete, valid join form for `network` (an address in network A's area by default)."""
    data = {
        "first_name": "Nora",
        "last_name": "Nieuwlid",
        "email": PASSWORD_FREE_EMAIL,
        "mobile": "0470 12 34 56",
        "street": "Meir",
        "house_number": "25",
        "box": "",
        "postal_code": "2000",
        "language": "en",
        "by_email": "on",
        "adult_confirmed": "on",
        "accept_rules": "on",
        "accept_privacy": "on",
        "rules_document": document_current(kind=DocumentKind.INTERNAL_RULES, network=network).pk,
        "privacy_document": document_current(kind=DocumentKind.PRIVACY_NOTICE).pk,
        "website": "",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


CONFIRM_LINK = re.compile(re.escape(settings.SITE_URL) + r"(/join/confirm/[^/\s\"<>]+/)")


def confirm_path(message) -> str:
    """The path of the confirmation link in a confirmation e-mail (text part)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = CONFIRM_LINK.search(text)
    assert match, text
    return match.group(1)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
