""":highlight: and :color-scale: without a baseline: the best value of each group in bold
with a star, a single-hue scale by the metric's direction, in real builds."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from html_tables import dftables
from required_tools import latexmk_pdf
from sphinx.util.console import strip_colors

from sphinx_dftable.comparison.changes import ComparisonError
from sphinx_dftable.comparison.highlight import best_cells, scale_levels
from sphinx_dftable.comparison.spec import Direction, Metric

STAR = "\u2605"
HIGHER = Metric("Throughput", Direction.HIGHER)
LOWER = Metric("Latency", Direction.LOWER)
FRAME = pd.DataFrame(
    {
        "Mode": ["serving", "serving", "serving", "latency", "latency", "solo"],
        "Throughput": [426.2, 177.0, 177.0, 38.5, 20.1, 1.0],
        "Latency": [59.1, 123.8, 119.2, 24.5, None, 1.0],
    }
)


def test_best_per_group_follows_the_direction_ties_and_gaps() -> None:
    best = best_cells(FRAME, [HIGHER, LOWER], ["Mode"])
    # the one-row group "solo" has no best; a missing figure is never best
    assert best["Throughput"] == [True, False, False, True, False, False]
    assert best["Latency"] == [True, False, False, True, False, False]
    whole = best_cells(FRAME, [Metric("Throughput", Direction.LOWER)], None)
    assert whole["Throughput"] == [False, False, False, False, False, True]
    ties = best_cells(FRAME.iloc[1:3], [HIGHER], None)
    assert ties["Throughput"] == [True, True]


def test_best_cells_name_the_option_to_fix() -> None:
    with pytest.raises(ComparisonError, match="no column 'Size' to group by") as raised:
        best_cells(FRAME, [HIGHER], ["Size"])
    assert raised.value.option == "highlight"
    with pytest.raises(ComparisonError, match="not numeric") as raised:
        best_cells(FRAME, [Metric("Mode", Direction.HIGHER)], None)
    assert raised.value.option == "metrics"


def test_scale_levels_are_stronger_where_better() -> None:
    assert scale_levels(FRAME, HIGHER) == [5, 3, 3, 1, 1, 1]
    assert scale_levels(FRAME, LOWER) == [3, 1, 1, 5, None, 5]
    assert scale_levels(FRAME.iloc[:1], HIGHER) == [5]


@pytest.fixture
def project(tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "highlight"
    shutil.copytree(rootdir / "test-compare-highlight", srcdir)
    return srcdir


def build(make_app: Any, srcdir: Path, builder: str) -> Any:
    app = make_app(builder, srcdir=srcdir)
    app.build()
    app.cleanup()
    return app


def test_html_marks_the_best_and_scales_the_colour(make_app, project: Path) -> None:
    app = build(make_app, project, "html")
    per_mode, whole = dftables(Path(app.outdir) / "index.html")
    best = per_mode.body[0][2]
    assert best.attrs["class"] == "dftable-best"
    assert best.text == f"426.2 {STAR}"  # formatted as without :highlight:
    assert best.html.startswith("<p><strong>426.2</strong>")
    assert best.attrs["data-sort-value"] == "426.2"
    assert per_mode.body[1][2].attrs == {"data-sort-value": "177.0"}  # formats keep the key
    assert per_mode.body[5][2].attrs == {"data-sort-value": "1.0"}  # one row: no best
    latency = [row[3].attrs.get("class") for row in per_mode.body]
    assert latency == [
        "dftable-best dftable-scale-3",
        "dftable-scale-1",
        "dftable-scale-1",
        "dftable-best dftable-scale-5",
        None,  # a missing figure gets no colour
        "dftable-scale-5",
    ]
    assert [row[3].attrs.get("class") == "dftable-best" for row in whole.body] == [
        False,
        False,
        False,
        False,
        False,
        True,
    ]


def test_text_keeps_the_marker_and_latex_colours_the_cells(make_app, project: Path) -> None:
    app = build(make_app, project, "text")
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert f"| **426.2** {STAR} |" in text
    assert "dftable-scale" not in text and "cellcolor" not in text
    app = build(make_app, project, "latex")
    tex = (Path(app.outdir) / "highlight.tex").read_text(encoding="utf-8")
    assert r"\sphinxstylestrong{426.2}~\(\bigstar\)" in tex
    assert r"\cellcolor[HTML]{C6DBEF}\sphinxstylestrong{59.1}~\(\bigstar\)" in tex
    assert STAR not in tex
    latexmk_pdf(Path(app.outdir), "highlight.tex")


def test_highlight_warnings_are_at_their_option(make_app, project: Path) -> None:
    app = build(make_app, project, "html")
    errors = project / "errors.rst"
    lines = [line for line in strip_colors(app.warning.getvalue()).splitlines() if line]
    assert lines == [
        f"{errors}:5: WARNING: df-table: :highlight: needs :metrics:, the columns to compare, "
        "each with the direction that is better ('Throughput = higher') [dftable.compare]",
        f"{errors}:11: WARNING: df-table: no colour scale for 'Latency': it is not one of the "
        ":metrics: (Throughput) [dftable.compare]",
        f"{errors}:16: WARNING: df-table: :metrics: is used by :compare:, :highlight: and "
        ":color-scale:; none is given [dftable.compare]",
        f"{errors}:22: WARNING: df-table: the table has no column 'Speed' (it has: Mode, "
        "Config, Throughput, Latency) [dftable.compare]",
    ]
    tables = dftables(Path(app.outdir) / "errors.html")
    assert len(tables) == 4  # every table is shown
    # the scale that could be made still is
    assert tables[1].body[0][2].attrs["class"] == "dftable-scale-5"
