"""Registers the directive, its node, its configuration and its transforms with Sphinx."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dftable import __version__, config
from sphinx_dftable.chart_directive import DfChartDirective
from sphinx_dftable.chart_nodes import (
    charts_as_text,
    dftable_chart,
    skip_departure,
    visit_dftable_chart_html,
    visit_dftable_chart_latex,
)
from sphinx_dftable.directive import DfTableDirective
from sphinx_dftable.html import (
    depart_dftable_body_html,
    depart_dftable_download_html,
    visit_dftable_body_html,
    visit_dftable_download_html,
)
from sphinx_dftable.latex import fit_table_for_latex
from sphinx_dftable.table_nodes import dftable_body, dftable_download, expand_body

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STATIC_DIR = Path(__file__).parent / "static"


class ExpandTableBodies(SphinxPostTransform):
    """For builders without a fast path (all but HTML), use standard table nodes."""

    default_priority = 5  # before references in markup cells are resolved (10)

    def run(self, **kwargs: Any) -> None:
        builder_format = _builder_format(self.env)
        if builder_format == "html":
            return
        for download in list(self.document.findall(dftable_download)):
            download.parent.remove(download)  # a file to save is for HTML readers
        for body in list(self.document.findall(dftable_body)):
            table = body.parent.parent if body.parent else None
            body.replace_self(expand_body(body))
            if builder_format == "latex" and isinstance(table, nodes.table):
                fit_table_for_latex(table)


class ChartsAsText(SphinxPostTransform):
    """Builders that show no images (text, man, texinfo, ...) get each chart's alt text."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        if _builder_format(self.env) not in ("html", "latex"):
            charts_as_text(self.document)


def _builder_format(env: BuildEnvironment) -> str:
    builder_cls = getattr(env, "_builder_cls", None)  # Sphinx 9 (``app`` is deprecated)
    if builder_cls is not None:
        return str(builder_cls.format)
    return str(env.app.builder.format)


def add_static_files(app: Sphinx) -> None:
    """The sortable-table script and the table styles, for HTML builders only."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("dftable.css")
    app.add_js_file("dftable.js", loading_method="defer")


def setup_extension(app: Sphinx) -> dict[str, Any]:
    config.register(app)
    app.add_node(dftable_body, html=(visit_dftable_body_html, depart_dftable_body_html))
    app.add_node(dftable_download, html=(visit_dftable_download_html, depart_dftable_download_html))
    app.add_node(
        dftable_chart,
        html=(visit_dftable_chart_html, skip_departure),
        latex=(visit_dftable_chart_latex, skip_departure),
    )
    app.connect("builder-inited", add_static_files)
    app.add_directive("df-table", DfTableDirective)
    app.add_directive("df-chart", DfChartDirective)
    app.add_post_transform(ExpandTableBodies)
    app.add_post_transform(ChartsAsText)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
