"""The ``df-chart`` directive: draws the snippet's DataFrame as a figure."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_dftable import __version__, options
from sphinx_dftable.chart import awaiting_matplotlib
from sphinx_dftable.chart.compare_directive import ComparedChart
from sphinx_dftable.chart.nodes import dftable_chart
from sphinx_dftable.chart.painter import note_chart
from sphinx_dftable.chart.spec import (
    INSTALL_HINT,
    KINDS,
    REPEATED,
    XORDERS,
    XSCALES,
    ChartProblem,
    ChartSpec,
)
from sphinx_dftable.options import COMPARE_OPTIONS, Option, option_spec
from sphinx_dftable.snippet.directive import SnippetDirective
from sphinx_dftable.warnings_ import Subtype

if TYPE_CHECKING:
    import pandas as pd

    from sphinx_dftable.chart.compare_data import CompareChart
    from sphinx_dftable.chart.data import ChartData

#: The options of ``df-chart``, in the order the reference page lists them.
CHART_OPTIONS: tuple[Option, ...] = (
    *SnippetDirective.snippet_options,
    Option("kind", options.choice(*KINDS), "``line`` (default), ``bar`` or ``scatter``."),
    Option(
        "x",
        options.column_name,
        "The column on the x axis (default: the first column). Text values are shown as "
        "categories in the DataFrame's order; bar charts always use categories. With "
        "``:compare:``, the column whose values label the rows (default: the keys).",
    ),
    Option(
        "y",
        options.column_names,
        "The column or columns on the y axis, separated by commas (or one per line); "
        "default: every other numeric column. Values must be numeric.",
    ),
    Option(
        "y2",
        options.column_names,
        "Columns drawn against a second y axis, on the right, with their own scale: for "
        "a measure in other units, such as milliseconds beside tokens per second. The "
        "legend marks them ``(right axis)``.",
    ),
    Option(
        "group",
        options.column_name,
        "A column whose values split the rows into series: one line, set of bars or set "
        "of points per value, with a legend. Several columns, separated by commas, give "
        "one series per combination of their values.",
    ),
    Option(
        "facet",
        options.column_name,
        "A column whose values split the chart into panels, one per value in order of "
        "appearance, side by side with shared axes and one legend.",
    ),
    Option(
        "repeated",
        options.choice(*REPEATED),
        "What to do with rows of one series that share an x value: ``warn`` (default) "
        "draws every row (bars side by side, never one behind another) and warns at "
        "``:x:`` naming the values; ``side-by-side`` draws such bars side by side without "
        "a warning (bar charts).",
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
    Option(
        "y2label",
        directives.unchanged,
        "The second y axis label (default: the ``:y2:`` column's name when there is one).",
    ),
    Option(
        "xscale",
        options.choice(*XSCALES),
        "``linear``, ``log`` (the same as ``:logx:``) or ``categories``: the x values "
        "evenly spaced as labels, for sweeps such as 1, 2, 4, 8, 16 clients. Default: "
        "numbers and dates to scale, anything else as categories.",
    ),
    Option(
        "xorder",
        options.choice(*XORDERS),
        "The order of categories on the x axis: ``data`` (default, order of first "
        "appearance) or ``sorted`` (numbers and dates by value, text in natural order, "
        "``inf2.8xlarge`` before ``inf2.24xlarge``).",
    ),
    Option("logx", directives.flag, "A logarithmic x axis."),
    Option("logy", directives.flag, "A logarithmic y axis."),
    Option("logy2", directives.flag, "A logarithmic second y axis."),
    Option(
        "xformat",
        options.number_pattern,
        "Tick labels of the x axis in ``str.format`` syntax, e.g. ``{:,.0f} ms``. Default: "
        "thousands separators and as few decimals as the ticks need.",
    ),
    Option("yformat", options.number_pattern, "Tick labels of the y axis, e.g. ``${:,.2f}``."),
    Option(
        "y2format", options.number_pattern, "Tick labels of the second y axis, e.g. ``{:,.0f} ms``."
    ),
    Option(
        "size",
        options.size_inches,
        "The drawing's size in inches, ``WIDTH x HEIGHT`` (default ``7.2 x 4``); each "
        "further row of ``:facet:`` panels adds to the height. Screens narrower than "
        "640 px get a second drawing, 4.4 inches wide, so that its text stays legible.",
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
    *COMPARE_OPTIONS,
    options.NAME,
    options.ALIGN,
    options.CLASS,
)


def matplotlib_version() -> str | None:
    """matplotlib's version, or None when it cannot be imported."""
    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):  # ValueError: sys.modules["matplotlib"] is None
        return None
    return None if spec is None else _installed_version(spec.origin)


@functools.lru_cache(maxsize=8)
def _installed_version(origin: str | None) -> str:
    """The version of the matplotlib at ``origin``.

    Kept per place: reading the installed packages' metadata took 15 ms, for every chart
    of every page read.
    """
    try:
        return importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class DfChartDirective(ComparedChart):
    """Run the pandas snippet in the body; draw the DataFrame it leaves as a figure."""

    renders = "chart"
    option_spec: ClassVar[dict[str, Any]] = option_spec(CHART_OPTIONS)

    def run(self) -> list[nodes.Node]:
        frame = self.frame_or_none()
        if frame is None:
            return []
        chart = self.compared_chart(frame) if "compare" in self.options else self._chart(frame)
        if chart is None:
            return []
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
        return [figure, *self.removed_note(), *self.sources_note(), *messages]

    def _chart(self, frame: pd.DataFrame) -> ChartData | None:
        from sphinx_dftable.chart.prepare import prepare_chart

        self.unused_compare_options()
        try:
            chart = prepare_chart(frame, self._spec())
        except ChartProblem as problem:
            location = self.option_location(problem.option) if problem.option else None
            self.warn(problem.message, location, Subtype.CHART)
            return None
        for note in chart.notes:
            location = self.option_location(note.option) if note.option else None
            self.warn(note.message, location, Subtype.CHART)
        return chart

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
            xscale=options.get("xscale"),
            xorder=options.get("xorder", "data"),
            y2=options.get("y2", ()),
            y2label=options.get("y2label"),
            y2format=options.get("y2format"),
            logy2="logy2" in options,
            facet=options.get("facet"),
            repeated=options.get("repeated", "warn"),
        )

    def _drawing(self, chart: ChartData | CompareChart) -> nodes.Element:
        from sphinx_dftable.chart.compare_data import describe as describe_compared
        from sphinx_dftable.chart.data import ChartData, describe

        described = describe(chart) if isinstance(chart, ChartData) else describe_compared(chart)
        alt = self.options.get("alt") or described
        version = matplotlib_version()
        if version is None:
            self.warn(
                f"matplotlib is not installed, so the chart is shown as its description; "
                f"to draw it: {INSTALL_HINT}",
                None,
                Subtype.CHART,
            )
            awaiting_matplotlib.note(self.env)  # re-read once it is installed
            return nodes.paragraph(alt, alt, classes=["dftable-chart-alt"])
        data, digest = chart.to_dict(), chart.digest(__version__, version)
        node = dftable_chart(chart=data, digest=digest, alt=alt)
        note_chart(self.env, digest, data)
        if "width" in self.options:
            node["width"] = self.options["width"]
        self.set_source_info(node)
        return node
