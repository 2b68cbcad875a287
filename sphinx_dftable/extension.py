"""Registers the extension with Sphinx: its configuration, each feature, its static files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.fileutil import copy_asset_file

from sphinx_dftable import __version__, builders, config
from sphinx_dftable.chart import setup_chart
from sphinx_dftable.chart.nodes import dftable_chart
from sphinx_dftable.snippet import setup_snippet
from sphinx_dftable.table import setup_table
from sphinx_dftable.table.nodes import dftable_body

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = ("dftable.css", "dftable.js")


def copy_static_files(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Put the script and styles in ``_static`` (``html-collect-pages``, every HTML builder).

    Copied here rather than added to ``html_static_path``: changing the user's
    configuration makes Sphinx report it as changed on every incremental build. This
    event comes before the epub builder lists the files of its book.
    """
    static = Path(app.builder.outdir) / "_static"
    for name in STATIC_FILES:
        # force: an upgraded extension replaces the files an earlier build copied.
        copy_asset_file(str(STATIC_DIR / name), str(static), force=True)
    yield from ()


def add_page_assets(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Link the script and styles from the pages that show a table or a chart, only."""
    if doctree is None:
        return
    has_table = next(iter(doctree.findall(dftable_body)), None) is not None
    if has_table or next(iter(doctree.findall(dftable_chart)), None) is not None:
        app.add_css_file("dftable.css")
    if has_table:
        app.add_js_file("dftable.js", loading_method="defer")


def setup_extension(app: Sphinx) -> dict[str, Any]:
    config.register(app)
    setup_snippet(app)
    setup_table(app)
    setup_chart(app)
    app.connect("builder-inited", builders.note_format)
    app.connect("html-collect-pages", copy_static_files)
    app.connect("html-page-context", add_page_assets)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
