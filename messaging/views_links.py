"""Members' signed links from a message's e-mail: rate, reply, unsubscribe — no login needed.

The link's signature names the message and the member (`tokens.member_link_token`); it expires after
BINPLP_MESSAGE_LINK_DAYS. Rating is one click (GET): a member clicking "useful" in their mail is done. Replying shows
a form. Unsubscribing shows a page with a button (GET) and acts on POST — including the one-click POST mail clients
send for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, which carries no CSRF token: that POST is authenticated
by the signature, so it is exempt. A link that expired, was forged, or belongs to someone erased or no longer a member
gets a page saying so, and nothing is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from practices.text import practice_html

from . import selectors_member as selectors
from .forms_member import VERDICTS, ReplyForm
from .selectors_member import MemberLink
from .services import feedback

UNUSABLE_STATUS = {"expired": 410, "invalid": 404, "erased": 410, "not_member": 403}


def _speak_members_language(request, member) -> None:
    """Someone arriving from their e-mail, not signed in and without a language chosen on this site, reads the page
    in the language of their e-mail."""
    if request.user.is_authenticated or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    language = member.user.language
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _render(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)  # the page is about one member: not kept by browsers or proxies
    return response


def _unusable(request, link: MemberLink):
    if link.member is not None:
        _speak_members_language(request, link.member)
    return _render(
        request,
        "messaging/member/links/unusable.html",
        {"state": link.state, "sign_in_url": reverse("members_portal:sign_in")},
        status=UNUSABLE_STATUS[link.state],
    )


def _message_context(link: MemberLink, token: str) -> dict:
    message, member = link.message, link.member
    language, text = message.text_for(member.user.language)
    return {
        "message": message,
        "member": member,
        "title": text.get("title", ""),
        "body_html": practice_html(text.get("body", "")),
        "text_language": language,
        "token": token,
        "urls": {
            "useful": reverse("messaging:rate", args=[token, "useful"]),
            "not_useful": reverse("messaging:rate", args=[token, "not-useful"]),
            "reply": reverse("messaging:reply", args=[token]),
            "unsubscribe": reverse("messaging:unsubscribe", args=[token]),
            "inbox_message": reverse("messaging_portal:inbox_message", args=[message.pk]),
        },
    }


@require_GET
def rate(request, token: str, verdict: str):
    """One click from the e-mail records (or changes) the member's rating; the page thanks them, shows their choice
    and lets them change it or reply."""
    if verdict not in VERDICTS:
        raise Http404
    link = selectors.member_link_resolve(token)
    if not link.ok:
        return _unusable(request, link)
    _speak_members_language(request, link.member)
    try:
        result = feedback.rating_record(member=link.member, message=link.message, useful=VERDICTS[verdict])
    except ValidationError:  # stopped being a member a moment ago
        return _unusable(request, MemberLink(state="not_member", message=link.message, member=link.member))
    context = _message_context(link, token)
    context.update(useful=result.rating.useful, changed=result.changed, created=result.created)
    return _render(request, "messaging/member/links/rated.html", context)


@require_http_methods(["GET", "POST"])
def reply(request, token: str):
    """The member writes to the sender of the message; an identical reply sent again soon after is stored once."""
    link = selectors.member_link_resolve(token)
    if not link.ok:
        return _unusable(request, link)
    _speak_members_language(request, link.member)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = feedback.reply_create(member=link.member, message=link.message, body=form.cleaned_data["body"])
        except ValidationError as error:
            if getattr(error, "code", None) == "not_member":
                return _unusable(request, MemberLink(state="not_member", message=link.message, member=link.member))
            add_service_errors(form, error)
        else:
            if result.created:
                messages.success(request, _("Thank you: your reply was sent to the sender of the message."))
            else:
                messages.info(request, _("You had just sent this same reply: it was kept once."))
            return redirect(request.path)
    context = _message_context(link, token)
    context.update(
        form=form,
        replies=list(selectors.member_replies(member=link.member, message=link.message)[:20]),
        rating=selectors.member_rating(member=link.member, message=link.message),
    )
    return _render(request, "messaging/member/links/reply.html", context, status=400 if form.errors else 200)


@csrf_exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token; the signed link authenticates it
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET explains what stopping means for this kind of message and offers a button; POST (the button, or the mail
    client's one-click unsubscribe) does it."""
    link = selectors.member_link_resolve(token)
    if not link.ok:
        return _unusable(request, link)
    _speak_members_language(request, link.member)
    context = _message_context(link, token)
    context.update(urgent=link.message.is_urgent, type_label=link.message.get_type_display())
    if request.method == "POST":
        try:
            result = feedback.message_unsubscribe(member=link.member, message=link.message)
        except ValidationError:
            return _unusable(request, MemberLink(state="not_member", message=link.message, member=link.member))
        context["result"] = result
        return _render(request, "messaging/member/links/unsubscribed.html", context)
    member = link.member
    context["already"] = (
        not member.by_email if link.message.is_urgent else link.message.type in (member.muted_types or [])
    )
    return _render(request, "messaging/member/links/unsubscribe.html", context)
