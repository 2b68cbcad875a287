"""The plain data of a comparison chart (``df-chart :compare:``), and what is said about it.

A dumbbell chart: one row per matched key, one panel per metric, the baseline's value and
the current one joined by a line. Like :class:`~sphinx_dftable.chart.data.ChartData` it is
JSON-ready (stored in the doctree, sent to drawing processes) and free of pandas, Sphinx
and matplotlib; ``kind`` is ``"compare"``, which :func:`load` tells apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Literal

from sphinx_dftable.chart.data import NARROW_WIDTH, ChartData, Rendition, exact_text
from sphinx_dftable.chart.spec import STYLE_VERSION

#: What a mark says about its row: the comparison's verdicts, plus a row that is new.
MarkVerdict = Literal["better", "worse", "neutral", "unknown", "new"]

#: Inches per row of the chart, and around a panel (its title, axis and tick labels).
ROW_INCHES = 0.34
PANEL_INCHES = 1.1


@dataclass(frozen=True)
class Mark:
    """One row's values of one metric."""

    #: None where the side has no figure (or the row is new): not drawn, never 0.
    before: float | None
    after: float | None
    verdict: MarkVerdict
    #: ``+12.3% ▲``, ``new``, or ``""`` when there is no change to show.
    change: str = ""


@dataclass(frozen=True)
class MetricPanel:
    metric: str
    #: ``higher`` or ``lower``: the direction that is better.
    better: str
    #: One per row of :attr:`CompareChart.rows`.
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class CompareChart:
    """Everything a comparison chart's drawing needs."""

    #: Each row's label: its keys joined, or its ``:x:`` value.
    rows: tuple[str, ...]
    panels: tuple[MetricPanel, ...]
    #: What the row labels are (``Model, Batch``).
    row_title: str
    #: The baseline as written in ``:compare:`` (``git:v2.20``, ``releases/2.20``).
    baseline: str
    noise: float
    #: Labels of the baseline's rows that have no current row (listed, not drawn).
    removed: tuple[str, ...] = ()
    title: str = ""
    #: None: the height follows the number of rows.
    given_size: tuple[float, float] | None = None
    kind: Literal["compare"] = "compare"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompareChart:
        values = dict(data)
        values["rows"] = tuple(data["rows"])
        values["removed"] = tuple(data["removed"])
        values["panels"] = tuple(
            MetricPanel(p["metric"], p["better"], tuple(Mark(**m) for m in p["marks"]))
            for p in data["panels"]
        )
        if data["given_size"] is not None:
            values["given_size"] = tuple(data["given_size"])
        return cls(**values)

    def digest(self, *versions: str) -> str:
        """A name for the drawn files, as :meth:`ChartData.digest` gives one."""
        text = json.dumps([self.to_dict(), STYLE_VERSION, *versions], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    def has_narrow(self) -> bool:
        width = self.given_size[0] if self.given_size else 7.2
        return width > NARROW_WIDTH + 0.2

    def grid(self, rendition: Rendition) -> tuple[int, int]:
        """(rows, columns) of panels: side by side when wide, one above another when narrow."""
        n = len(self.panels)
        columns = min(n, 3) if rendition == "wide" else 1
        return math.ceil(n / columns), columns

    def drawing_size(self, rendition: Rendition) -> tuple[float, float]:
        """The drawing's width and height in inches (by default as tall as the rows need)."""
        grid_rows, _ = self.grid(rendition)
        legend_and_title = (0.45 if rendition == "wide" else 0.75) + (0.35 if self.title else 0.0)
        height = legend_and_title + grid_rows * (PANEL_INCHES + ROW_INCHES * len(self.rows))
        width = 7.2
        if self.given_size is not None:
            width, height = self.given_size
            if rendition == "narrow":  # its panels are stacked: each keeps its height
                height *= grid_rows / self.grid("wide")[0]
        if rendition == "narrow":
            width = NARROW_WIDTH
        return width, round(height, 3)

    def mark_title(self, panel: MetricPanel, row: int) -> str:
        """What a mark says when hovered: the row, the metric, both values, the change."""
        mark = panel.marks[row]
        lines = [
            f"{self.row_title}: {self.rows[row]}",
            panel.metric,
            f"{self.baseline}: {_value(mark.before)}",
            f"current: {_value(mark.after)}",
        ]
        if mark.change:
            lines.append(f"change: {mark.change} ({_verdict_words(self, mark.verdict)})")
        return "\n".join(lines)


def _value(value: float | None) -> str:
    return "no figure" if value is None else exact_text(value)


def _verdict_words(chart: CompareChart, verdict: MarkVerdict) -> str:
    return {
        "better": "better",
        "worse": "worse",
        "neutral": f"within {chart.noise:g}%",
        "unknown": "no change to judge",
        "new": "new row",
    }[verdict]


def describe(chart: CompareChart) -> str:
    """One line for readers who cannot see the chart: what is drawn, counted."""
    metrics = [p.metric for p in chart.panels]
    what = (
        f"Comparison chart of {_and(metrics)}, {chart.baseline} against current, "
        f"one row per {chart.row_title}"
    )
    compared = [
        i for i in range(len(chart.rows)) if any(p.marks[i].verdict != "new" for p in chart.panels)
    ]
    parts = [f"{len(compared)} row{'s' if len(compared) != 1 else ''} compared"]
    for panel in chart.panels:
        counts = {v: sum(1 for m in panel.marks if m.verdict == v) for v in _COUNTED}
        counted = [f"{counts[v]} {_verdict_words(chart, v)}" for v in _COUNTED if counts[v]]
        if not counted:
            counted = ["nothing to judge"]
        prefix = f"{panel.metric}: " if len(chart.panels) > 1 else ""
        parts.append(prefix + ", ".join(counted))
    new = [chart.rows[i] for i in range(len(chart.rows)) if i not in compared]
    if new:
        parts.append(f"{len(new)} new ({_listed(new)})")
    if chart.removed:
        parts.append(f"{len(chart.removed)} removed ({_listed(list(chart.removed))})")
    sentence = f"{what}: {'; '.join(parts)}."
    return f"{chart.title}: {sentence[0].lower()}{sentence[1:]}" if chart.title else sentence


_COUNTED: tuple[MarkVerdict, ...] = ("better", "worse", "neutral", "unknown")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _listed(names: list[str]) -> str:
    shown = "; ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def load(data: dict[str, Any]) -> ChartData | CompareChart:
    """A chart back from its stored dict, whichever kind it is."""
    if data.get("kind") == "compare":
        return CompareChart.from_dict(data)
    return ChartData.from_dict(data)
