"""Charts of the training pages: the share of mandated officers trained per province (coverage) and the pass and
attendance rates per academy (statistics). Static, accessible inline SVG made the way members/charts.py makes its
charts (pygal's script and stylesheet removed, the look written as presentation attributes, `role="img"` with a title
and a description); each page shows the same figures in a table."""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from members.charts import INK, LABEL_SIZE, _present, _strip_interaction, accessible_svg, cached_svg

# Colours with a contrast of at least 4.5:1 against white (as messaging/charts_follow.py).
COLOURS = ("#0b5394", "#a4400d", "#2e6b30")


def percent_bar_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str, description: str
) -> SafeString:
    """Horizontal bars from 0 to 100 %, one group per label and one bar per series ((name, percentages)); None draws
    no bar. Cached under a digest of everything it shows."""
    content = repr((get_language(), title, description, list(labels), [(name, list(v)) for name, v in series]))
    return cached_svg(
        "training:chart:v1:", content, lambda: _draw(labels, series, title=title, description=description)
    )


def _draw(labels, series, *, title: str, description: str) -> str:
    chart = pygal.HorizontalBar(
        js=[],
        disable_xml_declaration=True,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(len(series), 1),
        width=800,
        height=max(220, 60 + 34 * len(labels) * max(len(series), 1)),
        margin=16,
        range=(0, 100),
        y_labels=[0, 20, 40, 60, 80, 100],
        value_formatter=lambda value: f"{value:.0f} %",
        truncate_label=-1,
        truncate_legend=-1,
        print_values=False,
        no_data_text="",
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, [None if value is None else round(value, 1) for value in values])
    root = chart.render_tree()
    _strip_interaction(root)
    _present(root)
    for element in root.iter():
        classes = set((element.get("class") or "").split())
        index = next((int(c[6:]) for c in classes if c.startswith("color-") and c[6:].isdigit()), None)
        if element.tag == "g" and "series" in classes and index is not None:
            colour = COLOURS[index % len(COLOURS)]
            element.set("fill", colour)
            element.set("stroke", colour)
        elif element.tag == "rect" and index is not None:
            element.set("fill", COLOURS[index % len(COLOURS)])
        elif element.tag == "g" and "legend" in classes:
            for text in element.iter("text"):
                text.set("fill", INK)
                text.set("font-size", LABEL_SIZE)
    return accessible_svg(root, title=title, description=description)
