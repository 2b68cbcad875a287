"""HTML of a marked cell (:class:`~sphinx_dftable.table.marks.CellMark`), for the one-pass
body writer: the cell's classes and data attributes, and its value with the change.

A compared cell::

    <td class="dftable-better" data-sort-value="426.2" data-dftable-change="0.539">
    <p>426.2 <span class="dftable-change" title="was 424 at git:v1">+0.5%&#160;▲</span></p></td>

It always carries ``data-sort-value`` (the raw value), so that sorting never reads the
change or the label as part of the value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sphinx_dftable.table.marks import CellMark

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.writers.html5 import HTML5Translator

Encode = Callable[[str], str]


def open_cell(stub: bool, mark: CellMark, sort_value: str, encode: Encode) -> str:
    """The opening tag of a marked cell."""
    classes = ["stub", *mark.classes] if stub else list(mark.classes)
    tag = "th" if stub else "td"
    attributes = f' class="{" ".join(classes)}"' if classes else ""
    attributes += f' data-sort-value="{encode(sort_value)}"'
    if mark.percent:
        attributes += f' data-dftable-change="{mark.percent}"'
    return f"<{tag}{attributes}>"


def label_html(mark: CellMark) -> str:
    return f'<span class="dftable-new-label">{mark.label}</span> ' if mark.label else ""


def cell_text(mark: CellMark, text: str, encode: Encode) -> str:
    """The content of a marked plain cell: label, value (bold when best), marker, change."""
    value = encode(text)
    if mark.best:
        value = (
            f'<strong>{value}</strong> <span class="dftable-best-marker" '
            'title="best in its group">\u2605</span>'
        )
    if mark.change:
        title = f' title="{encode(mark.was)}"' if mark.was else ""
        change = encode(mark.change).replace(" ", "&#160;")
        value += f' <span class="dftable-change"{title}>{change}</span>'
    return f"<p>{label_html(mark)}{value}</p>"


def write_cell(
    translator: HTML5Translator,
    out: list[str],
    stub: bool,
    mark: CellMark,
    sort_value: str,
    text: str,
    entry: nodes.entry | None,
) -> list[str]:
    """Append the marked cell to ``out``; what the caller appends to next (see html.py).

    A markup cell's nodes are written by the translator itself, after ``out``.
    """
    closing = "</th>\n" if stub else "</td>\n"
    out.append(open_cell(stub, mark, sort_value, translator.encode))
    if entry is None:
        out.append(cell_text(mark, text, translator.encode) + closing)
        return out
    out.append(label_html(mark))
    translator.body.extend(out)
    for child in entry.children:
        child.walkabout(translator)
    return [closing]
