"""Display formats at render time, numeric sort keys, price warnings and CSV downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from html_tables import dftables
from sphinx.util.console import strip_colors


@pytest.mark.sphinx("html", testroot="formats", freshenv=True)
def test_cost_column_sorts_as_numbers_and_shows_as_money(app) -> None:
    app.build()
    costs, _ = dftables(Path(app.outdir) / "index.html")
    assert [row[0] for row in costs.body_texts] == ["a", "c", "b", "d"]  # sorted by number
    assert [row[4].text for row in costs.body] == ["$13.007", "$844.444", "$2,403.704", ""]
    # the unformatted value rides along for the browser's numeric sort
    assert [row[4].attrs["data-sort-value"] for row in costs.body] == [
        "13.0074621756692",
        "844.4444444444445",
        "2403.703703703704",
        "",
    ]
    # dftable_formats from conf.py applies to every table
    assert [row[2].text for row in costs.body] == ["16.2", "0.2", "1.5", "2,000.0"]
    numeric = [("dftable-numeric" in (c.attrs["class"] or "")) for c in costs.head[-1]]
    assert numeric == [False, False, True, True, True]


@pytest.mark.sphinx("html", testroot="formats", freshenv=True)
def test_missing_price_and_bad_formats_warn(app) -> None:
    app.build()
    page = Path(app.srcdir) / "index.rst"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:10: WARNING: df-table: DataWarning: no price for Inst. Type Trn1.32xlarge:"
        " cost left empty [dftable.data]",
        f"{page}:14: WARNING: df-table: format for column 'Missing column' not applied:"
        " no such column [dftable.format]",
        f"{page}:14: WARNING: df-table: format for column 'Model' not applied: ValueError:"
        " Unknown format code 'f' for object of type 'str' [dftable.format]",
    ]


@pytest.mark.sphinx("html", testroot="formats", freshenv=True)
def test_download_writes_the_data_as_csv(app) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    start = html.index('<p class="dftable-download">')
    href = html[html.index('href="', start) + 6 : html.index('"', html.index('href="', start) + 6)]
    assert href.endswith("/costs.csv")
    rows = list(csv.reader(io.StringIO((Path(app.outdir) / href).read_text(encoding="utf-8"))))
    assert rows[0][-1] == "Cost per 1M tokens"
    assert rows[1] == ["a", "Inf2.xlarge", "16.23", "0.76", "13.0074621756692"]  # raw, unformatted


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_download_is_html_only(make_app, rootdir: Path, tmp_path: Path, builder: str) -> None:
    import shutil

    srcdir = tmp_path / "formats"
    shutil.copytree(rootdir / "test-formats", srcdir)
    app = make_app(builder, srcdir=srcdir)
    app.build()
    outputs = "".join(p.read_text(encoding="utf-8") for p in Path(app.outdir).glob("*.t*x*"))
    assert "$13.007" in outputs.replace("\\$", "$")
    assert "Download the data" not in outputs
    assert not (Path(app.outdir) / "_downloads").exists()
