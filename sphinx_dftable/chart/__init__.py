"""``df-chart``: the directive, chart data (no Sphinx), drawing (no Sphinx), the node."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_dftable.chart.directive import DfChartDirective
from sphinx_dftable.chart.nodes import (
    ChartsAsText,
    dftable_chart,
    skip_departure,
    visit_dftable_chart_html,
    visit_dftable_chart_latex,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_chart(app: Sphinx) -> None:
    app.add_node(
        dftable_chart,
        html=(visit_dftable_chart_html, skip_departure),
        latex=(visit_dftable_chart_latex, skip_departure),
    )
    app.add_directive("df-chart", DfChartDirective)
    app.add_post_transform(ChartsAsText)
