"""A chart's HTML: a ``<picture>`` that picks the drawing for the screen, and its data.

No script: the browser chooses the narrow drawing on small screens (a media query on the
``<source>``), and the chart's values are a plain table inside a ``<details>`` that
readers who cannot see the chart open with a click or a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_dftable.chart.data import ChartData, exact_text, x_text

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_dftable.chart.compare_data import CompareChart
    from sphinx_dftable.chart.drawing import Drawing
    from sphinx_dftable.chart.nodes import dftable_chart

#: Screens up to this wide get the narrow drawing: there the wide one would be shrunk so
#: much that its text fell below 11 CSS pixels.
NARROW_SCREEN = "(max-width: 640px)"


def picture(
    self: HTML5Translator,
    chart: ChartData | CompareChart,
    node: dftable_chart,
    sources: list[tuple[str, Drawing]],
) -> str:
    """The drawing(s), with each one's intrinsic size so that the page does not jump."""
    (wide_src, wide), *narrow = sources
    alt = self.encode(node["alt"])
    parts = ['<picture class="dftable-chart">']
    for src, drawing in narrow:
        width, height = _pixels(chart, drawing)
        parts.append(
            f'<source media="{NARROW_SCREEN}" srcset="{src}" type="image/svg+xml" '
            f'width="{width}" height="{height}" />'
        )
    width, height = _pixels(chart, wide)
    attributes = [
        f'src="{wide_src}"',
        f'alt="{alt}"',
        'class="dftable-chart"',
        f'width="{width}"',
        f'height="{height}"',
    ]
    if node.get("width"):
        attributes.append(f'style="width: {self.encode(node["width"])}"')
    parts.append(f"<img {' '.join(attributes)} />")
    parts.append("</picture>\n")
    return "".join(parts)


def _pixels(chart: ChartData | CompareChart, drawing: Drawing) -> tuple[int, int]:
    """The drawing's size in CSS pixels (96 per inch)."""
    width, height = chart.drawing_size(drawing.rendition)
    return round(width * 96), round(height * 96)


def data_table(self: HTML5Translator, chart: ChartData) -> str:
    """Every value drawn, one row each, in a closed ``<details>``."""
    header: list[str] = []
    if chart.panels:
        header.append(chart.facet_title)
    grouped = bool(chart.legend_title)
    if grouped:
        header.append(chart.legend_title)
    names = list(dict.fromkeys(s.value_name for s in chart.series))
    header.append(chart.xlabel)
    if len(names) > 1:
        header.append("Measure")
    header.append(names[0] if len(names) == 1 else "Value")
    rows = []
    for series in chart.series:
        for index, value in enumerate(series.y):
            if value is None:
                continue
            cells = [chart.panels[series.panel]] if chart.panels else []
            if grouped:
                cells.append(series.label)
            cells.append(x_text(chart, series.x[index]))
            if len(names) > 1:
                cells.append(series.value_name)
            cells.append(exact_text(value))
            rows.append(cells)
    return details_table(self, header, rows)


def details_table(self: HTML5Translator, header: list[str], rows: list[list[str]]) -> str:
    """A plain table of ``rows`` under ``header``, in a closed ``<details>``."""
    head = "".join(f'<th class="head">{self.encode(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{self.encode(c)}</td>" for c in cells) + "</tr>" for cells in rows
    )
    return (
        '<details class="dftable-chart-data"><summary>The chart\'s data as a table</summary>'
        f'<table class="docutils align-default"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></details>\n"
    )
