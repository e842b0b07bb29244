"""Writing the annual report: ADVP starts the report of a year, writes its foreword and comments per language, and
freezes it. Every change is audited; a frozen report cannot change any more (its figures are kept as frozen).

Who: ADVP writes and freezes; ADVP and the Knowledge Centre read drafts; everybody reads frozen reports
(report_permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record, diff, snapshot
from core.models import AuditAction

from .models import AnnualReport, AnnualReportStatus
from .report_permissions import can_write_reports
from .report_selectors import SECTIONS, check_report_year, compute_report_figures

LANGUAGES = ("nl", "fr", "de", "en")
TEXT_MAX = 20_000


def _require_writer(actor: User) -> None:
    if not can_write_reports(actor):
        raise PermissionDenied(_("Only ADVP writes and freezes the annual report."))


def report_start(*, actor: User, year: int) -> AnnualReport:
    """A draft report for `year`, when the register has figures for it and no report exists yet."""
    _require_writer(actor)
    check_report_year(year)
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(year=year, created_by=actor)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=report, changes={"year": year})
    except IntegrityError:
        raise ValidationError(
            _("There is already a report for %(year)s.") % {"year": year}, code="report_exists"
        ) from None
    return report


def _locked_draft(report: AnnualReport) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.is_frozen:
        raise ValidationError(
            _("The report for %(year)s is frozen: its texts and figures no longer change.") % {"year": report.year},
            code="report_frozen",
        )
    return report


def report_write(*, actor: User, report: AnnualReport, language: str, foreword: str, comments: dict) -> AnnualReport:
    """Set the foreword and the sections' comments in one language (an empty text removes it)."""
    _require_writer(actor)
    if language not in LANGUAGES:
        raise ValidationError(_("Choose Dutch, French, German or English."), code="language")
    unknown = sorted(set(comments) - set(SECTIONS))
    if unknown:
        raise ValidationError(
            _("The report has no section “%(section)s”.") % {"section": unknown[0]}, code="unknown_section"
        )
    texts = {"foreword": foreword, **comments}
    for name, text in texts.items():
        if len(text or "") > TEXT_MAX:
            raise ValidationError(
                {name: _("Keep each text under %(limit)s characters.") % {"limit": f"{TEXT_MAX:,}"}}, code="too_long"
            )
    with transaction.atomic():
        report = _locked_draft(report)
        before = snapshot(report, [f"foreword_{language}", "comments"])
        setattr(report, f"foreword_{language}", (foreword or "").strip())
        stored = {section: dict(values) for section, values in (report.comments or {}).items()}
        for section, text in comments.items():
            text = (text or "").strip()
            if text:
                stored.setdefault(section, {})[language] = text
            else:
                stored.get(section, {}).pop(language, None)
        report.comments = {section: values for section, values in stored.items() if values}
        report.save(update_fields=[f"foreword_{language}", "comments", "updated_at"])
        changes = diff(before, snapshot(report, [f"foreword_{language}", "comments"]))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=report, changes=changes)
    return report


def report_freeze(*, actor: User, report: AnnualReport) -> AnnualReport:
    """Keep the figures as they are now, for good. Only a year that is over can be frozen."""
    _require_writer(actor)
    if report.year >= timezone.localdate().year:
        raise ValidationError(
            _("%(year)s is not over yet: its report can be frozen from 1 January %(next)s.")
            % {"year": report.year, "next": report.year + 1},
            code="year_not_over",
        )
    figures = compute_report_figures(report.year)
    with transaction.atomic():
        report = _locked_draft(report)
        report.figures = figures
        report.status = AnnualReportStatus.FROZEN
        report.frozen_at = timezone.now()
        report.frozen_by = actor
        report.save(update_fields=["figures", "status", "frozen_at", "frozen_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=report,
            changes={
                "status": [AnnualReportStatus.DRAFT, AnnualReportStatus.FROZEN],
                "computed_at": figures["computed_at"],
            },
        )
    return report


def report_delete(*, actor: User, report: AnnualReport) -> None:
    """Drop a draft (a frozen report stays)."""
    _require_writer(actor)
    with transaction.atomic():
        report = _locked_draft(report)
        audit_record(actor=actor, action=AuditAction.DELETE, obj=report, changes={"year": report.year})
        report.delete()
