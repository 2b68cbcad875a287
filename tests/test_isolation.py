"""Snippets do not leak into each other; setup code runs first; execution can be refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_tables import dftables
from sphinx.util.console import strip_colors


@pytest.mark.sphinx("html", testroot="isolation", freshenv=True)
def test_names_and_options_do_not_leak(app) -> None:
    app.build()
    page = Path(app.srcdir) / "index.rst"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:16: WARNING: df-table: NameError: name 'leaked' is not defined [dftable.exec]"
    ]
    first, second = dftables(Path(app.outdir) / "index.html")
    assert first.body_texts == [["2"], ["4"]]  # dftable_setup_code's helper
    assert second.body_texts == [["60"]]  # pandas' default, not the 3 set before


@pytest.mark.sphinx(
    "html", testroot="isolation", freshenv=True, confoverrides={"dftable_execute": False}
)
def test_execute_false_runs_nothing(app) -> None:
    app.build()
    page = Path(app.srcdir) / "index.rst"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:{line}: WARNING: df-table: snippet not run: dftable_execute is False"
        " [dftable.disabled]"
        for line in (4, 10, 14)
    ]
    assert dftables(Path(app.outdir) / "index.html") == []
