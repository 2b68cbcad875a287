"""``df-chart``'s ``:compare:``: the chart of the change since a baseline.

The snippet runs once more on the baseline's files (as for ``df-table``), the rows are
matched on ``:keys:`` and each ``:metrics:`` column is judged against ``:noise:``; the
chart draws both values per row. Every problem is one warning at the line of the option
to fix; a chart whose comparison fails is not drawn (its warning says why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_dftable.snippet.directive import SnippetDirective
from sphinx_dftable.warnings_ import Subtype

if TYPE_CHECKING:
    import pandas as pd

    from sphinx_dftable.chart.compare_data import CompareChart

#: Options of the other charts that a comparison chart has no use for: its rows are the
#: keys, its panels the metrics, its values on a horizontal axis of each metric's own.
NOT_FOR_COMPARE = (
    "kind",
    "y",
    "y2",
    "group",
    "facet",
    "repeated",
    "labels",
    "stacked",
    "xlabel",
    "ylabel",
    "y2label",
    "xscale",
    "xorder",
    "logx",
    "logy",
    "logy2",
    "xformat",
    "yformat",
    "y2format",
)


class ComparedChart(SnippetDirective):
    """The comparison options of ``df-chart``."""

    #: ``Removed since ...``: the baseline's rows that are gone, shown under the chart.
    removed_text: str | None = None

    def compared_chart(self, frame: pd.DataFrame) -> CompareChart | None:
        """The comparison chart of ``frame``; None (after warning) when there is none."""
        from sphinx_dftable.chart.compare_prepare import compare_chart
        from sphinx_dftable.chart.spec import ChartProblem
        from sphinx_dftable.comparison.changes import removed_text

        for name in (n for n in NOT_FOR_COMPARE if n in self.options):
            self.warn(
                f":{name}: does not apply to a comparison chart (:compare: draws one row "
                "per key and one panel per :metrics: column); it is ignored",
                self.option_location(name),
                Subtype.CHART,
            )
        metrics = self.options.get("metrics")
        if not metrics:
            self._compare_warning(
                "compare",
                ":compare: needs :metrics:, the columns to compare, each with the "
                "direction that is better ('Throughput = higher')",
            )
            return None
        found = self.comparison_or_none(frame, metrics)
        if found is None:
            return None
        comparison, baseline = found
        spec = str(baseline.spec)
        try:
            chart = compare_chart(
                frame,
                comparison,
                spec,
                label_column=self.options.get("x"),
                title=self.options.get("title") or (self.arguments[0] if self.arguments else ""),
                size=self.options.get("size"),
            )
        except ChartProblem as problem:
            where = self.option_location(problem.option) if problem.option else None
            self.warn(problem.message, where, Subtype.CHART)
            return None
        self.removed_text = removed_text(comparison, spec)
        return chart

    def unused_compare_options(self) -> None:
        """Warn at each of ``:keys:``, ``:metrics:``, ``:noise:`` given without ``:compare:``."""
        for name in ("keys", "metrics", "noise"):
            if name in self.options and "compare" not in self.options:
                self._compare_warning(name, f":{name}: has no effect without :compare:")

    def removed_note(self) -> list[nodes.Node]:
        """The paragraph under a comparison chart that lists the rows that are gone."""
        if self.removed_text is None:
            return []
        text = self.removed_text
        return [nodes.paragraph(text, text, classes=["dftable-removed"])]

    def _compare_warning(self, name: str, message: str) -> None:
        self.warn(message, self.option_location(name), Subtype.COMPARE)
