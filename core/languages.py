"""Texts kept per language on a model (`title_nl`, `title_fr`, `title_de`, `title_en`): the one to show."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_<language>`, else the Dutch, French, German or English text, whichever exists first."""
    language = (language or get_language() or "nl")[:2]
    for code in (language, "nl", "fr", "de", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""
