"""Make wide and long df-tables fit a LaTeX page.

Sphinx already typesets tables of more than 30 rows as ``longtable`` (page breaks, the
header repeated). What breaks PDFs is width: with equal columns, numbers that LaTeX
cannot hyphenate run into their neighbours. So, unless the page gave ``:widths:``, columns
get widths in proportion to their content, and tables of many columns a smaller font.
"""

from __future__ import annotations

from docutils import nodes

#: Column counts above which the table is set in a smaller font.
_FOOTNOTESIZE_ABOVE = 8
_SCRIPTSIZE_ABOVE = 12


def fit_table_for_latex(table: nodes.table) -> None:
    widths: list[int] | None = table.get("dftable_latex_widths")
    tgroup = next(iter(table.findall(nodes.tgroup)), None)
    if tgroup is None:
        return
    colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
    if widths and len(widths) == len(colspecs):
        for colspec, width in zip(colspecs, widths, strict=True):
            colspec["colwidth"] = width
        if "colwidths-auto" not in table["classes"]:
            table["classes"].append("colwidths-given")
    ncols = len(colspecs)
    if ncols > _FOOTNOTESIZE_ABOVE and table.parent is not None:
        size = r"\scriptsize" if ncols > _SCRIPTSIZE_ABOVE else r"\footnotesize"
        index = table.parent.index(table)
        table.parent.insert(index + 1, nodes.raw("", "\\endgroup\n", format="latex"))
        table.parent.insert(index, nodes.raw("", f"\\begingroup{size}\n", format="latex"))
