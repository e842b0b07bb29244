"""The annual report as a document: the figures (report_selectors' dict, live for a draft, frozen for a frozen report)
turned into titled sections of tables and charts in one language, with ADVP's foreword and comments. The web page
and the PDF render the same document (templates dashboard/report/_document.html), so they never disagree.

Each compared figure is shown as: this year, the previous year, and the change (a difference, with the relative
change in per cent where it means something; percentage points for shares). A figure withheld to protect people
(members below the open-data threshold) reads "withheld"; a figure the previous year has no data for reads "–".
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from messaging.choices import Channel, MessageType
from messaging.models import Message
from networks.choices import NetworkKind
from networks.models import Charter, CharterReview
from practices.text import practice_html
from training.choices import SessionStatus
from training.models import Enrolment, Session

from . import opendata_selectors as opendata
from .models import AnnualReport
from .report_charts import comparison_chart
from .report_selectors import compute_report_figures, section_titles

DRAFT_CACHE_SECONDS = 600
NAME_INDEX = {"nl": 0, "fr": 1, "de": 2}


def report_fingerprint() -> str:
    """The open-data fingerprint plus what else a report reads: charters and their reviews, alerts' feedback, the
    BIN course's sessions, enrolments and certificates. Deliveries are left out (a fingerprint of a million rows
    would cost a scan): a draft shows new deliveries within DRAFT_CACHE_SECONDS."""
    parts = [
        Charter.objects.aggregate(n=Count("id"), last=Max("id"), submitted=Count("submitted_at")),
        CharterReview.objects.aggregate(n=Count("id"), decided=Count("decided_at"), at=Max("decided_at")),
        Message.objects.filter(feedback_due_at__isnull=False).aggregate(
            answered=Count("feedback_sent_at"), at=Max("feedback_sent_at")
        ),
        Session.objects.aggregate(
            n=Count("id"),
            closed=Count("id", filter=Q(status=SessionStatus.CLOSED)),
            cancelled=Count("id", filter=Q(status=SessionStatus.CANCELLED)),
        ),
        Enrolment.objects.aggregate(n=Count("id"), changed=Max("updated_at")),
    ]
    text = opendata.fingerprint() + repr([sorted(part.items()) for part in parts])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def report_figures(report: AnnualReport) -> dict:
    """A frozen report's kept figures; a draft's computed now (kept 10 minutes under report_fingerprint)."""
    if report.is_frozen:
        return report.figures
    key = f"dashboard:report:v1:{report.year}:{report_fingerprint()}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_report_figures(report.year)
        cache.set(key, figures, DRAFT_CACHE_SECONDS)
    return figures


# --- formatting --------------------------------------------------------------------------------------------------


def number(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if decimals:
        return number_format(value, decimals, force_grouping=True)
    return number_format(int(value), 0, force_grouping=True)


def _signed(text: str, positive: bool) -> str:
    return f"+{text}" if positive else f"−{text.lstrip('-')}"


def change(value, previous, *, decimals: int = 0, points: bool = False) -> str:
    """The change from `previous` to `value`: "+12 (+3.4 %)", "−2 pp", "0", or "–" when one is missing."""
    if value is None or previous is None:
        return "–"
    difference = value - previous
    if difference == 0:
        return "0"
    text = _signed(number(abs(difference), decimals), difference > 0)
    if points:
        return f"{text} {pgettext('percentage points', 'pp')}"
    if previous:
        relative = 100 * difference / previous
        return f"{text} ({_signed(number(abs(relative), 1), relative > 0)} %)"
    return text


def percent(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return 100 * numerator / denominator


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)  # the first cell of a row is its header
    numeric_from: int = 1


@dataclass
class Section:
    key: str
    title: str
    comment: SafeString | str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[SafeString] = field(default_factory=list)
    note: str = ""


@dataclass
class Document:
    year: int
    title: str
    language: str
    frozen: bool
    as_of: str
    computed_at: str
    foreword: SafeString | str
    sections: list[Section]
    previous_year: int | None
    complete_year: bool


class _Builder:
    """Builds the sections in the active language."""

    def __init__(self, figures: dict, report: AnnualReport, language: str):
        self.f = figures
        self.report = report
        self.language = language
        self.year = figures["year"]
        self.previous = figures.get("previous_year")
        self.titles = section_titles()

    # a table of figures compared with the previous year
    def compared(self, caption: str, rows: list[tuple[str, dict]], **options) -> Table:
        table = self.comparison_table(caption)
        for label, values in rows:
            table.rows.append(self.compared_row(label, values, **options))
        return table

    def comparison_table(self, caption: str) -> Table:
        return Table(caption=caption, columns=[_("Figure"), str(self.year), self.previous_label, _("Change")])

    def networks_table(self, caption: str, first_column: str, *extra: str) -> Table:
        """A table of places or kinds: active this year and the previous one, the change, founded, ended, `extra`."""
        return Table(
            caption=caption,
            columns=[
                first_column,
                _("Active %(year)s") % {"year": self.year},
                _("Active %(year)s") % {"year": self.previous_label},
                _("Change"),
                _("Founded %(year)s") % {"year": self.year},
                _("Ended %(year)s") % {"year": self.year},
                *extra,
            ],
        )

    @staticmethod
    def networks_cells(row: dict) -> list[str]:
        """The cells of networks_table for a row of figures (pairs of active, founded, dissolved, merged)."""
        ended = (row["dissolved"]["value"] or 0) + (row["merged"]["value"] or 0)
        return [
            number(row["active"]["value"]),
            number(row["active"]["previous"]),
            change(row["active"]["value"], row["active"]["previous"]),
            number(row["founded"]["value"]),
            number(ended),
        ]

    @property
    def previous_label(self) -> str:
        return str(self.previous) if self.previous else _("previous year")

    def compared_row(self, label: str, values: dict, *, decimals: int = 0, withheld: bool = False) -> list[str]:
        value, previous = values.get("value"), values.get("previous")
        return [
            label,
            self.shown(value, decimals, withheld),
            self.shown(previous, decimals, withheld and self.previous is not None),
            change(value, previous, decimals=decimals),
        ]

    def shown(self, value, decimals: int = 0, withheld: bool = False) -> str:
        if value is None and withheld:
            return _("withheld")
        return number(value, decimals)

    def place_name(self, names: list[str]) -> str:
        index = NAME_INDEX.get(self.language)
        if index is not None and names[index]:
            return names[index]
        preferred = (1, 0, 2) if self.language == "fr" else (0, 1, 2)
        return next((names[i] for i in preferred if names[i]), "")

    def section(self, key: str, **kwargs) -> Section:
        comment = self.report.comment(key, self.language)
        return Section(key=key, title=self.titles[key], comment=practice_html(comment) if comment else "", **kwargs)

    # --- sections --------------------------------------------------------------------------------------------------

    def networks(self) -> Section:
        total = self.f["networks"]["total"]
        kinds = dict(NetworkKind.choices)
        by_kind = self.networks_table(_("Networks by kind"), _("Kind"))
        for row in self.f["networks"]["by_kind"]:
            by_kind.rows.append([str(kinds.get(row["kind"], row["kind"])), *self.networks_cells(row)])
        return self.section(
            "networks",
            tables=[
                self.compared(
                    _("Networks in the register"),
                    [
                        (_("Active networks on %(day)s") % {"day": self.as_of_label}, total["active"]),
                        (_("Networks founded in the year"), total["founded"]),
                        (_("Networks dissolved in the year"), total["dissolved"]),
                        (_("Networks merged into another in the year"), total["merged"]),
                    ],
                ),
                by_kind,
            ],
        )

    @property
    def as_of_label(self) -> str:
        return date_format(datetime.date.fromisoformat(self.f["as_of"]), "DATE_FORMAT")

    def provinces(self) -> Section:
        provinces = sorted(self.f["provinces"], key=lambda row: self.place_name(row["names"]).lower())
        table = self.networks_table(
            _("Networks and members by province"), _("Province"), _("Members %(year)s") % {"year": self.year}
        )
        for row in provinces:
            table.rows.append(
                [
                    self.place_name(row["names"]),
                    *self.networks_cells(row),
                    self.shown(row["members"]["value"], withheld=True),
                ]
            )
        regions = self.networks_table(_("Networks by region"), _("Region"))
        for row in self.f["regions"]:
            regions.rows.append([self.place_name(row["names"]), *self.networks_cells(row)])
        series = [(str(self.year), [row["active"]["value"] for row in provinces])]
        if self.previous:
            series.insert(0, (str(self.previous), [row["active"]["previous"] for row in provinces]))
        chart = comparison_chart(
            [self.place_name(row["names"]) for row in provinces],
            series,
            title=_("Active networks by province, %(year)s") % {"year": self.year},
            description=_("One bar per province and year; the same figures are in the table."),
            horizontal=True,
        )
        note = _(
            "Networks are counted in the province of their main municipality. Member counts from 1 to %(limit)s, and "
            "those that would let such a count be found back, are withheld."
        ) % {"limit": self.f["min_count"] - 1}
        return self.section("provinces", tables=[table, regions], charts=[chart], note=note)

    def growth(self) -> Section:
        rows = self.f["growth"]
        table = Table(
            caption=_("Networks per year"),
            columns=[_("Year"), _("Active on 31 December"), _("Founded"), _("Ended (dissolved or merged)")],
        )
        for row in rows:
            table.rows.append([str(row["year"]), number(row["active"]), number(row["founded"]), number(row["ended"])])
        chart = comparison_chart(
            [str(row["year"]) for row in rows],
            [(_("Active networks"), [row["active"] for row in rows])],
            title=_("Active networks on 31 December, per year"),
            description=_("From %(first)s to %(last)s: %(start)s then %(end)s active networks.")
            % {
                "first": rows[0]["year"] if rows else self.year,
                "last": rows[-1]["year"] if rows else self.year,
                "start": number(rows[0]["active"]) if rows else 0,
                "end": number(rows[-1]["active"]) if rows else 0,
            },
        )
        return self.section("growth", tables=[table], charts=[chart])

    def coverage(self) -> Section:
        value, previous = self.f["coverage"]["value"], self.f["coverage"]["previous"]
        table = self.comparison_table(_("Coverage"))
        for label, covered, total in (
            (_("Municipalities with at least one active network"), "municipalities_covered", "municipalities"),
            (_("Police zones with at least one active network"), "zones_covered", "zones"),
        ):
            share = percent(value[covered], value[total])
            share_before = percent(previous[covered], previous[total]) if previous else None
            table.rows.append(
                [
                    label,
                    self.share_text(value[covered], value[total], share),
                    self.share_text(previous[covered], previous[total], share_before) if previous else "–",
                    change(share, share_before, decimals=1, points=True),
                ]
            )
        note = _(
            "A municipality is covered when the area of at least one network active that day includes it; a police "
            "zone when at least one active network belongs to it. Municipalities and zones as they were that day."
        )
        return self.section("coverage", tables=[table], note=note)

    def share_text(self, part, whole, share) -> str:
        if share is None:
            return number(part)
        return _("%(part)s of %(whole)s (%(share)s %%)") % {
            "part": number(part),
            "whole": number(whole),
            "share": number(share, 1),
        }

    def charters(self) -> Section:
        c = self.f["charters"]
        return self.section(
            "charters",
            tables=[
                self.compared(
                    _("Charters and reviews"),
                    [
                        (_("Charters submitted to ADVP"), c["submitted"]),
                        (_("Reviews decided"), c["reviewed"]),
                        (_("of which conform"), c["conform"]),
                        (_("of which changes needed"), c["changes_needed"]),
                        (
                            _("Charters waiting for review on %(day)s") % {"day": self.as_of_label},
                            c["waiting_at_year_end"],
                        ),
                    ],
                ),
                self.compared(
                    _("Lead time from submission to decision (days)"),
                    [
                        (_("Median"), c["lead_days_median"]),
                        (_("Mean"), c["lead_days_mean"]),
                        (_("90th percentile"), c["lead_days_p90"]),
                    ],
                    decimals=1,
                ),
            ],
        )

    def members(self) -> Section:
        m = self.f["members"]
        table = self.comparison_table(_("Memberships"))
        table.rows.append(
            self.compared_row(
                _("Current memberships on %(day)s") % {"day": self.as_of_label}, m["current"], withheld=True
            )
        )
        table.rows.append(self.compared_row(_("Memberships begun in the year"), m["joined"]))
        table.rows.append(self.compared_row(_("Memberships ended in the year"), m["ended"]))
        note = _(
            "Counts only: a person who is a member of two networks counts twice. No personal data is in this report."
        )
        return self.section("members", tables=[table], note=note)

    def messages(self) -> Section:
        m = self.f["messages"]
        types = dict(MessageType.choices)
        channels = dict(Channel.choices)
        by_type = self.compared(
            _("Messages sent to members, by type"),
            [(_("All messages"), m["total"])]
            + [(str(types.get(row["type"], row["type"])), row) for row in m["by_type"]],
        )
        by_channel = Table(
            caption=_("Deliveries handed over, by channel"),
            columns=[
                _("Channel"),
                str(self.year),
                self.previous_label,
                _("Change"),
                _("Failed %(year)s") % {"year": self.year},
            ],
        )
        for row in m["by_channel"]:
            by_channel.rows.append(
                [
                    str(channels.get(row["channel"], row["channel"])),
                    number(row["handed_over"]["value"]),
                    number(row["handed_over"]["previous"]),
                    change(row["handed_over"]["value"], row["handed_over"]["previous"]),
                    number(row["failed"]["value"]),
                ]
            )
        series = [(str(self.year), [row["value"] for row in m["by_type"]])]
        if self.previous:
            series.insert(0, (str(self.previous), [row["previous"] for row in m["by_type"]]))
        chart = comparison_chart(
            [str(types.get(row["type"], row["type"])) for row in m["by_type"]],
            series,
            title=_("Messages sent by type, %(year)s") % {"year": self.year},
            description=_("One bar per type and year; the same figures are in the table."),
            horizontal=True,
        )
        note = _("A delivery is one message to one member by one channel.")
        return self.section("messages", tables=[by_type, by_channel], charts=[chart], note=note)

    def feedback(self) -> Section:
        fb = self.f["feedback"]
        rate = pair_percent(fb["answered"], fb["alerts"])
        in_time = pair_percent(fb["in_time"], fb["alerts"])
        table = self.comparison_table(_("Feedback after urgent alerts"))
        table.rows.append(self.compared_row(_("Urgent police alerts owing feedback"), fb["alerts"]))
        table.rows.append(self.compared_row(_("with feedback sent"), fb["answered"]))
        table.rows.append(self.percent_row(_("Feedback rate"), rate))
        table.rows.append(self.percent_row(_("Feedback in time"), in_time))
        table.rows.append(self.compared_row(_("Median time to feedback (hours)"), fb["median_hours"], decimals=1))
        return self.section("feedback", tables=[table])

    def percent_row(self, label: str, values: dict) -> list[str]:
        value, previous = values["value"], values["previous"]
        return [
            label,
            f"{number(value, 1)} %" if value is not None else "–",
            f"{number(previous, 1)} %" if previous is not None else "–",
            change(value, previous, decimals=1, points=True),
        ]

    def training(self) -> Section:
        t = self.f["training"]
        totals = t["totals"]
        summary = self.compared(
            _("Sessions of the BIN course"),
            [
                (_("Sessions held"), totals["sessions_held"]),
                (_("Sessions cancelled"), totals["sessions_cancelled"]),
                (_("Seats offered"), totals["seats_offered"]),
                (_("Participants"), totals["seats_filled"]),
                (_("Attended"), totals["attended"]),
                (_("Passed"), totals["passed"]),
                (_("Certificates issued"), totals["certificates"]),
            ],
        )
        academies = Table(
            caption=_("Per police academy, %(year)s") % {"year": self.year},
            columns=[
                _("Academy"),
                _("Sessions held"),
                _("Participants"),
                _("Attended"),
                _("Passed"),
                _("Certificates"),
            ],
        )
        for row in t["academies"]:
            academies.rows.append(
                [
                    row["name"],
                    number(row["sessions_held"]),
                    number(row["seats_filled"]),
                    number(row["attended"]),
                    number(row["passed"]),
                    number(row["certificates"]),
                ]
            )
        return self.section("training", tables=[summary, academies] if t["academies"] else [summary])

    def practices(self) -> Section:
        return self.section(
            "practices",
            tables=[
                self.compared(_("Good practices"), [(_("Good practices published"), self.f["practices"]["published"])])
            ],
        )


def pair_percent(part: dict, whole: dict) -> dict:
    return {
        "value": percent(part["value"], whole["value"]),
        "previous": percent(part["previous"], whole["previous"]),
    }


def build_document(report: AnnualReport, language: str, figures: dict | None = None) -> Document:
    """The report in `language`; call inside translation.override(language)."""
    figures = figures or report_figures(report)
    builder = _Builder(figures, report, language)
    sections = [getattr(builder, key)() for key in section_titles()]
    computed = parse_datetime(figures["computed_at"]) or timezone.now()
    foreword = report.foreword(language)
    return Document(
        year=report.year,
        title=_("Annual report %(year)s") % {"year": report.year},
        language=language,
        frozen=report.is_frozen,
        as_of=builder.as_of_label,
        computed_at=date_format(timezone.localtime(computed), "DATETIME_FORMAT"),
        foreword=practice_html(foreword) if foreword else "",
        sections=sections,
        previous_year=figures.get("previous_year"),
        complete_year=figures.get("complete_year", True),
    )
