"""The table body node: plain cells as strings, markup cells as the only sub-nodes.

A 20,000-row table as ``row > entry > paragraph > Text`` nodes is 1.3 million nodes that
every Sphinx transform, the pickler and the writer walk. :class:`dftable_body` keeps the
plain cells' text in one attribute instead. HTML builders render it directly (see
:mod:`sphinx_dftable.table.html`); every other builder gets it expanded into the standard
docutils ``tbody`` by :func:`expand_body` just before writing, so LaTeX, text, man,
texinfo, and any third-party writer render it with their own table code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from docutils import nodes

if TYPE_CHECKING:
    from sphinx_dftable.table.marks import CellMark

#: Builds the entry of a marked cell: (mark, cell text, the markup entry or None).
MarkedEntry: TypeAlias = "Callable[[CellMark, str, nodes.entry | None], nodes.entry]"

#: A column's sort keys: the raw value of each cell whose shown text differs from it
#: (``None`` for the others), or None when every cell sorts by its text.
SortKeys: TypeAlias = Sequence[str | None] | None


class dftable_body(nodes.General, nodes.Element):
    """A ``tbody`` whose plain cells are strings.

    Attributes: ``rows`` (list of rows of cell text), ``markup`` (flat indices
    ``row * ncols + col`` of the cells whose content is the matching child ``entry``, in
    order), ``ncols``, ``sortkeys`` (per column: :data:`SortKeys`), and optionally
    ``marks`` (flat index -> :class:`~sphinx_dftable.table.marks.CellMark`: what a
    comparison or a highlight adds to the cell).
    """

    @property
    def rows(self) -> list[list[str]]:
        rows: list[list[str]] = self["rows"]
        return rows

    @property
    def markup(self) -> list[int]:
        markup: list[int] = self["markup"]
        return markup

    @property
    def ncols(self) -> int:
        return int(self["ncols"])

    def markup_entries(self) -> dict[int, nodes.entry]:
        """The child ``entry`` of each markup cell, by flat cell index."""
        entries = [child for child in self.children if isinstance(child, nodes.entry)]
        return dict(zip(self.markup, entries, strict=True))

    @property
    def marks(self) -> dict[int, CellMark]:
        marks: dict[int, CellMark] = self.get("marks") or {}
        return marks


def make_body(
    rows: list[list[str]],
    ncols: int,
    markup: dict[int, nodes.entry],
    search_text: str = "",
    sortkeys: Sequence[SortKeys] | None = None,
) -> dftable_body:
    body = dftable_body(
        rows=rows,
        markup=sorted(markup),
        ncols=ncols,
        sortkeys=[None if keys is None else list(keys) for keys in sortkeys or [None] * ncols],
    )
    body.extend(markup[index] for index in sorted(markup))
    if search_text:
        # Words of the plain cells, so that the HTML search index finds them. Writers
        # never see this node: HTML skips it, other builders get the expanded tbody.
        body += nodes.Text(search_text)
    return body


def text_entry(text: str) -> nodes.entry:
    """A standard table cell holding ``text`` literally (what csv-table would build)."""
    entry = nodes.entry()
    if text:
        entry += nodes.paragraph(text, text)
    return entry


def expand_body(body: dftable_body, marked_entry: MarkedEntry | None = None) -> nodes.tbody:
    """The standard ``tbody`` that ``body`` stands for; ``marked_entry`` makes marked cells."""
    tbody = nodes.tbody(classes=body["classes"])
    entries = body.markup_entries()
    marks = body.marks
    ncols = body.ncols
    for r, row in enumerate(body.rows):
        row_node = nodes.row()
        base = r * ncols
        for c, text in enumerate(row):
            markup_entry = entries.get(base + c)
            if markup_entry is not None:
                markup_entry.parent = None
            mark = marks.get(base + c) if marks else None
            if mark is not None and marked_entry is not None:
                row_node += marked_entry(mark, text, markup_entry)
            elif markup_entry is not None:
                row_node += markup_entry
            else:
                row_node += text_entry(text)
        tbody += row_node
    tbody.source, tbody.line = body.source, body.line
    return tbody


class dftable_download(nodes.General, nodes.Element):
    """A link to the table's data as CSV; HTML builders write the file (others drop it).

    Attributes: ``filename`` (the name the reader's browser saves), ``csv`` (the text).
    """
