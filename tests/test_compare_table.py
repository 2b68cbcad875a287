"""df-table's :compare: through real builds of a real git repository with a tagged release:
changes, new and removed rows in every builder, warnings at their lines, rebuilds."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from git_repos import git
from html_tables import dftables
from required_tools import latexmk_pdf
from sphinx.util.console import strip_colors

UP, DOWN, NBSP = "\u25b2", "\u25bc", "\u00a0"


@pytest.fixture
def site(tmp_path: Path, rootdir: Path) -> Path:
    """The compare root as a repository: tag v1 holds the release's data, HEAD today's."""
    root = tmp_path / "site"
    shutil.copytree(rootdir / "test-compare", root)
    current = (root / "throughput.csv").read_text(encoding="utf-8")
    added = root / "added.csv"
    added_text = added.read_text(encoding="utf-8")
    added.unlink()  # added after the release
    shutil.copy(root / "releases" / "v1" / "throughput.csv", root / "throughput.csv")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "release 1")
    git(root, "tag", "v1")
    (root / "throughput.csv").write_text(current, encoding="utf-8")
    added.write_text(added_text, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "new results")
    return root


def build(
    make_app: Callable[..., Any], srcdir: Path, builder: str = "html", **kwargs: Any
) -> tuple[Any, list[str]]:
    app = make_app(builder, srcdir=srcdir, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    app.cleanup()  # the next build in a test registers the extension again
    return app, sorted(read)


def warning_lines(app: Any) -> list[str]:
    return [line for line in strip_colors(app.warning.getvalue()).splitlines() if line.strip()]


def short(site: Path, rev: str = "v1") -> str:
    return git(site, "rev-parse", f"{rev}^{{commit}}")[:10]


# -- HTML -------------------------------------------------------------------------------


def test_html_shows_each_change_beside_the_value_as_formatted(make_app, site: Path) -> None:
    app, _ = build(make_app, site)
    page = Path(app.outdir) / "index.html"
    html = page.read_text(encoding="utf-8")
    tagged, folder, _best = dftables(page)
    # The value exactly as without :compare: (:formats: applies), then the change.
    assert [c.text for c in tagged.body[0]] == [
        "llama",
        "1",
        f"120.0 +20.0%{NBSP}{UP}",
        f"45.0 -10.0%{NBSP}{DOWN}",
        "a",
    ]
    throughput = tagged.body[0][2]
    assert throughput.attrs["class"] == "dftable-better"
    assert throughput.attrs["data-dftable-change"] == "20"
    assert throughput.attrs["data-sort-value"] == "120"  # sorting reads the raw value
    assert '<span class="dftable-change" title="was 100 at git:v1">' in throughput.html
    assert tagged.body[1][2].attrs["class"] == "dftable-neutral"  # -1% is within 2%
    assert tagged.body[1][3].attrs["class"] == "dftable-worse"  # latency rose 12.5%
    assert tagged.body[1][3].attrs["data-dftable-change"] == "12.5"
    # a figure missing on one side is no change: no class, no text, never 0%
    assert tagged.body[2][3].attrs == {}
    assert tagged.body[2][3].text == ""
    # a row that is new: a word in its first cell, and a class
    new = tagged.body[3][0]
    assert new.attrs["class"] == "dftable-new"
    assert new.text == "new new"
    assert '<span class="dftable-new-label">new</span>' in new.html
    assert "data-dftable-change" not in tagged.body[3][2].attrs
    # the compared metrics' headers, for the sorting script
    header_classes = [c.attrs.get("class", "") for c in tagged.head[0]]
    assert ["dftable-compare-metric" in c for c in header_classes] == [
        False,
        False,
        True,
        True,
        False,
    ]
    summary = (
        f"Compared with git:v1 ({short(site)}): 2 better, 2 worse, 1 within 2%, "
        "1 without a figure to compare, 1 new, 1 removed."
    )
    assert f'<p class="dftable-compare-summary">{summary}</p>' in html
    assert '<p class="dftable-removed">Removed since git:v1: Model gone, Batch 1.</p>' in html
    assert html.index(summary) < html.index("Against the tag") < html.index("Removed since")
    # a release folder, with the noise given: every change within 25% is neutral
    classes = {c.attrs.get("class") for row in folder.body for c in row[2:4]}
    assert classes == {"dftable-neutral", None}
    assert "Compared with releases/v1: 0 better, 0 worse, 5 within 25%" in html
    # the download keeps the raw current values
    (csv,) = (Path(app.outdir) / "_downloads").rglob("throughput.csv")
    assert csv.read_text(encoding="utf-8").splitlines()[1:3] == [
        "llama,1,120,45.0,a",
        "llama,4,297,90.0,b",
    ]


def test_each_problem_is_one_warning_at_the_line_of_its_option(make_app, site: Path) -> None:
    app, _ = build(make_app, site)
    errors, myst = site / "errors.rst", site / "myst.md"
    repeated = "the keys (Model) do not name one row in the table: repeated llama; add a column"
    assert warning_lines(app) == [
        f"{errors}:5: WARNING: df-table: cannot compare with git:v9: unknown git revision "
        f"'v9' in {site} [dftable.compare]",
        f"{errors}:12: WARNING: df-table: cannot compare with git:v1: added.csv does not "
        f"exist at git:v1 (commit {short(site)}) [dftable.compare]",
        f"{errors}:18: WARNING: df-table: cannot compare with git:v1: {repeated} to :keys: "
        "[dftable.compare]",
        f"{errors}:26: WARNING: df-table: the metric 'Note' is not numeric in the table "
        "(values such as 'a', 'b', 'c') [dftable.compare]",
        f"{errors}:33: WARNING: df-table: :compare: needs :metrics:, the columns to compare, "
        "each with the direction that is better ('Throughput = higher') [dftable.compare]",
        f"{errors}:39: WARNING: df-table: the table has no column 'Size' to group by (it has: "
        "Model, Batch, Throughput, Latency, Note) [dftable.compare]",
        f"{errors}:40: WARNING: df-table: no colour scale for 'Latency': it is not one of the "
        ":metrics: (Throughput) [dftable.compare]",
        f"{myst}:6: WARNING: df-table: cannot compare with git:v1: {repeated} to :keys: "
        "[dftable.compare]",
    ]
    # each table is still shown, without the comparison
    tables = dftables(Path(app.outdir) / "errors.html")
    assert len(tables) == 6
    assert all("data-dftable-change" not in c.attrs for t in tables for r in t.body for c in r)


def test_a_shallow_clone_says_how_to_fetch_the_history(
    make_app, site: Path, tmp_path: Path
) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{site}", str(shallow)],
        check=True,
        capture_output=True,
    )
    app, _ = build(make_app, shallow)
    index = shallow / "index.rst"
    lines = [line for line in warning_lines(app) if line.startswith(f"{index}:")]
    assert lines == [
        f"{index}:5: WARNING: df-table: cannot compare with git:v1: unknown git revision 'v1' "
        f"in {shallow}; this is a shallow clone without that history: fetch it with "
        "'git fetch --unshallow --tags' (on Read the Docs, add it to build.jobs.post_checkout "
        "in .readthedocs.yaml) [dftable.compare]"
    ]
    # the release folder needs no history
    assert "Compared with releases/v1" in (Path(app.outdir) / "index.html").read_text("utf-8")


def test_words_among_a_baselines_figures_are_blamed_on_the_metric(make_app, site: Path) -> None:
    (site / "index.rst").write_text(
        "Index\n=====\n\n"
        ".. df-table:: Words in the release's figures\n"
        "   :compare: releases/v1\n"
        "   :keys: Model, Batch\n"
        "   :metrics: Throughput = higher\n\n"
        "   df = pd.read_csv('throughput.csv')\n",
        encoding="utf-8",
    )
    (site / "releases" / "v1" / "throughput.csv").write_text(
        "Model,Batch,Throughput\nllama,1,fast\n", encoding="utf-8"
    )
    app, _ = build(make_app, site)
    index = site / "index.rst"
    assert [line for line in warning_lines(app) if line.startswith(str(index))] == [
        f"{index}:7: WARNING: df-table: cannot compare with releases/v1: the "
        "metric 'Throughput' is not numeric in the baseline (values such as 'fast') "
        "[dftable.compare]"
    ]


# -- other builders ---------------------------------------------------------------------


def test_text_and_man_pages_show_signs_and_arrows(make_app, site: Path) -> None:
    app, _ = build(make_app, site, "text")
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    # the columns are wide enough for the change: one line per row
    assert f"| 120.0  +20.0%{NBSP}{UP} | 45.0  -10.0%{NBSP}{DOWN} |" in text
    assert "| [new] new |" in text
    assert "Removed since git:v1: Model gone, Batch 1." in text
    assert f"Compared with git:v1 ({short(site)}): 2 better," in text
    app, _ = build(make_app, site, "man")
    (page,) = Path(app.outdir).glob("*.1")
    roff = page.read_text(encoding="utf-8")
    assert f"120.0  +20.0%\\ {UP}" in roff
    assert f"45.0  \\-10.0%\\ {DOWN}" in roff
    assert "[new] new" in roff


def test_latex_colours_the_change_and_typesets_the_arrows(make_app, site: Path) -> None:
    app, _ = build(make_app, site, "latex")
    tex = (Path(app.outdir) / "compare.tex").read_text(encoding="utf-8")
    assert r"120.0\quad\textcolor[HTML]{0072B2}{+20.0\%~\(\blacktriangle\)}" in tex
    assert r"90.0\quad\textcolor[HTML]{D55E00}{+12.5\%~\(\blacktriangle\)}" in tex
    assert r"297.0\quad\textcolor[HTML]{595959}{\(-\)1.0\%~\(\blacktriangledown\)}" in tex
    assert UP not in tex and DOWN not in tex and "\u2605" not in tex  # pdflatex has no glyph
    assert "{[}new{]} }new" in tex  # the label, brackets escaped
    assert "Removed since git:v1: Model gone, Batch 1." in tex
    latexmk_pdf(Path(app.outdir), "compare.tex")


def test_parallel_build_equals_serial_build(make_app, site: Path, tmp_path: Path) -> None:
    serial, _ = build(make_app, site, builddir=tmp_path / "serial")
    parallel, _ = build(make_app, site, builddir=tmp_path / "parallel", parallel=2)
    for page in ("index.html", "errors.html", "myst.html"):
        one = (Path(serial.outdir) / page).read_text(encoding="utf-8")
        two = (Path(parallel.outdir) / page).read_text(encoding="utf-8")
        assert one == two, page
    assert "dftable-better" in (Path(parallel.outdir) / "index.html").read_text("utf-8")
    # the workers' notes of git baselines reach the main process
    notes = parallel.env.dftable_git_baselines
    assert {(name, commit) for _root, name, commit in notes["index"]} == {
        ("v1", git(site, "rev-parse", "v1^{commit}"))
    }


# -- rebuilds ---------------------------------------------------------------------------


def edit(path: Path, text: str) -> None:
    time.sleep(0.01)  # a modification time clearly after the last build's reads
    path.write_text(text, encoding="utf-8")


def test_a_tag_baseline_never_rereads_and_current_files_do(make_app, site: Path) -> None:
    _, read = build(make_app, site)
    assert read == ["errors", "index", "myst"]
    _, read = build(make_app, site)
    assert read == []  # a tag does not move
    edit(site / "throughput.csv", "Model,Batch,Throughput,Latency,Note\nllama,1,150,45,a\n")
    app, read = build(make_app, site)
    assert read == ["errors", "index", "myst"]
    tagged = dftables(Path(app.outdir) / "index.html")[0]
    assert tagged.body[0][2].attrs["data-dftable-change"] == "50"
    # the release folder's files are dependencies too
    edit(site / "releases" / "v1" / "throughput.csv", "Model,Batch,Throughput,Latency\n")
    _, read = build(make_app, site)
    assert read == ["index"]


def test_a_branch_baseline_rereads_its_page_when_the_branch_moves(make_app, site: Path) -> None:
    git(site, "branch", "release", "v1")
    (site / "index.rst").write_text(
        "Index\n=====\n\n"
        ".. df-table:: Against a branch\n"
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
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert (
        f"Compared with git:release ({short(site, 'HEAD')}): 0 better, 0 worse, 4 within 2%."
        in html
    )
