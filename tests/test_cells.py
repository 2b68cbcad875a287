"""Cell text equals what ``to_csv(index=False)`` writes, for every kind of value."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from sphinx_dftable.table.cells import table_data


def csv_rows(frame: pd.DataFrame) -> list[list[str]]:
    return list(csv.reader(io.StringIO(frame.to_csv(index=False))))


def test_values_of_every_kind() -> None:
    frame = pd.DataFrame(
        {
            "float": [0.1, 1e-05, 1e20, np.nan, 123456789.123],
            "int": [1, 2, 3, 4, 5],
            "str": ["a,b", 'quote "x"', "line\nbreak", None, ""],
            "bool": [True, False, True, False, True],
            "when": pd.to_datetime(
                ["2023-01-01", None, "2023-01-02 10:00", None, None], format="ISO8601"
            ),
            "delta": pd.to_timedelta([1, 2, 3, 4, 5], unit="s"),
        }
    )
    data = table_data(frame)
    assert data.header_rows + data.body_rows == csv_rows(frame)
    assert data.body_rows[3][0] == ""  # NaN is an empty cell
    assert data.numeric == [True, True, False, False, False, False]


def test_single_column_with_empty_values_keeps_every_row() -> None:
    frame = pd.DataFrame({"x": [np.nan, 1.0, np.nan]})
    data = table_data(frame)
    assert len(data.body_rows) == 3


def test_multiindex_columns_give_a_header_row_per_level() -> None:
    columns = pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "z")])
    data = table_data(pd.DataFrame([[1, 2, 3]], columns=columns))
    assert data.header_rows == [["a", "a", "b"], ["x", "y", "z"]]
    assert data.body_rows == [["1", "2", "3"]]


def test_index_shown_as_leading_columns() -> None:
    frame = pd.DataFrame({"v": [1.5, 2.5]}, index=pd.Index(["r1", "r2"], name="row"))
    data = table_data(frame, show_index=True)
    assert data.index_columns == 1
    assert data.header_rows == [["row", "v"]]
    assert data.body_rows == [["r1", "1.5"], ["r2", "2.5"]]
    assert data.numeric == [False, True]


def test_non_string_column_labels_as_to_csv_writes_them() -> None:
    for columns in ([0, 1.5], [0, 1], [None, "b"], [pd.Timestamp("2024-01-01"), "x"]):
        frame = pd.DataFrame([[1, 2]], columns=columns)
        assert table_data(frame).header_rows == csv_rows(frame)[:1]
