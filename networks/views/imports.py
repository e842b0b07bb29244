"""Bulk import pages: the template, the upload, the preview with every row's errors, the commit (all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import require
from core.scoping import get_for_user

from .. import spreadsheets
from ..import_forms import ImportUploadForm
from ..models import ImportBatch
from ..models.importing import ImportStatus
from ..permissions import can_import_networks
from ..services.importer import (
    COLUMNS,
    import_batch_cancel,
    import_batch_commit,
    import_batch_create,
    import_batch_preview,
    import_template,
)

# The preview lists at most this many rows of each kind; the counts always cover the whole file.
SHOWN_ERROR_ROWS = 500
SHOWN_ROWS = 200


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@require(can_import_networks)
def import_template_view(request, file_format: str):
    if file_format not in (spreadsheets.CSV, spreadsheets.XLSX):
        raise Http404
    return _download(*import_template(actor=request.user, file_format=file_format))


@require(can_import_networks)
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_batch_create(actor=request.user, upload=upload, name=upload.name, size=upload.size)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(batch)
    recent = ImportBatch.objects.for_user(request.user, "change").select_related("created_by")[:10]
    return render(
        request,
        "networks/imports/import_start.html",
        {"form": form, "recent": recent, "columns": COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


def _batch(request, token, action: str = "change") -> ImportBatch:
    return get_for_user(ImportBatch.objects.select_related("created_by"), request.user, action, token=token)


@require(can_import_networks)
def import_preview(request, token):
    batch = _batch(request, token)
    plan = import_batch_preview(actor=request.user, batch=batch)
    return _render_preview(request, batch, plan)


def _render_preview(request, batch: ImportBatch, plan, status: int = 200):
    valid_rows = [row for row in plan.rows if row.is_valid]
    error_rows = plan.error_rows
    return render(
        request,
        "networks/imports/import_preview.html",
        {
            "batch": batch,
            "plan": plan,
            "counts": plan.counts,
            "error_rows": error_rows[:SHOWN_ERROR_ROWS],
            "error_rows_hidden": max(len(error_rows) - SHOWN_ERROR_ROWS, 0),
            "valid_rows": valid_rows[:SHOWN_ROWS],
            "valid_rows_hidden": max(len(valid_rows) - SHOWN_ROWS, 0),
            "is_pending": batch.status == ImportStatus.PENDING,
        },
        status=status,
    )


@require_POST
@require(can_import_networks)
def import_commit(request, token):
    batch = _batch(request, token)
    plan, outcome = import_batch_commit(actor=request.user, batch=batch)
    if outcome is None:
        messages.error(request, _("Nothing was imported: correct the rows with errors and upload the file again."))
        batch.refresh_from_db()
        return _render_preview(request, batch, plan, status=400)
    messages.success(
        request,
        _("The import is done: %(created)s networks created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged},
    )
    return redirect(_network_list_url())


@require_POST
@require(can_import_networks)
def import_cancel(request, token):
    batch = _batch(request, token)
    import_batch_cancel(actor=request.user, batch=batch)
    messages.info(request, _("The import was cancelled; the uploaded file was deleted."))
    return redirect("networks:import_start")


def _network_list_url() -> str:
    try:
        return reverse("networks:network_list")
    except Exception:  # the list page lives in the networks core views; fall back to the import page
        return reverse("networks:import_start")
