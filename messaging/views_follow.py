"""Pages of part "follow" of messaging (/messages/…): the feedback owed after urgent alerts, a network's log and its
export, a network's delivery problems, and the statistics. Thin: each parses the request, calls the selectors of
messaging.selectors_follow and renders. Only the delivery problems show members' names: that page records the view in
the audit trail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import require, signed_in
from core.roles import Role, scope_ids
from members.permissions import can_manage_members
from members.services.membership import audit_member_view

from . import selectors_follow as selectors
from .charts_follow import chart_rows, stacked_month_chart
from .choices import Channel, DeliveryStatus, MessageType, ReportStatus
from .filters_follow import MessageLogFilterSet

PAGE_SIZE = 50


def _url(name: str, *args) -> str:
    """The URL of a page of another part of messaging, or "" while that part is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _url_prefix(name: str) -> str:
    """The URL of `name` for pk 0 without its "0/": the rows of a list add their own pk (one reverse per page)."""
    url = _url(name, 0)
    return url[: -len("0/")] if url.endswith("/0/") else ""


# --- feedback duty -----------------------------------------------------------------------------------------------


@require(selectors.can_follow_feedback)
@require_GET
def feedback_due(request):
    now = timezone.now()
    tasks = selectors.feedback_owed(user=request.user, now=now)
    return render(
        request,
        "messaging/follow/feedback_due.html",
        {
            "tasks": tasks,
            "overdue": sum(1 for task in tasks if task.state == "overdue"),
            "closed": selectors.feedback_closed(user=request.user, now=now),
            "closed_days": selectors.CLOSED_DAYS,
            "compose_url": _url("messaging:compose"),
            "detail_prefix": _url_prefix("messaging:message_detail"),
            "several_zones": len({task.alert.zone_id for task in tasks}) > 1,
        },
    )


# --- the network's log -------------------------------------------------------------------------------------------


@require(signed_in)
@require_GET
def network_log(request, code: str):
    network = selectors.log_network_get(user=request.user, code=code)
    filters = request.GET.copy()
    for key in ("page", "format"):
        filters.pop(key, None)
    filterset = MessageLogFilterSet(filters, queryset=selectors.network_log(user=request.user, network=network))
    file_format = request.GET.get("format")
    if file_format:
        if file_format not in selectors.EXPORT_CONTENT_TYPES:
            return HttpResponseBadRequest(_("Choose the format csv or xlsx."), content_type="text/plain; charset=utf-8")
        if not filterset.is_valid():
            return HttpResponseBadRequest(_filter_problems(filterset), content_type="text/plain; charset=utf-8")
        content, name, content_type = selectors.network_log_export(
            network=network, messages=filterset.qs, file_format=file_format
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "network": network,
        "filter": filterset,
        "years": selectors.network_log_years(user=request.user, network=network),
        "types": MessageType.choices,
        "selected_year": filters.get("year", ""),
        "selected_type": filters.get("type", ""),
        "page": page,
        "rows": selectors.log_rows(page.object_list),
        "csv_url": _export_url(request, "csv"),
        "xlsx_url": _export_url(request, "xlsx"),
        "detail_prefix": _url_prefix("messaging:message_detail"),
        "compose_url": _url("messaging:compose"),
        "can_give_feedback": network.zone_id in scope_ids(request.user, Role.ZONE_OFFICER),
        "manages": can_manage_members(request.user, network),
    }
    status = 200 if filterset.is_valid() else 400
    if request.htmx:
        return render(request, "messaging/follow/partials/_log_table.html", context, status=status)
    return render(request, "messaging/follow/network_log.html", context, status=status)


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _with_percent(figures: dict) -> dict:
    return {**figures, "percent": _percent(figures["rate"])}


def _export_url(request, file_format: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = file_format
    return f"{request.path}?{params.urlencode()}"


def _filter_problems(filterset) -> str:
    problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
    return _("These filters cannot be applied: %(problems)s") % {"problems": problems}


# --- delivery problems -------------------------------------------------------------------------------------------


@require(signed_in)
@require_GET
def network_problems(request, code: str):
    network = selectors.problems_network_get(user=request.user, code=code)
    now = timezone.now()
    page = Paginator(selectors.delivery_problems(user=request.user, network=network, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.delivery_problem_rows(page.object_list, now=now)
    audit_member_view(
        actor=request.user, members=[row.member_id for row in rows], context="delivery problems", obj=network
    )
    return render(
        request,
        "messaging/follow/network_problems.html",
        {
            "network": network,
            "page": page,
            "rows": rows,
            "days": selectors.PROBLEM_DAYS,
            "member_prefix": _member_prefix(),
        },
    )


def _member_prefix() -> str:
    url = _url("members_manage:member_detail", 0)
    return url[: -len("0/")] if url.endswith("/0/") else ""


# --- statistics --------------------------------------------------------------------------------------------------


@require(selectors.can_see_statistics)
@require_GET
def statistics(request):
    figures = selectors.message_statistics(user=request.user)
    type_labels = [(value, label) for value, label in MessageType.choices]
    series = [
        (str(label), [figures.by_month[month][value] for month in figures.months]) for value, label in type_labels
    ]
    chart = stacked_month_chart(
        figures.months,
        series,
        title=_("Messages sent per month, by type"),
        description=_("%(count)s messages sent in the last 12 months: %(breakdown)s.")
        % {
            "count": figures.messages,
            "breakdown": ", ".join(f"{label} {figures.by_type.get(value, 0)}" for value, label in type_labels),
        },
    )
    networks = selectors.statistics_networks(user=request.user, start=figures.start)
    page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    network_rows = list(page.object_list)
    managed = {network.pk for network in network_rows if can_manage_members(request.user, network)}
    problems = selectors.problem_counts(managed)
    channel_rows = [
        {
            "channel": label,
            "counts": [figures.deliveries[value].get(status, 0) for status in DeliveryStatus.values],
            "total": figures.channel_total(value),
        }
        for value, label in Channel.choices
    ]
    return render(
        request,
        "messaging/follow/statistics.html",
        {
            "figures": figures,
            "chart": chart,
            "chart_rows": chart_rows(figures.months, figures.by_month, MessageType.values),
            "type_labels": [label for _value, label in type_labels],
            "status_labels": [label for _value, label in DeliveryStatus.choices],
            "channel_rows": channel_rows,
            "hand_over_rows": [
                (label, _with_percent(figures.hand_over(channel)))
                for channel, label in ((Channel.EMAIL, _("E-mail")), (Channel.SMS, _("SMS")), (None, _("Together")))
            ],
            "hand_over_percent": _percent(figures.hand_over()["rate"]),
            "feedback": figures.feedback,
            "feedback_percent": _percent(figures.feedback.share),
            "on_time_percent": _percent(figures.feedback.on_time_share),
            "useful_percent": _percent(figures.useful_share),
            "report_rows": [(label, figures.reports.get(value, 0)) for value, label in ReportStatus.choices],
            "page": page,
            "network_rows": [
                {"network": network, "managed": network.pk in managed, "problems": problems.get(network.pk, 0)}
                for network in network_rows
            ],
            "feedback_url": _url("messaging:feedback_due") if selectors.can_follow_feedback(request.user) else "",
        },
    )
