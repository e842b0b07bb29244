"""Markdown shipped with the project (SOURCES.md) rendered as clean HTML."""

from __future__ import annotations

from functools import cache

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .sources import SOURCES_FILE


def _clean_html(text: str, heading_level: int) -> str:
    html = markdown.markdown(
        text, extensions=["tables", "toc"], extension_configs={"toc": {"baselevel": heading_level}}
    )
    return nh3.clean(html)


def _wrap_tables(html: str, label: str) -> SafeString:
    # A wide table scrolls sideways; the scrolling box must be reachable and named for keyboard users.
    opening = f'<div class="table-wrap" tabindex="0" role="region" aria-label="{escape(label)}"><table>'
    return mark_safe(html.replace("<table>", opening).replace("</table>", "</table></div>"))  # noqa: S308 - nh3-cleaned  # nosec B308 B703


@cache
def _sources_clean_html() -> str:
    # The file ships with the code: read and clean it once per process.
    return _clean_html(SOURCES_FILE.read_text(encoding="utf-8"), heading_level=3)


def sources_html() -> SafeString:
    """geography/data/SOURCES.md as HTML."""
    return _wrap_tables(_sources_clean_html(), gettext("The data files"))
