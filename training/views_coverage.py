"""Pages of part C of training: coverage of the mandated officers (and its CSV export), the statistics per academy
and year, and the training policy. Thin: each parses the request, calls the selectors (selectors_coverage,
selectors_stats) or the service (services.policy) and renders."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import require
from core.roles import is_national
from networks import spreadsheets

from . import selectors_coverage as coverage
from . import selectors_stats as stats
from .charts import percent_bar_chart
from .forms_policy import CoverageFilterForm, PolicyForm, StatisticsFilterForm
from .models import TrainingPolicy
from .permissions import can_edit_policy, can_see_coverage, can_see_statistics, trainer_academies
from .services.policy import policy_update

PAGE_SIZE = 50


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


# --- coverage ----------------------------------------------------------------------------------------------------


def _coverage_filters(request) -> CoverageFilterForm:
    return CoverageFilterForm(
        request.GET or None,
        provinces=coverage.coverage_provinces(request.user),
        zones=coverage.coverage_zones(request.user),
    )


class CountedPaginator(Paginator):
    """A paginator told its count by the figures already computed, instead of counting the list again."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


@require(can_see_coverage)
@require_GET
def coverage_page(request):
    user = request.user
    national = is_national(user)
    form = _coverage_filters(request)
    if form.is_bound and not form.is_valid():
        province_id = zone_id = None
        status = 400
    else:
        province_id, zone_id, status = form.province_id(), form.zone_id(), 200
    overview = coverage.coverage_overview(user=user, province_id=province_id, zone_id=zone_id)
    summary = overview.summary
    provinces = overview.provinces if national else []
    zones = overview.zones
    chart_rows = provinces if national else zones
    chart = percent_bar_chart(
        [row.label for row in chart_rows],
        [(_("Mandated officers trained"), [row.percent for row in chart_rows])],
        title=_("Share of mandated officers trained, by province")
        if national
        else _("Share of mandated officers trained, by police zone"),
        description="; ".join(
            _("%(place)s: %(trained)s of %(officers)s trained")
            % {"place": row.label, "trained": row.trained, "officers": row.officers}
            for row in chart_rows
        )
        or _("No mandated officer recorded."),
    )
    networks = coverage.networks_without_trained_officer(user, province_id=province_id, zone_id=zone_id)
    page = CountedPaginator(networks, PAGE_SIZE, count=overview.listed).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "training/coverage/coverage.html",
        {
            "national": national,
            "summary": summary,
            "provinces": provinces,
            "zones": zones,
            "chart": chart,
            "form": form,
            "page": page,
            "export_query": params.urlencode(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require(can_see_coverage)
@require_GET
def coverage_export(request):
    form = _coverage_filters(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("These filters cannot be applied."), status=400, content_type="text/plain; charset=utf-8")
    rows = coverage.coverage_network_rows(request.user, province_id=form.province_id(), zone_id=form.zone_id())
    stream = io.StringIO()
    spreadsheets.write_csv(
        stream,
        [
            _("Network code"),
            _("Network"),
            _("Status"),
            _("Police zone code"),
            _("Police zone"),
            _("Province"),
            _("Mandated officers"),
            _("Trained mandated officer"),
        ],
        (
            [
                row["code"],
                row["name"],
                row["status"],
                row["zone_code"] or "",
                row["zone_name"],
                row["province"],
                row["officers"],
                _("yes") if row["covered"] else _("no"),
            ]
            for row in rows
        ),
    )
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bin-course-coverage-{timezone.localdate():%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- statistics --------------------------------------------------------------------------------------------------


@require(can_see_statistics)
@require_GET
def statistics_page(request):
    academy_ids = stats.statistics_academy_ids(request.user)
    form = StatisticsFilterForm(request.GET or None, years=stats.statistics_years(academy_ids))
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    status = 400 if form.is_bound and not form.is_valid() else 200
    rows = stats.training_statistics(year=year, academy_ids=academy_ids)
    for row in rows:
        row["fill_percent"] = _percent(row["fill_rate"])
        row["attendance_percent"] = _percent(row["attendance_rate"])
        row["pass_percent"] = _percent(row["pass_rate"])
    held = [row for row in rows if row["sessions_held"]]
    labels = [f"{row['academy_code']} {row['year']}" for row in held]
    chart = percent_bar_chart(
        labels,
        [
            (_("Attendance rate"), [row["attendance_percent"] for row in held]),
            (_("Pass rate"), [row["pass_percent"] for row in held]),
        ],
        title=_("Attendance and pass rates per academy and year"),
        description="; ".join(
            _("%(label)s: attendance %(attendance)s %%, pass rate %(pass)s %%")
            % {
                "label": label,
                "attendance": "–" if row["attendance_percent"] is None else f"{row['attendance_percent']:.0f}",
                "pass": "–" if row["pass_percent"] is None else f"{row['pass_percent']:.0f}",
            }
            for label, row in zip(labels, held, strict=True)
        )
        or _("No session held yet."),
    )
    comments = stats.evaluation_comments(year=year, academy_ids=academy_ids, limit=50)
    academy_codes = {row["academy_id"]: row["academy_code"] for row in rows}
    for comment in comments:
        comment["academy_code"] = academy_codes.get(comment["academy_id"], "")
    return render(
        request,
        "training/statistics/statistics.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "chart": chart,
            "comments": comments,
            "national": academy_ids is None,
            "academies": trainer_academies(request.user),
        },
        status=status,
    )


# --- policy ------------------------------------------------------------------------------------------------------


@require(is_national)
@require_http_methods(["GET", "POST"])
def policy_page(request):
    policy = TrainingPolicy.objects.select_related("updated_by").filter(pk=1).first() or TrainingPolicy()
    can_edit = can_edit_policy(request.user)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = PolicyForm(request.POST)
        if form.is_valid():
            policy = policy_update(
                actor=request.user, urgent_requires_certificate=form.cleaned_data["urgent_requires_certificate"]
            )
            if policy.urgent_requires_certificate:
                messages.success(request, _("The policy is on: only trained officers may send urgent messages."))
            else:
                messages.success(request, _("The policy is off: every mandated officer may send urgent messages."))
            return redirect("training:policy")
        status = 400
    else:
        form = PolicyForm(initial={"urgent_requires_certificate": policy.urgent_requires_certificate})
    total, untrained = coverage.zone_officers_without_certificate()
    return render(
        request,
        "training/policy/policy.html",
        {
            "policy": policy,
            "form": form,
            "can_edit": can_edit,
            "officers_total": total,
            "officers_untrained": untrained,
        },
        status=status,
    )
