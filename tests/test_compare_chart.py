"""df-chart's :compare: through real builds of a real git repository with a tagged release
and a release folder: the drawing, every builder, -j 2, warnings at their lines, rebuilds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from git_repos import git
from required_tools import latexmk_pdf
from sphinx.util.console import strip_colors

from sphinx_dftable.chart.compare_data import CompareChart, load

UP, DOWN = "\u25b2", "\u25bc"
IMG = re.compile(r'<img src="([^"]+)" alt="([^"]*)" class="dftable-chart"')
TAG_ALT = (
    "Against the tag: comparison chart of Throughput and Latency, git:v1 against current, "
    "one row per Model, Batch: 3 rows compared; Throughput: 1 better, 1 worse, 1 within 2%; "
    "Latency: 1 better, 1 worse, 1 no change to judge; 1 new (new, 8); 1 removed (gone, 1)."
)
FOLDER_ALT = (
    "Against the release folder: comparison chart of Throughput, releases/v1 against "
    "current, one row per Model, Batch: 3 rows compared; 3 within 25%; 1 new (new, 8); "
    "1 removed (gone, 1)."
)


@pytest.fixture
def site(tmp_path: Path, rootdir: Path) -> Path:
    """The root as a repository: tag v1 holds the release's data, HEAD today's."""
    root = tmp_path / "site"
    shutil.copytree(rootdir / "test-compare-chart", root)
    current = (root / "throughput.csv").read_text(encoding="utf-8")
    shutil.copy(root / "releases" / "v1" / "throughput.csv", root / "throughput.csv")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "release 1", date="2026-03-03T12:00:00Z")
    git(root, "tag", "v1")
    (root / "throughput.csv").write_text(current, encoding="utf-8")
    git(root, "commit", "-qam", "new results", date="2026-08-25T12:00:00Z")
    return root


def build(
    make_app: Callable[..., Any], srcdir: Path, builder: str = "html", **kwargs: Any
) -> tuple[Any, list[str]]:
    app = make_app(builder, srcdir=srcdir, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    app.cleanup()
    return app, sorted(read)


def warning_lines(app: Any) -> list[str]:
    return [line for line in strip_colors(app.warning.getvalue()).splitlines() if line.strip()]


def charts(app: Any, page: str = "index") -> list[tuple[Path, str]]:
    """Each chart's wide SVG file and alt text, in page order."""
    html = (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")
    return [(Path(app.outdir) / src, alt) for src, alt in IMG.findall(html)]


def titles(svg: str) -> list[str]:
    return re.findall(r"<title>([^<]*)</title>", svg)


# -- HTML -------------------------------------------------------------------------------


def test_html_draws_both_values_per_row_with_a_title_per_mark(make_app, site: Path) -> None:
    app, _ = build(make_app, site)
    (tagged, tagged_alt), (folder, folder_alt) = charts(app)
    assert (tagged_alt, folder_alt) == (TAG_ALT, FOLDER_ALT)
    assert (
        "Model, Batch: llama, 1\nThroughput\nreleases/v1: 100\ncurrent: 120\n"
        f"change: +20.0% {UP} (within 25%)"
    ) in titles(folder.read_text(encoding="utf-8"))
    svg = tagged.read_text(encoding="utf-8")
    found = titles(svg)
    llama = (
        "Model, Batch: llama, 1\nThroughput\ngit:v1: 100\ncurrent: 120\n"
        f"change: +20.0% {UP} (better)"
    )
    # both ends of the row carry its title: the baseline's marker and the current one
    assert found.count(llama) == 2
    assert (
        found.count(
            f"Model, Batch: llama, 4\nLatency\ngit:v1: 80\ncurrent: 90\nchange: +12.5% {UP} (worse)"
        )
        == 2
    )
    # a figure missing on one side is drawn as missing: one marker, no change, never 0
    assert "Model, Batch: mistral, 1\nLatency\ngit:v1: 40\ncurrent: no figure" in found
    # a new row: the current value alone
    new = "Model, Batch: new, 8\nThroughput\ngit:v1: no figure\ncurrent: 500\nchange: new (new row)"
    assert found.count(new) == 1
    # 3 baseline and 4 current markers of throughput, 3 and 3 of latency
    assert len(found) == 13
    # the verdict colours are the table's (blue better, orange worse, grey within noise)
    for colour in ("#0072b2", "#b04a00", "#6f6f6f"):
        assert f"stroke: {colour}" in svg
    # the legend names both sides; the change is written out beside each row
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert '<p class="dftable-removed">Removed since git:v1: Model gone, Batch 1.</p>' in html
    assert '<p class="dftable-removed">Removed since releases/v1: Model gone, Batch 1.</p>' in html
    # a narrow drawing for small screens, and the values as a table
    assert html.count('<source media="(max-width: 640px)"') == 2
    assert tagged.with_name(tagged.stem + "-narrow.svg").is_file()
    assert (
        f"<tr><td>llama, 1</td><td>Throughput</td><td>100</td><td>120</td><td>+20.0% {UP}</td></tr>"
    ) in html
    assert '<th class="head">git:v1</th><th class="head">current</th>' in html


def test_the_stored_chart_holds_each_change_and_survives_the_round_trip(
    make_app, site: Path
) -> None:
    build(make_app, site)
    chart = load(_stored_chart(site))
    assert isinstance(chart, CompareChart)
    assert chart.baseline == "git:v1"
    assert [m.change for m in chart.panels[0].marks] == [
        f"+20.0% {UP}",
        f"-1.0% {DOWN}",
        f"-25.0% {DOWN}",
        "new",
    ]
    assert [m.verdict for m in chart.panels[1].marks] == ["better", "worse", "unknown", "new"]
    assert chart.removed == ("gone, 1",)
    assert load(chart.to_dict()) == chart  # the round trip through the doctree and workers


def _stored_chart(site: Path) -> dict[str, Any]:
    import pickle

    with (site / "_build" / "doctrees" / "index.doctree").open("rb") as stream:
        doctree = pickle.load(stream)
    from sphinx_dftable.chart.nodes import dftable_chart

    return next(iter(doctree.findall(dftable_chart)))["chart"]


# -- other builders -----------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["text", "man"])
def test_text_and_man_pages_describe_what_is_drawn(make_app, site: Path, builder: str) -> None:
    app, _ = build(make_app, site, builder)
    (page,) = Path(app.outdir).glob("index.txt" if builder == "text" else "*.1")
    text = " ".join(page.read_text(encoding="utf-8").replace("\\-", "-").split())
    assert TAG_ALT in text
    assert FOLDER_ALT in text
    assert "Removed since git:v1: Model gone, Batch 1." in text


@pytest.mark.latexpdf
def test_latex_includes_the_drawings_and_compiles_into_a_pdf(make_app, site: Path) -> None:
    app, _ = build(make_app, site, "latex")
    outdir = Path(app.outdir)
    tex = (outdir / "comparechart.tex").read_text(encoding="utf-8")
    stems = re.findall(r"\\sphinxincludegraphics\{\{(dftable-chart-\w+)\}\.pdf\}", tex)
    assert len(stems) == 4  # two comparisons, and two charts drawn on the errors page
    assert all((outdir / f"{s}.pdf").read_bytes().startswith(b"%PDF") for s in stems)
    assert "Removed since git:v1: Model gone, Batch 1." in tex
    latexmk_pdf(outdir, "comparechart.tex")
    log = (outdir / "comparechart.log").read_text(encoding="latin-1")
    assert set(re.findall(r"<(?:\./)?(dftable-chart-\w+)\.pdf", log)) == set(stems)


# -- determinism ----------------------------------------------------------------------------


def test_serial_and_parallel_builds_draw_the_same_bytes(
    make_app, site: Path, tmp_path: Path
) -> None:
    trees = []
    for parallel in (1, 2):
        app, _ = build(make_app, site, builddir=tmp_path / f"j{parallel}", parallel=parallel)
        outdir = Path(app.outdir)
        trees.append(
            {
                str(p.relative_to(outdir)): p.read_bytes()
                for p in outdir.rglob("*")
                if p.suffix == ".svg" or p.name in ("index.html", "errors.html")
            }
        )
    assert len([name for name in trees[0] if name.endswith(".svg")]) == 8
    assert trees[0] == trees[1]


# -- warnings -------------------------------------------------------------------------------


def test_each_problem_is_one_warning_at_the_line_of_its_option(make_app, site: Path) -> None:
    app, _ = build(make_app, site)
    errors = site / "errors.rst"
    ignored = (
        "does not apply to a comparison chart (:compare: draws one row per key and one panel "
        "per :metrics: column); it is ignored [dftable.chart]"
    )
    assert sorted(warning_lines(app), key=lambda w: int(w.split(":")[1])) == [
        f"{errors}:6: WARNING: df-chart: cannot compare with releases/v1: the keys (Model) do "
        "not name one row in the chart's data: repeated llama; add a column to :keys: "
        "[dftable.compare]",
        f"{errors}:14: WARNING: df-chart: cannot compare with releases/v1: the metric 'Note' is "
        "not numeric in the chart's data (values such as 'fast') [dftable.compare]",
        f"{errors}:22: WARNING: df-chart: cannot compare with releases/v1: the chart's data "
        "has no column 'Tokens' (it has: Model, Batch, Throughput, Latency) [dftable.compare]",
        f"{errors}:29: WARNING: df-chart: :stacked: {ignored}",
        f"{errors}:31: WARNING: df-chart: :facet: {ignored}",
        f"{errors}:36: WARNING: df-chart: :compare: needs :metrics:, the columns to compare, "
        "each with the direction that is better ('Throughput = higher') [dftable.compare]",
        f"{errors}:41: WARNING: df-chart: cannot compare with git:v9: unknown git revision "
        f"'v9' in {site} [dftable.compare]",
        f"{errors}:48: WARNING: df-chart: :keys: has no effect without :compare: [dftable.compare]",
        f"{errors}:57: WARNING: df-chart: no column 'Name' for :x:; the columns are 'Model', "
        "'Batch', 'Throughput', 'Latency' [dftable.chart]",
        f"{errors}:65: WARNING: df-chart: the :x: column 'Model' gives several rows the same "
        "label (llama): name a column with one value per row, or leave out :x: to label the "
        "rows with their keys [dftable.chart]",
    ]
    # what can be drawn still is: the comparison without :stacked:, the plain chart
    assert len(charts(app, "errors")) == 2


MYST_PAGE = """# MyST

```{df-chart} Against the release folder
:compare: releases/v1
:keys: Model, Batch
:metrics: Throughput = higher
:noise: 25%
:size: 6 x 3

df = pd.read_csv('throughput.csv')
```

```{df-chart} Keys that repeat, in MyST
:compare: releases/v1
:keys: Model
:metrics: Throughput = higher

df = pd.read_csv('throughput.csv')
```
"""


def test_a_myst_page_draws_the_same_comparison_and_warns_at_its_lines(make_app, site: Path) -> None:
    conf = site / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'extensions = ["sphinx_dftable"]', 'extensions = ["myst_parser", "sphinx_dftable"]'
        ),
        encoding="utf-8",
    )
    (site / "myst.md").write_text(MYST_PAGE, encoding="utf-8")
    index = site / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "   myst\n", encoding="utf-8")
    app, _ = build(make_app, site)
    myst = site / "myst.md"
    assert [w for w in warning_lines(app) if w.startswith(str(myst))] == [
        f"{myst}:15: WARNING: df-chart: cannot compare with releases/v1: the keys (Model) do "
        "not name one row in the chart's data: repeated llama; add a column to :keys: "
        "[dftable.compare]",
    ]
    # the same chart as the reST page's: the same file, the same text for readers; the
    # chart whose comparison failed is left out, as on a reST page
    ((drawn, alt),) = charts(app, "myst")
    assert (drawn, alt) == (charts(app)[1][0], FOLDER_ALT)
    assert f"change: +20.0% {UP} (within 25%)" in titles(drawn.read_text(encoding="utf-8"))[0]
    html = (Path(app.outdir) / "myst.html").read_text(encoding="utf-8")
    assert html.count('<source media="(max-width: 640px)"') == 1


# -- rebuilds -------------------------------------------------------------------------------


def edit(path: Path, text: str) -> None:
    time.sleep(0.01)  # a modification time clearly after the last build's reads
    path.write_text(text, encoding="utf-8")


def test_new_current_figures_redraw_the_chart_and_a_tag_never_does(make_app, site: Path) -> None:
    _, read = build(make_app, site)
    assert read == ["errors", "index"]
    app, read = build(make_app, site)
    assert read == []  # a tag does not move
    before = charts(app)[0][0]
    edit(site / "throughput.csv", "Model,Batch,Throughput,Latency\nllama,1,150,45\n")
    app, read = build(make_app, site)
    assert read == ["errors", "index"]
    (after, alt), _ = charts(app)
    assert after != before
    assert "1 row compared; Throughput: 1 better; Latency: 1 better; 3 removed" in alt
    assert "change: +50.0% \u25b2 (better)" in after.read_text(encoding="utf-8")


def test_a_branch_baseline_redraws_when_the_branch_moves(make_app, site: Path) -> None:
    git(site, "branch", "release", "v1")
    (site / "index.rst").write_text(
        "Index\n=====\n\n"
        ".. df-chart:: Against a branch\n"
        "   :compare: git:release\n"
        "   :keys: Model, Batch\n"
        "   :metrics: Throughput = higher\n\n"
        "   df = pd.read_csv('throughput.csv')\n",
        encoding="utf-8",
    )
    build(make_app, site)
    _, read = build(make_app, site)
    assert read == []
    git(site, "branch", "-f", "release", "HEAD")
    app, read = build(make_app, site)
    assert read == ["index"]
    (_, alt), *_ = charts(app)
    assert alt.endswith("one row per Model, Batch: 4 rows compared; 4 within 2%.")


SCRIPT = """
import json, sys
from sphinx_dftable.chart.compare_data import load
from sphinx_dftable.chart.draw import render
chart = load(json.loads(sys.stdin.read()))
sys.stdout.buffer.write(render(chart, sys.argv[1]) + render(chart, sys.argv[1], "narrow"))
"""


@pytest.mark.parametrize("image_format", ["svg", "pdf"])
def test_files_are_byte_identical_across_processes(make_app, site: Path, image_format: str) -> None:
    build(make_app, site, "text")
    stored = json.dumps(_stored_chart(site))
    outputs = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        environment.pop("SOURCE_DATE_EPOCH", None)
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, image_format],
            input=stored.encode("utf-8"),
            env=environment,
            capture_output=True,
            check=True,
        )
        outputs.add(done.stdout)
    (data,) = outputs
    assert data.startswith(b"%PDF" if image_format == "pdf" else b"<?xml")
