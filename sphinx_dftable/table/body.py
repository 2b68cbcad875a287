"""From cell texts to the table body node: which cells are markup, sort keys, search words.

No Sphinx here: the directive passes a ``parse`` function (the page's inline markup
parser), so the body is built and tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes

from sphinx_dftable.table.markup import maybe_markup
from sphinx_dftable.table.nodes import dftable_body, make_body

#: Inline nodes for a cell's text, or None when the text is to be shown literally.
ParseCell = Callable[[str], "list[nodes.Node] | None"]


def markup_entry(inline: Sequence[nodes.Node], text: str) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph(text, "", *inline)
    return entry


def build_body(
    body_rows: list[list[str]],
    ncols: int,
    *,
    numeric: Sequence[bool],
    sort_keys: Sequence[list[str] | None],
    parse: ParseCell,
) -> dftable_body:
    """The body of ``body_rows`` (padded to ``ncols`` in place).

    ``numeric`` columns are never markup; ``sort_keys`` are the raw texts of formatted
    columns. Plain cells stay strings; only markup cells become nodes.
    """
    for row in body_rows:
        if len(row) < ncols:
            row.extend([""] * (ncols - len(row)))
    numeric = list(numeric) + [False] * (ncols - len(numeric))
    markup: dict[int, nodes.entry] = {}
    plain_words: set[str] = set()
    for c in range(ncols):
        column = [row[c] for row in body_rows]
        # One search over the whole column: most have no markup character at all.
        if numeric[c] or not maybe_markup("\n".join(column)):
            if not numeric[c]:
                plain_words.update(column)
            continue
        for r, text in enumerate(column):
            inline = parse(text)
            if inline is None:
                plain_words.add(text)
                continue
            markup[r * ncols + c] = markup_entry(inline, text)
    return make_body(
        body_rows,
        ncols,
        markup,
        search_text=" ".join(sorted(plain_words - {""})),
        sortkeys=list(sort_keys) + [None] * (ncols - len(sort_keys)),
    )


def content_widths(
    header_rows: list[list[str]], body_rows: list[list[str]], ncols: int
) -> tuple[list[int], list[int]]:
    """Relative column widths from the text: for text-like writers and for LaTeX.

    Text writers wrap cells anywhere, so a column is as wide as its longest cell or header
    (3 to 40 characters). LaTeX wraps at spaces but cannot break a word or a number, so
    there a column is as wide as its longest word, plus room for the cell padding.
    """
    longest = [0] * ncols
    longest_word = [0] * ncols
    for c in range(ncols):
        column = [row[c] if c < len(row) else "" for row in header_rows + body_rows]
        longest[c] = max(map(len, column), default=0)
        # Whole-column string operations: one C-level pass instead of one per cell.
        longest_word[c] = max(map(len, "\n".join(column).split()), default=0)
    text_widths = [min(max(width, 3), 40) for width in longest]
    latex_widths = [min(max(width + 1, 3), 18) for width in longest_word]
    return text_widths, latex_widths
