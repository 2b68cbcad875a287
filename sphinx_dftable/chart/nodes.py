"""The chart node, and how each builder writes it.

The directive stores the chart's data in the node; the writer draws it (matplotlib is
imported only then). Files are named by a digest of the data, the options and the
versions that draw them, and kept in the doctree directory, so an unchanged chart is
never drawn twice: not on a rebuild, not when its page is written again, not when two
pages show the same chart. HTML gets SVG, LaTeX gets PDF, other builders the alt text.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dftable import builders
from sphinx_dftable.atomic_write import write_atomic
from sphinx_dftable.chart.spec import INSTALL_HINT, ImageFormat
from sphinx_dftable.warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

CACHE_DIR = "dftable-charts"


class dftable_chart(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """A chart to draw when writing.

    Attributes: ``chart`` (``ChartData.to_dict()``), ``digest`` (the file name's stem),
    ``alt`` (the one-line description) and optionally ``width``.
    """


def chart_bytes(builder: Builder, node: dftable_chart, image_format: ImageFormat) -> bytes:
    """The drawn chart, from the doctree directory's cache, drawn now if it is not there."""
    # Not named .svg or .pdf: when the doctrees sit inside the output directory, the epub
    # builder would pack anything with a known media type into the book.
    name = f"dftable-chart-{node['digest']}.{image_format}.cache"
    cached = Path(builder.doctreedir) / CACHE_DIR / name
    if cached.exists():
        return cached.read_bytes()
    # Imported here: only builds that write a chart pay for importing matplotlib.
    from sphinx_dftable.chart import draw
    from sphinx_dftable.chart.data import ChartData

    data = draw.render(ChartData.from_dict(node["chart"]), image_format)
    write_atomic(cached, data, durable=False)
    return data


def _place(builder: Builder, node: dftable_chart, image_format: ImageFormat, target: Path) -> bool:
    """Put the chart at ``target``; False (after a warning) when it cannot be drawn."""
    if target.exists():
        return True
    try:
        data = chart_bytes(builder, node, image_format)
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
    name = f"dftable-chart-{node['digest']}.svg"
    target = Path(self.builder.outdir) / self.builder.imagedir / name
    alt = self.encode(node["alt"])
    if not _place(self.builder, node, "svg", target):
        self.body.append(f'<p class="dftable-chart-alt">{alt}</p>\n')
        raise nodes.SkipNode
    width, height = node["chart"]["size"]
    # Intrinsic size in CSS pixels (96 per inch), so the page does not jump as it loads.
    attributes = [
        f'src="{posixpath.join(self.builder.imgpath, name)}"',
        f'alt="{alt}"',
        'class="dftable-chart"',
        f'width="{round(width * 96)}"',
        f'height="{round(height * 96)}"',
    ]
    if node.get("width"):
        attributes.append(f'style="width: {self.encode(node["width"])}"')
    self.body.append(f"<img {' '.join(attributes)} />\n")
    raise nodes.SkipNode


def visit_dftable_chart_latex(self: LaTeXTranslator, node: dftable_chart) -> None:
    stem = f"dftable-chart-{node['digest']}"
    target = Path(self.builder.outdir) / f"{stem}.pdf"
    if not _place(self.builder, node, "pdf", target):
        self.body.append(f"\n{self.encode(node['alt'])}\n")
        raise nodes.SkipNode
    options = ""
    if node.get("width"):
        length = self.latex_image_length(node["width"])
        if length:
            options = f"[width={length}]"
    # \sphinxincludegraphics shrinks an image wider than the line to fit it.
    self.body.append(f"\n\\noindent\\sphinxincludegraphics{options}{{{{{stem}}}.pdf}}\n")
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
