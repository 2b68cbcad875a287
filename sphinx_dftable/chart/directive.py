"""The ``df-chart`` directive: draws the snippet's DataFrame as a figure."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_dftable import __version__, options
from sphinx_dftable.chart.nodes import dftable_chart
from sphinx_dftable.chart.spec import INSTALL_HINT, KINDS, ChartProblem, ChartSpec
from sphinx_dftable.options import Option, option_spec
from sphinx_dftable.snippet.directive import SnippetDirective
from sphinx_dftable.warnings_ import Subtype

if TYPE_CHECKING:
    from sphinx_dftable.chart.data import ChartData

#: The options of ``df-chart``, in the order the reference page lists them.
CHART_OPTIONS: tuple[Option, ...] = (
    *SnippetDirective.snippet_options,
    Option("kind", options.choice(*KINDS), "``line`` (default), ``bar`` or ``scatter``."),
    Option(
        "x",
        options.column_name,
        "The column on the x axis (default: the first column). Text values are shown as "
        "categories in the DataFrame's order; bar charts always use categories.",
    ),
    Option(
        "y",
        options.column_names,
        "The column or columns on the y axis, separated by commas (or one per line); "
        "default: every other numeric column. Values must be numeric.",
    ),
    Option(
        "group",
        options.column_name,
        "A column whose values split the rows into series: one line, set of bars or set "
        "of points per value, with a legend.",
    ),
    Option(
        "labels",
        options.column_name,
        "A column whose values label each point (line and scatter charts).",
    ),
    Option(
        "stacked",
        directives.flag,
        "Stack the series' bars instead of setting them side by side.",
    ),
    Option(
        "title",
        directives.unchanged,
        "A title drawn above the chart (the directive's argument does the same).",
    ),
    Option(
        "xlabel",
        directives.unchanged,
        "The x axis label (default: the x column's name, units and all).",
    ),
    Option(
        "ylabel",
        directives.unchanged,
        "The y axis label (default: the y column's name when there is one).",
    ),
    Option("logx", directives.flag, "A logarithmic x axis."),
    Option("logy", directives.flag, "A logarithmic y axis."),
    Option(
        "xformat",
        options.number_pattern,
        "Tick labels of the x axis in ``str.format`` syntax, e.g. ``{:,.0f} ms``. Default: "
        "thousands separators and as few decimals as the ticks need.",
    ),
    Option("yformat", options.number_pattern, "Tick labels of the y axis, e.g. ``${:,.2f}``."),
    Option(
        "size",
        options.size_inches,
        "The drawing's size in inches, ``WIDTH x HEIGHT`` (default ``7.2 x 4``).",
    ),
    options.width(
        "The width shown on the page, e.g. ``80%`` (default: the drawing's size, shrunk to fit)."
    ),
    Option(
        "caption", directives.unchanged_required, "The figure's caption (inline markup allowed)."
    ),
    Option(
        "alt",
        directives.unchanged_required,
        "Text for readers who cannot see the chart, also shown by text and man pages. "
        "Default: a one-line description generated from the data.",
    ),
    options.NAME,
    options.ALIGN,
    options.CLASS,
)


def matplotlib_version() -> str | None:
    """matplotlib's version, or None when it cannot be imported."""
    try:
        if importlib.util.find_spec("matplotlib") is None:
            return None
    except (ImportError, ValueError):  # ValueError: sys.modules["matplotlib"] is None
        return None
    try:
        return importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class DfChartDirective(SnippetDirective):
    """Run the pandas snippet in the body; draw the DataFrame it leaves as a figure."""

    renders = "chart"
    option_spec: ClassVar[dict[str, Any]] = option_spec(CHART_OPTIONS)

    def run(self) -> list[nodes.Node]:
        frame = self.frame_or_none()
        if frame is None:
            return []
        from sphinx_dftable.chart.data import prepare_chart

        try:
            chart = prepare_chart(frame, self._spec())
        except ChartProblem as problem:
            location = self.option_location(problem.option) if problem.option else None
            self.warn(problem.message, location, Subtype.CHART)
            return []
        for note in chart.notes:
            self.warn(note, None, Subtype.CHART)
        figure = nodes.figure(classes=["dftable-figure", *self.options.get("class", [])])
        self.set_source_info(figure)
        if "align" in self.options:
            figure["align"] = self.options["align"]
        figure += self._drawing(chart)
        messages: list[nodes.system_message] = []
        if "caption" in self.options:
            inline, messages = self.state.inline_text(self.options["caption"], self.lineno)
            caption = nodes.caption(self.options["caption"], "", *inline)
            self.set_source_info(caption)
            figure += caption
        self.add_name(figure)
        return [figure, *messages]

    def _spec(self) -> ChartSpec:
        options = self.options
        title = options.get("title") or (self.arguments[0] if self.arguments else "")
        return ChartSpec(
            kind=options.get("kind", "line"),
            x=options.get("x"),
            y=options.get("y", ()),
            group=options.get("group"),
            labels=options.get("labels"),
            stacked="stacked" in options,
            title=title,
            xlabel=options.get("xlabel"),
            ylabel=options.get("ylabel"),
            logx="logx" in options,
            logy="logy" in options,
            xformat=options.get("xformat"),
            yformat=options.get("yformat"),
            size=options.get("size", ChartSpec.size),
        )

    def _drawing(self, chart: ChartData) -> nodes.Element:
        from sphinx_dftable.chart.data import describe

        alt = self.options.get("alt") or describe(chart)
        version = matplotlib_version()
        if version is None:
            self.warn(
                f"matplotlib is not installed, so the chart is shown as its description; "
                f"to draw it: {INSTALL_HINT}",
                None,
                Subtype.CHART,
            )
            return nodes.paragraph(alt, alt, classes=["dftable-chart-alt"])
        node = dftable_chart(
            chart=chart.to_dict(),
            digest=chart.digest(__version__, version),
            alt=alt,
        )
        if "width" in self.options:
            node["width"] = self.options["width"]
        self.set_source_info(node)
        return node
