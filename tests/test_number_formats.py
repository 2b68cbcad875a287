"""Named number formats ({:auto}, {:compact}, {:percent}) in :formats: and dftable_formats."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from html_tables import dftables
from sphinx.util.console import strip_colors

from sphinx_dftable.table.number_formats import auto_decimals, format_column, parse


@pytest.mark.sphinx("html", testroot="number-formats", freshenv=True)
def test_named_formats_show_readable_numbers_and_keep_raw_values(app) -> None:
    app.build()
    named, _bad, plain = dftables(Path(app.outdir) / "index.html")
    columns = {
        name: [row[c] for row in named.body] for c, name in enumerate(named.header_texts[-1])
    }
    # auto: one precision for the column, from its typical value; thousands separators
    assert [cell.text for cell in columns["Throughput"]] == ["1,235", "98", ""]
    assert [cell.text for cell in columns["TTFT P50 (ms)"]] == ["12.3 ms", "8.5 ms", "103.2 ms"]
    assert [cell.text for cell in columns["Requests"]] == ["1.2k", "56.8k", "3.4M"]  # conf.py
    assert [cell.text for cell in columns["Success"]] == ["98.8%", "100.0%", "50.0%"]
    assert [cell.text for cell in columns["Cost"]] == ["$0.76/h", "$12.98/h", "$1,234.50/h"]
    # the raw values stay for sorting and in the CSV download
    assert [c.attrs["data-sort-value"] for c in columns["Throughput"]] == ["1234.5678", "98.25", ""]
    assert [c.attrs["data-sort-value"] for c in columns["Requests"]] == ["1234", "56789", "3400000"]
    href = Path(app.outdir).glob("_downloads/dftable/*/named.csv")
    rows = list(csv.DictReader(io.StringIO(next(href).read_text(encoding="utf-8"))))
    assert rows[0]["Throughput"] == "1234.5678" and rows[2]["Requests"] == "3400000"
    # opt-in: a table without formats keeps the original's exact text
    assert plain.body_texts == [["a", "1234.5678"]]
    assert "data-sort-value" not in plain.body[0][1].attrs
    page = Path(app.srcdir) / "index.rst"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:20: WARNING: df-table: format for column 'Model' not applied: ValueError:"
        " the {:auto} format takes numbers, not 'a' [dftable.format]"
    ]


def test_auto_decimals() -> None:
    assert auto_decimals([1234.5, 2048.25]) == 0
    assert auto_decimals([12.34, 15.5]) == 1
    assert auto_decimals([1.234, 3.5]) == 2
    assert auto_decimals([0.01234, 0.05]) == 4
    assert auto_decimals([0.000012]) == 4  # at most four
    assert auto_decimals([4096, 8192.0]) == 0  # whole numbers
    assert auto_decimals([0.0, 0.0]) == 0


def test_compact_rounds_into_the_next_unit() -> None:
    values = [0, 5, 999, 999.96, 1234, 12345, 123456, 999_950, -1500, 2.5e9, 7e12, math.inf]
    assert format_column("{:compact}", values) == [
        "0",
        "5",
        "999",
        "1.0k",
        "1.2k",
        "12.3k",
        "123k",
        "1.0M",
        "-1.5k",
        "2.5B",
        "7T",
        "inf",
    ]
    assert format_column("{:.2compact}", [1234]) == ["1.23k"]


def test_text_around_the_field_and_plain_patterns() -> None:
    assert format_column("{{x}} {:auto} tokens/s", [1.5, 2.25]) == [
        "{x} 1.50 tokens/s",
        "{x} 2.25 tokens/s",
    ]
    assert format_column("{:.2percent}", [0.12345, None]) == ["12.35%", ""]
    assert format_column("{:,.2f}", [1.0]) is None  # str.format's own: applied per value
    assert parse("{:.2auto}") is None  # fixed decimals are {:,.2f}
    assert parse("{!r:auto}") is None
    with pytest.raises(ValueError, match="takes numbers"):
        format_column("{:auto}", [True])
