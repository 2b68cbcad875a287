"""A marked cell (:class:`~sphinx_dftable.table.marks.CellMark`) as standard docutils nodes,
for every builder without the HTML fast path.

Text, man and texinfo get signs and arrows as text (``426.2  +0.5% ▲``), the ``[new]``
label and the ``★`` marker of a best value, in bold. LaTeX gets the same words, the
change coloured with xcolor (which Sphinx loads) and the arrows and star as amssymb math
symbols, which pdflatex, xelatex and lualatex all typeset (pdflatex has no glyph for the
characters ▲, ▼ and ★ themselves); a colour scale is the cell's colour (colortbl, which
Sphinx loads too). No Sphinx here.
"""

from __future__ import annotations

from docutils import nodes

from sphinx_dftable.table.marks import CellMark

#: Okabe-Ito blue and vermilion: told apart with every common colour vision deficiency.
LATEX_COLOURS = {"better": "0072B2", "worse": "D55E00", "neutral": "595959"}
#: A single-hue ramp (ColorBrewer Blues), level 1 (the worst value) to 5 (the best).
LATEX_SCALE = ("F7FBFF", "DEEBF7", "C6DBEF", "9ECAE1", "6BAED6")
# The arrows of :class:`~sphinx_dftable.comparison.changes.Change` (not imported: pandas).
_LATEX_SYMBOLS = {"\u25b2": r"\(\blacktriangle\)", "\u25bc": r"\(\blacktriangledown\)"}
_LATEX_SPECIAL = str.maketrans({"%": r"\%", "-": r"\(-\)"})


def latex_change(mark: CellMark) -> str:
    """``\\textcolor[HTML]{0072B2}{+12.3\\%~\\(\\blacktriangle\\)}``."""
    shown, _, arrow = mark.change.partition(" ")
    text = shown.translate(_LATEX_SPECIAL)
    symbol = _LATEX_SYMBOLS.get(arrow, arrow)
    colour = LATEX_COLOURS.get(mark.verdict, "000000")
    return f"\\textcolor[HTML]{{{colour}}}{{{text}~{symbol}}}"


def marked_entry(
    mark: CellMark, text: str, markup: nodes.entry | None, latex: bool = False
) -> nodes.entry:
    """The cell ``text`` (or the ``markup`` entry's content) with what ``mark`` adds."""
    entry = markup if markup is not None else nodes.entry()
    entry["classes"] += [c for c in mark.classes if c not in entry["classes"]]
    paragraph = next(iter(entry.findall(nodes.paragraph)), None)
    if paragraph is None:
        paragraph = nodes.paragraph(text, "")
        if text:
            paragraph += nodes.strong(text, text) if mark.best else nodes.Text(text)
        entry += paragraph
    inline: list[nodes.Node] = []
    if latex and mark.scale:
        inline.append(_raw(f"\\cellcolor[HTML]{{{LATEX_SCALE[mark.scale - 1]}}}"))
    if mark.label:
        inline.append(nodes.inline("", f"[{mark.label}] ", classes=["dftable-new-label"]))
    paragraph[0:0] = inline
    if mark.best:
        paragraph += _raw(r"~\(\bigstar\)") if latex else nodes.Text(" \u2605")
    if mark.change:
        if latex:
            paragraph += _raw(f"\\quad{latex_change(mark)}")
        else:
            # A no-break space: the arrow stays with its figure when text output wraps.
            change = mark.change.replace(" ", "\u00a0")
            paragraph += nodes.inline("", f"  {change}", classes=["dftable-change"])
    return entry


def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")
