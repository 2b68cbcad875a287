"""``df-chart``: the directive, chart data (no Sphinx), drawing (no Sphinx), the node.

Nothing is imported here at module level: a worker process that imports
:mod:`sphinx_dftable.chart.draw` must not pay for Sphinx, docutils or pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_chart(app: Sphinx) -> None:
    from sphinx_dftable.chart import awaiting_matplotlib, painter
    from sphinx_dftable.chart.directive import DfChartDirective
    from sphinx_dftable.chart.nodes import (
        ChartsAsText,
        dftable_chart,
        skip_departure,
        visit_dftable_chart_html,
        visit_dftable_chart_latex,
    )

    app.add_node(
        dftable_chart,
        html=(visit_dftable_chart_html, skip_departure),
        latex=(visit_dftable_chart_latex, skip_departure),
    )
    app.add_directive("df-chart", DfChartDirective)
    app.add_post_transform(ChartsAsText)
    app.connect("builder-inited", painter.start)
    app.connect("env-before-read-docs", painter.warm_up_early)
    app.connect("env-purge-doc", painter.purge_doc)
    app.connect("env-merge-info", painter.merge_info)
    app.connect("env-updated", painter.draw_all)
    app.connect("doctree-resolved", painter.wait_for_page)
    app.connect("build-finished", painter.build_finished)
    app.connect("env-purge-doc", awaiting_matplotlib.purge_doc)
    app.connect("env-merge-info", awaiting_matplotlib.merge_info)
    app.connect("env-get-outdated", awaiting_matplotlib.outdated)
