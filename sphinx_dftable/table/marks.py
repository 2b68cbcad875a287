"""What a comparison or a highlight adds to a cell: classes, a change, a label, a marker.

A :class:`CellMark` rides on the compact body node next to the cell's text (which stays the
value exactly as shown without the comparison): the HTML writer puts it into the cell it
writes (:mod:`.marks_html`), the expansion for every other builder into standard nodes
(:mod:`.marks_nodes`). No Sphinx and no pandas here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx_dftable.comparison.changes import Change, Comparison

#: A cell by (body row, column), counting data rows only.
Cell = tuple[int, int]

#: The class of a metric column's header cell once it is compared (the script sorts by it).
COMPARED_HEADER = "dftable-compare-metric"
#: The marks of a new row's first cell, and of a best value.
NEW, BEST = "dftable-new", "dftable-best"


@dataclass(frozen=True)
class CellMark:
    """What a cell shows beside its value; every field is optional."""

    #: Classes of the cell: ``dftable-better``, ``dftable-new``, ``dftable-best``...
    classes: tuple[str, ...] = ()
    #: The change as every builder prints it (``+12.3% ▲``), or ``""``.
    change: str = ""
    #: The change's verdict (``better``, ``worse``, ``neutral``), or ``""``.
    verdict: str = ""
    #: The signed change in percent for the sorting script (``12.3``), or ``""``.
    percent: str = ""
    #: What the change is against, for the reader who hovers: ``was 426.2 at git:v1``.
    was: str = ""
    #: A label before the value (``new``).
    label: str = ""
    #: The best value of its group: bold, with a marker.
    best: bool = False
    #: Colour-scale level, 1 (the worst value) to 5 (the best); 0 for none.
    scale: int = 0

    def with_classes(self, *classes: str) -> CellMark:
        return dataclasses.replace(self, classes=(*self.classes, *classes))


def _number_text(value: float) -> str:
    """A baseline figure as pandas writes it (``426.2``, ``12`` for a whole number)."""
    return str(int(value)) if value.is_integer() else repr(value)


def _percent_attribute(change: Change) -> str:
    return "" if change.percent is None else f"{change.percent:.6g}"


def compare_marks(
    comparison: Comparison,
    columns: Mapping[str, int],
    label: str,
    first_column: int = 0,
) -> dict[Cell, CellMark]:
    """The marks of a comparison: a change in each metric cell, ``new`` on new rows.

    ``columns`` maps each metric to its table column; ``label`` names the baseline.
    A change of unknown verdict (a figure missing on a side) gets no class and no text.
    """
    marks: dict[Cell, CellMark] = {}
    for column, changes in comparison.changes.items():
        c = columns[column]
        for r, change in enumerate(changes):
            if change is None or change.percent is None:
                continue
            was = "" if change.baseline is None else f"was {_number_text(change.baseline)}"
            marks[r, c] = CellMark(
                classes=(change.verdict.css_class,),
                change=change.text(),
                verdict=change.verdict.value,
                percent=_percent_attribute(change),
                was=f"{was} at {label}" if was else "",
            )
    for r in comparison.new_rows:
        mark = marks.get((r, first_column), CellMark())
        marks[r, first_column] = dataclasses.replace(mark.with_classes(NEW), label="new")
    return marks


def add_best(
    marks: dict[Cell, CellMark], best: Mapping[str, Sequence[bool]], columns: Mapping[str, int]
) -> None:
    """Mark the best value of each group (from :func:`.highlight.best_cells`)."""
    for column, flags in best.items():
        c = columns[column]
        for r, flag in enumerate(flags):
            if flag:
                mark = marks.get((r, c), CellMark())
                marks[r, c] = dataclasses.replace(mark.with_classes(BEST), best=True)


def add_scale(marks: dict[Cell, CellMark], levels: Sequence[int | None], column: int) -> None:
    """Give the cells of ``column`` their colour-scale levels (:func:`.highlight.scale_levels`)."""
    for r, level in enumerate(levels):
        if level:
            mark = marks.get((r, column), CellMark())
            marks[r, column] = dataclasses.replace(
                mark.with_classes(f"dftable-scale-{level}"), scale=level
            )


def flat_marks(marks: Mapping[Cell, CellMark], ncols: int, row_offset: int) -> dict[int, CellMark]:
    """The marks by the body node's flat cell index (``row * ncols + column``)."""
    return {(r + row_offset) * ncols + c: mark for (r, c), mark in marks.items()}


def shown_text(mark: CellMark, text: str) -> str:
    """The cell as text builders show it: ``[new] x``, ``45.0 ★``, ``120  +20.0% ▲``."""
    shown = f"[{mark.label}] {text}" if mark.label else text
    if mark.best:
        shown = f"**{shown}** \u2605"  # bold: ``**`` in text output
    return f"{shown}  {mark.change}" if mark.change else shown


def widened_rows(
    rows: list[list[str]], marks: Mapping[Cell, CellMark], row_offset: int
) -> list[list[str]]:
    """``rows`` with the marked cells' texts as shown, for the columns' widths (a copy)."""
    widened = list(rows)
    copied: set[int] = set()
    for (r, c), mark in marks.items():
        row = r + row_offset
        if row not in copied:
            widened[row] = list(widened[row])
            copied.add(row)
        widened[row][c] = shown_text(mark, widened[row][c])
    return widened
