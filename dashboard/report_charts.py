"""Charts of the annual report: a figure per place or type, this year beside the previous year, as grouped bars — a
static, accessible SVG made the way members/charts.py makes its charts (pygal's script and stylesheet removed, the
look written as presentation attributes, `role="img"` with a title and a description), so the same SVG works inline
in the web page and in the PDF (WeasyPrint draws inline SVG). The report shows the same figures in tables."""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from members.charts import _present, _strip_interaction, accessible_svg, cached_svg, whole_number_ticks
from messaging.charts_follow import colour_series


def comparison_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    title: str,
    description: str,
    horizontal: bool = False,
) -> SafeString:
    """Bars per label, one per series ((name, one value per label; None draws nothing)), side by side. Cached under
    a digest of everything it shows."""
    content = repr((get_language(), title, description, horizontal, list(labels), [(n, list(v)) for n, v in series]))
    return cached_svg(
        "dashboard:report-chart:v1:",
        content,
        lambda: _draw(labels, series, title=title, description=description, horizontal=horizontal),
    )


def _draw(labels, series, *, title: str, description: str, horizontal: bool) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        js=[],
        disable_xml_declaration=True,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
        width=800,
        height=max(300, 110 + 34 * len(labels)) if horizontal else 340,
        margin=16,
        x_label_rotation=0 if horizontal or len(labels) <= 6 else 30,
        value_formatter=lambda value: f"{int(value):,}".replace(",", "\u202f"),
        truncate_label=-1,
        truncate_legend=-1,
        print_values=False,
        no_data_text="",
    )
    values = [value or 0 for _name, each in series for value in each]
    ticks = whole_number_ticks(max(values, default=0))
    chart.y_labels = ticks
    chart.range = (0, ticks[-1])
    chart.x_labels = list(labels)
    for name, each in series:
        chart.add(name, [value if value is not None else None for value in each])
    root = chart.render_tree()
    _strip_interaction(root)
    _present(root)
    colour_series(root)
    return accessible_svg(root, title=title, description=description)
