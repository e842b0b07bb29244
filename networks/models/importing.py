"""Bulk imports of networks from a spreadsheet (CSV or XLSX).

An *import batch* is one uploaded file: it is kept (under a random name) between the preview, which
shows every row's errors, and the commit, which writes all rows in one transaction or none.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager


def import_upload_to(instance: ImportBatch, filename: str) -> str:
    # A name nobody can guess: the media folder is never served directly.
    return f"imports/{uuid.uuid4().hex}.{instance.file_format}"


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    COMMITTED = "committed", _("imported")
    CANCELLED = "cancelled", _("cancelled")


class ImportBatch(models.Model):
    """One spreadsheet of networks uploaded by ADVP or a mandated officer, from its upload to its commit."""

    token = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4, choices=ImportFormat.choices)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("networks created"), default=0)
    updated_count = models.PositiveIntegerField(_("networks updated"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("import of networks")
        verbose_name_plural = _("imports of networks")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.COMMITTED) | Q(committed_at__isnull=False),
                name="import_batch_committed_has_date",
                violation_error_message=_("An import that was carried out needs its date."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("networks:import_preview", args=[self.token])
