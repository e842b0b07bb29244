"""The page of an invitation's signed link (/committee/reply/<token>/), no account needed: the meeting with its
agenda, documents and published minutes in the invitee's language, and the attendance reply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from .forms import ReplyForm
from .models import AgendaDocument, Invitation
from .services import meetings as services
from .tokens import LinkExpired, LinkInvalid, invitation_binding, invitation_read
from .views_meetings import document_response, meeting_context


def _invitation(token: str) -> Invitation:
    """The invitation of a valid link; an expired or forged one answers a 404 page that says why."""
    try:
        invitation_id, binding = invitation_read(token)
    except LinkExpired:
        raise Http404("expired") from None
    except LinkInvalid:
        raise Http404("invalid") from None
    invitation = Invitation.objects.select_related("meeting").filter(pk=invitation_id).first()
    if invitation is None or invitation_binding(invitation) != binding:
        raise Http404("invalid")
    return invitation


def _link_error(request, error: Http404):
    return render(request, "committee/reply/link_invalid.html", {"expired": str(error) == "expired"}, status=404)


@require_http_methods(["GET", "POST"])
def invitation_page(request, token: str):
    try:
        invitation = _invitation(token)
    except Http404 as error:
        return _link_error(request, error)
    with translation.override(invitation.language):
        form = ReplyForm(request.POST or None, initial={"reply": invitation.reply or None})
        saved = False
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_reply(invitation=invitation, reply=form.cleaned_data["reply"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(f"{request.path}?saved=1")
        saved = request.GET.get("saved") == "1"
        invitation.refresh_from_db()
        context = meeting_context(invitation.meeting, language=invitation.language)
        context.update({"invitation": invitation, "form": form, "saved": saved, "token": token})
        # The site's Referrer-Policy (same-origin) keeps the token out of requests to other sites (video links).
        return render(request, "committee/reply/invitation.html", context)


@require_GET
def invitation_document(request, token: str, pk: int):
    try:
        invitation = _invitation(token)
    except Http404 as error:
        return _link_error(request, error)
    document = AgendaDocument.objects.filter(pk=pk, item__meeting_id=invitation.meeting_id).first()
    if document is None:
        raise Http404
    return document_response(document)
