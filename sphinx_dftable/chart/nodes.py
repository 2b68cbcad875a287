"""The chart node, and how each builder writes it.

The directive stores the chart's data in the node. Files are named by a digest of the
data, the options and the versions that draw them, and kept in the doctree directory, so
an unchanged chart is never drawn twice: not on a rebuild, not when its page is written
again, not when two pages show the same chart. They are usually drawn by worker
processes before the page is written (:mod:`~sphinx_dftable.chart.painter`); a writer
copies them from the cache, and draws one itself only when there are no workers. HTML
gets SVG (a wide drawing, and a narrow one for small screens), LaTeX gets PDF, other
builders the alt text.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dftable import builders
from sphinx_dftable.atomic_write import write_atomic
from sphinx_dftable.chart import html
from sphinx_dftable.chart.drawing import Drawing, draw_files, drawings_for
from sphinx_dftable.chart.painter import FAILED
from sphinx_dftable.chart.spec import INSTALL_HINT, ImageFormat
from sphinx_dftable.warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

    from sphinx_dftable.chart.data import Rendition


class dftable_chart(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """A chart to draw when writing.

    Attributes: ``chart`` (``ChartData.to_dict()``), ``digest`` (the file names' stem),
    ``alt`` (the one-line description), optionally ``width``, and ``failed`` (rendition
    to message) when a worker could not draw it.
    """


def chart_bytes(
    builder: Builder, node: dftable_chart, image_format: ImageFormat, rendition: Rendition
) -> bytes:
    """The drawn file, from the doctree directory's cache, drawn now if it is not there."""
    drawing = Drawing(node["digest"], image_format, rendition)
    cached = drawing.cache_path(builder.doctreedir)
    if not cached.exists():
        # The chart's other files of this format come from the same figure: drawn now too.
        found = drawings_for(builders.format_of(builder.env), node["digest"], node["chart"])
        drawings = [d for d in found if d.image_format == image_format]
        if drawing not in drawings:
            drawings.append(drawing)
        paths = [str(d.cache_path(builder.doctreedir)) for d in drawings]
        draw_files(node["chart"], drawings, paths)
    return cached.read_bytes()


def _place(
    builder: Builder,
    node: dftable_chart,
    image_format: ImageFormat,
    rendition: Rendition,
    target: Path,
) -> bool:
    """Put the file at ``target``; False (after a warning) when it cannot be drawn."""
    if target.exists():
        return True
    failed: dict[str, str] = node.get(FAILED, {})
    message = failed.get(rendition)
    if message is None:
        try:
            data = chart_bytes(builder, node, image_format, rendition)
        except ImportError as exc:
            message = f"cannot draw the chart: {exc}; install the charts extra: {INSTALL_HINT}"
        except Exception as exc:  # a drawing bug must not stop the rest of the build
            message = f"drawing the chart failed: {type(exc).__name__}: {exc}"
        else:
            write_atomic(target, data, durable=False)
            return True
    warn("df-chart: %s", Subtype.CHART, node, message)
    return False


def visit_dftable_chart_html(self: HTML5Translator, node: dftable_chart) -> None:
    from sphinx_dftable.chart import compare_html
    from sphinx_dftable.chart.compare_data import CompareChart, load

    chart = load(node["chart"])
    images = Path(self.builder.outdir) / self.builder.imagedir
    wide = Drawing(node["digest"], "svg")
    if not _place(self.builder, node, "svg", "wide", images / wide.file_name):
        self.body.append(f'<p class="dftable-chart-alt">{self.encode(node["alt"])}</p>\n')
        raise nodes.SkipNode
    narrow = Drawing(node["digest"], "svg", "narrow") if chart.has_narrow() else None
    if narrow and not _place(self.builder, node, "svg", "narrow", images / narrow.file_name):
        narrow = None  # warned; the wide drawing is shown on every screen
    sources = [(posixpath.join(self.builder.imgpath, d.file_name), d) for d in (wide, narrow) if d]
    self.body.append(html.picture(self, chart, node, sources))
    if isinstance(chart, CompareChart):
        self.body.append(compare_html.data_table(self, chart))
    else:
        self.body.append(html.data_table(self, chart))
    raise nodes.SkipNode


def visit_dftable_chart_latex(self: LaTeXTranslator, node: dftable_chart) -> None:
    drawing = Drawing(node["digest"], "pdf")
    if not _place(self.builder, node, "pdf", "wide", Path(self.builder.outdir) / drawing.file_name):
        self.body.append(f"\n{self.encode(node['alt'])}\n")
        raise nodes.SkipNode
    options = ""
    if node.get("width"):
        length = self.latex_image_length(node["width"])
        if length:
            options = f"[width={length}]"
    # \sphinxincludegraphics shrinks an image wider than the line to fit it.
    self.body.append(f"\n\\noindent\\sphinxincludegraphics{options}{{{{{drawing.stem}}}.pdf}}\n")
    raise nodes.SkipNode


def skip_departure(self: object, node: dftable_chart) -> None:
    pass  # visitors raise SkipNode


class ChartsAsText(SphinxPostTransform):
    """Builders that show no images (text, man, texinfo, ...) get each chart's alt text."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        if builders.format_of(self.env) in ("html", "latex"):
            return
        for chart in list(self.document.findall(dftable_chart)):
            alt = chart["alt"]
            paragraph = nodes.paragraph(alt, alt, classes=["dftable-chart-alt"])
            paragraph.source, paragraph.line = chart.source, chart.line
            chart.replace_self(paragraph)
