"""Registers the extension with Sphinx: its configuration, each feature, its static files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_dftable import __version__, builders, config, quick_exit
from sphinx_dftable.atomic_write import write_atomic
from sphinx_dftable.chart import setup_chart
from sphinx_dftable.snippet import setup_snippet
from sphinx_dftable.table import setup_table

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
    static.mkdir(parents=True, exist_ok=True)  # Sphinx < 7 makes it later
    for name in STATIC_FILES:
        # Written whole when different: an upgraded extension replaces an earlier copy.
        target = static / name
        shipped = (STATIC_DIR / name).read_bytes()
        if not target.is_file() or target.read_bytes() != shipped:
            write_atomic(target, shipped, durable=False)
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
    has_table = _has(doctree, nodes.table, "dftable")
    if has_table or _has(doctree, nodes.figure, "dftable-figure"):
        app.add_css_file("dftable.css")
    if has_table:
        app.add_js_file("dftable.js", loading_method="defer")


def _has(doctree: nodes.document, kind: type[nodes.Element], css_class: str) -> bool:
    found = doctree.findall(lambda node: isinstance(node, kind) and css_class in node["classes"])
    return next(iter(found), None) is not None


def setup_extension(app: Sphinx) -> dict[str, Any]:
    config.register(app)
    setup_snippet(app)
    setup_table(app)
    setup_chart(app)
    app.connect("builder-inited", builders.note_format)
    app.connect("html-collect-pages", copy_static_files)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", quick_exit.after_build)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
