"""Member portal pages of messaging (/me/messages/, /me/reports/): the member's web inbox — each message in their
language, marked read when opened, with the rating and the reply of the e-mail's links — and their reports to the
police. Signed-in members only (`members.views_portal.member_page`); every read starts from the member's own rows."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from members.views_portal import member_page
from practices.text import practice_html

from . import selectors_member as selectors
from .forms_member import REPORT_FIELD_MAP, RatingForm, ReplyForm, ReportForm
from .services import feedback
from .services import reports as report_services

REPORT_PAGE_SIZE = 20

# --- the web inbox -------------------------------------------------------------------------------------------------


@member_page
@require_GET
def inbox(request, member):
    page = Paginator(selectors.inbox_deliveries(member=member), selectors.INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    deliveries = list(page)
    ratings = selectors.inbox_ratings(member=member, message_ids=[d.message_id for d in deliveries])
    rows = []
    for delivery in deliveries:
        message = delivery.message
        _language, text = message.text_for(member.user.language or delivery.language, (delivery.language,))
        rows.append(
            {
                "delivery": delivery,
                "message": message,
                "title": text.get("title") or _("(no title)"),
                "unread": delivery.read_at is None,
                "rating": ratings.get(message.pk),
            }
        )
    return render(
        request,
        "messaging/portal/inbox.html",
        {"member": member, "page": page, "rows": rows, "unread": selectors.inbox_unread_count(member=member)},
    )


def _delivery_or_404(member, pk: int):
    delivery = selectors.inbox_delivery_get(member=member, message_pk=pk)
    if delivery is None:
        raise Http404
    return delivery


def _message_page(request, member, delivery, *, reply_form=None, status: int = 200):
    message = delivery.message
    language, text = message.text_for(member.user.language, (getattr(request, "LANGUAGE_CODE", ""), delivery.language))
    context = {
        "member": member,
        "delivery": delivery,
        "message": message,
        "title": text.get("title") or _("(no title)"),
        "body_html": practice_html(text.get("body", "")),
        "text_language": language,
        "may_respond": selectors.member_may_respond(member=member, message=message),
        "rating": selectors.member_rating(member=member, message=message),
        "replies": list(selectors.member_replies(member=member, message=message)[:20]),
        "reply_form": reply_form or ReplyForm(),
    }
    return render(request, "messaging/portal/inbox_message.html", context, status=status)


@member_page
@require_GET
def inbox_message(request, member, pk: int):
    """One message of the inbox; opening it marks it read."""
    delivery = _delivery_or_404(member, pk)
    feedback.inbox_mark_read(actor=request.user, delivery=delivery)
    return _message_page(request, member, delivery)


@member_page
@require_POST
def inbox_rate(request, member, pk: int):
    delivery = _delivery_or_404(member, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the message was useful or not."))
        return redirect("messaging_portal:inbox_message", pk=pk)
    try:
        result = feedback.rating_record(member=member, message=delivery.message, useful=form.useful)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if result.changed:
            messages.success(request, _("Thank you for your rating."))
        else:
            messages.info(request, _("This was already your rating: nothing changed."))
    return redirect("messaging_portal:inbox_message", pk=pk)


@member_page
@require_POST
def inbox_reply(request, member, pk: int):
    delivery = _delivery_or_404(member, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            result = feedback.reply_create(member=member, message=delivery.message, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.created:
                messages.success(request, _("Thank you: your reply was sent to the sender of the message."))
            else:
                messages.info(request, _("You had just sent this same reply: it was kept once."))
            return redirect("messaging_portal:inbox_message", pk=pk)
    return _message_page(request, member, delivery, reply_form=form, status=400)


# --- reports -------------------------------------------------------------------------------------------------------


def _over_report_rate_limit(member) -> bool:
    """Count this submission against the member's hourly allowance (BINPLP_REPORT_RATE_PER_HOUR); True once it is
    used up. Keyed by member, not by address, so a member cannot flood their zone's officers from several places."""
    window = int(time.time() // 3600)
    key = f"binplp:report-rate:{member.pk}:{window}"
    cache.add(key, 0, 3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600 + 60)
        count = 1
    return count > settings.BINPLP_REPORT_RATE_PER_HOUR


@member_page
@require_GET
def report_list(request, member):
    page = Paginator(selectors.member_reports(member=member), REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/portal/report_list.html", {"member": member, "page": page})


@member_page
@require_http_methods(["GET", "POST"])
def report_new(request, member):
    """The structured report form: urgent matters go to 101 or 112, not here."""
    if request.method == "POST" and _over_report_rate_limit(member):
        context = {"member": member, "form": ReportForm(member=member), "can_report": False, "limited": True}
        return render(request, "messaging/portal/report_new.html", context, status=429)
    form = ReportForm(request.POST if request.method == "POST" else None, member=member)
    can_report = form.fields["network"].queryset.exists()
    if request.method == "POST" and can_report and form.is_valid():
        try:
            report_services.report_create(actor=request.user, member=member, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, REPORT_FIELD_MAP)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your report was sent to the police of your network's zone. "
                    "Their answer will appear here."
                ),
            )
            return redirect("messaging_portal:report_list")
    return render(
        request,
        "messaging/portal/report_new.html",
        {"member": member, "form": form, "can_report": can_report},
        status=400 if form.errors else 200,
    )
