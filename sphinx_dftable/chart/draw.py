"""Drawing a :class:`~sphinx_dftable.chart.data.ChartData` with matplotlib.

SVG for HTML builders and PDF for LaTeX, the same bytes for the same chart on every run:
a fixed SVG id salt, no dates in the metadata, and matplotlib's own DejaVu Sans rather
than whichever fonts the machine has. The figure is made with ``Figure`` directly, not
``pyplot``, so no global state (backend, open figures) of the build is touched. In SVG
every point and bar carries a ``<title>`` (its series, x and exact value): each is drawn
with a placeholder link that :mod:`~sphinx_dftable.chart.svg_titles` turns into a group
with a title.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, Literal, cast

import matplotlib
from matplotlib import dates, ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sphinx_dftable.chart import fit, key, svg_print, svg_titles
from sphinx_dftable.chart.compare_data import CompareChart
from sphinx_dftable.chart.data import ChartData, Rendition, Series, point_title
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
    # Titles sit just above their axes (no x axis is drawn on top): a fixed place spares
    # matplotlib measuring every axis again at each drawing to find where they go.
    "axes.titley": 1.0,
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


def render(
    chart: ChartData | CompareChart, image_format: ImageFormat, rendition: Rendition = "wide"
) -> bytes:
    """The chart as an SVG or PDF file's bytes."""
    return render_all(chart, image_format, [rendition])[rendition]


def render_all(
    chart: ChartData | CompareChart, image_format: ImageFormat, renditions: Sequence[Rendition]
) -> dict[Rendition, bytes]:
    """The chart drawn as each of ``renditions``.

    The narrow rendition is drawn from the wide one's figure, set to its size, as the
    artists are the same: it then costs about half a drawing. So that its bytes do
    not depend on what else was asked for, it is always drawn after the wide one.
    """
    from sphinx_dftable.chart import compare_draw  # which imports this module

    order: list[Rendition] = ["wide", "narrow"] if "narrow" in renditions else ["wide"]
    drawn: dict[Rendition, bytes] = {}
    with matplotlib.rc_context(cast(Any, RC)), warnings.catch_warnings():
        # Numpy overflow near the float limits is not the reader's concern: the chart is
        # still drawn, as well as it fits.
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        if isinstance(chart, CompareChart):
            for rendition in order:
                marks = _Marks(enabled=image_format == "svg")
                figure = compare_draw.draw(chart, rendition, marks)
                drawn[rendition] = _printed(figure, image_format, marks)
            return {r: drawn[r] for r in renditions}
        parts: fit.Parts | None = None
        for rendition in order:
            if parts is None or chart.grid(rendition)[1] != parts.columns:
                marks = _Marks(enabled=image_format == "svg")
                parts = _build(chart, rendition, marks)
            _dress(parts, chart, rendition)
            drawn[rendition] = _printed(parts.figure, image_format, marks)
    return {r: drawn[r] for r in renditions}


def _printed(figure: Figure, image_format: ImageFormat, marks: _Marks) -> bytes:
    if image_format == "svg":
        data = svg_print.print_svg(figure, metadata={"Date": None})
    else:
        buffer = io.BytesIO()
        # The format's canvas directly: a figure made without pyplot has none of its own.
        # Imported here: it brings fontTools' subsetter, a fifth of matplotlib's import
        # time, which a worker drawing only SVG files never needs.
        from matplotlib.backends.backend_pdf import FigureCanvasPdf

        pdf = FigureCanvasPdf(figure)
        metadata = {"CreationDate": None, "ModDate": None}
        pdf.print_pdf(buffer, metadata=metadata)  # type: ignore[no-untyped-call]
        data = buffer.getvalue()
    return svg_titles.insert(data, marks.titles) if marks.enabled else data


class _Marks:
    """The titles of the points and bars drawn so far, by placeholder link."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.titles: dict[str, str] = {}

    def links(self, chart: ChartData, series: Series, indexes: Sequence[int]) -> list[str | None]:
        if not self.enabled:
            return [None] * len(indexes)
        found: list[str | None] = []
        for index in indexes:
            link = svg_titles.placeholder(len(self.titles))
            self.titles[link] = point_title(chart, series, index)
            found.append(link)
        return found


def _build(chart: ChartData, rendition: Rendition, marks: _Marks) -> fit.Parts:
    """The figure's panels and what they draw: everything that does not depend on size."""
    figure = Figure(figsize=chart.drawing_size(rendition), dpi=72)  # see fit: points
    rows, columns = chart.grid(rendition)
    grid = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    panels: list[Axes] = [ax for row in grid for ax in row][: chart.n_panels]
    for row, line in enumerate(grid):
        for column, ax in enumerate(line):
            index = row * columns + column
            if index >= chart.n_panels:
                ax.remove()
            elif index + columns >= chart.n_panels:  # nothing below: show its x ticks
                ax.xaxis.set_tick_params(labelbottom=True)
    right: list[Axes] = []
    if chart.has_y2:
        for panel, ax in enumerate(panels):
            twin = ax.twinx()
            if right:
                twin.sharey(right[0])
            twin.spines["right"].set_visible(True)
            if not (panel % columns == columns - 1 or panel == chart.n_panels - 1):
                twin.yaxis.set_tick_params(labelright=False)
            right.append(twin)
    for panel, ax in enumerate(panels):
        series = [s for s in chart.series if s.panel == panel]
        if chart.kind == "bar":
            _bars(ax, right[panel] if right else None, chart, series, marks)
        else:
            for one in series:
                target = right[panel] if one.axis == 1 else ax
                _line_or_points(target, chart, one, marks)
        ax.set_axisbelow(True)
        ax.grid(True, axis="y")
        if chart.kind != "bar":
            ax.grid(True, axis="x")
    _axes_scales(panels, right, chart)
    parts = fit.Parts(figure, panels, columns, right)
    if chart.title:  # at the card's top left, over the panels and their labels
        parts.title = figure.suptitle("", ha="left", va="top", fontsize=13, fontweight="bold")
    return parts


def _dress(parts: fit.Parts, chart: ChartData, rendition: Rendition) -> None:
    """Size the figure for ``rendition``, set its texts to fit, and place the panels."""
    width, height = chart.drawing_size(rendition)
    parts.figure.set_size_inches(width, height)
    columns = parts.columns
    rows = math.ceil(chart.n_panels / columns)
    panel_size = (width / columns, height / rows)
    for panel, ax in enumerate(parts.panels):
        twin = parts.right[panel] if parts.right else None
        _label_panel(chart, ax, twin, panel, columns, panel_size)
    if parts.title is not None:
        parts.title.set_text(_wrapped(chart.title, width - 2 * fit.PAD / 72, 13, bold=True))
    parts.slant = _slant(parts.panels, chart, width / columns)
    if parts.legend is not None:
        parts.legend.remove()
        parts.legend = None
    if len(chart.labels) > 1 or chart.has_y2:
        parts.legend = _legend(parts.figure, chart, width)
    fit.fit(parts)
    # Labels were wrapped to a guess of the panels' size. One longer than its panel turned
    # out to be (a tall legend, a short chart, long tick labels) would run off the card
    # or into the next panel: wrapped to the panel, the panels are placed again.
    changed = False
    for ax in [*parts.panels, *parts.right]:
        box = ax.get_position()
        labels = [(ax.yaxis.label, float(box.height) * height)]
        if ax in parts.panels:
            labels.append((ax.xaxis.label, float(box.width) * width))
        for label, room in labels:
            if (text := _rewrapped(label.get_text(), room)) is not None:
                label.set_text(text)
                changed = True
        if chart.panels and ax in parts.panels:
            title = _rewrapped(ax.get_title("left"), float(box.width) * width, bold=True)
            if title is not None:
                ax.set_title(title, loc="left", fontsize=11)
                changed = True
    if changed:
        fit.fit(parts)


def _rewrapped(text: str, room: float, *, bold: bool = False) -> str | None:
    """``text`` (11 pt) wrapped again to ``room`` inches, if it is longer; else None.

    Three lines at most: a text longer than that reaches past its panel instead.
    """
    if not text or fit.text_size(text, 11, bold=bold)[0] <= room * 72:
        return None
    words = text.replace("\n", " ")
    wrapped = _wrapped(words, room, 11, bold=bold)
    while wrapped.count("\n") > 2:
        room *= 1.25
        wrapped = _wrapped(words, room, 11, bold=bold)
    return None if wrapped == text else wrapped


def _label_panel(
    chart: ChartData,
    ax: Axes,
    twin: Axes | None,
    panel: int,
    columns: int,
    size: tuple[float, float],
) -> None:
    n = chart.n_panels
    width, height = size
    if panel + columns >= n:  # the lowest panel of its column
        ax.set_xlabel(_wrapped(chart.xlabel, width * 0.85, 11))
    if panel % columns == 0:
        ax.set_ylabel(_wrapped(chart.ylabel, height * 0.7, 11))
    if twin is not None and (panel % columns == columns - 1 or panel == n - 1):
        twin.set_ylabel(_wrapped(chart.y2label, height * 0.7, 11))
    if chart.panels:
        title = _wrapped(chart.panels[panel], width * 0.9, 11, bold=True)
        ax.set_title(title, loc="left", fontsize=11)


def _wrapped(text: str, inches: float, points: float, *, bold: bool = False) -> str:
    """``text`` broken at spaces into lines that fit ``inches`` at ``points`` size.

    A word longer than a line is broken after its hyphens, slashes, dots or underscores
    ("Mistral-7B-Instruct-v0.3"), where it has them.
    """
    room = inches * 72

    def fits(line: str) -> bool:
        return fit.text_size(line, points, bold=bold)[0] <= room

    lines: list[str] = []
    for word in text.split():
        pieces = [word] if fits(word) else re.findall(r"[^-/._]*[-/._]*", word)[:-1] or [word]
        for index, piece in enumerate(pieces):
            glue = " " if index == 0 else ""
            if lines and fits(lines[-1] + glue + piece):
                lines[-1] += glue + piece
            else:
                lines.append(piece)
    return "\n".join(lines)


def _style(chart: ChartData, series: Series) -> tuple[str, str, str]:
    """Colour, marker and line style: one per label, the same in every panel."""
    index = chart.labels.index(series.label)
    linestyle = LINESTYLES[(index // len(PALETTE) + series.axis) % len(LINESTYLES)]
    return PALETTE[index % len(PALETTE)], MARKERS[index % len(MARKERS)], linestyle


def _line_or_points(ax: Axes, chart: ChartData, series: Series, marks: _Marks) -> None:
    colour, marker, linestyle = _style(chart, series)
    xs: Sequence[Any] = _x_values(chart, series.x)
    ys = [math.nan if v is None else v for v in series.y]
    if chart.kind == "line":
        ax.plot(xs, ys, color=colour, linestyle=linestyle)
    drawn = [i for i, v in enumerate(series.y) if v is not None]
    if drawn:
        size = 36 if chart.kind == "line" else 42
        points = ax.scatter(
            [xs[i] for i in drawn],
            [ys[i] for i in drawn],
            color=colour,
            marker=marker,
            s=size,
            zorder=3,
        )
        links = marks.links(chart, series, drawn)
        if marks.enabled:
            # One link for one point would let matplotlib draw it as a plain marker,
            # which older releases write without its link: two entries prevent that.
            points.set_urls(links * 2 if len(links) == 1 else links)
    for x, y, text in zip(xs, series.y, series.point_labels, strict=False):
        if y is not None and text:
            ax.annotate(
                text,
                (x, y),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=10,
                color=INK,
            )


def _bars(
    ax: Axes, twin: Axes | None, chart: ChartData, series: Sequence[Series], marks: _Marks
) -> None:
    """Bars in each category: series side by side (or stacked), repeated rows beside them.

    A row whose x value another row of its series already has gets a slot of its own (or
    a segment of its own on a stack), so no bar is drawn behind another.
    """
    n_categories = len(chart.categories)
    occurrence: list[list[int]] = []  # each value's place among its series' rows at that x
    repeats = [1] * n_categories
    # Stacked bars stack repeated rows too (each stays a segment of its own), unless
    # they are asked to stand side by side.
    separate = chart.side_by_side or not chart.stacked
    for one in series:
        seen: dict[int, int] = {}
        places = []
        for x, y in zip(one.x, one.y, strict=True):
            slot = int(x)
            place = seen.get(slot, 0) if y is not None and separate else 0
            if y is not None:
                seen[slot] = place + 1
                repeats[slot] = max(repeats[slot], place + 1)
            places.append(place)
        occurrence.append(places)
    above: dict[tuple[int, int], float] = {}  # (category, place) -> top of the stack
    below: dict[tuple[int, int], float] = {}
    count = len(series)
    for index, one in enumerate(series):
        colour, _, _ = _style(chart, one)
        positions, heights, bottoms, widths, drawn = [], [], [], [], []
        for i, (x, y) in enumerate(zip(one.x, one.y, strict=True)):
            if y is None:
                continue
            slot, place = int(x), occurrence[index][i]
            if chart.stacked:
                width = 0.8 / repeats[slot]
                base = above if y >= 0 else below
                positions.append(x - 0.4 + width * (place + 0.5))
                bottoms.append(base.get((slot, place), 0.0))
                base[slot, place] = base.get((slot, place), 0.0) + y
            else:
                width = 0.8 / (count * repeats[slot])
                column = index * repeats[slot] + place
                positions.append(x - 0.4 + width * (column + 0.5))
                bottoms.append(0.0)
            widths.append(width)
            heights.append(y)
            drawn.append(i)
        target = twin if one.axis == 1 and twin is not None else ax
        bars = target.bar(
            positions,
            heights,
            width=widths,
            bottom=bottoms,
            color=colour,
            edgecolor="white",
            linewidth=0.6,
            hatch="//" if one.axis == 1 else None,  # right-axis bars: a second cue
            zorder=2,
        )
        for patch, link in zip(bars.patches, marks.links(chart, one, drawn), strict=True):
            patch.set_url(link)


def _x_values(chart: ChartData, xs: Sequence[float]) -> Sequence[Any]:
    if chart.x_datetime:
        return [datetime.fromtimestamp(x, tz=timezone.utc) for x in xs]
    return xs


def _axes_scales(left: list[Axes], right: list[Axes], chart: ChartData) -> None:
    ax = left[0]  # the axes share their scales
    if chart.categories:
        ax.set_xticks(range(len(chart.categories)), labels=list(chart.categories))
        for one in left:
            one.tick_params(axis="x", which="minor", bottom=False)
        ax.set_xlim(-0.6, len(chart.categories) - 0.4)
    elif chart.x_datetime:
        locator = dates.AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        formatter = dates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(formatter)
    else:
        _number_axis(ax, "x", chart.logx, chart.xformat)
    # A log scale needs a value to place (an axis can be left without one by the data).
    _number_axis(ax, "y", chart.logy and _has_values(chart, 0), chart.yformat)
    if right:
        _number_axis(right[0], "y", chart.logy2 and _has_values(chart, 1), chart.y2format)


def _slant(left: list[Axes], chart: ChartData, panel_in: float) -> float:
    """Slant crowded category labels so that they do not overlap; the angle in degrees."""
    if not chart.categories:
        return 0.0
    text_in = sum(len(c) + 2 for c in chart.categories) * 10 * 0.6 / 72
    angle = 30.0 if text_in > panel_in * 0.8 else 0.0
    for one in left:
        for label in one.get_xticklabels():
            label.set_rotation(angle)
            label.set_horizontalalignment("right" if angle else "center")
            label.set_rotation_mode("anchor" if angle else "default")
    return angle


def _has_values(chart: ChartData, axis: int) -> bool:
    return any(v is not None for s in chart.series if s.axis == axis for v in s.y)


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
        self.decimals = _decimals([v for v in locs if math.isfinite(v)])

    def __call__(self, x: float, pos: int | None = None) -> str:
        if self.spec:
            # {:d} takes whole numbers only; a spec that fits neither falls back to the default.
            text = _formatted(self.spec, x)
            if text is None and float(x).is_integer():
                text = _formatted(self.spec, int(x))
            if text is not None:
                return text
        decimals = _decimals([x]) if self.log else self.decimals
        return f"{x + 0.0:,.{decimals}f}"  # + 0.0: no "-0"


def _decimals(values: Sequence[float]) -> int:
    """The fewest decimals (up to 6) that show each of ``values`` exactly."""
    return next(
        (d for d in range(7) if all(abs(round(v, d) - v) < 1e-9 * max(1, abs(v)) for v in values)),
        6,
    )


def _formatted(spec: str, value: float) -> str | None:
    try:
        return spec.format(value)
    except (ValueError, IndexError, KeyError):
        return None


def _legend(figure: Figure, chart: ChartData, width: float) -> key.Key:
    entries: list[key.Entry] = []
    # One entry per label and axis: a group's colour on both axes, its line style per axis.
    found = dict.fromkeys((s.axis, s.label) for s in chart.series)
    for axis, label in sorted(found, key=lambda entry: entry[0]):
        one = next(s for s in chart.series if s.label == label and s.axis == axis)
        colour, marker, linestyle = _style(chart, one)
        text = f"{label} (right axis)" if axis == 1 else label
        kind = "points" if chart.kind == "scatter" else chart.kind
        hatch = "//" if axis == 1 and kind == "bar" else None
        entries.append(key.Entry(text, kind, colour, marker, linestyle, hatch))
    columns = key.columns_for(entries, width * 72 - 2 * fit.PAD)
    # At the bottom, centred: :func:`~sphinx_dftable.chart.fit.fit` places it.
    return key.Key(figure, entries, chart.legend_title, columns)
