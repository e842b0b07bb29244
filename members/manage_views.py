"""Pages of member management (/members/): the coordinators' and mandated officers' member lists, requests, adding
in person, sanctions and exports; and the member counts for everybody who sees networks.

Member data answers 404 to everybody outside the network's managers (national roles and municipalities see the
network, not its members). Every page showing members' personal data records the view in the audit trail."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.roles import is_national
from networks import spreadsheets
from networks.choices import MessageType

from . import manage_selectors as selectors
from .charts import chart_table, members_over_time_chart
from .choices import JoinRequestStatus, MembershipStatus
from .filters import MemberFilterSet
from .manage_forms import DeclineForm, InPersonForm, MemberSanctionForm
from .models import Member
from .permissions import manages_any_members
from .services import management as services
from .services.membership import audit_member_view

PAGE_SIZE = 50


def _growth_context(request, points, title: str) -> dict:
    return {
        "growth_chart": members_over_time_chart(points, title=title),
        "growth_rows": chart_table(points),
    }


# --- index -------------------------------------------------------------------------------------------------------


@require(selectors.can_use_members_area)
@require_GET
def members_index(request):
    context = {"manages": manages_any_members(request.user), "counts": selectors.can_see_member_counts(request.user)}
    if context["manages"]:
        networks = selectors.managed_networks(user=request.user).select_related("municipality").order_by("name")
        page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, rows=selectors.network_overview(page))
    return render(request, "members/manage/index.html", context)


# --- member list -------------------------------------------------------------------------------------------------


# The columns the member table shows, read as plain values: building three model instances per row (and converting
# every column of them) cost several times the query itself.
TABLE_COLUMNS = (
    "member_id",
    "status",
    "joined_on",
    "suspended_until",
    "in_area",
    "member__street",
    "member__house_number",
    "member__box",
    "member__postal_code",
    "member__mobile",
    "member__by_email",
    "member__by_sms",
    "member__user__first_name",
    "member__user__last_name",
    "member__user__email",
)


def _filtered(request, network):
    filters = request.GET.copy()
    filters.pop("page", None)
    return MemberFilterSet(filters, queryset=selectors.member_list(user=request.user, network=network))


@require(signed_in)
@require_GET
def member_list(request, code: str):
    network = selectors.managed_network_get(user=request.user, code=code)
    filterset = _filtered(request, network)
    page = Paginator(filterset.qs.values(*TABLE_COLUMNS), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_member_view(
        actor=request.user, members=[row["member_id"] for row in page], context="member list", obj=network
    )
    context = {
        "network": network,
        "filter": filterset,
        "page": page,
        "rows": _member_rows(page),
        "query": _query(request),
    }
    if request.htmx:
        return render(request, "members/manage/partials/_member_table.html", {**context, "oob": True})
    context["pending"] = selectors.network_pending_count(network=network)
    return render(request, "members/manage/member_list.html", context)


@require(signed_in)
@require_GET
def member_figures(request, code: str):
    """The network's counts and growth chart: loaded into the member list after it shows (HTMX), or a page of its
    own without JavaScript. Counts only, no personal data: not an audited view."""
    network = selectors.managed_network_get(user=request.user, code=code)
    context = {
        "network": network,
        "stats": selectors.network_member_stats(network=network),
        **_growth_context(
            request,
            selectors.network_member_growth(network=network),
            _("Members of %(network)s over the last 24 months") % {"network": network.name},
        ),
    }
    if request.htmx:
        return render(request, "members/manage/partials/_stats.html", context)
    return render(request, "members/manage/member_figures.html", {**context, "current": _("Counts and growth")})


def _member_rows(page) -> list[dict]:
    """What each row of the member table shows, worked out here once per page: labels are translated once, not
    once per row, and the template reads flat values (rendering 50 rows of nested lookups and per-row
    translations cost more than the page's queries)."""
    channel_labels = {
        (True, False): _("e-mail"),
        (False, True): _("SMS"),
        (True, True): "{}, {}".format(_("e-mail"), _("SMS")),
        (False, False): _("web inbox only"),
    }
    status_labels = dict(MembershipStatus.choices)
    status_badges = {MembershipStatus.ACTIVE: "badge--ok", MembershipStatus.SUSPENDED: "badge--warn"}
    url_template = reverse("members_manage:member_detail", args=[0])[: -len("0/")]
    rows = []
    for row in page:
        status = row["status"]
        rows.append(
            {
                "url": f"{url_template}{row['member_id']}/",
                "name": f"{row['member__user__last_name']}, {row['member__user__first_name']}",
                "address": Member.format_address(
                    row["member__street"], row["member__house_number"], row["member__box"], row["member__postal_code"]
                ),
                "outside_area": row["in_area"] is False,
                "email": row["member__user__email"],
                "mobile": row["member__mobile"],
                "channels": channel_labels[(row["member__by_email"], row["member__by_sms"])],
                "status": status_labels.get(status, status),
                "badge": status_badges.get(status, "badge--muted"),
                "suspended_until": row["suspended_until"] if status == MembershipStatus.SUSPENDED else None,
                "joined_on": row["joined_on"],
            }
        )
    return rows


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@require(signed_in)
@require_GET
def member_export(request, code: str, file_format: str):
    network = selectors.managed_network_get(user=request.user, code=code)
    if file_format not in services.EXPORT_CONTENT_TYPES:
        raise Http404
    filterset = _filtered(request, network)
    if not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        return HttpResponseBadRequest(
            _("These filters cannot be applied: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    content, name, content_type = services.member_export(
        actor=request.user, network=network, queryset=filterset.qs, file_format=file_format
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- member detail, sanctions ------------------------------------------------------------------------------------


@require(signed_in)
@require_GET
def member_detail(request, pk: int):
    member = selectors.member_get_for_manager(user=request.user, pk=pk)
    detail = selectors.member_detail(user=request.user, member=member)
    audit_member_view(actor=request.user, members=[member.pk], context="member detail", obj=member)
    sanctionable = {
        membership.pk
        for membership in detail.memberships
        if selectors.can_sanction_members(request.user, membership.network)
    }
    return render(
        request,
        "members/manage/member_detail.html",
        {
            "detail": detail,
            "member": member,
            "sanctionable": sanctionable,
            "current_statuses": [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED],
            "muted_labels": [_label(MessageType, value) for value in member.muted_types or []],
            "today": timezone.localdate(),
        },
    )


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _sanctionable_membership(request, pk: int):
    membership = selectors.membership_get_for_manager(user=request.user, pk=pk)
    if not selectors.can_sanction_members(request.user, membership.network):
        raise PermissionDenied
    return membership


@require(signed_in)
@require_http_methods(["GET", "POST"])
def membership_sanction(request, pk: int):
    membership = _sanctionable_membership(request, pk)
    form = MemberSanctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_sanction(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sanction has been recorded in the network's sanctions register."))
            return redirect("members_manage:member_detail", pk=membership.member_id)
    audit_member_view(actor=request.user, members=[membership.member_id], context="sanction form", obj=membership)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "members/manage/membership_sanction.html",
        {"form": form, "membership": membership, "member": membership.member},
        status=status,
    )


@require(signed_in)
@require_POST
def membership_lift(request, pk: int):
    membership = _sanctionable_membership(request, pk)
    try:
        services.membership_lift_suspension(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The suspension has been lifted: the member is active again."))
    return redirect("members_manage:member_detail", pk=membership.member_id)


# --- join requests -----------------------------------------------------------------------------------------------


@require(signed_in)
@require_GET
def request_list(request, code: str):
    network = selectors.managed_network_get(user=request.user, code=code)
    pending = list(selectors.join_requests(user=request.user, network=network, status=JoinRequestStatus.PENDING))
    unconfirmed = list(
        selectors.join_requests(user=request.user, network=network, status=JoinRequestStatus.UNCONFIRMED)
    )
    services.audit_join_request_view(
        actor=request.user, join_requests=[*pending, *unconfirmed], context="join requests", obj=network
    )
    return render(
        request,
        "members/manage/request_list.html",
        {"network": network, "pending": pending, "unconfirmed": unconfirmed},
    )


def _request(request, code: str, pk: int):
    network = selectors.managed_network_get(user=request.user, code=code)
    return network, selectors.join_request_get_for_manager(user=request.user, network=network, pk=pk)


@require(signed_in)
@require_POST
def request_approve(request, code: str, pk: int):
    network, join_request = _request(request, code, pk)
    try:
        services.join_request_approve(actor=request.user, join_request=join_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now a member and has been told by e-mail.") % {"name": join_request.full_name},
        )
    return redirect("members_manage:request_list", code=network.code)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def request_decline(request, code: str, pk: int):
    network, join_request = _request(request, code, pk)
    if join_request.status != JoinRequestStatus.PENDING:
        messages.error(request, _("This request was already handled: nothing was changed."))
        return redirect("members_manage:request_list", code=network.code)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_decline(
                actor=request.user, join_request=join_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request of %(name)s has been declined; they have been told by e-mail.")
                % {"name": join_request.full_name},
            )
            return redirect("members_manage:request_list", code=network.code)
    services.audit_join_request_view(
        actor=request.user, join_requests=[join_request], context="decline form", obj=network
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "members/manage/request_decline.html",
        {"network": network, "join_request": join_request, "form": form},
        status=status,
    )


@require(signed_in)
@require_POST
def request_cancel(request, code: str, pk: int):
    network, join_request = _request(request, code, pk)
    try:
        services.join_request_cancel(actor=request.user, join_request=join_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request has been cancelled: its confirmation link no longer works."))
    return redirect("members_manage:request_list", code=network.code)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def member_add(request, code: str):
    network = selectors.managed_network_get(user=request.user, code=code)
    form = InPersonForm(request.POST or None, initial={"language": request.LANGUAGE_CODE[:2], "by_email": True})
    if request.method == "POST" and form.is_valid():
        try:
            join_request = services.join_request_add_in_person(
                actor=request.user, network=network, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added. They become a member when they confirm the e-mail just sent to %(email)s.")
                % {"name": join_request.full_name, "email": join_request.email},
            )
            return redirect("members_manage:request_list", code=network.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "members/manage/member_add.html", {"network": network, "form": form}, status=status)


# --- counts ------------------------------------------------------------------------------------------------------


def _counts_params(request) -> tuple[str, str]:
    by = request.GET.get("by") or "province"
    if by not in selectors.COUNT_GROUPINGS:
        by = "province"
    sort = request.GET.get("sort") or "name"
    return by, sort


@require(selectors.can_see_member_counts)
@require_GET
def member_counts(request):
    by, sort = _counts_params(request)
    rows = selectors.member_counts(user=request.user, by=by, sort=sort)
    total = sum(row["count"] for row in rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if by == "network" else None
    context = {
        "by": by,
        "sort": sort,
        "name_sort": "-name" if sort == "name" else "name",
        "networks_sort": "networks" if sort == "-networks" else "-networks",
        "count_sort": "count" if sort == "-count" else "-count",
        "rows": page if page is not None else rows,
        "page": page,
        "total": total,
        "network_total": sum(row["networks"] for row in rows),
        "groupings": [(key, selectors.GROUPING_LINKS[key]) for key in selectors.COUNT_GROUPINGS],
        "grouping_label": selectors.GROUPING_LABELS[by],
        "grouping_heading": selectors.GROUPING_HEADINGS[by],
        "national": is_national(request.user),
        **_growth_context(
            request,
            selectors.member_counts_growth(user=request.user),
            _("Members of the networks you see, over the last 24 months"),
        ),
    }
    return render(request, "members/manage/counts.html", context)


@require(selectors.can_see_member_counts)
@require_GET
def member_counts_csv(request):
    by, sort = _counts_params(request)
    rows = selectors.member_counts(user=request.user, by=by, sort=sort)
    if by == "network":
        header = [_("Code"), _("Network"), _("Municipality"), _("Police zone"), _("Status"), _("Members")]
        values = [
            [row["code"], row["name"], row["municipality"], row["zone"], row["status_label"], row["count"]]
            for row in rows
        ]
    else:
        header = [_("Code"), str(selectors.GROUPING_LABELS[by]), _("Networks"), _("Members")]
        values = [[row["key"], row["name"], row["networks"], row["count"]] for row in rows]
    stream = io.StringIO()
    spreadsheets.write_csv(stream, header, values)
    response = HttpResponse(stream.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = f"binplp-member-counts-{by}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
