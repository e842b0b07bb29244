"""The annual report of the register (issue 6): one per calendar year, generated from the database.

A report is a *draft* while ADVP writes its foreword and comments: its figures are computed afresh each time it is
read (dashboard.report_selectors, cached under the open-data fingerprint). *Freezing* it copies the figures into
`figures` (JSON) and they never change again, whatever happens in the register later; a frozen report is public.
The texts are kept per language (`foreword_nl` …, and `comments`: {section: {language: text}}); the page and the
PDF show the reader's language, else another language that has a text.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.languages import in_language


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FROZEN = "frozen", _("frozen")


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=8, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT
    )
    foreword_nl = models.TextField(_("foreword (Dutch)"), blank=True)
    foreword_fr = models.TextField(_("foreword (French)"), blank=True)
    foreword_de = models.TextField(_("foreword (German)"), blank=True)
    foreword_en = models.TextField(_("foreword (English)"), blank=True)
    comments = models.JSONField(_("comments per section"), default=dict, blank=True)
    figures = models.JSONField(_("frozen figures"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", frozen_at__isnull=True)
                | Q(status="frozen", frozen_at__isnull=False, figures__isnull=False),
                name="annual_report_frozen_has_figures",
                violation_error_message=_("A frozen report keeps its figures and the time it was frozen."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Annual report %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("dashboard:report_detail", args=[self.year])

    @property
    def is_frozen(self) -> bool:
        return self.status == AnnualReportStatus.FROZEN

    def foreword(self, language: str | None = None) -> str:
        return in_language(self, "foreword", language)

    def comment(self, section: str, language: str | None = None) -> str:
        """The comment on a section in `language`, else in the first language that has one."""
        texts = (self.comments or {}).get(section) or {}
        language = (language or get_language() or "nl")[:2]
        for code in (language, "nl", "fr", "de", "en"):
            if texts.get(code):
                return texts[code]
        return ""
