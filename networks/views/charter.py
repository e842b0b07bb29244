"""Pages of a network's charter: a version with its plans, signatures, signed PDF and letters; preparing a draft
(plans, contacts, PDF, signatures) and submitting it to ADVP. The zone's mandated officers and ADVP prepare; whoever
sees the network reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import can, get_for_user

from ..charter_forms import CharterPlanForm, CostItemFormSet, SignatureForm, SignedPdfForm
from ..charter_selectors import age_in_days, charter_summary, lead_time_days
from ..choices import CharterStatus, Signatory
from ..models import Charter, CharterReview, Letter, Network
from ..services.charter import (
    MAX_PDF_BYTES,
    charter_create,
    charter_missing,
    charter_refresh_contacts,
    charter_sign,
    charter_submit,
    charter_update_plan,
    charter_upload_pdf,
)

# Multipart overhead allowed above the PDF limit before a request is refused without reading it.
_UPLOAD_MARGIN = 64 * 1024


def _charter(request, code: str, version: int, action: str = "view") -> Charter:
    return get_for_user(
        Charter.objects.select_related("network__municipality", "network__zone", "created_by"),
        request.user,
        action,
        network__code=code,
        version=version,
    )


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _draft_or_redirect(request, charter: Charter):
    if charter.status != CharterStatus.DRAFT:
        messages.error(request, _("This version has been submitted: it can no longer change."))
        return redirect(charter)
    return None


@require(signed_in)
def charter_detail(request, code: str, version: int):
    charter = _charter(request, code, version)
    signatures = {s.signatory: s for s in charter.signatures.select_related("recorded_by")}
    review = (
        CharterReview.objects.filter(charter=charter)
        .select_related("reviewer")
        .prefetch_related("item_results__item")
        .first()
    )
    letters = list(
        Letter.objects.for_user(request.user, "view")
        .filter(charter=charter)
        .select_related("charter", "network")
        .order_by("recipient")
    )
    can_change = can(request.user, "change", charter.network)
    is_draft = charter.status == CharterStatus.DRAFT
    return render(
        request,
        "networks/charters/charter_detail.html",
        {
            "charter": charter,
            "network": charter.network,
            "signature_rows": [(signatory, signatures.get(signatory.value)) for signatory in Signatory],
            "summary": charter_summary(charter),
            "review": review,
            "review_lead_days": lead_time_days(review) if review and review.decided_at else None,
            "waiting_days": age_in_days(charter.submitted_at) if charter.status == CharterStatus.SUBMITTED else None,
            "letters": letters,
            "can_edit": can_change and is_draft,
            "can_start_version": can_change
            and not is_draft
            and charter.status != CharterStatus.SUBMITTED
            and not charter.network.is_final,
            "can_review": charter.status == CharterStatus.SUBMITTED and can(request.user, "review", charter),
            "missing": charter_missing(charter) if is_draft else [],
        },
    )


@require(signed_in)
@require_POST
def charter_create_view(request, code: str):
    network = get_for_user(Network.objects.all(), request.user, "change", code=code)
    try:
        charter = charter_create(actor=request.user, network=network)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect(network)
    messages.success(request, _("Version %(version)s of the charter has been started.") % {"version": charter.version})
    return redirect(charter)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def charter_plan(request, code: str, version: int):
    charter = _charter(request, code, version, "change")
    if (response := _draft_or_redirect(request, charter)) is not None:
        return response
    form = CharterPlanForm(request.POST or None, charter=charter)
    formset = CostItemFormSet(
        request.POST or None,
        prefix="costs",
        initial=[
            {"label": item.get("label"), "amount_eur": item.get("amount_eur"), "payer": item.get("payer")}
            for item in charter.cost_items or []
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        items = [item for item in (sub.item() for sub in formset.forms) if item is not None]
        try:
            charter_update_plan(
                actor=request.user,
                charter=charter,
                channels=data["channels"],
                message_types=data["message_types"],
                senders=form.senders(),
                feedback_hours=data["feedback_hours"],
                cost_items=items,
                member_fee_eur=data["member_fee_eur"],
                alternative_financing=data["alternative_financing"],
                internal_rules_version=data["internal_rules_version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plans have been saved."))
            return redirect(charter)
    return render(
        request,
        "networks/charters/charter_plan.html",
        {"charter": charter, "network": charter.network, "form": form, "formset": formset},
    )


@require(signed_in)
@require_POST
def charter_contacts_refresh(request, code: str, version: int):
    charter = _charter(request, code, version, "change")
    try:
        charter_refresh_contacts(actor=request.user, charter=charter)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The contacts have been taken again from the network's partners."))
    return redirect(charter)


class PdfSizeLimitHandler(FileUploadHandler):
    """Stops storing an upload once it passes the 10 MB limit, so an oversized file is never written to disk;
    the view then answers "too large"."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_PDF_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_large_form() -> SignedPdfForm:
    form = SignedPdfForm(data={})
    form.is_valid()
    form.errors["signed_pdf"] = form.error_class([_("The file is larger than 10 MB; the limit is 10 MB.")])
    return form


@csrf_exempt  # CSRF is checked below, after the size limit is in place (reading the token reads the body)
def charter_upload(request, code: str, version: int):
    request.upload_handlers.insert(0, PdfSizeLimitHandler(request))
    return _charter_upload(request, code, version)


@require(signed_in)
@csrf_protect
def _charter_upload(request, code: str, version: int):
    charter = _charter(request, code, version, "change")
    if (response := _draft_or_redirect(request, charter)) is not None:
        return response
    form = SignedPdfForm()
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_PDF_BYTES + _UPLOAD_MARGIN:
            form = _too_large_form()  # refused without reading the body at all
        else:
            form = SignedPdfForm(request.POST, request.FILES)
            if getattr(request, "upload_too_large", False):
                form = _too_large_form()
            elif form.is_valid():
                try:
                    charter_upload_pdf(actor=request.user, charter=charter, upload=form.cleaned_data["signed_pdf"])
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The signed charter has been uploaded."))
                    return redirect(charter)
    return render(
        request,
        "networks/charters/charter_upload.html",
        {"charter": charter, "network": charter.network, "form": form},
        status=400 if form.errors else 200,
    )


def _contact_name(charter: Charter, role: str) -> str:
    return next((c.get("name", "") for c in charter.contacts or [] if c.get("role") == role), "")


@require(signed_in)
@require_http_methods(["GET", "POST"])
def charter_sign_view(request, code: str, version: int):
    charter = _charter(request, code, version, "change")
    if (response := _draft_or_redirect(request, charter)) is not None:
        return response
    signatory = request.GET.get("signatory") if request.GET.get("signatory") in Signatory.values else None
    initial = {"signatory": signatory}
    if signatory in (Signatory.COORDINATOR, Signatory.MANDATED_OFFICER):
        initial["name"] = _contact_name(charter, signatory)
    form = SignatureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            charter_sign(actor=request.user, charter=charter, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signature has been recorded."))
            return redirect(charter)
    return render(
        request, "networks/charters/charter_sign.html", {"charter": charter, "network": charter.network, "form": form}
    )


@require(signed_in)
@require_POST
def charter_submit_view(request, code: str, version: int):
    charter = _charter(request, code, version, "change")
    try:
        charter_submit(actor=request.user, charter=charter)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The charter has been submitted to ADVP."))
    return redirect(charter)


@require(signed_in)
def charter_signed_pdf(request, code: str, version: int):
    """The scanned, signed charter, for whoever sees the network (never through a public media URL)."""
    charter = _charter(request, code, version)
    if not charter.signed_pdf:
        raise Http404
    return FileResponse(
        charter.signed_pdf.open("rb"),
        as_attachment=True,
        filename=f"{charter.network.code}-charter-v{charter.version}.pdf",
        content_type="application/pdf",
    )


@require(signed_in)
def letter_download(request, code: str, pk: int):
    letter = get_for_user(Letter.objects.select_related("network"), request.user, "view", network__code=code, pk=pk)
    if not letter.pdf:
        raise Http404
    try:
        handle = letter.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{letter.reference.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )
