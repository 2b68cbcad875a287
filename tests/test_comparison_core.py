"""The comparison core: its option texts, row matching and verdicts, and earlier files
read from a real git repository or a release directory by a real snippet run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from git_repos import git

from sphinx_dftable.comparison.baseline import Baseline, BaselineError
from sphinx_dftable.comparison.changes import ComparisonError, Verdict, compare_frames
from sphinx_dftable.comparison.git import GitError, last_change, resolve
from sphinx_dftable.comparison.spec import (
    Direction,
    Metric,
    parse_baseline,
    parse_keys,
    parse_metrics,
    parse_noise,
)
from sphinx_dftable.snippet.execute import CodePart, SnippetError, SnippetRunner

HIGHER = Metric("Throughput", Direction.HIGHER)
LOWER = Metric("Latency", Direction.LOWER)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A docs repository whose data file changed after the tag v1."""
    root = tmp_path / "site"
    (root / "docs" / "perf").mkdir(parents=True)
    git(root, "init", "-q")
    data = root / "docs" / "perf" / "throughput.csv"
    data.write_text("Model,Batch,Throughput\nllama,1,100\nllama,4,300\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first results")
    git(root, "tag", "v1")
    data.write_text("Model,Batch,Throughput\nllama,1,120\nllama,8,500\n", encoding="utf-8")
    git(root, "commit", "-qam", "new results")
    return root


# -- option texts -------------------------------------------------------------------------


def test_metrics_keep_commas_inside_names_and_accept_lines() -> None:
    assert parse_metrics("Throughput (tokens/second) = higher, Latency P50 (ms) = lower") == (
        Metric("Throughput (tokens/second)", Direction.HIGHER),
        Metric("Latency P50 (ms)", Direction.LOWER),
    )
    assert parse_metrics("Cost, USD = lower\nTPS = higher")[0].column == "Cost, USD"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Throughput", "expected 'Column = higher'"),
        ("Throughput = faster", "expected 'Column = higher'"),
        ("A = higher, A = lower", "given twice"),
        ("", "at least one"),
    ],
)
def test_bad_metrics_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_metrics(text)


def test_noise_keys_and_baseline_texts() -> None:
    assert parse_noise("2%") == 2.0
    assert parse_noise(" 0.5 % ") == 0.5
    for bad in ("two", "-1%", "nan"):
        with pytest.raises(ValueError, match="percentage"):
            parse_noise(bad)
    assert parse_keys("Model, Inst. Type") == ("Model", "Inst. Type")
    with pytest.raises(ValueError, match="twice"):
        parse_keys("Model, Model")
    assert parse_baseline("git:v2.20").kind == "git"
    assert parse_baseline("releases/2.20/").kind == "directory"
    for bad in ("git:", "git:--all", "git:a b"):
        with pytest.raises(ValueError, match="revision"):
            parse_baseline(bad)


# -- matching and verdicts ----------------------------------------------------------------


def test_changes_follow_the_direction_and_the_noise() -> None:
    now = pd.DataFrame(
        {
            "Model": ["a", "b", "c", "d"],
            "Throughput": [110.0, 90.0, 101.0, 50.0],
            "Latency": [10.0, 12.0, 9.0, 5.0],
        }
    )
    before = pd.DataFrame(
        {
            "Model": ["a", "b", "c", "e"],
            "Throughput": [100.0, 100.0, 100.0, 1.0],
            "Latency": [12.0, 10.0, 9.0, 1.0],
        }
    )
    result = compare_frames(now, before, [HIGHER, LOWER], noise=2.0)
    assert result.keys == ("Model",)
    throughput = result.changes["Throughput"]
    assert [c.verdict if c else None for c in throughput] == [
        Verdict.BETTER,
        Verdict.WORSE,
        Verdict.NEUTRAL,
        None,
    ]
    assert throughput[0] is not None
    assert throughput[0].text() == "+10.0% \u25b2"
    latency = result.changes["Latency"]
    assert [c.verdict if c else None for c in latency][:2] == [Verdict.BETTER, Verdict.WORSE]
    assert latency[1] is not None
    assert latency[1].text() == "+20.0% \u25b2"
    assert latency[2] is not None
    assert latency[2].text() == "0.0% ="
    assert result.new_rows == [3]
    assert result.removed["Model"].tolist() == ["e"]


def test_a_missing_figure_or_a_zero_baseline_is_no_change_never_zero() -> None:
    now = pd.DataFrame({"Model": ["a", "b", "c"], "Throughput": [1.0, None, 5.0]})
    before = pd.DataFrame({"Model": ["a", "b", "c"], "Throughput": [None, 2.0, 0.0]})
    changes = compare_frames(now, before, [HIGHER]).changes["Throughput"]
    assert all(c is not None and c.verdict is Verdict.UNKNOWN for c in changes)
    assert all(c is not None and c.text() == "" for c in changes)


def test_keys_match_as_text_so_a_gap_does_not_split_a_key() -> None:
    # A column with an empty cell is read as floats: 8 becomes 8.0 on one side only.
    now = pd.DataFrame({"Batch": ["8", "16"], "Throughput": [2.0, 4.0]})
    before = pd.DataFrame({"Batch": [8.0, None], "Throughput": [1.0, 1.0]})
    result = compare_frames(now, before, [HIGHER], keys=["Batch"])
    assert result.matches == [0, None]


@pytest.mark.parametrize(
    ("now", "before", "keys", "option", "message"),
    [
        (
            {"M": ["a", "a"], "Throughput": [1, 2]},
            {"M": ["a"], "Throughput": [1]},
            None,
            "keys",
            "do not name one row in the table: repeated a",
        ),
        (
            {"M": ["a"], "Throughput": [1]},
            {"M": ["a", "a"], "Throughput": [1, 2]},
            None,
            "keys",
            "in the baseline",
        ),
        (
            {"M": ["a"], "Throughput": ["fast"]},
            {"M": ["a"], "Throughput": [1]},
            ["M"],
            "metrics",
            "not numeric in the table",
        ),
        (
            {"M": ["a"], "Throughput": [1]},
            {"M": ["a"], "Throughput": ["n/a"]},
            None,
            "metrics",
            "not numeric in the baseline",
        ),
        (
            {"M": ["a"], "Throughput": [1]},
            {"N": ["a"], "Throughput": [1]},
            None,
            "keys",
            "the baseline has no column 'M'",
        ),
        (
            {"M": ["a"], "Speed": [1]},
            {"M": ["a"], "Speed": [1]},
            None,
            "metrics",
            "the table has no column 'Throughput'",
        ),
        (
            {"A": [1], "Throughput": [1]},
            {"A": [1], "Throughput": [1]},
            None,
            "keys",
            "no non-numeric column",
        ),
    ],
)
def test_comparisons_that_cannot_be_made_name_the_option_to_fix(
    now: dict[str, list[object]],
    before: dict[str, list[object]],
    keys: list[str] | None,
    option: str,
    message: str,
) -> None:
    with pytest.raises(ComparisonError, match=message) as raised:
        compare_frames(pd.DataFrame(now), pd.DataFrame(before), [HIGHER], keys=keys)
    assert raised.value.option == option


def test_a_metric_the_baseline_lacks_is_compared_as_nothing() -> None:
    now = pd.DataFrame({"M": ["a"], "Throughput": [1.0], "Latency": [2.0]})
    before = pd.DataFrame({"M": ["a"], "Throughput": [1.0]})
    result = compare_frames(now, before, [HIGHER, LOWER])
    assert result.missing_in_baseline == ["Latency"]
    assert result.changes["Latency"][0] is not None
    assert result.changes["Latency"][0].verdict is Verdict.UNKNOWN


# -- earlier files ------------------------------------------------------------------------

SNIPPET = "df = pd.read_csv('throughput.csv')\ndf['Per batch'] = df['Throughput'] / df['Batch']"


def run(page_dir: Path, baseline: Baseline | None) -> pd.DataFrame:
    runner = SnippetRunner(cache=None)
    part = CodePart(SNIPPET, "<snippet>")
    return runner.run([part], base_dir=page_dir, baseline=baseline).frame


def test_a_git_baseline_runs_the_snippet_on_the_files_at_the_tag(repo: Path) -> None:
    page_dir = repo / "docs" / "perf"
    baseline = Baseline(parse_baseline("git:v1"), page_dir)
    before = run(page_dir, baseline)
    assert before["Throughput"].tolist() == [100, 300]
    assert before["Per batch"].tolist() == [100.0, 75.0]  # derived the same way
    assert run(page_dir, None)["Throughput"].tolist() == [120, 500]
    assert str(baseline).startswith("git:v1 (")


def test_open_reads_the_earlier_text_too(repo: Path) -> None:
    page_dir = repo / "docs" / "perf"
    runner = SnippetRunner(cache=None)
    code = (
        "import io\nwith open('throughput.csv') as f:\n    df = pd.read_csv(io.StringIO(f.read()))"
    )
    frame = runner.run(
        [CodePart(code, "<snippet>")],
        base_dir=page_dir,
        baseline=Baseline(parse_baseline("git:v1"), page_dir),
    ).frame
    assert frame["Throughput"].tolist() == [100, 300]


def test_a_file_added_after_the_tag_is_named_with_the_revision(repo: Path) -> None:
    page_dir = repo / "docs" / "perf"
    (page_dir / "prices.csv").write_text("Model,Rate\nllama,1\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "prices")
    runner = SnippetRunner(cache=None)
    with pytest.raises(SnippetError) as raised:
        runner.run(
            [CodePart("df = pd.read_csv('prices.csv')", "<snippet>")],
            base_dir=page_dir,
            baseline=Baseline(parse_baseline("git:v1"), page_dir),
        )
    assert isinstance(raised.value.__cause__, BaselineError)
    assert "docs/perf/prices.csv does not exist at git:v1" in str(raised.value.__cause__)


def test_unknown_revisions_and_shallow_clones_say_how_to_fix_them(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(BaselineError, match="unknown git revision 'v9'"):
        Baseline(parse_baseline("git:v9"), repo / "docs")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    with pytest.raises(BaselineError, match=r"shallow clone.*git fetch --unshallow --tags"):
        Baseline(parse_baseline("git:v1"), shallow / "docs")
    # Under nox the temporary folder may sit inside the project's own clone: git must not
    # look above it.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(BaselineError, match="not inside a git repository"):
        Baseline(parse_baseline("git:v1"), tmp_path)


def test_a_branch_is_resolved_afresh(repo: Path) -> None:
    git(repo, "branch", "release", "v1")
    first = resolve(repo, "release").commit
    git(repo, "branch", "-f", "release", "HEAD")
    assert resolve(repo, "release").commit != first


def test_a_directory_baseline_holds_files_of_the_same_names(tmp_path: Path) -> None:
    page_dir = tmp_path / "docs"
    (page_dir / "releases" / "2.20").mkdir(parents=True)
    (page_dir / "throughput.csv").write_text("Model,Batch,Throughput\nx,1,9\n", encoding="utf-8")
    (page_dir / "releases" / "2.20" / "throughput.csv").write_text(
        "Model,Batch,Throughput\nx,1,3\n", encoding="utf-8"
    )
    baseline = Baseline(parse_baseline("releases/2.20/"), page_dir)
    runner = SnippetRunner(cache=None)
    result = runner.run([CodePart(SNIPPET, "<snippet>")], base_dir=page_dir, baseline=baseline)
    assert result.frame["Throughput"].tolist() == [3]
    assert page_dir / "releases" / "2.20" / "throughput.csv" in result.dependencies
    with pytest.raises(BaselineError, match="does not exist"):
        Baseline(parse_baseline("releases/9.99"), page_dir)


def test_git_errors_are_plain_messages(repo: Path) -> None:
    revision = resolve(repo, "v1")
    with pytest.raises(GitError, match="outside the git repository"):
        revision.read(Path("/elsewhere/x.csv"))
    changed = last_change(repo / "docs" / "perf" / "throughput.csv")
    assert changed is not None
    assert changed[0] == git(repo, "rev-parse", "HEAD")  # "new results" changed it last
    assert last_change(repo.parent / "outside.csv") is None
