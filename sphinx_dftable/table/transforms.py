"""The table body for builders without the HTML fast path: standard docutils nodes."""

from __future__ import annotations

import functools
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dftable import builders
from sphinx_dftable.table.latex import fit_table_for_latex
from sphinx_dftable.table.marks_nodes import marked_entry
from sphinx_dftable.table.nodes import dftable_body, dftable_download, expand_body


class ExpandTableBodies(SphinxPostTransform):
    """For builders without a fast path (all but HTML), use standard table nodes."""

    default_priority = 5  # before references in markup cells are resolved (10)

    def run(self, **kwargs: Any) -> None:
        builder_format = builders.format_of(self.env)
        if builder_format == "html":
            return
        for download in list(self.document.findall(dftable_download)):
            download.parent.remove(download)  # a file to save is for HTML readers
        marked = functools.partial(marked_entry, latex=builder_format == "latex")
        for body in list(self.document.findall(dftable_body)):
            table = body.parent.parent if body.parent else None
            body.replace_self(expand_body(body, marked))
            if builder_format == "latex" and isinstance(table, nodes.table):
                fit_table_for_latex(table)
