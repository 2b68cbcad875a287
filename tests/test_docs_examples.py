"""The docs' examples are real pages: each reST example and its MyST twin build the same output.

``docs/examples/NAME.rst`` and ``NAME.md`` are what the guides show (with
``literalinclude``), with the CSV files beside them, so what a reader copies is what this
test builds.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from html_tables import dftables
from sphinx.testing.util import SphinxTestApp

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "examples"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.rst"))

CONF = """
extensions = ["sphinx_design", "myst_parser", "sphinx_dftable"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
"""


def build(root: Path, suffix: str) -> Path:
    """The examples of one markup (``.rst`` or ``.md``) and their CSV files, as a project."""
    srcdir = root / "examples"
    srcdir.mkdir()
    for path in [*EXAMPLES.glob("*.csv"), *(EXAMPLES / f"{name}{suffix}" for name in NAMES)]:
        shutil.copy(path, srcdir)
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    toctree = "\n".join(f"   {name}" for name in NAMES)
    (srcdir / "index.rst").write_text(
        f"Examples\n========\n\n.. toctree::\n\n{toctree}\n", encoding="utf-8"
    )
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()  # before the next project registers the extensions again
    assert warnings == ""
    return Path(app.outdir)


@pytest.fixture(scope="module")
def rest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("rest"), ".rst")


@pytest.fixture(scope="module")
def myst(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("myst"), ".md")


def test_every_rest_example_has_a_myst_twin() -> None:
    assert NAMES
    assert sorted(p.stem for p in EXAMPLES.glob("*.md")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_rest_and_myst_build_the_same_tables(rest: Path, myst: Path, name: str) -> None:
    from_rest = dftables(rest / f"{name}.html")
    from_myst = dftables(myst / f"{name}.html")
    assert [t.body_texts for t in from_rest] == [t.body_texts for t in from_myst]
    assert [t.header_texts for t in from_rest] == [t.header_texts for t in from_myst]
    assert [t.caption for t in from_rest] == [t.caption for t in from_myst]


@pytest.mark.parametrize("name", NAMES)
def test_rest_and_myst_draw_the_same_charts(rest: Path, myst: Path, name: str) -> None:
    def charts(outdir: Path) -> list[str]:
        html = (outdir / f"{name}.html").read_text(encoding="utf-8")
        return re.findall(r'<img src="([^"]+)" alt="([^"]+)" class="dftable-chart"', html)

    assert charts(rest) == charts(myst)
    assert len(charts(rest)) == (1 if name == "chart" else 0)


def test_the_examples_show_real_figures(rest: Path) -> None:
    built = rest
    (table,) = dftables(built / "cost-table.html")
    assert table.header_texts[0][-1] == "Cost per 1M tokens (USD)"
    # llmperf at concurrency 1: 16.23 tokens/s on an Inf2.xlarge at 0.7582 USD an hour,
    # the most expensive row, so last in a table sorted by cost.
    assert table.body_texts[-1] == ["llama-3-8b", "Inf2.xlarge", "1", "16.23", "0.7582", "$12.977"]
    low, high = dftables(built / "tabs.html")
    assert [row[2] for row in low.body_texts] == ["1", "2", "4"]
    assert [row[2] for row in high.body_texts] == ["8", "16"]
    assert "Throughput by concurrency" in (built / "chart.html").read_text(encoding="utf-8")
