"""The ``df-table`` directive: renders the snippet's DataFrame as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import Table
from docutils.parsers.rst.states import RSTState
from docutils.utils import SystemMessagePropagation

from sphinx_dftable import options
from sphinx_dftable.options import COMPARE_OPTIONS, Option, option_spec
from sphinx_dftable.snippet.directive import SnippetDirective, absolute
from sphinx_dftable.table.body import build_body, content_widths, header_entry
from sphinx_dftable.table.compare import HIGHLIGHT_OPTIONS, ComparedTable, MarkPlan
from sphinx_dftable.table.filters import filters_option, mark_table, plan_filters
from sphinx_dftable.table.marks import COMPARED_HEADER, flat_marks, widened_rows
from sphinx_dftable.table.markup import CellMarkupParser
from sphinx_dftable.table.nodes import dftable_body, dftable_download
from sphinx_dftable.table.smartquotes import cell_educator
from sphinx_dftable.warnings_ import Subtype

if TYPE_CHECKING:
    import pandas as pd

    from sphinx_dftable.table.cells import TableData

#: The options of ``df-table``, in the order the reference page lists them.
TABLE_OPTIONS: tuple[Option, ...] = (
    *SnippetDirective.snippet_options,
    Option(
        "header-rows",
        directives.nonnegative_int,
        "Accepted for pages written for the original directive. The header is always the "
        "DataFrame's columns (one row per level); ``0`` shows them as a body row.",
    ),
    Option(
        "stub-columns",
        directives.nonnegative_int,
        "Number of leading columns shown as row headers.",
    ),
    Option(
        "index",
        directives.flag,
        "Show the DataFrame's index as leading stub columns (hidden by default).",
    ),
    Option(
        "formats",
        options.column_formats,
        "Display formats applied when rendering, one ``Column name = format`` per line "
        "(``str.format`` syntax: ``Cost per 1M tokens = ${:,.3f}``). The column still sorts "
        "as numbers.",
    ),
    Option(
        "download",
        options.download_name,
        "Offer the table's data as a CSV file under the table (HTML builders); the value is "
        "the file name (default ``table.csv``).",
    ),
    Option(
        "filters",
        filters_option,
        "Filter controls above the table (HTML): ``auto`` (tables of 10 rows or more), "
        "``on``, ``off``, or the columns to filter, separated by commas. Default: "
        "``dftable_filters``.",
    ),
    *COMPARE_OPTIONS,
    *HIGHLIGHT_OPTIONS,
    options.CLASS,
    options.NAME,
    options.ALIGN,
    options.width("The table's width, e.g. ``80%``."),
    Option(
        "widths",
        directives.value_or(
            ("auto", "grid"),
            directives.positive_int_list,  # type: ignore[arg-type]  # stub says str
        ),
        "``auto``, ``grid``, or one relative width per column. Without it, columns get "
        "widths in proportion to their content in text, man and LaTeX output.",
    ),
)


class DfTableDirective(ComparedTable, Table):
    """Run the pandas snippet in the body; render the DataFrame it leaves as a table."""

    option_spec: ClassVar[dict[str, Any]] = option_spec(TABLE_OPTIONS)

    def run(self) -> list[nodes.Node]:
        frame = self.frame_or_none()
        if frame is None:
            return []
        from sphinx_dftable.table.cells import table_data

        own = self.options.get("formats", {})
        formats = {**self.settings.formats, **own}
        data = table_data(frame, show_index="index" in self.options, formats=formats)
        for column, reason in data.format_problems:
            if column not in own and reason == "no such column":
                continue  # dftable_formats are defaults for whichever tables have the column
            message = f"format for column {column!r} not applied: {reason}"
            self.warn(message, None, Subtype.FORMAT)
        plan = self.mark_plan(frame, data)
        try:
            result = self._with_filters(self._table(data, frame, plan), data)
        except SystemMessagePropagation as detail:  # e.g. :widths: of the wrong length
            return [detail.args[0]]
        # The summary over the table, the rows gone since under it, in every builder.
        if plan.summary:
            result.insert(
                0, nodes.paragraph(plan.summary, plan.summary, classes=["dftable-compare-summary"])
            )
        if plan.removed:
            index = 2 if plan.summary else 1
            removed = nodes.paragraph(plan.removed, plan.removed, classes=["dftable-removed"])
            result.insert(index, removed)
        return result

    # -- rendering --------------------------------------------------------------------

    def _table(self, data: TableData, frame: pd.DataFrame, plan: MarkPlan) -> list[nodes.Node]:
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
            moved = len(body_rows) - len(data.body_rows)
            shown = widened_rows(body_rows, plan.marks, moved) if plan.marks else body_rows
            col_widths, latex_widths = content_widths(header_rows, shown, ncols)

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

        source, line = self._cell_location()
        parser = CellMarkupParser(self.state.document, source, line)
        educate = cell_educator(self.state.document, self._cell_language(table))
        numeric = data.numeric + [False] * (ncols - len(data.numeric))
        if header_rows:
            thead = nodes.thead()
            for level, row in enumerate(header_rows):
                row_node = nodes.row()
                for c, text in enumerate(row):
                    entry = header_entry(text, parser.parse, educate)
                    if level == len(header_rows) - 1 and numeric[c]:
                        entry["classes"].append("dftable-numeric")  # sorts as numbers
                    if level == len(header_rows) - 1 and c in plan.compared:
                        entry["classes"].append(COMPARED_HEADER)  # sorts by the change
                    row_node += entry
                thead += row_node
            tgroup += thead

        moved = len(body_rows) - len(data.body_rows)  # header rows shown in the body
        sort_keys = [None if keys is None else [""] * moved + keys for keys in data.sort_keys]
        body = build_body(
            body_rows,
            ncols,
            numeric=numeric,
            sort_keys=sort_keys,
            parse=parser.parse,
            educate=educate,
        )
        if plan.marks:
            body["marks"] = flat_marks(plan.marks, ncols, moved)
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
        return [wrapper, *self.sources_note(), *messages]

    def _cell_location(self) -> tuple[str | None, int | None]:
        """The directive's source and line: where cell roles place nodes and messages."""
        source, line = self.get_source_info()
        if not source:
            return None, line
        if line:
            line += self._lines_cut(source)
        return str(absolute(source)), line

    def _cell_language(self, table: nodes.table) -> str:
        """The language of the cells' text: a ``language-*`` class, or the page's."""
        fallback: str = self.state.document.settings.language_code
        own = table.get_language_code("")
        if own:
            return own
        if isinstance(self.state, RSTState):  # MyST's mock state does not say
            return str(self.state.parent.get_language_code(fallback))  # where the table goes
        return fallback

    def _with_filters(self, result: list[nodes.Node], data: TableData) -> list[nodes.Node]:
        """Mark the table's filters and numeric columns for the script and styles."""
        table = next(iter(result[0].findall(nodes.table)), None)
        body = next(iter(result[0].findall(dftable_body)), None)
        if table is None or body is None:
            return result
        numeric = data.numeric + [False] * (data.n_columns - len(data.numeric))
        names = data.header_rows[-1] if data.header_rows else []
        choice = self.options.get("filters", self.settings.filters)
        plan = plan_filters(names, data.body_rows, numeric, choice)
        for name in plan.unknown:
            self.warn(f"filter for column {name!r} not added: no such column", None, Subtype.FILTER)
        mark_table(table, body, plan, numeric)
        return result
