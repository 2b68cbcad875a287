"""What a chart's options ask for, and how a request can fail. No pandas, no Sphinx.

Kept apart from :mod:`sphinx_dftable.chart.prepare` so the directive's options can be
declared (and the extension loaded) without importing pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChartKind = Literal["line", "bar", "scatter"]
ImageFormat = Literal["svg", "pdf"]
XScale = Literal["linear", "log", "categories"]
XOrder = Literal["data", "sorted"]
Repeated = Literal["warn", "side-by-side"]
KINDS: tuple[ChartKind, ...] = ("line", "bar", "scatter")
XSCALES: tuple[XScale, ...] = ("linear", "log", "categories")
XORDERS: tuple[XOrder, ...] = ("data", "sorted")
REPEATED: tuple[Repeated, ...] = ("warn", "side-by-side")

INSTALL_HINT = "pip install 'sphinx-dftable[charts]'"

#: Bumped whenever drawing changes, so a rebuild draws charts anew.
STYLE_VERSION = "5"


class ChartProblem(Exception):
    """The data cannot be drawn as asked; ``option`` names the option to point at."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.option = option


@dataclass(frozen=True)
class ChartSpec:
    """What the directive's options ask for."""

    kind: ChartKind = "line"
    x: str | None = None
    y: tuple[str, ...] = ()
    #: The ``:group:`` text as written: one column name, or several separated by commas.
    group: str | None = None
    labels: str | None = None
    stacked: bool = False
    title: str = ""
    xlabel: str | None = None
    ylabel: str | None = None
    logx: bool = False
    logy: bool = False
    xformat: str | None = None
    yformat: str | None = None
    size: tuple[float, float] = (7.2, 4.0)
    #: None: numbers to scale, anything else as categories.
    xscale: XScale | None = None
    xorder: XOrder = "data"
    #: Columns drawn against a second y axis, on the right.
    y2: tuple[str, ...] = ()
    y2label: str | None = None
    y2format: str | None = None
    logy2: bool = False
    #: One panel per value of this column.
    facet: str | None = None
    repeated: Repeated = "warn"
