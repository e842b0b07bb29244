"""Staff pages of part "member": the zone's inbox of members' reports (/messages/reports/) and the senders' inbox of
members' replies (/messages/replies/).

Reports answer the mandated officers of the report's zone only: anybody else gets 404 for a report (the member who
wrote it sees it in their portal, and gets 403 here). Replies answer whoever follows the message as a sender. Pages
that show members' names or contact details record the view in the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user
from members.services.membership import audit_member_view

from . import selectors_member as selectors
from .forms_member import ReportAnswerForm, ReportFilterSet
from .models import Reply
from .permissions import can_compose
from .services import feedback
from .services import reports as services

# --- the zone's reports inbox --------------------------------------------------------------------------------------


@require(selectors.is_zone_officer)
@require_GET
def report_list(request):
    """Members' reports to the user's zone(s): new ones first; filter by status and network."""
    filters = request.GET.copy()
    filters.pop("page", None)
    filterset = ReportFilterSet(filters, queryset=selectors.officer_reports(user=request.user), request=request)
    page = Paginator(filterset.qs, selectors.REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "new_count": selectors.officer_report_new_count(user=request.user)}
    if request.htmx:
        return render(request, "messaging/member/partials/_report_table.html", context)
    return render(request, "messaging/member/report_list.html", context)


def _report(request, pk: int):
    return get_for_user(selectors.officer_report_queryset(), request.user, "change", pk=pk)


def _report_page(request, report, *, answer_form=None, status: int = 200):
    if report.member_id is not None:
        audit_member_view(actor=request.user, members=[report.member_id], context="report detail", obj=report)
    context = {"report": report, "answer_form": answer_form or ReportAnswerForm(), "member": report.member}
    return render(request, "messaging/member/report_detail.html", context, status=status)


@require(signed_in)
@require_GET
def report_detail(request, pk: int):
    """The report with the member's name and contact (an audited view) and the zone's actions."""
    return _report_page(request, _report(request, pk))


def _transition(request, pk: int, service, success: str):
    report = _report(request, pk)
    try:
        service(actor=request.user, report=report)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect("messaging:report_detail", pk=report.pk)


@require(signed_in)
@require_POST
def report_acknowledge(request, pk: int):
    return _transition(request, pk, services.report_acknowledge, _("The report is acknowledged."))


@require(signed_in)
@require_POST
def report_close(request, pk: int):
    return _transition(request, pk, services.report_close, _("The report is closed."))


@require(signed_in)
@require_http_methods(["POST"])
def report_answer(request, pk: int):
    report = _report(request, pk)
    form = ReportAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.report_answer(
                actor=request.user, report=report, answer=form.cleaned_data["answer"], close=form.cleaned_data["close"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                for text in error.messages:
                    messages.error(request, text)
                return redirect("messaging:report_detail", pk=report.pk)
        else:
            messages.success(request, _("Your answer was sent to the member by e-mail and is in their member portal."))
            return redirect("messaging:report_detail", pk=report.pk)
    return _report_page(request, report, answer_form=form, status=400)


# --- the senders' replies inbox ------------------------------------------------------------------------------------


def _reply_rows_audited(request, replies: list[Reply], context: str) -> None:
    audit_member_view(
        actor=request.user, members={reply.member_id for reply in replies if reply.member_id}, context=context
    )


@require(can_compose)
@require_GET
def reply_list(request):
    """Members' replies to the messages the user follows as a sender: unread first."""
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.sender_replies(user=request.user, unread_only=unread_only), selectors.REPLY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    replies = list(page)
    _reply_rows_audited(request, replies, "replies inbox")
    return render(
        request,
        "messaging/member/reply_list.html",
        {
            "page": page,
            "replies": replies,
            "unread_only": unread_only,
            "unread_count": selectors.sender_unread_reply_count(user=request.user),
        },
    )


@require(signed_in)
@require_POST
def reply_read(request, pk: int):
    reply = get_for_user(Reply.objects.select_related("message", "member__user"), request.user, "change", pk=pk)
    feedback.reply_mark_read(actor=request.user, reply=reply)
    if request.htmx:
        _reply_rows_audited(request, [reply], "replies inbox")
        return render(request, "messaging/member/partials/_reply.html", {"reply": reply})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "messaging:reply_list")
