"""DataFrame -> the text of every cell, exactly as ``to_csv(index=False)`` writes it.

The original directive turned the frame into CSV and parsed it back with ``csv-table``; going
through ``to_csv`` here too keeps every cell's text identical (floats as pandas writes them,
NaN as an empty cell, strings as they are) and is fast: pandas writes and the C ``csv``
reader splits hundreds of thousands of cells in well under a second. No Sphinx here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd
from pandas.api import types as ptypes

from sphinx_dftable.table.number_formats import format_column


@dataclass
class TableData:
    """The text of a table: header rows, body rows, and per-column facts."""

    header_rows: list[list[str]]
    body_rows: list[list[str]]
    #: Leading columns that hold the index (shown as stub columns).
    index_columns: int = 0
    #: Per column: True when its values are numbers (for numeric sorting).
    numeric: list[bool] = field(default_factory=list)
    #: Per column: the unformatted text of each cell where a display format changed it.
    sort_keys: list[list[str] | None] = field(default_factory=list)
    #: Display formats that named no column, or that failed on a value: (column, reason).
    format_problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n_columns(self) -> int:
        if self.header_rows:
            return len(self.header_rows[0])
        return len(self.body_rows[0]) if self.body_rows else 0


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _is_number_column(series: pd.Series) -> bool:
    dtype = series.dtype
    return bool(ptypes.is_numeric_dtype(dtype) and not ptypes.is_bool_dtype(dtype))


def _column_names(frame: pd.DataFrame) -> list[str]:
    """A name per column for matching formats: the label, or a MultiIndex's last level."""
    if frame.columns.nlevels > 1:
        return [str(label[-1]) for label in frame.columns]
    return [str(label) for label in frame.columns]


def format_value(spec: str, value: object) -> str:
    """``spec`` (``str.format`` syntax, e.g. ``${:,.3f}``) applied to one value; NaN is ''."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return spec.format(value)


def _formatted_column(spec: str, values: list[object]) -> list[str]:
    """Named formats (``{:auto}``, ``{:compact}``, ``{:percent}``) see the whole column."""
    named = format_column(spec, values)
    return named if named is not None else [format_value(spec, value) for value in values]


def _apply_formats(
    frame: pd.DataFrame, data: TableData, formats: dict[str, str], offset: int
) -> None:
    names = _column_names(frame)
    for column, spec in formats.items():
        positions = [i for i, name in enumerate(names) if name == column]
        if not positions:
            data.format_problems.append((column, "no such column"))
            continue
        for position in positions:
            values = frame.iloc[:, position].tolist()
            try:
                shown = _formatted_column(spec, values)
            except (ValueError, TypeError, IndexError, KeyError) as exc:
                data.format_problems.append((column, f"{type(exc).__name__}: {exc}"))
                continue
            c = offset + position
            data.sort_keys[c] = [row[c] for row in data.body_rows]
            for row, text in zip(data.body_rows, shown, strict=True):
                row[c] = text


def table_data(
    frame: pd.DataFrame, *, show_index: bool = False, formats: dict[str, str] | None = None
) -> TableData:
    """The cell texts of ``frame``; with ``show_index`` the index levels come first.

    ``formats`` maps column names to display formats applied to the values, so a cost
    column sorts as numbers and still shows as money; the unformatted text is kept as
    each cell's sort key.
    """
    n_levels = frame.columns.nlevels
    header = _csv_rows(frame.iloc[:0].to_csv(index=False))[:n_levels]
    if not header:
        header = [[] for _ in range(n_levels)]
    body = _csv_rows(frame.to_csv(index=show_index, header=False)) if len(frame) else []
    numeric = [_is_number_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    index_columns = 0
    if show_index:
        index_columns = frame.index.nlevels
        names = ["" if name is None else str(name) for name in frame.index.names]
        header = [
            (names if level == n_levels - 1 else [""] * index_columns) + row
            for level, row in enumerate(header)
        ]
        index_numeric = [
            _is_number_column(frame.index.get_level_values(i).to_series())
            for i in range(index_columns)
        ]
        numeric = index_numeric + numeric
    width = len(header[0]) if header and header[0] else frame.shape[1] + index_columns
    for row in body:
        if len(row) < width:  # csv writes an empty line for a row of one empty cell
            row.extend([""] * (width - len(row)))
    data = TableData(header, body, index_columns, numeric, [None] * width)
    if formats:
        _apply_formats(frame, data, formats, index_columns)
    return data
