"""``df-table``'s ``:compare:``, ``:highlight:`` and ``:color-scale:``: what each cell gets.

The directive runs its snippet once more on the baseline's files, matches the rows, and
plans a :class:`~sphinx_dftable.table.marks.CellMark` per changed, new or best cell, the
summary line over the table and the list of removed rows under it. Every problem is one
warning at the line of the option to fix, and the table is shown without what failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docutils.parsers.rst import directives

from sphinx_dftable import options
from sphinx_dftable.options import Option
from sphinx_dftable.snippet.directive import SnippetDirective
from sphinx_dftable.table.marks import Cell, CellMark, add_best, add_scale, compare_marks
from sphinx_dftable.warnings_ import Subtype

if TYPE_CHECKING:
    import pandas as pd

    from sphinx_dftable.comparison.spec import Metric
    from sphinx_dftable.table.cells import TableData

#: The options that take :metrics: (and say so when it is missing).
_NEED_METRICS = ("compare", "highlight", "color-scale")


def highlight_option(argument: str) -> tuple[str, ...] | None:
    """``all`` (None: the whole table is one group) or the columns that make a group."""
    text = directives.unchanged_required(argument).strip()
    return None if text.lower() == "all" else options.column_names(text)


HIGHLIGHT_OPTIONS: tuple[Option, ...] = (
    Option(
        "highlight",
        highlight_option,
        "Mark the best value of each ``:metrics:`` column (the highest or the lowest, as "
        "its direction says) in bold with a ★: within each group of rows that share the "
        "values of these columns (``:highlight: Mode``), or in the whole table "
        "(``:highlight: all``). Ties are all marked; a group of one row has no best. No "
        "baseline needed.",
    ),
    Option(
        "color-scale",
        options.column_names,
        "Colour the cells of these ``:metrics:`` columns on a single-hue scale, stronger "
        "where better (HTML and LaTeX; text output has none).",
    ),
)


@dataclass(frozen=True, eq=False)
class _Subject:
    """The table being marked: its frame, the checked metrics and their table columns."""

    frame: pd.DataFrame
    metrics: tuple[Metric, ...]
    #: The table column of each metric (after the index columns).
    columns: dict[str, int]


@dataclass
class MarkPlan:
    """What the comparison and the highlights add to the table."""

    marks: dict[Cell, CellMark] = field(default_factory=dict)
    #: Table columns whose header gets the compared-metric class.
    compared: list[int] = field(default_factory=list)
    summary: str | None = None
    removed: str | None = None


class ComparedTable(SnippetDirective):
    """The comparison and highlight options of ``df-table``."""

    def mark_plan(self, frame: pd.DataFrame, data: TableData) -> MarkPlan:
        plan = MarkPlan()
        metrics: tuple[Metric, ...] | None = self.options.get("metrics")
        for name in ("keys", "noise"):
            if name in self.options and "compare" not in self.options:
                self._option_warning(name, f":{name}: has no effect without :compare:")
        if not metrics:
            for name in (n for n in _NEED_METRICS if n in self.options):
                self._option_warning(
                    name,
                    f":{name}: needs :metrics:, the columns to compare, each with the "
                    "direction that is better ('Throughput = higher')",
                )
            return plan
        if not any(name in self.options for name in _NEED_METRICS):
            self._option_warning(
                "metrics",
                ":metrics: is used by :compare:, :highlight: and :color-scale:; none is given",
            )
            return plan
        from sphinx_dftable.comparison.changes import ComparisonError, metric_values

        names = [str(c) for c in frame.columns]
        columns = {
            m.column: data.index_columns + names.index(m.column)
            for m in metrics
            if m.column in names
        }
        try:
            for metric in metrics:
                if metric.column not in columns:
                    raise ComparisonError(
                        f"the table has no column {metric.column!r} (it has: {', '.join(names)})",
                        "metrics",
                    )
                metric_values(frame, metric.column, "the table")
        except ComparisonError as error:
            self._option_warning(error.option, str(error))
            return plan
        subject = _Subject(frame, metrics, columns)
        if "compare" in self.options:
            self._compare(subject, plan)
        self._highlight(subject, plan)
        return plan

    def _compare(self, subject: _Subject, plan: MarkPlan) -> None:
        from sphinx_dftable.comparison.changes import removed_text, summary_text

        found = self.comparison_or_none(subject.frame, subject.metrics)
        if found is None:
            return
        comparison, baseline = found
        plan.marks.update(compare_marks(comparison, subject.columns, str(baseline.spec)))
        plan.compared = [subject.columns[m.column] for m in subject.metrics]
        plan.summary = summary_text(comparison, str(baseline))
        plan.removed = removed_text(comparison, str(baseline.spec))

    def _highlight(self, subject: _Subject, plan: MarkPlan) -> None:
        from sphinx_dftable.comparison.changes import ComparisonError
        from sphinx_dftable.comparison.highlight import best_cells, scale_levels

        if "highlight" in self.options:
            try:
                best = best_cells(subject.frame, subject.metrics, self.options["highlight"])
            except ComparisonError as error:
                self._option_warning(error.option, str(error))
            else:
                add_best(plan.marks, best, subject.columns)
        by_name = {m.column: m for m in subject.metrics}
        for name in self.options.get("color-scale", ()):
            metric = by_name.get(name)
            if metric is None:
                listed = ", ".join(by_name)
                self._option_warning(
                    "color-scale",
                    f"no colour scale for {name!r}: it is not one of the :metrics: ({listed})",
                )
                continue
            add_scale(plan.marks, scale_levels(subject.frame, metric), subject.columns[name])

    def _option_warning(self, name: str, message: str) -> None:
        self.warn(message, self.option_location(name), Subtype.COMPARE)
