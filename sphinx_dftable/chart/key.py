"""A chart's key (its legend), drawn as plain lines, boxes and text under the panels.

matplotlib's ``Legend`` packs its entries in nested boxes that it lays out again at every
drawing, and the layout needs their size beforehand: together about a fifth of a
chart's time. The key here is a few artists placed once, from measured text, in the
same look: each entry its handle (a line with the series' marker, or a box), then its
label; columns filled top to bottom, the first ones holding one more entry when the
entries do not divide evenly (as matplotlib splits them); the key's title above,
centred; the whole centred under the panels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from sphinx_dftable.chart.fit import text_size

#: Sizes in points, matplotlib's legend defaults at a 10 pt label: a handle 2 em long,
#: 0.8 em to its label, 2 em between columns, 0.5 em between rows.
POINTS = 10.0
HANDLE = 20.0
TO_LABEL = 8.0
BETWEEN_COLUMNS = 20.0
BETWEEN_ROWS = 5.0
ROW = 12.0
BOX_HEIGHT = 7.0


@dataclass(frozen=True)
class Entry:
    """One series' entry: ``kind`` is ``line`` (with a marker), ``points`` or ``bar``."""

    label: str
    kind: str
    colour: str
    marker: str = "o"
    linestyle: Any = "-"
    hatch: str | None = None


@dataclass
class Key:
    """The entries of a chart's key, laid out for a room of a given width."""

    figure: Figure
    entries: Sequence[Entry]
    title: str
    columns: int
    _artists: list[Artist] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return math.ceil(len(self.entries) / self.columns)

    @property
    def height(self) -> float:
        """The key's height in points."""
        title = text_size(self.title, POINTS)[1] + BETWEEN_ROWS if self.title else 0.0
        return title + self.rows * ROW + (self.rows - 1) * BETWEEN_ROWS

    def place(self, bottom: float) -> None:
        """Draw the key with its lowest row ``bottom`` points above the card's edge."""
        self.remove()
        width = float(self.figure.get_size_inches()[0]) * 72
        spans = _spans(self._split())
        x = (width - sum(spans) - BETWEEN_COLUMNS * (len(spans) - 1)) / 2
        for column, span in zip(self._split(), spans, strict=True):
            for row, entry in enumerate(column):
                middle = bottom + (self.rows - 1 - row) * (ROW + BETWEEN_ROWS) + ROW / 2
                self._entry(entry, x, middle)
            x += span + BETWEEN_COLUMNS
        if self.title:
            top = bottom + self.rows * ROW + (self.rows - 1) * BETWEEN_ROWS + BETWEEN_ROWS
            self._text(width / 2, top, self.title, ha="center", va="bottom")

    def remove(self) -> None:
        for artist in self._artists:
            artist.remove()
        self._artists.clear()

    def _split(self) -> list[Sequence[Entry]]:
        return _split(self.entries, self.columns)

    def _entry(self, entry: Entry, x: float, middle: float) -> None:
        inches = self.figure.dpi_scale_trans
        if entry.kind == "bar":
            box = Rectangle(
                (x / 72, (middle - BOX_HEIGHT / 2) / 72),
                HANDLE / 72,
                BOX_HEIGHT / 72,
                transform=inches,
                facecolor=entry.colour,
                edgecolor="white",
                linewidth=0.6,
                hatch=entry.hatch,
            )
            self._artists.append(self.figure.add_artist(box))
        else:
            xs = [x / 72, (x + HANDLE / 2) / 72, (x + HANDLE) / 72]
            line = Line2D(
                xs,
                [middle / 72] * 3,
                transform=inches,
                color=entry.colour,
                linestyle=entry.linestyle if entry.kind == "line" else "none",
                marker=entry.marker,
                markevery=[1],
            )
            self._artists.append(self.figure.add_artist(line))
        self._text(x + HANDLE + TO_LABEL, middle, entry.label, ha="left", va="center")

    def _text(self, x: float, y: float, text: str, **alignment: str) -> None:
        inches = self.figure.dpi_scale_trans
        label = self.figure.text(x / 72, y / 72, text, transform=inches, fontsize=POINTS)
        label.set(**alignment)
        self._artists.append(label)


def columns_for(entries: Sequence[Entry], room: float) -> int:
    """The most columns that fit ``room`` points."""
    for columns in range(len(entries), 1, -1):
        spans = _spans(_split(entries, columns))
        if sum(spans) + BETWEEN_COLUMNS * (columns - 1) <= room:
            return columns
    return 1


def _split(entries: Sequence[Entry], columns: int) -> list[Sequence[Entry]]:
    n = len(entries)
    sizes = [n // columns + (i < n % columns) for i in range(columns)]
    starts = [sum(sizes[:i]) for i in range(columns)]
    return [entries[a : a + size] for a, size in zip(starts, sizes, strict=True)]


def _spans(columns: Sequence[Sequence[Entry]]) -> list[float]:
    return [max(HANDLE + TO_LABEL + text_size(e.label, POINTS)[0] for e in c) for c in columns]
