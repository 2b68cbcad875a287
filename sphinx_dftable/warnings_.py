"""The extension's build warnings: one type, an ``Enum`` of subtypes, one way to log them.

Every warning is ``dftable.<subtype>``, so ``suppress_warnings`` can silence one kind. The
reference page's list of warnings is generated from :class:`Subtype`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sphinx.util import logging

WARNING_TYPE = "dftable"

logger = logging.getLogger("sphinx_dftable")


class Subtype(Enum):
    """The kinds of warning, each with what it means (for the reference page)."""

    EXEC = (
        "exec",
        "A snippet failed (any exception, a syntax error, a missing file, ``df`` not "
        "assigned or not a DataFrame, the time limit).",
    )
    DATA = ("data", "A ``DataWarning`` from a helper, e.g. a result without a price.")
    FORMAT = ("format", "A display format named no column or did not fit a value.")
    FILTER = ("filter", "A ``:filters:`` column that the table does not have.")
    PYWARNING = (
        "pywarning",
        "Another Python warning raised by the snippet. Deprecation warnings are shown as "
        "messages, not warnings, so that pages written for older pandas keep building with "
        "``-W``.",
    )
    EMPTY = ("empty", "The DataFrame has no rows or no columns; nothing is rendered.")
    CHART = (
        "chart",
        "A chart cannot be drawn as asked (an unknown column, a ``:y:`` column that is not "
        "numeric, nothing to draw, values a log scale cannot show), matplotlib is missing, "
        "or drawing failed; the chart's description is shown instead.",
    )
    COMPARE = (
        "compare",
        "A comparison cannot be made as asked: an unknown revision or a shallow clone "
        "without it, a file missing in the baseline, a failing baseline run, keys that do "
        "not name one row, a metric that is not numeric; the table is shown without it.",
    )
    SOURCES = (
        "sources",
        "A provenance log beside a data file that ``:sources:`` cannot read, or a line of "
        "it that is not JSON (skipped; a last line cut short by a crash is only a note).",
    )
    DISABLED = ("disabled", "``dftable_execute`` is ``False``.")

    def __init__(self, code: str, help_text: str) -> None:
        self.code = code
        self.help = help_text

    @property
    def full_name(self) -> str:
        """What ``suppress_warnings`` takes: ``dftable.exec``."""
        return f"{WARNING_TYPE}.{self.code}"


def warn(message: str, subtype: Subtype, location: Any, *args: object) -> None:
    """Log a build warning of ``subtype`` at ``location`` (a node, a docname, or ``file:line``)."""
    logger.warning(message, *args, location=location, type=WARNING_TYPE, subtype=subtype.code)


def warning_rows() -> list[tuple[str, str]]:
    """(``dftable.<subtype>``, meaning) for every warning, for the reference page."""
    return [(subtype.full_name, subtype.help) for subtype in Subtype]
