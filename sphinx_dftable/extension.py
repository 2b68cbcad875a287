"""Registers the extension with Sphinx: its configuration, each feature, its static files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dftable import __version__, builders, config
from sphinx_dftable.chart import setup_chart
from sphinx_dftable.snippet import setup_snippet
from sphinx_dftable.table import setup_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"


def add_static_files(app: Sphinx) -> None:
    """The sortable-table script and the table styles, for HTML builders only."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("dftable.css")
    app.add_js_file("dftable.js", loading_method="defer")


def setup_extension(app: Sphinx) -> dict[str, Any]:
    config.register(app)
    setup_snippet(app)
    setup_table(app)
    setup_chart(app)
    app.connect("builder-inited", builders.note_format)
    app.connect("builder-inited", add_static_files)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
