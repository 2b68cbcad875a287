"""Which columns of a table get a filter, and the classes that tell the script and styles.

The table script (``static/dftable.js``) builds its controls from classes written here,
so the HTML stays a plain table and the choice is made once, from the data, at build
time:

- on the table's body (``tbody``): ``dftable-filterable`` when filtering is on (a search
  box, the column filters, "showing N of M rows"), and ``dftable-num-<n>`` for each
  numeric column ``n`` (from 1), which the stylesheet right-aligns with tabular figures,
  with or without JavaScript;
- on each header cell of the last header row: ``dftable-facet`` (a multi-select of the
  column's few distinct values) or ``dftable-range`` (a minimum and a maximum for a
  numeric column of many values).

No Sphinx and no pandas here: the plan is made from the table's cell texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_dftable import options

#: The values of ``:filters:`` and ``dftable_filters`` that are not column names.
MODES = ("auto", "on", "off")
#: ``auto`` filters tables of at least this many rows; smaller ones are read at a glance.
AUTO_MIN_ROWS = 10
#: A column of at most this many distinct values gets a multi-select (unless named).
FACET_MAX_VALUES = 12

FACET = "dftable-facet"
RANGE = "dftable-range"
FILTERABLE = "dftable-filterable"

FiltersChoice = str | tuple[str, ...]


def filters_option(argument: str) -> FiltersChoice:
    """``auto``, ``on``, ``off``, or the columns to filter (commas, or one per line)."""
    text = directives.unchanged_required(argument).strip()
    if text.lower() in MODES:
        return text.lower()
    return options.column_names(text)


@dataclass
class FilterPlan:
    """Per column: ``FACET``, ``RANGE`` or None; and the named columns that do not exist."""

    enabled: bool
    kinds: list[str | None] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def plan_filters(
    names: Sequence[str],
    body_rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    choice: FiltersChoice,
) -> FilterPlan:
    """The filters of a table whose last header row is ``names``.

    ``auto`` filters tables of :data:`AUTO_MIN_ROWS` rows or more, ``on`` every table:
    a multi-select for each column of 2 to :data:`FACET_MAX_VALUES` distinct values (fewer
    than the rows), a range for each other numeric column. Named columns get a filter
    whatever their values: a range when numeric with many values, else a multi-select.
    """
    ncols = len(names)
    if choice == "off" or (choice == "auto" and len(body_rows) < AUTO_MIN_ROWS):
        return FilterPlan(False, [None] * ncols)
    distinct = [len({row[c] for row in body_rows if c < len(row)} - {""}) for c in range(ncols)]
    is_number = [c < len(numeric) and numeric[c] for c in range(ncols)]

    def few(c: int) -> bool:
        return 2 <= distinct[c] <= FACET_MAX_VALUES and distinct[c] < len(body_rows)

    if isinstance(choice, tuple):
        wanted = set(choice)
        unknown = [name for name in choice if name not in names]
        kinds: list[str | None] = [
            None if name not in wanted else RANGE if is_number[c] and not few(c) else FACET
            for c, name in enumerate(names)
        ]
        return FilterPlan(True, kinds, unknown)
    kinds = [
        FACET if few(c) else RANGE if is_number[c] and distinct[c] > 1 else None
        for c in range(ncols)
    ]
    return FilterPlan(True, kinds)


def mark_table(
    table: nodes.table, body: nodes.Element, plan: FilterPlan, numeric: Sequence[bool]
) -> None:
    """Write ``plan`` and the numeric columns as classes on ``body`` and the header cells."""
    body["classes"] += [f"dftable-num-{c + 1}" for c, number in enumerate(numeric) if number]
    thead = next(iter(table.findall(nodes.thead)), None)
    if not plan.enabled or thead is None:
        return  # header rows shown as body rows: nothing to filter by
    body["classes"].append(FILTERABLE)
    last_row = thead.children[-1]
    for entry, kind in zip(last_row.children, plan.kinds, strict=False):
        if kind is not None and isinstance(entry, nodes.Element):
            entry["classes"].append(kind)
