"""The chart of the messaging statistics: messages per month, stacked by type — an inline, static, accessible SVG made
the way members/charts.py makes its charts (pygal's script and stylesheet removed, the look written as presentation
attributes, `role="img"` with a title and a description; the page shows the same figures in a table)."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - building our own SVG, never parsing input  # nosec B405
from collections.abc import Mapping, Sequence

import pygal
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from members.charts import (
    INK,
    LABEL_SIZE,
    _present,
    _strip_interaction,
    accessible_svg,
    cached_svg,
    month_label,
    whole_number_ticks,
)

# One colour per message type, each with a contrast of at least 4.5:1 against white.
TYPE_COLOURS = ("#0b5394", "#a4400d", "#2e6b30", "#6a3d9a", "#8b1d3f", "#3f5360")


def _colour(index: int) -> str:
    return TYPE_COLOURS[index % len(TYPE_COLOURS)]


def stacked_month_chart(
    months: Sequence[datetime.date],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    description: str,
) -> SafeString:
    """Bars per month stacked by series ((label, one value per month) each), with a legend below. Cached under a
    digest of everything it shows, like members.charts.line_chart."""
    content = repr(
        (get_language(), title, description, [m.isoformat() for m in months], [(s, list(v)) for s, v in series])
    )
    return cached_svg(
        "messaging:chart:v1:", content, lambda: _draw(months, series, title=title, description=description)
    )


def _draw(months, series, *, title: str, description: str) -> str:
    chart = pygal.StackedBar(
        js=[],
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        width=800,
        height=380,
        margin=16,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=2,
        value_formatter=lambda value: f"{int(value):,}".replace(",", "\u202f"),
        truncate_label=-1,
        truncate_legend=-1,
        print_values=False,
        no_data_text="",
    )
    totals = [sum(values[i] for _label, values in series) for i in range(len(months))]
    ticks = whole_number_ticks(max(totals, default=0))
    chart.y_labels = ticks
    chart.range = (0, ticks[-1])
    chart.x_labels = [month_label(month) for month in months]
    for label, values in series:
        chart.add(label, list(values))
    root = chart.render_tree()
    _strip_interaction(root)
    _present(root)
    colour_series(root)
    return accessible_svg(root, title=title, description=description)


def _colour_index(classes: set[str]) -> int | None:
    return next((int(name[6:]) for name in classes if name.startswith("color-") and name[6:].isdigit()), None)


def colour_series(root: ET.Element) -> None:
    """Bars and legend swatches in TYPE_COLOURS (members.charts knows four colours; six types need six), legend
    labels in ink."""
    for element in root.iter():
        classes = set((element.get("class") or "").split())
        index = _colour_index(classes)
        if element.tag == "g" and "series" in classes and index is not None:
            element.set("fill", _colour(index))
            element.set("stroke", _colour(index))
            for rect in element.iter("rect"):
                rect.set("stroke-width", "1")
        elif element.tag == "rect" and index is not None:  # a legend swatch
            element.set("fill", _colour(index))
        elif element.tag == "g" and "legend" in classes:
            for text in element.iter("text"):
                text.set("fill", INK)
                text.set("font-size", LABEL_SIZE)


def chart_rows(months: Sequence[datetime.date], by_month: Mapping[datetime.date, Mapping[str, int]], types) -> list:
    """The chart's figures for its table: month label and the count of each type, plus the month's total."""
    return [
        {
            "month": month_label(month),
            "counts": [by_month[month].get(value, 0) for value in types],
            "total": sum(by_month[month].values()),
        }
        for month in months
    ]
