"""Charts of members over time, drawn by pygal as SVG placed inline in the page.

Conventions (the first charts of the project; the dashboard can reuse `line_chart`):
- The SVG is static and self-contained: pygal's script, tooltip layer and stylesheet are removed, and what the
  stylesheet did is written as SVG presentation attributes (fill, stroke, font-size…). The page's Content Security
  Policy allows no inline script or style, and presentation attributes are neither; the same SVG also works in an
  e-mail or a PDF.
- It is an image to assistive technology (`role="img"`) named by a `<title>` and described by a `<desc>`, and the
  page shows the same figures in a table next to it (`chart_table` rows) for those who cannot see the chart.
- Colours have a contrast of at least 4.5:1 against the white background; numbers are whole.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - building our own SVG, never parsing input  # nosec B405
from collections.abc import Callable, Sequence

import pygal
from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

INK = "#1d2733"
SUBTLE = "#5b6775"
PAPER = "#ffffff"
SERIES_COLOURS = ("#0b5394", "#a4400d", "#2e6b30", "#6a3d9a")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
LABEL_SIZE = "13"


def month_label(day: datetime.date) -> str:
    return date_format(day, "m/Y")


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _strip_interaction(root: ET.Element) -> None:
    """Remove pygal's scripts, stylesheet, comments and tooltip layer, and every style attribute."""
    for parent in list(root.iter()):
        for child in list(parent):
            dropped = not isinstance(child.tag, str) or child.tag in ("script", "defs", "style")
            if dropped or "tooltip-overlay" in _classes(child):
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("style", None)


def _present(root: ET.Element) -> None:
    """Write pygal's look as presentation attributes (what its stylesheet did for a line chart)."""
    root.set("font-family", FONT)
    for axis in root.iter("g"):
        classes = _classes(axis)
        if "axis" not in classes:
            continue
        anchor = "middle" if "x" in classes else "end"
        for text in axis.iter("text"):
            text.set("text-anchor", anchor)
            text.set("font-size", LABEL_SIZE)
            text.set("fill", INK)
        for path in axis.iter("path"):
            path_classes = _classes(path)
            path.set("fill", "none")
            if "guide" in path_classes:
                path.set("stroke", SUBTLE)
                path.set("stroke-dasharray", "6,6" if "major" in path_classes else "4,4")
                if "x" in classes:  # vertical guides would clutter a line chart
                    path.set("stroke-opacity", "0")
            else:
                path.set("stroke", INK)
    for element in root.iter():
        classes = _classes(element)
        if "background" in classes:
            element.set("fill", PAPER)
        elif element.tag == "g" and "series" in classes:
            index = next((int(name[6:]) for name in classes if name.startswith("color-")), 0)
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            element.set("stroke", colour)
            element.set("fill", colour)
            for path in element.iter("path"):
                path.set("fill", "none")
                path.set("stroke-width", "3")
        elif element.tag == "text" and "no_data" in classes:
            element.set("fill", INK)
            element.set("text-anchor", "middle")


def whole_number_ticks(maximum: int, *, count: int = 5) -> list[int]:
    """About `count` evenly spaced whole numbers from 0 to at least `maximum`, on a 1-2-5 step."""
    maximum = max(int(maximum), 1)
    raw = maximum / count
    magnitude = 10 ** max(len(str(int(raw))) - 1, 0)
    step = next((factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= raw), 10 * magnitude)
    step = max(step, 1)
    top = -(-maximum // step) * step
    return list(range(0, top + step, step))


CHART_CACHE_SECONDS = 24 * 3600


def cached_svg(prefix: str, content: str, draw: Callable[[], str]) -> SafeString:
    """A chart drawn by `draw`, kept in the cache under `prefix` and a digest of `content` (everything it shows, the
    language included): drawing takes pygal tens of milliseconds, and new figures make a new key, so nothing needs
    invalidating."""
    key = prefix + hashlib.sha256(content.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - built from our own values; texts escaped by ElementTree  # nosec B308 B703


def line_chart(
    points: Sequence[tuple[datetime.date, int]], *, title: str, description: str, series_label: str
) -> SafeString:
    """An accessible, self-contained inline SVG line chart of (date, value) points, labelled by month. Drawing
    takes pygal tens of milliseconds; the same figures in the same words give the same SVG, so it is kept in the
    cache under a digest of everything it shows (new figures make a new key; nothing needs invalidating)."""
    content = repr(
        (get_language(), title, description, series_label, [(day.isoformat(), value) for day, value in points])
    )
    return cached_svg(
        "members:chart:v1:",
        content,
        lambda: _draw_line_chart(points, title=title, description=description, series_label=series_label),
    )


def _draw_line_chart(
    points: Sequence[tuple[datetime.date, int]], *, title: str, description: str, series_label: str
) -> str:
    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        width=800,
        height=320,
        margin=16,
        show_minor_x_labels=False,
        x_labels_major_every=3,
        x_label_rotation=0,
        value_formatter=lambda value: f"{int(value):,}".replace(",", "\u202f"),
        include_x_axis=True,
        dots_size=3,
        truncate_label=-1,
        no_data_text="",
    )
    ticks = whole_number_ticks(max((value for _day, value in points), default=0))
    chart.y_labels = ticks
    chart.range = (0, ticks[-1])
    chart.x_labels = [month_label(day) for day, _value in points]
    chart.add(series_label, [value for _day, value in points])
    root = chart.render_tree()
    _strip_interaction(root)
    _present(root)
    return accessible_svg(root, title=title, description=description)


def accessible_svg(root, *, title: str, description: str) -> str:
    """The rendered chart as an image for assistive technology: its own title and description, scaled to fit."""
    identifier = f"chart-{uuid.uuid4().hex[:12]}"
    root.set("id", identifier)
    root.set("class", "chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{identifier}-title {identifier}-desc")
    root.set("width", "100%")
    root.set("preserveAspectRatio", "xMinYMin meet")
    for old in root.findall("title"):
        root.remove(old)
    title_element = ET.Element("title", {"id": f"{identifier}-title"})
    title_element.text = title
    desc_element = ET.Element("desc", {"id": f"{identifier}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return ET.tostring(root, encoding="unicode", method="xml")


def members_over_time_chart(points: Sequence[tuple[datetime.date, int]], *, title: str) -> SafeString:
    from django.utils.translation import gettext as _

    if points:
        first, last = points[0], points[-1]
        description = _("From %(start)s to %(end)s, members went from %(first)s to %(last)s.") % {
            "start": month_label(first[0]),
            "end": month_label(last[0]),
            "first": first[1],
            "last": last[1],
        }
    else:
        description = _("No data.")
    return line_chart(points, title=title, description=description, series_label=_("Members"))


def chart_table(points: Sequence[tuple[datetime.date, int]]) -> list[dict]:
    """The chart's figures for its accompanying table: month, members, change from the month before."""
    rows = []
    previous = None
    for day, value in points:
        change = None if previous is None else value - previous
        rows.append({"month": month_label(day), "date": day, "count": value, "change": change})
        previous = value
    return rows
