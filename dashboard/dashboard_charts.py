"""The charts of the dashboard: networks by status per province (the country) or per police zone, as horizontal
stacked bars, and the networks over the years as lines (solid, dashed and dotted, so that they are told apart
without their colour). Each is an inline, static, accessible SVG made the way members/charts.py makes its charts
(pygal's script and stylesheet removed, the look written as presentation attributes, `role="img"` with a title and
a description). The page shows the same figures in a table."""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from members.charts import _present, _strip_interaction, accessible_svg, cached_svg, whole_number_ticks
from messaging.charts_follow import colour_series


def status_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, title: str, description: str
) -> SafeString:
    """One bar per label, stacked by series ((name, one count per label) each). Cached under a digest of everything
    it shows."""
    content = repr((get_language(), title, description, list(labels), [(name, list(v)) for name, v in series]))
    return cached_svg(
        "dashboard:chart:v1:", content, lambda: _draw(labels, series, title=title, description=description)
    )


def _draw(labels, series, *, title: str, description: str) -> str:
    chart = pygal.HorizontalStackedBar(
        js=[],
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        width=800,
        height=max(240, 120 + 28 * len(labels)),
        margin=16,
        value_formatter=lambda value: f"{int(value):,}".replace(",", "\u202f"),
        truncate_label=-1,
        truncate_legend=-1,
        print_values=False,
        no_data_text="",
    )
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    ticks = whole_number_ticks(max(totals, default=0))
    chart.y_labels = ticks
    chart.range = (0, ticks[-1])
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    root = chart.render_tree()
    _strip_interaction(root)
    _present(root)
    colour_series(root)
    return accessible_svg(root, title=title, description=description)


# Line patterns of the series over the years (solid, dashed, dotted): told apart without their colour too.
YEAR_DASHES = ("", "10,5", "3,4")


def years_chart(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[int]]], *, title: str, description: str
) -> SafeString:
    """One line per series ((name, one count per year) each) over the years. Cached under a digest of everything it
    shows."""
    content = repr((get_language(), title, description, list(years), [(name, list(v)) for name, v in series]))
    return cached_svg(
        "dashboard:chart:years:v1:", content, lambda: _draw_years(years, series, title=title, description=description)
    )


def _draw_years(years, series, *, title: str, description: str) -> str:
    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,  # the labels are long, in French and German even more
        width=800,
        height=380,
        margin=16,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, -(-len(years) // 12)),  # at most about twelve year labels
        value_formatter=lambda value: f"{int(value):,}".replace(",", "\u202f"),
        include_x_axis=True,
        dots_size=3,
        truncate_label=-1,
        truncate_legend=-1,
        print_values=False,
        no_data_text="",
    )
    ticks = whole_number_ticks(max((value for _name, values in series for value in values), default=0))
    chart.y_labels = ticks
    chart.range = (0, ticks[-1])
    chart.x_labels = [str(year) for year in years]
    for name, values in series:
        chart.add(name, list(values))
    root = chart.render_tree()
    _strip_interaction(root)
    _present(root)
    colour_series(root)
    _dash_series(root)
    return accessible_svg(root, title=title, description=description)


def _dash_series(root) -> None:
    for element in root.iter("g"):
        classes = set((element.get("class") or "").split())
        index = next((int(name[6:]) for name in classes if name.startswith("color-") and name[6:].isdigit()), None)
        if "series" in classes and index is not None and YEAR_DASHES[index % len(YEAR_DASHES)]:
            for path in element.iter("path"):
                path.set("stroke-dasharray", YEAR_DASHES[index % len(YEAR_DASHES)])
