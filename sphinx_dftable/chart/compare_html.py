"""A comparison chart's values as a table, for readers who cannot see the chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_dftable.chart.compare_data import CompareChart
from sphinx_dftable.chart.data import exact_text
from sphinx_dftable.chart.html import details_table

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


def data_table(self: HTML5Translator, chart: CompareChart) -> str:
    """Every row and metric: both values and the change, in a closed ``<details>``."""
    header = [chart.row_title, "Metric", chart.baseline, "current", "Change"]
    rows = [
        [
            chart.rows[row],
            panel.metric,
            "" if mark.before is None else exact_text(mark.before),
            "" if mark.after is None else exact_text(mark.after),
            mark.change,
        ]
        for panel in chart.panels
        for row, mark in enumerate(panel.marks)
    ]
    return details_table(self, header, rows)
