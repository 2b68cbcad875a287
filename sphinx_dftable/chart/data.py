"""The plain data a chart is drawn from, and what is said about it. No pandas, no Sphinx.

The directive makes a :class:`ChartData` when the page is read (see
:mod:`sphinx_dftable.chart.prepare`); the drawing, in this process or a worker, starts
from this JSON-ready description, which also names the files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from sphinx_dftable.chart.spec import STYLE_VERSION, ChartKind

Rendition = Literal["wide", "narrow"]

#: The narrow rendition's width in inches: about 420 CSS pixels, a phone's column, where
#: 10 pt tick labels stay at least 11 px tall.
NARROW_WIDTH = 4.4


@dataclass(frozen=True)
class Series:
    label: str
    #: Positions on the x axis: numbers, or indexes into ``ChartData.categories``.
    x: tuple[float, ...]
    #: None where there is no value (drawn as a gap).
    y: tuple[float | None, ...]
    point_labels: tuple[str, ...] = ()
    #: The column the values come from.
    value_name: str = ""
    #: 0 for the left y axis, 1 for the second one (``:y2:``).
    axis: int = 0
    #: Index into ``ChartData.panels`` (``:facet:``).
    panel: int = 0


@dataclass(frozen=True)
class Note:
    """Something the build should warn about, at ``option``'s line (None: the directive)."""

    message: str
    option: str | None = None


@dataclass(frozen=True)
class ChartData:
    """Everything the drawing needs, and nothing it does not."""

    kind: ChartKind
    series: tuple[Series, ...]
    xlabel: str
    ylabel: str
    #: Tick labels when x is categorical (bars, or text on the x axis); empty otherwise.
    categories: tuple[str, ...] = ()
    #: x values are datetimes, as seconds since the epoch.
    x_datetime: bool = False
    title: str = ""
    stacked: bool = False
    logx: bool = False
    logy: bool = False
    xformat: str | None = None
    yformat: str | None = None
    size: tuple[float, float] = (7.2, 4.0)
    legend_title: str = ""
    y2label: str = ""
    y2format: str | None = None
    logy2: bool = False
    #: One panel per value of ``facet_title``'s column; empty for a single panel.
    panels: tuple[str, ...] = ()
    facet_title: str = ""
    #: Rows of one series that share an x value are drawn side by side without a warning.
    side_by_side: bool = False
    notes: tuple[Note, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        del data["notes"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChartData:
        values = dict(data)
        values["series"] = tuple(
            Series(
                label=s["label"],
                x=tuple(s["x"]),
                y=tuple(s["y"]),
                point_labels=tuple(s["point_labels"]),
                value_name=s["value_name"],
                axis=s["axis"],
                panel=s["panel"],
            )
            for s in data["series"]
        )
        values["categories"] = tuple(data["categories"])
        values["panels"] = tuple(data["panels"])
        values["size"] = tuple(data["size"])
        return cls(**values)

    def digest(self, *versions: str) -> str:
        """A name for the drawn files: equal data, options and versions give equal names."""
        text = json.dumps([self.to_dict(), STYLE_VERSION, *versions], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    @property
    def has_y2(self) -> bool:
        return any(s.axis == 1 for s in self.series)

    @property
    def n_panels(self) -> int:
        return max(1, len(self.panels))

    @property
    def labels(self) -> list[str]:
        """The series' labels once each, in order: one legend entry and colour per label."""
        return list(dict.fromkeys(s.label for s in self.series))

    def has_narrow(self) -> bool:
        """Whether a narrow rendition is drawn for small screens (the chart is wider)."""
        return self.size[0] > NARROW_WIDTH + 0.2

    def grid(self, rendition: Rendition) -> tuple[int, int]:
        """(rows, columns) of panels."""
        n = self.n_panels
        columns = min(n, 3 if rendition == "wide" else 2)
        return math.ceil(n / columns), columns

    def drawing_size(self, rendition: Rendition) -> tuple[float, float]:
        """The drawing's width and height in inches."""
        width, height = self.size
        if rendition == "narrow":
            width, height = NARROW_WIDTH, min(height, max(3.0, height * 0.85))
        rows, _ = self.grid(rendition)
        if rows > 1:  # each further row of panels adds most of a panel's height
            height *= 0.35 + 0.65 * rows
        return width, round(height, 3)


def repeated_x(chart: ChartData) -> dict[str, int]:
    """x values (as text) shared by several drawn rows of one series, and how many rows.

    For scatter charts, only rows at exactly the same point hide each other.
    """
    counts: Counter[str] = Counter()
    for series in chart.series:
        drawn = [(x, y) for x, y in zip(series.x, series.y, strict=True) if y is not None]
        keys: list[Any] = drawn if chart.kind == "scatter" else [x for x, _ in drawn]
        for key, n in Counter(keys).items():
            if n > 1:
                x = key[0] if chart.kind == "scatter" else key
                counts[x_text(chart, x)] += n
    return dict(counts)


def x_text(chart: ChartData, x: float) -> str:
    """An x position as the reader knows it: the category, the date, or the number."""
    if chart.categories:
        return chart.categories[int(x)]
    if chart.x_datetime:
        moment = datetime.fromtimestamp(x, tz=timezone.utc)
        if moment.time() == datetime.min.time():
            return moment.date().isoformat()
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return exact_text(x)


def exact_text(value: float) -> str:
    """A number exactly as stored (the shortest text that reads back the same), with commas."""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,}"


def number_text(value: float) -> str:
    """A number for a sentence: thousands separators, four significant digits."""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def point_title(chart: ChartData, series: Series, index: int) -> str:
    """What a point or bar says when hovered: its series, x and exact value."""
    value = series.y[index]
    lines = []
    if chart.panels:
        lines.append(f"{chart.facet_title}: {chart.panels[series.panel]}")
    if len(chart.labels) > 1 or chart.legend_title:
        lines.append(series.label)
    if series.point_labels and series.point_labels[index]:
        lines.append(series.point_labels[index])
    lines.append(f"{chart.xlabel}: {x_text(chart, series.x[index])}")
    lines.append(f"{series.value_name}: {'' if value is None else exact_text(value)}")
    return "\n".join(lines)


def describe(chart: ChartData) -> str:
    """A one-line description of the chart for readers who cannot see it (its alt text)."""
    kind = f"{'Stacked bar' if chart.stacked else chart.kind.capitalize()} chart"
    labels = chart.labels
    left = [s for s in chart.series if s.axis == 0]
    ylabel = chart.ylabel or ", ".join(dict.fromkeys(s.label for s in left))
    if chart.legend_title:
        what = f"{ylabel} by {chart.xlabel}, one {_mark(chart)} per {chart.legend_title}"
        shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
        what += f" ({shown})"
    elif len(labels) > 1 and not chart.has_y2:
        what = f"{', '.join(labels)} by {chart.xlabel}"
    else:
        what = f"{ylabel} by {chart.xlabel}"
    if chart.has_y2:
        right = chart.y2label or ", ".join(
            dict.fromkeys(s.value_name for s in chart.series if s.axis == 1)
        )
        what += f", with {right} on a second y axis"
    if chart.panels:
        shown = ", ".join(chart.panels[:5])
        if len(chart.panels) > 5:
            shown += f" and {len(chart.panels) - 5} more"
        what += f", in {len(chart.panels)} panels by {chart.facet_title} ({shown})"
    sentence = f"{kind} of {what}; {_counted(chart)}"
    repeated = repeated_x(chart)
    if repeated:
        rows = sum(repeated.values())
        sentence += f"; {rows} rows share an x value with another ({repeated_listing(repeated)})"
    values = [v for s in chart.series for v in s.y if v is not None]
    if values:
        low, high = min(values), max(values)
        sentence += f"; values from {number_text(low)} to {number_text(high)}"
    sentence += "."
    return f"{chart.title}: {sentence[0].lower()}{sentence[1:]}" if chart.title else sentence


def _counted(chart: ChartData) -> str:
    """How many points are drawn: values, not rows (gaps and dropped values are not drawn)."""
    counts = [sum(1 for v in s.y if v is not None) for s in chart.series]
    low, high = min(counts), max(counts)
    number = str(high) if low == high else f"{low} to {high}"
    text = f"{number} point{'s' if high != 1 else ''}"
    return text + (" per series" if len(chart.series) > 1 or chart.legend_title else "")


def repeated_listing(repeated: dict[str, int]) -> str:
    """The repeated x values with their row counts, for the alt text and the warning."""
    items = [f"{x} ({n} rows)" for x, n in repeated.items()]
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _mark(chart: ChartData) -> str:
    return {"line": "line", "bar": "bar", "scatter": "set of points"}[chart.kind]
