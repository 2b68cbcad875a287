"""csv-table's presentation options and df-table's own options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from html_tables import Table, dftables


@pytest.fixture
def built(app) -> list[Table]:
    app.build()
    assert app.warning.getvalue() == ""
    return dftables(Path(app.outdir) / "index.html")


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_title_name_class_width_align_stubs(app, built: list[Table]) -> None:
    table = built[0]
    assert table.caption.rstrip("¶") == "Table 1 Results by model"
    assert table.attrs["id"] == "results-table"
    assert table.attrs["class"] == "dftable my-table striped docutils align-center"
    assert table.attrs["style"] == "width: 80%"
    assert [c.tag for c in table.body[0]] == ["th", "td", "td"]
    assert table.body[0][0].attrs["class"] == "stub"
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<col style="width: 20.0%" />\s*<col style="width: 50.0%" />', html)
    assert html.count("<colgroup>") == 1  # only where :widths: gives them
    assert '<span class="std std-numref">Table 1</span>' in html
    assert '<span class="std std-ref">Results by model</span>' in html


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_df_var_and_the_original_alias(built: list[Table]) -> None:
    assert built[1].body_texts == [["alpha", "Inf2.xlarge", "100.5"]]
    assert built[2].body_texts == [["gamma", "Inf2.xlarge", "640.25"]]


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_header_rows_zero_puts_the_columns_in_the_body(built: list[Table]) -> None:
    assert built[3].head == []
    assert built[3].body_texts == [
        ["Model", "Inst. Type", "Throughput"],
        ["alpha", "Inf2.xlarge", "100.5"],
    ]


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_index_is_shown_as_stub_columns(built: list[Table]) -> None:
    table = built[4]
    assert table.header_texts == [["Inst. Type", "Model", "Throughput"]]
    assert table.body_texts[0] == ["Inf2.48xlarge", "beta", "2000.0"]
    assert [c.tag for c in table.body[0]] == ["th", "th", "td"]


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_multiindex_columns_give_one_header_row_per_level(built: list[Table]) -> None:
    assert built[5].header_texts == [
        ["Model", "Throughput", "Throughput"],
        ["", "Inf2.48xlarge", "Inf2.xlarge"],
    ]
    assert built[5].body_texts[0] == ["alpha", "", "100.5"]


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_snippet_file_with_params_from_option_and_body(built: list[Table]) -> None:
    assert built[6].body_texts == [
        ["gamma", "Inf2.xlarge", "640.25"],
        ["alpha", "Inf2.xlarge", "100.5"],
    ]


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_series_becomes_one_column(built: list[Table]) -> None:
    assert built[7].header_texts == [["Throughput"]]
    assert built[7].body_texts == [["100.5"], ["2000.0"], ["640.25"]]


@pytest.mark.sphinx("html", testroot="options", freshenv=True)
def test_markup_in_header_and_cells_nan_is_empty(built: list[Table]) -> None:
    table = built[8]
    assert table.head[0][0].html == "<p><em>Header</em> markup</p>"
    assert table.body[0][0].html.startswith("<p><code")
    assert table.body[0][1].html == ""


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (":params: 1", "not keyword arguments"),
        (":params: x=open('f')", "is not a Python literal"),
        (":df-var: not an identifier", "is not a Python identifier"),
        (":widths: 1 2", "widths do not match the number of columns"),
    ],
)
def test_bad_options_are_reported(make_app, tmp_path: Path, option: str, message: str) -> None:
    srcdir = tmp_path / "bad"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_dftable"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text(
        f"Bad\n===\n\n.. df-table::\n   {option}\n\n   df = pd.DataFrame({{'a': [1]}})\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    warnings = app.warning.getvalue()
    assert f"{srcdir / 'index.rst'}:4:" in warnings
    assert message in warnings
