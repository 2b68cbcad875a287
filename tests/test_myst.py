"""df-table in MyST Markdown pages: same cells, same markup rules, exact error lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_tables import dftables
from sphinx.util.console import strip_colors


@pytest.mark.sphinx("html", testroot="myst", freshenv=True)
def test_myst_page(app) -> None:
    app.build()
    page = Path(app.srcdir) / "index.md"
    warnings = strip_colors(app.warning.getvalue()).splitlines()
    columns = "The columns are: 'Model', 'Scripts', 'Throughput'"
    assert warnings == [
        f"{page}:15: WARNING: df-table: KeyError: 'Nope' — no such column. {columns}"
        " [dftable.exec]",
        f"{page}:25: WARNING: df-table: KeyError: 'Nope' — no such column. {columns}"
        " [dftable.exec]",
    ]
    html_path = Path(app.outdir) / "index.html"
    (table,) = dftables(html_path)
    assert table.caption.strip().rstrip("¶") == "MyST table"
    assert table.header_texts == [["Model", "Scripts", "Throughput"]]
    assert [row[0].text for row in table.body] == ["m3", "m2", "m1"]
    assert [row[2].text for row in table.body] == ["30.0", "20.0", "10.5"]
    scripts = [row[1].html for row in table.body]
    # reST inline markup in cells renders as markup in MyST pages too
    assert scripts == [
        "<p>bert_</p>",
        "<p><em>fast</em></p>",
        '<p><a class="reference external" href="https://example.org/m1">docs</a></p>',
    ]
    assert "Text after the tables." in html_path.read_text(encoding="utf-8")
