"""Drawing a :class:`~sphinx_dftable.chart.data.ChartData` with matplotlib.

SVG for HTML builders and PDF for LaTeX, the same bytes for the same chart on every run:
a fixed SVG id salt, no dates in the metadata, and matplotlib's own DejaVu Sans rather
than whichever fonts the machine has. The figure is made with ``Figure`` directly, not
``pyplot``, so no global state (backend, open figures) of the build is touched.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, Literal, cast

import matplotlib
from matplotlib import dates, ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from sphinx_dftable.chart.data import ChartData, Series
from sphinx_dftable.chart.spec import ImageFormat

#: Okabe and Ito's palette, distinguishable with the common colour-vision deficiencies;
#: yellow last, as it is faint on white.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
#: A second cue besides colour, for lines and points.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")

INK = "#222222"
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs everywhere
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    # An opaque white card: readable on light and dark page themes alike.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#555555",
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "svg.hashsalt": "sphinx-dftable",  # otherwise clip-path ids are random
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": False,
}


def render(chart: ChartData, image_format: ImageFormat) -> bytes:
    """The chart as an SVG or PDF file's bytes."""
    with matplotlib.rc_context(cast(Any, RC)), warnings.catch_warnings():
        # Layout advice ("axes sizes collapsed", for a tiny :size: with huge tick labels)
        # and numpy overflow near the float limits are not the reader's concern: the chart
        # is still drawn, as well as it fits.
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        figure = _draw(chart)
        buffer = io.BytesIO()
        if image_format == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            figure.savefig(buffer, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    return buffer.getvalue()


def _draw(chart: ChartData) -> Figure:
    # 0.12 inch of white margin inside the card's edge.
    layout = ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.12)
    figure = Figure(figsize=chart.size, layout=layout)
    ax = figure.add_subplot()
    if chart.kind == "bar":
        _bars(ax, chart)
    else:
        for index, series in enumerate(chart.series):
            _line_or_points(ax, chart, series, index)
    if chart.title:
        ax.set_title(chart.title, loc="left")
    ax.set_xlabel(chart.xlabel)
    ax.set_ylabel(chart.ylabel)
    ax.set_axisbelow(True)
    ax.grid(True, axis="y")
    if chart.kind != "bar":
        ax.grid(True, axis="x")
    _axes_scales(ax, chart)
    if len(chart.series) > 1:
        _legend(figure, ax, chart)
    return figure


def _line_or_points(ax: Axes, chart: ChartData, series: Series, index: int) -> None:
    colour = PALETTE[index % len(PALETTE)]
    marker = MARKERS[index % len(MARKERS)]
    xs: Sequence[Any] = _x_values(chart, series.x)
    ys = [math.nan if v is None else v for v in series.y]
    if chart.kind == "line":
        ax.plot(
            xs,
            ys,
            color=colour,
            marker=marker,
            linestyle=LINESTYLES[(index // len(PALETTE)) % len(LINESTYLES)],
            label=series.label,
        )
    else:
        ax.scatter(xs, ys, color=colour, marker=marker, s=42, label=series.label, zorder=3)
    for x, y, text in zip(xs, series.y, series.point_labels, strict=False):
        if y is not None and text:
            ax.annotate(
                text,
                (x, y),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=9,
                color=INK,
            )


def _bars(ax: Axes, chart: ChartData) -> None:
    count = len(chart.series)
    width = 0.8 if chart.stacked else 0.8 / count
    n_categories = len(chart.categories)
    above = [0.0] * n_categories
    below = [0.0] * n_categories
    for index, series in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        positions, heights, bottoms = [], [], []
        for x, y in zip(series.x, series.y, strict=True):
            if y is None:
                continue
            slot = int(x)
            if chart.stacked:
                base = above if y >= 0 else below
                positions.append(x)
                bottoms.append(base[slot])
                base[slot] += y
            else:
                positions.append(x - 0.4 + width * (index + 0.5))
                bottoms.append(0.0)
            heights.append(y)
        ax.bar(
            positions,
            heights,
            width=width,
            bottom=bottoms,
            color=colour,
            edgecolor="white",
            linewidth=0.6,
            label=series.label,
            zorder=2,
        )


def _x_values(chart: ChartData, xs: Sequence[float]) -> Sequence[Any]:
    if chart.x_datetime:
        return [datetime.fromtimestamp(x, tz=timezone.utc) for x in xs]
    return xs


def _axes_scales(ax: Axes, chart: ChartData) -> None:
    if chart.categories:
        ax.set_xticks(range(len(chart.categories)), labels=list(chart.categories))
        ax.tick_params(axis="x", which="minor", bottom=False)
        width_in = chart.size[0] * 0.8
        text_in = sum(len(c) + 2 for c in chart.categories) * 10 * 0.6 / 72
        if text_in > width_in:  # crowded labels: slant them so they do not overlap
            for label in ax.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")
        ax.set_xlim(-0.6, len(chart.categories) - 0.4)
    elif chart.x_datetime:
        locator = dates.AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        formatter = dates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(formatter)
    else:
        _number_axis(ax, "x", chart.logx, chart.xformat)
    _number_axis(ax, "y", chart.logy, chart.yformat)


def _number_axis(ax: Axes, name: Literal["x", "y"], log: bool, spec: str | None) -> None:
    axis = ax.xaxis if name == "x" else ax.yaxis
    if log:
        (ax.set_xscale if name == "x" else ax.set_yscale)("log")
        axis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_minor_formatter(ticker.NullFormatter())
    axis.set_major_formatter(NumberFormatter(spec, log=log))


class NumberFormatter(ticker.Formatter):
    """Tick labels with thousands separators and no more decimals than the ticks need."""

    def __init__(self, spec: str | None = None, *, log: bool = False) -> None:
        self.spec = spec
        self.log = log
        self.decimals = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        finite = [v for v in locs if math.isfinite(v)]
        self.decimals = next(
            (
                d
                for d in range(7)
                if all(abs(round(v, d) - v) < 1e-9 * max(1, abs(v)) for v in finite)
            ),
            6,
        )

    def __call__(self, x: float, pos: int | None = None) -> str:
        if self.spec:
            # {:d} takes whole numbers only; a spec that fits neither falls back to the default.
            text = _formatted(self.spec, x)
            if text is None and float(x).is_integer():
                text = _formatted(self.spec, int(x))
            if text is not None:
                return text
        decimals = self.decimals
        if self.log:
            decimals = max(0, -math.floor(math.log10(abs(x)))) if 0 < abs(x) < 1 else 0
        return f"{x + 0.0:,.{decimals}f}"  # + 0.0: no "-0"


def _formatted(spec: str, value: float) -> str | None:
    try:
        return spec.format(value)
    except (ValueError, IndexError, KeyError):
        return None


def _legend(figure: Figure, ax: Axes, chart: ChartData) -> None:
    handles, labels = ax.get_legend_handles_labels()
    longest = max(len(label) for label in labels)
    columns = max(1, min(len(labels), int(chart.size[0] * 11 / (longest + 5))))
    figure.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=columns,
        frameon=False,
        title=chart.legend_title or None,
    )
