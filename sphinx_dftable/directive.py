"""The ``df-table`` directive: renders the snippet's DataFrame as a table."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import Table
from docutils.utils import SystemMessagePropagation

from sphinx_dftable.cells import TableData, table_data
from sphinx_dftable.config import DfTableConfig
from sphinx_dftable.markup import CellMarkupParser, maybe_markup
from sphinx_dftable.snippet_directive import SNIPPET_OPTION_HELP, SnippetDirective
from sphinx_dftable.table_nodes import dftable_download, make_body, text_entry


def _formats(argument: str) -> dict[str, str]:
    """One ``Column name = format`` per line, e.g. ``Cost per 1M tokens = ${:,.3f}``."""
    formats = {}
    for line in directives.unchanged_required(argument).splitlines():
        if not line.strip():
            continue
        column, sep, spec = line.partition(" = ")
        if not sep or not column.strip() or not spec.strip():
            raise ValueError(f"expected 'Column name = format', got {line.strip()!r}")
        spec = spec.strip()
        if "{" not in spec:
            raise ValueError(f"{spec!r} has no {{}} field for the value, like ${{:,.3f}}")
        try:
            spec.format(1.0)
        except (IndexError, KeyError) as exc:
            raise ValueError(
                f"{spec!r} must have exactly one unnamed field, like {{:,.2f}}"
            ) from exc
        except ValueError:
            pass  # a spec for other types of values, such as {:d}; checked when rendering
        formats[column.strip()] = spec
    return formats


def _download_name(argument: str | None) -> str:
    name = (argument or "").strip() or "table.csv"
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"{name!r}: give a file name, not a path")
    return name if name.lower().endswith(".csv") else f"{name}.csv"


#: What each option does, for the reference page (a test checks every option has one).
OPTION_HELP: dict[str, str] = {
    **SNIPPET_OPTION_HELP,
    "header-rows": "Accepted for pages written for the original directive. The header is "
    "always the DataFrame's columns (one row per level); ``0`` shows them as a body row.",
    "stub-columns": "Number of leading columns shown as row headers.",
    "index": "Show the DataFrame's index as leading stub columns (hidden by default).",
    "formats": "Display formats applied when rendering, one ``Column name = format`` per "
    "line (``str.format`` syntax: ``Cost per 1M tokens = ${:,.3f}``). The column still "
    "sorts as numbers.",
    "download": "Offer the table's data as a CSV file under the table (HTML builders); the "
    "value is the file name (default ``table.csv``).",
    "class": "Extra CSS classes for the table.",
    "name": "A label for ``:ref:`` and ``:numref:``.",
    "align": "``left``, ``center`` or ``right``.",
    "width": "The table's width, e.g. ``80%``.",
    "widths": "``auto``, ``grid``, or one relative width per column. Without it, "
    "columns get widths in proportion to their content in text, man and LaTeX output.",
}


class DfTableDirective(SnippetDirective, Table):
    """Run the pandas snippet in the body; render the DataFrame it leaves as a table."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        **SnippetDirective.snippet_option_spec,
        "header-rows": directives.nonnegative_int,
        "stub-columns": directives.nonnegative_int,
        "index": directives.flag,
        "formats": _formats,
        "download": _download_name,
        "class": directives.class_option,
        "name": directives.unchanged,
        "align": lambda arg: directives.choice(arg, ("left", "center", "right")),
        "width": directives.length_or_percentage_or_unitless,
        "widths": directives.value_or(
            ("auto", "grid"),
            directives.positive_int_list,  # type: ignore[arg-type]  # stub says str
        ),
    }

    def run(self) -> list[nodes.Node]:
        frame = self.frame_or_none()
        if frame is None:
            return []
        settings = DfTableConfig.from_sphinx(self.config)
        own = self.options.get("formats", {})
        formats = {**settings.formats, **own}
        data = table_data(frame, show_index="index" in self.options, formats=formats)
        for column, reason in data.format_problems:
            if column not in own and reason == "no such column":
                continue  # dftable_formats are defaults for whichever tables have the column
            message = f"format for column {column!r} not applied: {reason}"
            self.warn(message, None, subtype="format")
        try:
            return self._table(data, frame)
        except SystemMessagePropagation as detail:  # e.g. :widths: of the wrong length
            return [detail.args[0]]

    # -- rendering --------------------------------------------------------------------

    def _table(self, data: TableData, frame: pd.DataFrame) -> list[nodes.Node]:
        ncols = data.n_columns
        header_rows = data.header_rows
        body_rows = data.body_rows
        if self.options.get("header-rows", 1) == 0:
            body_rows = header_rows + body_rows
            header_rows = []
        stub_columns = max(self.options.get("stub-columns", 0), data.index_columns)
        latex_widths: list[int] = []
        if isinstance(self.widths, list):
            col_widths = self.get_column_widths(ncols)  # type: ignore[no-untyped-call]
        else:
            # Relative widths from the content, not csv-table's equal 100 // n: writers that
            # always use them (text, man) then give long columns room.
            col_widths, latex_widths = _content_widths(header_rows, body_rows, ncols)

        table = nodes.table()
        if self.widths == "auto":
            table["classes"].append("colwidths-auto")
        elif self.widths:
            table["classes"].append("colwidths-given")
        table["classes"] += ["dftable", *self.options.get("class", [])]
        if "align" in self.options:
            table["align"] = self.options["align"]
        self.set_table_width(table)
        self.set_source_info(table)
        if latex_widths:
            table["dftable_latex_widths"] = latex_widths
        title, messages = self.make_title()  # type: ignore[no-untyped-call]
        if title:
            table += title

        tgroup = nodes.tgroup(cols=ncols)
        table += tgroup
        for c, width in enumerate(col_widths):
            colspec = nodes.colspec(colwidth=width)
            if c < stub_columns:
                colspec["stub"] = True
            tgroup += colspec

        parser = CellMarkupParser(self.state.document)
        numeric = data.numeric + [False] * (ncols - len(data.numeric))
        if header_rows:
            thead = nodes.thead()
            for level, row in enumerate(header_rows):
                row_node = nodes.row()
                for c, text in enumerate(row):
                    entry = self._cell_entry(parser, text)
                    if level == len(header_rows) - 1 and numeric[c]:
                        entry["classes"].append("dftable-numeric")  # sorts as numbers
                    row_node += entry
                thead += row_node
            tgroup += thead

        markup: dict[int, nodes.entry] = {}
        plain_words: set[str] = set()
        for row in body_rows:
            if len(row) < ncols:
                row.extend([""] * (ncols - len(row)))
        for c in range(ncols):
            column = [row[c] for row in body_rows]
            # One search over the whole column: most have no markup character at all.
            if numeric[c] or not maybe_markup("\n".join(column)):
                if not numeric[c]:
                    plain_words.update(column)
                continue
            for r, text in enumerate(column):
                inline = parser.parse(text, self.lineno)
                if inline is None:
                    plain_words.add(text)
                    continue
                entry = nodes.entry()
                entry += nodes.paragraph(text, "", *inline)
                markup[r * ncols + c] = entry
        sort_keys = data.sort_keys + [None] * (ncols - len(data.sort_keys))
        moved = len(body_rows) - len(data.body_rows)  # header rows shown in the body
        sort_keys = [None if keys is None else [""] * moved + keys for keys in sort_keys]
        body = make_body(
            body_rows,
            ncols,
            markup,
            search_text=" ".join(sorted(plain_words - {""})),
            sortkeys=sort_keys,
        )
        self.set_source_info(body)
        tgroup += body
        self.add_name(table)
        # Wide tables scroll inside this box, not the page (see static/dftable.css).
        wrapper = nodes.container("", table, classes=["dftable-wrapper"])
        if "download" in self.options:
            show_index = "index" in self.options
            wrapper += dftable_download(
                filename=self.options["download"], csv=frame.to_csv(index=show_index)
            )
        return [wrapper, *messages]

    def _cell_entry(self, parser: CellMarkupParser, text: str) -> nodes.entry:
        inline = parser.parse(text, self.lineno)
        if inline is None:
            entry = text_entry(text)
            # Literal, like the body's plain cells: SmartQuotes would make ' and -- typographic.
            entry["support_smartquotes"] = False
            return entry
        entry = nodes.entry()
        entry += nodes.paragraph(text, "", *inline)
        return entry


def _content_widths(
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
