"""From cell texts to the table body node: which cells are markup, typography, sort keys,
search words.

No Sphinx here: the directive passes a ``parse`` function (the page's inline markup
parser) and the page's SmartQuotes rules, so the body is built and tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_dftable.table.markup import maybe_markup
from sphinx_dftable.table.nodes import SortKeys, dftable_body, make_body, text_entry

if TYPE_CHECKING:
    from sphinx_dftable.table.smartquotes import CellEducator

#: Inline nodes for a cell's text, or None when the text is to be shown literally.
ParseCell = Callable[[str], "list[nodes.Node] | None"]


def markup_entry(inline: Sequence[nodes.Node], text: str) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph(text, "", *inline)
    return entry


def header_entry(text: str, parse: ParseCell, educate: CellEducator | None) -> nodes.entry:
    """A header cell: markup as in the body; plain text educated as the body's plain cells."""
    inline = parse(text)
    if inline is not None:
        return markup_entry(inline, text)
    if educate is not None and educate.may_change(text):
        text = educate(text)
    entry = text_entry(text)
    # Educated already: the transform would read its backslashes as SmartyPants escapes.
    entry["support_smartquotes"] = False
    return entry


def build_body(
    body_rows: list[list[str]],
    ncols: int,
    *,
    numeric: Sequence[bool],
    sort_keys: Sequence[SortKeys],
    parse: ParseCell,
    educate: CellEducator | None = None,
) -> dftable_body:
    """The body of ``body_rows`` (padded to ``ncols`` in place).

    ``numeric`` columns are never markup; ``sort_keys`` are the raw texts of formatted
    columns. Plain cells stay strings; only markup cells become nodes. ``educate`` gives
    plain cells the page's typographic quotes, dashes and ellipses (markup cells get them
    from SmartQuotes, as paragraphs do); a cell it changes keeps its raw text as sort key,
    and the search words are the raw texts.
    """
    for row in body_rows:
        if len(row) < ncols:
            row.extend([""] * (ncols - len(row)))
    numeric = list(numeric) + [False] * (ncols - len(numeric))
    sortkeys = list(sort_keys) + [None] * (ncols - len(sort_keys))
    markup: dict[int, nodes.entry] = {}
    plain_words: set[str] = set()
    for c in range(ncols):
        column = [row[c] for row in body_rows]
        # One search over the whole column: most have no markup character at all.
        if numeric[c] or not maybe_markup("\n".join(column)):
            if not numeric[c]:
                plain_words.update(column)
        else:
            for r, text in enumerate(column):
                inline = parse(text)
                if inline is None:
                    plain_words.add(text)
                    continue
                markup[r * ncols + c] = markup_entry(inline, text)
        if educate is not None:
            sortkeys[c] = _educate_column(body_rows, c, ncols, markup, educate, sortkeys[c])
    return make_body(
        body_rows,
        ncols,
        markup,
        search_text=" ".join(sorted(plain_words - {""})),
        sortkeys=sortkeys,
    )


def _educate_column(
    body_rows: list[list[str]],
    c: int,
    ncols: int,
    markup: dict[int, nodes.entry],
    educate: CellEducator,
    keys: SortKeys,
) -> SortKeys:
    """Educate column ``c``'s plain cells in place; its sort keys, with the raw texts kept."""
    column = [row[c] for row in body_rows]
    # One search over the whole column: most have no quote, dash or ellipsis at all.
    if not educate.may_change("\n".join(column)):
        return keys
    raw: list[str | None] = [None] * len(column) if keys is None else list(keys)
    educated: dict[str, str] = {}  # columns repeat their values ("FP32, BF16" on every row)
    for r, text in enumerate(column):
        if r * ncols + c in markup or not educate.may_change(text):
            continue
        shown = educated.get(text)
        if shown is None:
            shown = educated[text] = educate(text)
        if shown != text:
            body_rows[r][c] = shown
            if raw[r] is None:  # a formatted column's key is already its raw value
                raw[r] = text
    return raw if any(key is not None for key in raw) else None


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
