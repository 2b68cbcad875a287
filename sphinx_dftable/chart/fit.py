"""Placing a chart's panels so that every label fits: margins measured from the text.

matplotlib's constrained layout finds the margins by laying out every axis's ticks twice
and solving for the positions, which was about half of a drawing's time. A chart here
has a known shape (a grid of panels, text on the outer sides, a legend below), so the
margins are measured directly: the tick labels the locators will place, and the titles,
axis labels and legend as they are set, in points. The measuring is done twice (once at
a first guess, once where the panels go), since how many ticks an axis gets depends on
its length; each margin is the larger of the two, so no label is cut off.

Everything is in points (the SVG and PDF backends draw at 72 per inch): the figure is
made with ``dpi=72``, so a window extent is in points too.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

if TYPE_CHECKING:
    from sphinx_dftable.chart.key import Key

#: The white margin inside the card's edge, in points (an eighth of an inch).
PAD = 8.64
#: Tick length and the gap to its label (matplotlib's defaults, which the style keeps).
TICK = 3.5 + 3.5
#: Between an axis label and its tick labels, and between a title and its axes.
LABEL_PAD = 4.0
TITLE_PAD = 6.0
#: Between panels, besides what their labels need.
GAP = 10.0
#: A panel keeps at least this share of the figure, however long its labels are.
LEAST = 0.2
#: The style's sizes (see ``RC`` in :mod:`~sphinx_dftable.chart.draw`): tick labels, the
#: chart's title and each panel's.
TICK_POINTS = 10.0
LABEL_POINTS = 11.0
TITLE_POINTS = 13.0
PANEL_TITLE_POINTS = 11.0


@dataclass
class Parts:
    """What :func:`fit` places: the panels, their second axes and the figure's texts."""

    figure: Figure
    #: Row by row; a grid's empty places hold no panel.
    panels: list[Axes]
    columns: int
    #: The second y axis of each panel (``:y2:``), or none.
    right: list[Axes]
    #: The chart's title, at the card's top left.
    title: Text | None = None
    legend: Key | None = None
    #: The x tick labels' slant in degrees (crowded categories), anchored at their end.
    slant: float = 0.0


@dataclass
class _Margins:
    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    top: float = 0.0
    #: Between columns and between rows of panels.
    across: float = 0.0
    down: float = 0.0

    def widest(self, other: _Margins) -> _Margins:
        return _Margins(
            max(self.left, other.left),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
            max(self.top, other.top),
            max(self.across, other.across),
            max(self.down, other.down),
        )


def fit(parts: Parts) -> None:
    """Place the panels (and the legend and title) for the figure's present size."""
    figure = parts.figure
    width, height = (float(v) * 72 for v in figure.get_size_inches())
    margins = _measure(parts, width)
    _place(parts, margins, width, height)
    margins = margins.widest(_measure(parts, width))
    _place(parts, margins, width, height)
    # Labels of points stand beside them and may reach past the panel: make room once.
    overflow = _annotations_overflow(parts, width, height)
    if overflow.right or overflow.top:
        margins.right += overflow.right
        margins.top += overflow.top
        _place(parts, margins, width, height)
    _place_labels(parts, width, height)
    # The key and the title keep their places at the card's edges, whatever the margins.
    if parts.legend is not None:
        parts.legend.place(PAD)
    if parts.title is not None:
        parts.title.set_position((PAD / width, 1 - PAD / height))


def _measure(parts: Parts, width: float) -> _Margins:
    panels, columns = parts.panels, parts.columns
    n = len(panels)
    rows = math.ceil(n / columns)
    m = _Margins()
    # The lowest panel of each column shows the x tick labels and the x label; the first
    # column the y ones, the last panel of each row the second y axis's.
    lowest = [ax for i, ax in enumerate(panels) if i + columns >= n]
    first = [ax for i, ax in enumerate(panels) if i % columns == 0]
    last = [ax for i, ax in enumerate(parts.right) if i % columns == columns - 1 or i == n - 1]
    over_left, over_right = 0.0, 0.0
    for ax in lowest:
        reach_left, reach_right = _x_overhang(ax, parts.slant, width)
        over_left, over_right = max(over_left, reach_left), max(over_right, reach_right)
    m.left = PAD + max([over_left, *(_beside(ax.yaxis) for ax in first)])
    m.right = PAD + max([over_right, *(_beside(ax.yaxis) for ax in last)])
    m.bottom = PAD + max(_below(ax, parts.slant) for ax in lowest)
    if parts.legend is not None:
        m.bottom += parts.legend.height + LABEL_PAD
    title = max(text_size(ax.get_title("left"), PANEL_TITLE_POINTS, bold=True)[1] for ax in panels)
    m.top = PAD + (title + TITLE_PAD if title else TICK_POINTS * 0.6)
    if parts.title is not None:
        m.top += text_size(parts.title.get_text(), TITLE_POINTS, bold=True)[1] + LABEL_PAD
    if columns > 1:
        m.across = GAP + over_left + over_right
    if rows > 1:
        # A panel above an empty place of the last row shows its x tick labels and label.
        above_empty = [ax for ax in lowest if panels.index(ax) // columns < rows - 1]
        shown = max((_below(ax, parts.slant) for ax in above_empty), default=0.0)
        m.down = GAP + (title + TITLE_PAD if title else 0.0) + shown
    return m


def _place(parts: Parts, m: _Margins, width: float, height: float) -> None:
    """Set the grid's margins, keeping each panel at least :data:`LEAST` of the figure."""
    columns = parts.columns
    rows = math.ceil(len(parts.panels) / columns)
    left, right = _fitting(m.left, m.right, m.across * (columns - 1), width)
    bottom, top = _fitting(m.bottom, m.top, m.down * (rows - 1), height)
    # At least a point: gaps wider than the card (absurd sizes) must not turn it around.
    panel_w = max(1.0, (width - left - right - m.across * (columns - 1)) / columns)
    panel_h = max(1.0, (height - bottom - top - m.down * (rows - 1)) / rows)
    parts.figure.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=m.across / panel_w if columns > 1 else 0.0,
        hspace=m.down / panel_h if rows > 1 else 0.0,
    )


def _fitting(low: float, high: float, gaps: float, total: float) -> tuple[float, float]:
    """Two margins that leave the panels at least :data:`LEAST` of ``total``."""
    room = total * (1 - LEAST) - gaps
    if low + high <= room or low + high <= 0:
        return low, high
    scale = max(room, 0.0) / (low + high)
    return low * scale, high * scale


def _tick_labels(axis: Axis) -> list[tuple[float, str]]:
    """The major ticks the axis will label at its present length and limits."""
    locations = axis.get_majorticklocs()
    labels = axis.get_major_formatter().format_ticks(list(locations))
    low, high = sorted(axis.get_view_interval())
    slack = abs(high - low) * 1e-9 if math.isfinite(high - low) else 0.0
    return [
        (float(location), text)
        for location, text in zip(locations, labels, strict=True)
        if text and low - slack <= location <= high + slack
    ]


def _shown(axis: Axis, side: str) -> bool:
    """Whether the axis labels its ticks on ``side`` (left, right or bottom)."""
    return bool(axis.get_tick_params().get(f"label{side}", side != "right"))


@functools.lru_cache(maxsize=4096)  # tick labels repeat, in each pass and rendition
def text_size(text: str, points: float, *, bold: bool = False) -> tuple[float, float]:
    """Width and height of ``text`` (lines apart) in the chart's font at ``points``."""
    if not text:
        return 0.0, 0.0
    font = FontProperties(family="DejaVu Sans", size=points, weight="bold" if bold else "normal")
    lines = text.split("\n")
    measure = text_to_path.get_text_width_height_descent
    widths = [measure(line, font, ismath=False)[0] for line in lines]
    # matplotlib sets lines 1.2 of the font's size apart; a line is about 1.17 tall.
    return float(max(widths)), points * (1.2 * (len(lines) - 1) + 1.17)


def _beside(axis: Axis) -> float:
    """Room a y axis needs beside its panel: tick labels, their ticks and its label."""
    need = _ticks_beside(axis)
    if axis.label.get_text():  # turned upright: its lines' height is its width
        need += LABEL_PAD + text_size(axis.label.get_text(), LABEL_POINTS)[1]
    return need


def _ticks_beside(axis: Axis) -> float:
    need = TICK
    if _shown(axis, axis.get_label_position()):
        widths = [text_size(text, TICK_POINTS)[0] for _, text in _tick_labels(axis)]
        need += max(widths, default=0.0)
    return need


def _below(ax: Axes, slant: float) -> float:
    """Room the x axis needs below its panel: tick labels (slanted or not) and its label."""
    need = _ticks_below(ax, slant)
    if ax.xaxis.label.get_text():
        need += LABEL_PAD + text_size(ax.xaxis.label.get_text(), LABEL_POINTS)[1]
    return need


def _ticks_below(ax: Axes, slant: float) -> float:
    axis = ax.xaxis
    need = TICK
    if _shown(axis, "bottom"):
        angle = math.radians(slant)
        tallest = 0.0
        for _, text in _tick_labels(axis):
            w, h = text_size(text, TICK_POINTS)
            tallest = max(tallest, w * math.sin(angle) + h * math.cos(angle))
        need += tallest
        offset = axis.get_major_formatter().get_offset()
        if offset:  # dates: the year or month, under the tick labels
            need += text_size(offset, TICK_POINTS)[1] + LABEL_PAD
    return need


def _place_labels(parts: Parts, width: float, height: float) -> None:
    """Put the axis labels beside their tick labels, as measured.

    matplotlib would find the place itself at every drawing, by laying out the tick
    labels of every panel that shares the axis: this is the same place, found once.
    """
    for ax in [*parts.panels, *parts.right]:
        box = ax.get_position()
        panel_w, panel_h = float(box.width) * width, float(box.height) * height
        if ax in parts.panels and ax.xaxis.label.get_text():
            below = _ticks_below(ax, parts.slant) + LABEL_PAD
            ax.xaxis.set_label_coords(0.5, -below / panel_h)
        if ax.yaxis.label.get_text():
            beside = (_ticks_beside(ax.yaxis) + LABEL_PAD) / panel_w
            ax.yaxis.set_label_coords(1 + beside if ax in parts.right else -beside, 0.5)


def _x_overhang(ax: Axes, slant: float, width: float) -> tuple[float, float]:
    """How far the x tick labels reach past the panel's left and right sides."""
    if not _shown(ax.xaxis, "bottom"):
        return 0.0, 0.0
    span = float(ax.get_position().width) * width
    to_fraction = ax.transScale + ax.transLimits
    angle = math.radians(slant)
    left, right = 0.0, 0.0
    for location, text in _tick_labels(ax.xaxis):
        at = float(to_fraction.transform((location, 0.0))[0]) * span
        w, h = text_size(text, TICK_POINTS)
        if angle:  # anchored at its right end, under the tick
            reach_left, reach_right = w * math.cos(angle), h * math.sin(angle)
        else:
            reach_left = reach_right = w / 2
        left = max(left, reach_left - at)
        right = max(right, at + reach_right - span)
    return left, right


def _annotations_overflow(parts: Parts, width: float, height: float) -> _Margins:
    found = _Margins()
    texts = [text for ax in [*parts.panels, *parts.right] for text in ax.texts]
    if not texts:
        return found
    renderer = RendererAgg(max(1, int(width)), max(1, int(height)), 72)  # type: ignore[no-untyped-call]
    for text in texts:
        box = text.get_window_extent(renderer)
        found.right = max(found.right, float(box.x1) - (width - PAD))
        found.top = max(found.top, float(box.y1) - (height - PAD))
    return found
