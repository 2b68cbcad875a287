"""Drawing a :class:`~sphinx_dftable.chart.compare_data.CompareChart`: a dumbbell chart.

Each row is a line from the baseline's value (a hollow circle) to the current one (a
filled triangle pointing the way the value moved), one panel per metric with its own
scale. The verdict is told three ways, so that colour is never the only cue: the line's
colour (blue better, orange worse, grey within the noise: the table's colours), its style
(solid, dashed, dotted) and the change written beside the row (``+12.3% ▲``). Called by
:func:`sphinx_dftable.chart.draw.render`, which makes the file (same settings, same bytes
on every run, a ``<title>`` per mark).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D

from sphinx_dftable.chart import svg_titles
from sphinx_dftable.chart.compare_data import CompareChart, MarkVerdict, MetricPanel
from sphinx_dftable.chart.data import Rendition
from sphinx_dftable.chart.draw import INK, NumberFormatter

if TYPE_CHECKING:
    from sphinx_dftable.chart.draw import _Marks

#: The table's light-page colours (dftable.css): the chart is always on a white card.
COLOURS: dict[MarkVerdict, str] = {
    "better": "#0072B2",
    "worse": "#B04A00",
    "neutral": "#6F6F6F",
    "unknown": "#6F6F6F",
    "new": INK,
}
LINESTYLES: dict[MarkVerdict, Any] = {
    "better": "-",
    "worse": (0, (4, 2)),
    "neutral": ":",
    "unknown": ":",
    "new": "-",
}
#: The current value's marker: which way it moved from the baseline's.
RISE, FALL, LEVEL = ">", "<", "o"


def draw(chart: CompareChart, rendition: Rendition, marks: _Marks) -> Figure:
    width, height = chart.drawing_size(rendition)
    figure = Figure(figsize=(width, height), layout=ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.12))
    grid_rows, columns = chart.grid(rendition)
    grid = figure.subplots(grid_rows, columns, sharey=True, squeeze=False)
    axes = [ax for row in grid for ax in row]
    for unused in axes[len(chart.panels) :]:
        unused.remove()
    panel_width = width / columns
    for ax, panel in zip(axes, chart.panels, strict=False):
        _panel(ax, chart, panel, marks, panel_width)
    n = len(chart.rows)
    axes[0].set_yticks(range(n), labels=list(chart.rows))
    axes[0].set_ylim(n - 0.5, -0.5)  # the first row on top, as in the table
    if chart.title:
        figure.suptitle(
            _wrapped(chart.title, width * 0.95, 13),
            x=0.01,
            ha="left",
            fontsize=13,
            fontweight="bold",
        )
    _legend(figure, chart, width)
    return figure


def _panel(ax: Axes, chart: CompareChart, panel: MetricPanel, marks: _Marks, inches: float) -> None:
    rows = range(len(chart.rows))
    for row in rows:
        mark = panel.marks[row]
        if mark.before is not None and mark.after is not None:
            ax.plot(
                [mark.before, mark.after],
                [row, row],
                color=COLOURS[mark.verdict],
                linestyle=LINESTYLES[mark.verdict],
                linewidth=2.2,
                zorder=2,
            )
        if mark.change:
            # In a column to the right of the panel, so that no text covers a mark.
            ax.annotate(
                mark.change,
                xy=(1.0, row),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=9.5,
                color=COLOURS[mark.verdict],
            )
    before = [r for r in rows if panel.marks[r].before is not None]
    _points(ax, chart, panel, marks, before, baseline=True)
    for shape in (RISE, FALL, LEVEL):
        _points(ax, chart, panel, marks, [r for r in rows if _shape(panel, r) == shape], shape)
    ax.set_title(_wrapped(panel.metric, inches * 0.8, 11), loc="left", fontsize=11)
    ax.set_xlabel(f"{panel.better} is better")
    ax.xaxis.set_major_formatter(NumberFormatter())
    ax.margins(x=0.08)
    ax.set_axisbelow(True)
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)


def _shape(panel: MetricPanel, row: int) -> str | None:
    """The current value's marker; None when there is no current value."""
    mark = panel.marks[row]
    if mark.after is None:
        return None
    if mark.before is None or mark.after == mark.before:
        return LEVEL
    return RISE if mark.after > mark.before else FALL


def _points(
    ax: Axes,
    chart: CompareChart,
    panel: MetricPanel,
    marks: _Marks,
    rows: Sequence[int],
    shape: str = LEVEL,
    *,
    baseline: bool = False,
) -> None:
    """The baseline's (hollow) or the current (filled) markers of ``rows``."""
    if not rows:
        return
    colours = [COLOURS[panel.marks[r].verdict] for r in rows]
    found = [panel.marks[r].before if baseline else panel.marks[r].after for r in rows]
    values = [v for v in found if v is not None]  # ``rows`` have a value on this side
    points = ax.scatter(
        values,
        list(rows),
        marker=shape,
        s=40 if baseline else 58,
        facecolors="white" if baseline else colours,
        edgecolors=colours,
        linewidths=1.6,
        zorder=5 if baseline else 4,  # a change too small to part them shows both
    )
    if marks.enabled:
        links: list[str | None] = []
        for row in rows:
            link = svg_titles.placeholder(len(marks.titles))
            marks.titles[link] = chart.mark_title(panel, row)
            links.append(link)
        # A single link would be drawn as a plain marker, without it (see draw.py).
        points.set_urls(links * 2 if len(links) == 1 else links)


def _legend(figure: Figure, chart: CompareChart, width: float) -> None:
    shown = {m.verdict for p in chart.panels for m in p.marks}
    handles: list[Any] = [
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=INK, linestyle="none"),
        Line2D([], [], marker=RISE, color=INK, linestyle="none"),
    ]
    labels = [chart.baseline, "current"]
    words: dict[MarkVerdict, str] = {
        "better": "better",
        "worse": "worse",
        "neutral": f"within {chart.noise:g}%",
    }
    for verdict, word in words.items():
        if verdict in shown:
            handles.append(
                Line2D([], [], color=COLOURS[verdict], linestyle=LINESTYLES[verdict], linewidth=2.2)
            )
            labels.append(word)
    if "new" in shown:
        handles.append(Line2D([], [], marker=LEVEL, color=INK, linestyle="none"))
        labels.append("new row")
    # As many entries on a line as fit: a marker and about 0.6 em per character at 10 pt.
    entries = [len(label) * 10 * 0.6 / 72 + 0.6 for label in labels]
    columns = len(labels)
    while columns > 1 and sum(sorted(entries)[-columns:]) > width * 0.95:
        columns -= 1
    figure.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False)


def _wrapped(text: str, inches: float, points: float) -> str:
    # DejaVu Sans averages about 0.58 em per character.
    return textwrap.fill(text, max(8, int(inches * 72 / (points * 0.58))), break_long_words=False)
