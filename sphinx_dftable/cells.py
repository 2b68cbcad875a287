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


@dataclass
class TableData:
    """The text of a table: header rows, body rows, and per-column facts."""

    header_rows: list[list[str]]
    body_rows: list[list[str]]
    #: Leading columns that hold the index (shown as stub columns).
    index_columns: int = 0
    #: Per column: True when its values are numbers (for numeric sorting).
    numeric: list[bool] = field(default_factory=list)

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


def table_data(frame: pd.DataFrame, *, show_index: bool = False) -> TableData:
    """The cell texts of ``frame``; with ``show_index`` the index levels come first."""
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
    return TableData(header, body, index_columns, numeric)
