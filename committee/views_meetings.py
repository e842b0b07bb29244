"""Meeting pages under /committee/meetings/: the list and a meeting's page (agenda, documents, published minutes,
decisions and actions for the committee; replies and the preparation forms for ADVP and the Knowledge Centre), and
the preparation: planning, agenda items, documents, invitations, cancelling, minutes, decisions, action items."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from . import permissions, selectors
from .choices import DocumentKind, Reply
from .forms import ActionForm, AgendaItemForm, DecisionForm, DocumentForm, MeetingForm, MinutesForm
from .models import AgendaDocument, AgendaItem, Meeting
from .services import actions as action_services
from .services import meetings as services
from .text import minutes_html


def _meeting(request, pk: int, action: str = "view") -> Meeting:
    return get_for_user(Meeting.objects, request.user, action, pk=pk)


@require_GET
@require(signed_in)
def meeting_list(request):
    permissions.require_reader(request.user)
    return render(
        request,
        "committee/meetings/meeting_list.html",
        {"meetings": selectors.meeting_list(user=request.user), "can_prepare": permissions.can_prepare(request.user)},
    )


@require_http_methods(["GET", "POST"])
@require(signed_in)
def meeting_create(request):
    permissions.require_reader(request.user)
    if not permissions.can_prepare(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned. Build its agenda, then send the invitations."))
            return redirect(meeting)
    return render(request, "committee/meetings/meeting_form.html", {"form": form})


def meeting_context(meeting: Meeting, *, language: str | None = None) -> dict:
    meeting = selectors.meeting_detail(meeting)
    published = meeting.minutes_published_at is not None
    return {
        "meeting": meeting,
        "items": list(meeting.items.all()),
        "minutes_html": minutes_html(meeting.minutes(language)) if published else "",
        "decisions": list(meeting.decisions.all()) if published else [],
        "actions": list(meeting.actions.all()),
    }


@require_GET
@require(signed_in)
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    context = meeting_context(meeting)
    prepare = permissions.can_prepare(request.user)
    context["can_prepare"] = prepare
    if prepare:
        invitations = list(context["meeting"].invitations.all())
        context["invitations"] = invitations
        context["reply_counts"] = {
            label: sum(1 for inv in invitations if inv.reply == value) for value, label in Reply.choices
        }
        context["no_reply"] = sum(1 for inv in invitations if not inv.reply)
        context["decisions"] = list(context["meeting"].decisions.all())
        context["minutes_html"] = minutes_html(context["meeting"].minutes())
        context["item_form"] = AgendaItemForm()
        context["action_form"] = ActionForm()
        context["decision_form"] = DecisionForm()
    return render(request, "committee/meetings/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
@require(signed_in)
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, "change")
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting)
    return render(request, "committee/meetings/meeting_form.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
@require(signed_in)
def meeting_cancel(request, pk: int):
    meeting = _meeting(request, pk, "change")
    if request.method == "POST":
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting is cancelled; everyone invited receives the cancellation."))
        return redirect(meeting)
    return render(request, "committee/meetings/meeting_cancel.html", {"meeting": meeting})


@require_http_methods(["GET", "POST"])
@require(signed_in)
def meeting_invite(request, pk: int):
    meeting = _meeting(request, pk, "change")
    if request.method == "POST":
        try:
            result = services.meeting_invite(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Invitations are on their way to %(count)s seat holders.") % {"count": len(result.invited)}
            )
            if result.skipped:
                messages.warning(
                    request,
                    _("Not invited, no e-mail address known: %(names)s.")
                    % {"names": ", ".join(term.holder_name for term in result.skipped)},
                )
        return redirect(meeting)
    with_email, without = services.invitees(meeting)
    return render(
        request,
        "committee/meetings/meeting_invite.html",
        {"meeting": meeting, "with_email": with_email, "without": without},
    )


@require_POST
@require(signed_in)
def agenda_item_create(request, pk: int):
    meeting = _meeting(request, pk, "change")
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item is on the agenda."))
            return redirect(meeting)
    return render(request, "committee/meetings/agenda_item_form.html", {"form": form, "meeting": meeting}, status=400)


@require_http_methods(["GET", "POST"])
@require(signed_in)
def document_create(request, pk: int, item_pk: int):
    meeting = _meeting(request, pk, "change")
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_pk).first()
    if item is None:
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                item=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"__all__": "file"})
        else:
            messages.success(request, _("The document is added."))
            return redirect(meeting)
    return render(request, "committee/meetings/document_form.html", {"form": form, "meeting": meeting, "item": item})


def document_response(document: AgendaDocument):
    if document.kind != DocumentKind.PDF or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=document.original_name or "document.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@require(signed_in)
def document_download(request, pk: int):
    document = get_for_user(AgendaDocument.objects, request.user, "view", pk=pk)
    return document_response(document)


@require_http_methods(["GET", "POST"])
@require(signed_in)
def minutes_edit(request, pk: int):
    meeting = _meeting(request, pk, "change")
    initial = {f"minutes_{code}": getattr(meeting, f"minutes_{code}") for code in ("nl", "fr", "de", "en")}
    initial["publish"] = meeting.minutes_published_at is not None
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(meeting)
    return render(request, "committee/meetings/minutes_form.html", {"form": form, "meeting": meeting})


@require_POST
@require(signed_in)
def decision_create(request, pk: int):
    meeting = _meeting(request, pk, "change")
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.decision_add(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
        messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Write the decision."))
    return redirect(meeting)


@require_POST
@require(signed_in)
def action_create(request, pk: int):
    meeting = _meeting(request, pk, "change")
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            action_services.action_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action is on the follow-up list."))
            return redirect(meeting)
    return render(request, "committee/meetings/action_form.html", {"form": form, "meeting": meeting}, status=400)
