"""From a :class:`~sphinx_dftable.comparison.changes.Comparison` to the chart that shows it.

No Sphinx and no matplotlib: the rows and their labels are settled when the page is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

from sphinx_dftable.chart.compare_data import CompareChart, Mark, MarkVerdict, MetricPanel
from sphinx_dftable.chart.spec import ChartProblem
from sphinx_dftable.comparison.changes import Comparison, Verdict, metric_values
from sphinx_dftable.comparison.spec import Metric


def compare_chart(
    frame: pd.DataFrame,
    comparison: Comparison,
    baseline: str,
    *,
    label_column: str | None = None,
    title: str = "",
    size: tuple[float, float] | None = None,
) -> CompareChart:
    """The chart of ``comparison`` of ``frame`` (the current rows) with ``baseline``."""
    keys = list(comparison.keys)
    if label_column is not None and label_column not in frame.columns:
        have = ", ".join(repr(str(c)) for c in frame.columns)
        raise ChartProblem(f"no column {label_column!r} for :x:; the columns are {have}", "x")
    rows = _labels(frame, [label_column] if label_column else keys)
    repeated = [label for label, n in Counter(rows).items() if n > 1]
    if label_column is not None and repeated:
        raise ChartProblem(
            f"the :x: column {label_column!r} gives several rows the same label "
            f"({', '.join(repeated[:3])}): name a column with one value per row, or leave "
            "out :x: to label the rows with their keys",
            "x",
        )
    panels = tuple(_panel(frame, comparison, metric) for metric in comparison.metrics)
    return CompareChart(
        rows=tuple(rows),
        panels=panels,
        row_title=label_column or ", ".join(keys),
        baseline=baseline,
        noise=comparison.noise,
        removed=tuple(_labels(comparison.removed, keys)),
        title=title,
        given_size=size,
    )


def _panel(frame: pd.DataFrame, comparison: Comparison, metric: Metric) -> MetricPanel:
    now = metric_values(frame, metric.column, "the chart's data")
    marks = tuple(
        Mark(None, now[i], "new", "new")  # no baseline: the current value alone
        if change is None
        else Mark(change.baseline, change.current, _VERDICTS[change.verdict], change.text())
        for i, change in enumerate(comparison.changes[metric.column])
    )
    return MetricPanel(metric.column, metric.direction.value, marks)


def _labels(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """Each row's values of ``columns`` as text, joined with commas."""
    cells = frame[list(columns)].astype(object).where(frame[list(columns)].notna(), None)
    return [", ".join(_text(v) for v in row) for row in cells.itertuples(index=False)]


def _text(value: object) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_VERDICTS: dict[Verdict, MarkVerdict] = {
    Verdict.BETTER: "better",
    Verdict.WORSE: "worse",
    Verdict.NEUTRAL: "neutral",
    Verdict.UNKNOWN: "unknown",
}
