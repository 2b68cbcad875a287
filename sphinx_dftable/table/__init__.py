"""``df-table``: the directive, cell text and markup, the body node and its output."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_dftable.table.directive import DfTableDirective
from sphinx_dftable.table.html import (
    depart_dftable_body_html,
    depart_dftable_download_html,
    visit_dftable_body_html,
    visit_dftable_download_html,
)
from sphinx_dftable.table.nodes import dftable_body, dftable_download
from sphinx_dftable.table.transforms import ExpandTableBodies

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_table(app: Sphinx) -> None:
    app.add_node(dftable_body, html=(visit_dftable_body_html, depart_dftable_body_html))
    app.add_node(dftable_download, html=(visit_dftable_download_html, depart_dftable_download_html))
    app.add_directive("df-table", DfTableDirective)
    app.add_post_transform(ExpandTableBodies)
