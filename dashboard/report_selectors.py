"""The figures of the annual report of a year, each beside the previous year's.

`compute_report_figures(year)` returns one JSON-ready dict (what a frozen report keeps in AnnualReport.figures;
`FIGURES_VERSION` tells its shape). Every figure that is compared is a pair {"value": this year, "previous": the
year before} (None where the previous year has no data). Sections, in the order of the report:

- `networks`: active on 31 December (today for the current year), founded, dissolved and merged in the year, for
  the country and by kind — the open data's country rows (opendata_selectors: status history replayed from events);
- `provinces` and `regions`: the same per province (the Brussels-Capital Region, which has no province, as its own
  row) and per region, placed at the network's main municipality; members per province as published in open data
  (withheld below the threshold, so the public report identifies nobody);
- `growth`: every year from the first with data to the report's year: active, founded, ended (dissolved + merged);
- `coverage`: municipalities valid on 31 December whose territory at least one network active that day covers
  (the network's area, Network.municipalities, as on the dashboard's map), and police zones valid that day with at
  least one network active that day in them;
- `charters`: charters submitted in the year; reviews decided in the year by decision; lead time from submission to
  decision of those (median, mean and 90th percentile, in days); charters still waiting on 31 December;
- `members`: memberships current on 31 December, joined and ended in the year (counts only);
- `messages`: messages sent in the year by type (open data), and deliveries handed over in the year by channel with
  how many failed;
- `feedback`: urgent police alerts sent in the year that owed feedback, how many got it, how many in time, and the
  median hours to feedback;
- `training`: the BIN course (training.selectors_stats.training_statistics) summed over the academies — sessions
  held, seats offered and filled, attended, passed, certificates — and one row per academy for the year;
- `practices`: good practices published in the year.

A year can have a report when the register has data for it (the open data's years) and it is not in the future;
`check_report_year` says why another cannot. Dates are Belgian (Europe/Brussels).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geography.models import Municipality, PoliceZone, Province, Region
from members.choices import ENDED_STATUSES
from members.models import Membership
from messaging.choices import Channel, DeliveryStatus, MessageStatus, MessageType, Sender
from messaging.models import Delivery, Message
from networks.choices import CharterStatus, NetworkKind, NetworkStatus, ReviewDecision
from networks.models import Charter, CharterReview, Network, NetworkStatusChange
from training.selectors_stats import training_statistics

from . import opendata_selectors as opendata

BRUSSELS = ZoneInfo("Europe/Brussels")
FIGURES_VERSION = 1
SECTIONS = (
    "networks",
    "provinces",
    "growth",
    "coverage",
    "charters",
    "members",
    "messages",
    "feedback",
    "training",
    "practices",
)
TRAINING_FIGURES = (
    "sessions_held",
    "sessions_cancelled",
    "seats_offered",
    "seats_filled",
    "attended",
    "passed",
    "certificates",
)


def section_titles() -> dict[str, str]:
    """The title of each section (also the sections ADVP can comment on), in the active language."""
    return {
        "networks": str(_("Networks")),
        "provinces": str(_("Networks by province and region")),
        "growth": str(_("Growth over the years")),
        "coverage": str(_("Coverage of municipalities and police zones")),
        "charters": str(_("Charters and their review")),
        "members": str(_("Members")),
        "messages": str(_("Information exchange")),
        "feedback": str(_("Feedback after alerts")),
        "training": str(_("The BIN course in the police academies")),
        "practices": str(_("Good practices")),
    }


def pair(value, previous) -> dict:
    return {"value": value, "previous": previous}


def year_end(year: int, today: datetime.date) -> datetime.date:
    """The day a year's stock figures are read: 31 December, or today for the current year."""
    return min(datetime.date(year, 12, 31), today)


def check_report_year(year: int, years: list[int] | None = None, today: datetime.date | None = None) -> int:
    """`year` when the register has data for it, else ValidationError with a message for ADVP."""
    today = today or timezone.localdate()
    years = opendata.available_years() if years is None else years
    if year > today.year:
        raise ValidationError(
            _("%(year)s has not begun yet: a report covers a year that has begun or ended.") % {"year": year},
            code="future_year",
        )
    if not years:
        raise ValidationError(_("The register holds no figures yet, for any year."), code="no_data")
    if year not in years:
        raise ValidationError(
            _("The register holds no figures for %(year)s: choose a year from %(first)s to %(last)s.")
            % {"year": year, "first": years[0], "last": years[-1]},
            code="no_data_for_year",
        )
    return year


def compute_report_figures(year: int, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    data = opendata.open_data() if today == timezone.localdate() else opendata.compute_open_data(today)
    check_report_year(year, data.years, today)
    previous = year - 1 if (year - 1) in data.years else None
    country = {row["year"]: row for row in opendata.level_rows("country", data=data)}
    this_row, last_row = country.get(year, {}), country.get(previous, {}) if previous else {}

    def both(name: str) -> dict:
        return pair(this_row.get(name), last_row.get(name) if previous else None)

    years = [each for each in data.years if each <= year]
    figures = {
        "version": FIGURES_VERSION,
        "year": year,
        "previous_year": previous,
        "as_of": year_end(year, today).isoformat(),
        "complete_year": year < today.year,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "min_count": opendata.min_count(),
        "networks": {
            "total": {figure: both(f"networks_{figure}") for figure in opendata.NETWORK_FIGURES},
            "by_kind": [
                {
                    "kind": kind,
                    **{figure: both(f"networks_{figure}_{kind}") for figure in opendata.NETWORK_FIGURES},
                }
                for kind in NetworkKind.values
            ],
        },
        "growth": [
            {
                "year": each,
                "active": country[each]["networks_active"],
                "founded": country[each]["networks_founded"],
                "ended": country[each]["networks_dissolved"] + country[each]["networks_merged"],
            }
            for each in years
            if each in country
        ],
        "members": {
            "current": both("members"),
            **_membership_flows(year, previous, today),
        },
        "messages": {
            "total": both("messages_sent"),
            "by_type": [{"type": kind, **both(f"messages_{kind}")} for kind in MessageType.values],
            "by_channel": _deliveries(year, previous),
        },
        "practices": {"published": both("practices_published")},
    }
    figures["provinces"], figures["regions"] = _places(data, year, previous)
    figures["coverage"] = {
        "value": _coverage(year_end(year, today)),
        "previous": _coverage(year_end(previous, today)) if previous else None,
    }
    figures["charters"] = _charters(year, previous, today)
    figures["feedback"] = _feedback(year, previous)
    figures["training"] = _training(year, previous)
    return figures


# --- sections ----------------------------------------------------------------------------------------------------


def _places(data, year: int, previous: int | None) -> tuple[list[dict], list[dict]]:
    """Networks (and published member counts) per province and per region, this year and the year before."""
    names = {refnis: (nl, fr, de) for refnis, nl, fr, de in Province.objects.values_list("refnis", *_NAMES)}
    region_of = dict(Province.objects.values_list("refnis", "region__refnis"))
    region_of[opendata.BRUSSELS_REGION] = opendata.BRUSSELS_REGION
    region_names = {refnis: (nl, fr, de) for refnis, nl, fr, de in Region.objects.values_list("refnis", *_NAMES)}
    names.setdefault(opendata.BRUSSELS_REGION, region_names.get(opendata.BRUSSELS_REGION, ("", "", "")))
    rows_by_year = {
        each: {row["code"]: row for row in opendata.level_rows("province", each, data=data)}
        for each in (year, previous)
        if each is not None
    }
    codes = sorted({code for rows in rows_by_year.values() for code in rows} | set(names))
    provinces, regions = [], {}
    for code in codes:
        this_row = rows_by_year[year].get(code, {})
        last_row = rows_by_year.get(previous, {}).get(code, {}) if previous else {}
        entry = {"code": code, "names": list(names.get(code, (code, code, code))), "region": region_of.get(code, "")}
        for figure in opendata.NETWORK_FIGURES:
            name = f"networks_{figure}"
            entry[figure] = pair(this_row.get(name, 0), last_row.get(name, 0) if previous else None)
        entry["members"] = pair(
            None if this_row.get("members_suppressed") else this_row.get("members", 0),
            (None if last_row.get("members_suppressed") else last_row.get("members", 0)) if previous else None,
        )
        provinces.append(entry)
        region = regions.setdefault(
            entry["region"],
            {
                "code": entry["region"],
                "names": list(region_names.get(entry["region"], ("", "", ""))),
                **{figure: pair(0, 0 if previous else None) for figure in opendata.NETWORK_FIGURES},
            },
        )
        for figure in opendata.NETWORK_FIGURES:
            region[figure]["value"] += entry[figure]["value"]
            if previous:
                region[figure]["previous"] += entry[figure]["previous"]
    return provinces, [regions[code] for code in sorted(regions)]


_NAMES = ("name_nl", "name_fr", "name_de")


def _active_network_ids(day: datetime.date):
    """A subquery of the networks whose last status change on or before `day` made them active."""
    last_status = (
        NetworkStatusChange.objects.filter(network=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-pk")
        .values("to_status")
    )
    return (
        Network.objects.annotate(status_then=Subquery(last_status[:1]))
        .filter(status_then=NetworkStatus.ACTIVE)
        .values("pk")
    )


def _coverage(day: datetime.date) -> dict:
    active = _active_network_ids(day)
    municipalities = Municipality.objects.valid_on(day)
    covered_municipalities = municipalities.filter(
        pk__in=Network.municipalities.through.objects.filter(network_id__in=active).values("municipality_id")
    ).count()
    zones = PoliceZone.objects.valid_on(day)
    covered_zones = zones.filter(pk__in=Network.objects.filter(pk__in=active).values("zone_id")).count()
    return {
        "municipalities": municipalities.count(),
        "municipalities_covered": covered_municipalities,
        "zones": zones.count(),
        "zones_covered": covered_zones,
    }


def _lead_days(pairs: list[tuple[datetime.datetime, datetime.datetime]]) -> dict:
    days = sorted((decided - submitted).total_seconds() / 86400 for submitted, decided in pairs)
    if not days:
        return {"median": None, "mean": None, "p90": None}
    return {
        "median": round(statistics.median(days), 1),
        "mean": round(statistics.fmean(days), 1),
        "p90": round(days[min(len(days) - 1, int(0.9 * len(days)))], 1),
    }


def _charters(year: int, previous: int | None, today: datetime.date) -> dict:
    submitted = _per_year(
        Charter.objects.filter(submitted_at__isnull=False), "submitted_at", year, previous, moments=True
    )
    decided = defaultdict(list)
    decisions = defaultdict(lambda: defaultdict(int))
    for decision, submitted_at, decided_at in CharterReview.objects.filter(
        _years_condition("decided_at", year, previous), charter__submitted_at__isnull=False
    ).values_list("decision", "charter__submitted_at", "decided_at"):
        each = timezone.localtime(decided_at, BRUSSELS).year
        decided[each].append((submitted_at, decided_at))
        decisions[each][decision] += 1

    def waiting(each: int | None) -> int | None:
        if each is None:
            return None
        end = datetime.datetime.combine(year_end(each, today) + datetime.timedelta(days=1), datetime.time(), BRUSSELS)
        # Submitted by the end of the year and not decided by then (a charter decided later was waiting).
        return (
            Charter.objects.filter(submitted_at__lt=end)
            .exclude(status=CharterStatus.DRAFT)
            .filter(Q(review__isnull=True) | Q(review__decided_at__isnull=True) | Q(review__decided_at__gte=end))
            .count()
        )

    def lead(figure: str) -> dict:
        return pair(_lead_days(decided[year])[figure], _lead_days(decided[previous])[figure] if previous else None)

    return {
        "submitted": submitted,
        "reviewed": pair(len(decided[year]), len(decided[previous]) if previous else None),
        "conform": pair(
            decisions[year][ReviewDecision.CONFORM], decisions[previous][ReviewDecision.CONFORM] if previous else None
        ),
        "changes_needed": pair(
            decisions[year][ReviewDecision.CHANGES_NEEDED],
            decisions[previous][ReviewDecision.CHANGES_NEEDED] if previous else None,
        ),
        "lead_days_median": lead("median"),
        "lead_days_mean": lead("mean"),
        "lead_days_p90": lead("p90"),
        "waiting_at_year_end": pair(waiting(year), waiting(previous)),
    }


def _day_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moment_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first moment of the Belgian year to the first moment of the next (half-open)."""
    return (
        datetime.datetime(year, 1, 1, tzinfo=BRUSSELS),
        datetime.datetime(year + 1, 1, 1, tzinfo=BRUSSELS),
    )


def _in_year(field: str, year: int, *, moments: bool) -> Q:
    """A condition on `field` in the year, as a range (an index can serve it; no function on every row)."""
    if moments:
        start, end = _moment_range(year)
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return Q(**{f"{field}__range": _day_range(year)})


def _per_year(queryset, field: str, year: int, previous: int | None, *, moments: bool) -> dict:
    """Count the rows of `queryset` whose `field` falls in the year and in the previous year: one query."""
    figures = {"value": Count("pk", filter=_in_year(field, year, moments=moments))}
    if previous:
        figures["previous"] = Count("pk", filter=_in_year(field, previous, moments=moments))
    # Only the rows of the two years are read (an index on `field` serves the range), not the whole table.
    counts = queryset.filter(_years_condition(field, year, previous, moments=moments)).aggregate(**figures)
    return pair(counts["value"], counts.get("previous"))


def _membership_flows(year: int, previous: int | None, today: datetime.date) -> dict:
    joined = Membership.objects.filter(joined_on__lte=today).exclude(
        status__in=sorted(ENDED_STATUSES), ended_on__isnull=True
    )
    ended = Membership.objects.filter(status__in=sorted(ENDED_STATUSES), ended_on__isnull=False, ended_on__lte=today)
    return {
        "joined": _per_year(joined, "joined_on", year, previous, moments=False),
        "ended": _per_year(ended, "ended_on", year, previous, moments=False),
    }


def _years_condition(field: str, year: int, previous: int | None, *, moments: bool = True) -> Q:
    """`field` in the year or the previous one, as one range."""
    if moments:
        start, end = _moment_range(previous or year)[0], _moment_range(year)[1]
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return Q(**{f"{field}__range": (_day_range(previous or year)[0], _day_range(year)[1])})


def _deliveries(year: int, previous: int | None) -> list[dict]:
    """Deliveries handed over in the year (sent, delivered or failed after an attempt) by channel: one query."""
    figures = {"value": Count("pk", filter=_in_year("sent_at", year, moments=True))}
    if previous:
        figures["previous"] = Count("pk", filter=_in_year("sent_at", previous, moments=True))
    counts: dict = defaultdict(int)
    for row in (
        Delivery.objects.filter(_years_condition("sent_at", year, previous))
        .order_by()
        .values("channel", "status")
        .annotate(**figures)
    ):
        for key in ("value", "previous"):
            counts[(row["channel"], key, "all")] += row.get(key) or 0
            if row["status"] == DeliveryStatus.FAILED:
                counts[(row["channel"], key, "failed")] += row.get(key) or 0

    def both(channel: str, name: str) -> dict:
        return pair(counts[(channel, "value", name)], counts[(channel, "previous", name)] if previous else None)

    return [
        {"channel": channel, "handed_over": both(channel, "all"), "failed": both(channel, "failed")}
        for channel in Channel.values
    ]


def _feedback(year: int, previous: int | None) -> dict:
    rows: dict = defaultdict(lambda: {"alerts": 0, "answered": 0, "in_time": 0, "hours": []})
    for sent_at, due, answered in Message.objects.filter(
        _years_condition("sent_at", year, previous),
        status=MessageStatus.SENT,
        type=MessageType.URGENT_ALERT,
        sender=Sender.POLICE,
        feedback_due_at__isnull=False,
    ).values_list("sent_at", "feedback_due_at", "feedback_sent_at"):
        each = timezone.localtime(sent_at, BRUSSELS).year
        row = rows[each]
        row["alerts"] += 1
        if answered is not None:
            row["answered"] += 1
            row["in_time"] += answered <= due
            row["hours"].append((answered - sent_at).total_seconds() / 3600)

    def figure(each: int | None, name: str):
        if each is None:
            return None
        if name == "median_hours":
            hours = rows[each]["hours"]
            return round(statistics.median(hours), 1) if hours else None
        return rows[each][name]

    return {
        name: pair(figure(year, name), figure(previous, name))
        for name in ("alerts", "answered", "in_time", "median_hours")
    }


def _training(year: int, previous: int | None) -> dict:
    this_rows = training_statistics(year=year)
    last_rows = training_statistics(year=previous) if previous else []
    totals = {
        name: pair(sum(row[name] for row in this_rows), sum(row[name] for row in last_rows) if previous else None)
        for name in TRAINING_FIGURES
    }
    return {
        "totals": totals,
        "academies": [
            {
                "code": row["academy_code"],
                "name": row["academy"],
                **{name: row[name] for name in TRAINING_FIGURES},
                "attendance_rate": row["attendance_rate"],
                "pass_rate": row["pass_rate"],
                "evaluation_average": row["evaluation_average"],
            }
            for row in sorted(this_rows, key=lambda row: row["academy_code"])
        ],
    }
