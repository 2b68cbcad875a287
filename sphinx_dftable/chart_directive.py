"""The ``df-chart`` directive: draws the snippet's DataFrame as a figure."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_dftable import __version__
from sphinx_dftable.chart_data import (
    INSTALL_HINT,
    KINDS,
    ChartData,
    ChartProblem,
    ChartSpec,
    describe,
    prepare_chart,
)
from sphinx_dftable.chart_nodes import dftable_chart
from sphinx_dftable.snippet_directive import SNIPPET_OPTION_HELP, SnippetDirective


def _columns(argument: str) -> tuple[str, ...]:
    """Column names separated by commas, or one per line (for names with commas)."""
    text = directives.unchanged_required(argument).strip()
    parts = text.splitlines() if "\n" in text else text.split(",")
    names = tuple(part.strip() for part in parts if part.strip())
    if not names:
        raise ValueError("give at least one column name")
    return names


def _column(argument: str) -> str:
    return directives.unchanged_required(argument).strip()


_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*(?:in)?\s*[x\u00d7]\s*(\d+(?:\.\d*)?)\s*(?:in)?\s*")


def _size(argument: str) -> tuple[float, float]:
    """``WIDTH x HEIGHT`` in inches, e.g. ``7.2 x 4``."""
    match = _SIZE.fullmatch(directives.unchanged_required(argument))
    if not match:
        raise ValueError(f"expected WIDTH x HEIGHT in inches, like 7.2 x 4, not {argument!r}")
    width, height = float(match[1]), float(match[2])
    if not (1 <= width <= 40 and 1 <= height <= 40):
        raise ValueError(f"{width} x {height} inches: each side must be 1 to 40")
    return width, height


def _axis_format(argument: str) -> str:
    spec = directives.unchanged_required(argument).strip()
    for sample in (1.0, 1):  # {:,.2f} takes both; {:d} takes whole numbers only
        try:
            spec.format(sample)
            break
        except (IndexError, KeyError, ValueError) as exc:
            error = exc
    else:
        raise ValueError(
            f"{spec!r} is not a str.format pattern for one number, like ${{:,.2f}}"
        ) from error
    if "{" not in spec:
        raise ValueError(f"{spec!r} has no {{}} field for the value, like ${{:,.2f}}")
    return spec


#: What each option does, for the reference page (a test checks every option has one).
CHART_OPTION_HELP: dict[str, str] = {
    **SNIPPET_OPTION_HELP,
    "kind": "``line`` (default), ``bar`` or ``scatter``.",
    "x": "The column on the x axis (default: the first column). Text values are shown as "
    "categories in the DataFrame's order; bar charts always use categories.",
    "y": "The column or columns on the y axis, separated by commas (or one per line); "
    "default: every other numeric column. Values must be numeric.",
    "group": "A column whose values split the rows into series: one line, set of bars or "
    "set of points per value, with a legend.",
    "labels": "A column whose values label each point (line and scatter charts).",
    "stacked": "Stack the series' bars instead of setting them side by side.",
    "title": "A title drawn above the chart (the directive's argument does the same).",
    "xlabel": "The x axis label (default: the x column's name, units and all).",
    "ylabel": "The y axis label (default: the y column's name when there is one).",
    "logx": "A logarithmic x axis.",
    "logy": "A logarithmic y axis.",
    "xformat": "Tick labels of the x axis in ``str.format`` syntax, e.g. ``{:,.0f} ms``. "
    "Default: thousands separators and as few decimals as the ticks need.",
    "yformat": "Tick labels of the y axis, e.g. ``${:,.2f}``.",
    "size": "The drawing's size in inches, ``WIDTH x HEIGHT`` (default ``7.2 x 4``).",
    "width": "The width shown on the page, e.g. ``80%`` (default: the drawing's size, "
    "shrunk to fit).",
    "caption": "The figure's caption (inline markup allowed).",
    "alt": "Text for readers who cannot see the chart, also shown by text and man pages. "
    "Default: a one-line description generated from the data.",
    "name": "A label for ``:ref:`` and ``:numref:``.",
    "align": "``left``, ``center`` or ``right``.",
    "class": "Extra CSS classes for the figure.",
}


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

    optional_arguments = 1
    final_argument_whitespace = True
    renders = "chart"
    option_spec: ClassVar[dict[str, Any]] = {
        **SnippetDirective.snippet_option_spec,
        "kind": lambda arg: directives.choice(arg, KINDS),
        "x": _column,
        "y": _columns,
        "group": _column,
        "labels": _column,
        "stacked": directives.flag,
        "title": directives.unchanged,
        "xlabel": directives.unchanged,
        "ylabel": directives.unchanged,
        "logx": directives.flag,
        "logy": directives.flag,
        "xformat": _axis_format,
        "yformat": _axis_format,
        "size": _size,
        "width": directives.length_or_percentage_or_unitless,
        "caption": directives.unchanged_required,
        "alt": directives.unchanged_required,
        "name": directives.unchanged,
        "align": lambda arg: directives.choice(arg, ("left", "center", "right")),
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        frame = self.frame_or_none()
        if frame is None:
            return []
        try:
            chart = prepare_chart(frame, self._spec())
        except ChartProblem as problem:
            location = self.option_location(problem.option) if problem.option else None
            self.warn(problem.message, location, subtype="chart")
            return []
        for note in chart.notes:
            self.warn(note, None, subtype="chart")
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
        alt = self.options.get("alt") or describe(chart)
        version = matplotlib_version()
        if version is None:
            self.warn(
                f"matplotlib is not installed, so the chart is shown as its description; "
                f"to draw it: {INSTALL_HINT}",
                None,
                subtype="chart",
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
