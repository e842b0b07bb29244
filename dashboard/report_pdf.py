"""The annual report as a PDF (WeasyPrint), one per language: a cover, the foreword, then the sections with their
charts (inline SVG) and tables, page numbers in the footer. It renders the same document as the web page
(report_document). A frozen report's PDF is kept in the cache (its figures and texts never change); a draft's is
kept while neither its texts nor its figures change (both are in the key)."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import FONTS, html_to_pdf

from . import opendata_selectors as opendata
from .models import AnnualReport
from .report_document import build_document, report_figures

LANGUAGES = ("nl", "fr", "de", "en")
PDF_CACHE_SECONDS = 24 * 3600


def report_filename(report: AnnualReport, language: str) -> str:
    suffix = "" if report.is_frozen else "-draft"
    return f"annual-report-{report.year}-{language}{suffix}.pdf"


def report_html(report: AnnualReport, language: str) -> str:
    with translation.override(language):
        document = build_document(report, language)
        footer = "".join(ch for ch in f"binplp · {document.title}" if ch not in '"\\<>')
        return render_to_string(
            "dashboard/report/pdf.html",
            {"document": document, "fonts": FONTS, "footer": footer, "attribution": opendata.attribution()},
        )


def render_report_pdf(report: AnnualReport, language: str) -> bytes:
    """The PDF, rendered now (no cache)."""
    return html_to_pdf(report_html(report, language))


def report_pdf(report: AnnualReport, language: str) -> bytes:
    """The PDF in `language`, from the cache when nothing it shows has changed."""
    if language not in LANGUAGES:
        raise ValueError(f"No report in {language!r}")
    stamp = report.updated_at.isoformat() if report.updated_at else ""
    if not report.is_frozen:
        # the figures themselves: two computations within one second may differ (computed_at alone would not tell)
        stamp += json.dumps(report_figures(report), sort_keys=True, default=str)
    key = "dashboard:report-pdf:v1:" + hashlib.sha256(f"{report.pk}|{language}|{stamp}".encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_report_pdf(report, language)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
