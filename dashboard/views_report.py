"""The annual report's pages under /statistics/reports/: the list (frozen reports for everybody; drafts and the start
form for ADVP and the Knowledge Centre), a report in the reader's language with its PDF in each language, and ADVP's
texts, freezing and dropping a draft. A draft does not exist for anybody else (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors

from . import report_permissions as permissions
from . import report_services as services
from .models import AnnualReport, AnnualReportStatus
from .report_document import build_document
from .report_forms import ReportStartForm, ReportTextsForm
from .report_pdf import LANGUAGES, report_filename, report_pdf
from .report_selectors import section_titles

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}


def _report(request, year: int) -> AnnualReport:
    report = AnnualReport.objects.filter(year=year).first()
    if report is None or not permissions.can_read(request.user, report):
        raise Http404
    return report


def _language(request) -> str:
    language = (get_language() or "nl")[:2]
    return language if language in LANGUAGES else "nl"


@require_GET
def report_list(request):
    reports = AnnualReport.objects.all()
    if not permissions.can_read_drafts(request.user):
        reports = reports.filter(status=AnnualReportStatus.FROZEN)
    return render(
        request,
        "dashboard/report/report_list.html",
        {
            "reports": list(reports),
            "can_write": permissions.can_write_reports(request.user),
            "form": ReportStartForm(),
            "languages": LANGUAGE_NAMES,
        },
    )


@require_POST
@require(signed_in)
def report_start(request):
    if not permissions.can_write_reports(request.user):
        raise PermissionDenied
    form = ReportStartForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_start(actor=request.user, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(request, _("The draft report is ready. Write the foreword and comments, then freeze it."))
            return redirect(report)
    reports = AnnualReport.objects.all()
    return render(
        request,
        "dashboard/report/report_list.html",
        {"reports": list(reports), "can_write": True, "form": form, "languages": LANGUAGE_NAMES},
        status=400,
    )


@require_GET
def report_detail(request, year: int):
    report = _report(request, year)
    language = _language(request)
    document = build_document(report, language)
    return render(
        request,
        "dashboard/report/report_detail.html",
        {
            "report": report,
            "document": document,
            "can_write": permissions.can_write_reports(request.user) and not report.is_frozen,
            "pdfs": [
                (code, name, reverse("dashboard:report_pdf", args=[report.year, code]))
                for code, name in LANGUAGE_NAMES.items()
            ],
        },
    )


@require_GET
def report_pdf_download(request, year: int, language: str):
    report = _report(request, year)
    if language not in LANGUAGES:
        raise Http404
    response = HttpResponse(report_pdf(report, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, language)}"'
    response["Cache-Control"] = "public, max-age=3600" if report.is_frozen else "private, no-store"
    return response


def _writable(request, year: int) -> AnnualReport:
    report = _report(request, year)
    if not permissions.can_write_reports(request.user):
        raise PermissionDenied
    return report


@require_http_methods(["GET", "POST"])
@require(signed_in)
def report_edit(request, year: int):
    report = _writable(request, year)
    language = request.GET.get("language") or _language(request)
    if language not in LANGUAGES:
        raise Http404
    if report.is_frozen:
        messages.error(request, _("This report is frozen: its texts no longer change."))
        return redirect(report)
    initial = {"foreword": getattr(report, f"foreword_{language}")}
    for section in section_titles():
        initial[f"comment_{section}"] = ((report.comments or {}).get(section) or {}).get(language, "")
    form = ReportTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_write(
                actor=request.user,
                report=report,
                language=language,
                foreword=form.cleaned_data["foreword"],
                comments=form.comments(),
            )
        except ValidationError as error:
            add_service_errors(form, error, {section: f"comment_{section}" for section in section_titles()})
        else:
            messages.success(request, _("The texts are saved."))
            return redirect(f"{reverse('dashboard:report_edit', args=[year])}?language={language}")
    return render(
        request,
        "dashboard/report/report_edit.html",
        {"report": report, "form": form, "language": language, "languages": LANGUAGE_NAMES},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@require(signed_in)
def report_freeze(request, year: int):
    report = _writable(request, year)
    error = ""
    if request.method == "POST":
        try:
            services.report_freeze(actor=request.user, report=report)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(request, _("The report is frozen and published: its figures will not change any more."))
            return redirect(report)
    return render(
        request,
        "dashboard/report/report_freeze.html",
        {"report": report, "error": error},
        status=400 if error else 200,
    )


@require_POST
@require(signed_in)
def report_delete(request, year: int):
    report = _writable(request, year)
    try:
        services.report_delete(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, _("The draft report is deleted."))
    return redirect("dashboard:report_list")
