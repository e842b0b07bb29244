"""Plain-text excerpts of the Markdown fields, for search results and the feed (no HTML reaches them)."""

from __future__ import annotations

import re

_MARKUP = re.compile(r"[#*_`>\[\]]+|\(https?://[^)]*\)|^\s*[-+]\s+", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def plain_excerpt(text: str, length: int = 240) -> str:
    """The first `length` characters of a Markdown text without its markup, cut at a word."""
    plain = _SPACES.sub(" ", _MARKUP.sub(" ", text or "")).strip()
    if len(plain) <= length:
        return plain
    return plain[:length].rsplit(" ", 1)[0] + "…"
