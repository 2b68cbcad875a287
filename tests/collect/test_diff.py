"""``dftable-collect diff``: two versions of a table, from files or a real git repository."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from git_repos import git

from sphinx_dftable.collect.cli import main

Capture = pytest.CaptureFixture[str]
METRICS = "Throughput=higher, Latency P50 (ms)=lower"
HEADER = "Model,Batch,Throughput,Latency P50 (ms)\n"
# Throughput falls 5% (llama 1), rises 15% (llama 4), falls 6% (mistral 1); a latency is
# lost (mistral 1), one rises 40% (llama 4); qwen is removed, phi is new.
OLD = HEADER + "llama,1,100,10\nllama,4,200,20\nmistral,1,50,5\nqwen,1,10,1\n"
NEW = HEADER + "llama,1,95,10.1\nllama,4,230,28\nmistral,1,47,\nphi,1,5,5\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose data/x.csv changed after the tag v1; the current directory."""
    root = tmp_path / "site"
    (root / "data").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "data" / "x.csv").write_text(OLD, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first results")
    git(root, "tag", "v1")
    (root / "data" / "x.csv").write_text(NEW, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def diff(*extra: str, old: str = "git:v1:data/x.csv", new: str = "data/x.csv") -> list[str]:
    return ["diff", old, new, "--keys", "Model, Batch", "--metrics", METRICS, *extra]


def test_text_lists_the_changes_new_and_removed_rows(repo: Path, capsys: Capture) -> None:
    assert main(diff()) == 0  # without --fail-worse-than, a report only
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "git:v1:data/x.csv -> data/x.csv: 1 better, 3 worse, 1 neutral, 1 unknown; "
        "1 new row, 1 removed"
    )
    assert lines[1] == "changes within 2% are neutral"
    llama1 = next(line for line in lines if line.startswith("llama    1"))
    assert "100 -> 95  -5.0% ▼ worse" in llama1 and "10 -> 10.1  +1.0% ▲" in llama1
    mistral = next(line for line in lines if line.startswith("mistral"))
    assert "5 -> missing" in mistral  # a lost figure is said, never 0%
    assert "0.0%" not in mistral and "-100" not in mistral
    assert "new: Model=phi, Batch=1" in lines and "removed: Model=qwen, Batch=1" in lines


def test_worse_by_exactly_the_threshold_passes_by_more_fails(repo: Path, capsys: Capture) -> None:
    assert main(diff("--fail-worse-than", "40%")) == 0  # latency +40.0%, exactly
    assert "passed: nothing worse by more than 40%" in capsys.readouterr().out
    assert main(diff("--fail-worse-than", "39.9")) == 1
    captured = capsys.readouterr()
    assert "FAILED: 1 worse by more than 39.9%" in captured.out
    assert "28  +40.0% ▲ worse (fails)" in captured.out
    assert captured.err == "dftable-collect: 1 change(s) worse by more than 39.9%\n"
    assert main(diff("--fail-worse-than", "5%")) == 1  # -6% and +40%; -5.0% exactly passes
    assert "FAILED: 2 worse by more than 5%" in capsys.readouterr().out


def test_noise_makes_small_changes_neutral_and_never_fails_them(
    repo: Path, capsys: Capture
) -> None:
    assert main(diff("--noise", "7%", "--fail-worse-than", "1%", "--format", "json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"better": 1, "worse": 1, "neutral": 3, "unknown": 1}
    assert report["failures"] == 1  # only the +40% latency: -5% and -6% are noise


def test_markdown_is_a_pull_request_comment(repo: Path, capsys: Capture) -> None:
    assert main(diff("--fail-worse-than", "5%", "--format", "markdown")) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "### ❌ Benchmark changes: 1 better, 3 worse, 1 neutral, 1 unknown; 1 new row, 1 removed"
    )
    assert lines[2] == (
        "`git:v1:data/x.csv` → `data/x.csv`; changes within 2% are neutral; "
        "FAILED: 2 worse by more than 5%."
    )
    assert lines[4] == "| Model | Batch | Throughput | Latency P50 (ms) |"
    assert lines[5] == "|---|---|--:|--:|"
    assert (
        "| llama | 4 | 200 -> 230  +15.0% ▲ better | **20 -> 28  +40.0% ▲ worse (fails)** |"
        in lines
    )
    assert "| llama | 1 | 100 -> 95  -5.0% ▼ worse | 10 -> 10.1  +1.0% ▲ |" in lines
    tail = lines[lines.index("**New rows:**") :]
    assert tail == ["**New rows:**", "", "- Model=phi, Batch=1", "", "**Removed rows:**", "",
                    "- Model=qwen, Batch=1"]  # fmt: skip
    assert main(diff("--fail-worse-than", "50%", "--format", "markdown")) == 0
    assert capsys.readouterr().out.startswith("### ✅ Benchmark changes:")


def test_json_has_stable_keys_and_missing_figures_are_null(repo: Path, capsys: Capture) -> None:
    assert main(diff("--fail-worse-than", "5%", "--format", "json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert list(report) == [
        "old", "new", "keys", "metrics", "noise_percent", "fail_worse_than_percent", "counts",
        "failures", "failed", "rows", "new_rows", "removed_rows", "metrics_missing_in_old",
    ]  # fmt: skip
    assert report["metrics"] == [
        {"column": "Throughput", "direction": "higher"},
        {"column": "Latency P50 (ms)", "direction": "lower"},
    ]
    assert (report["noise_percent"], report["fail_worse_than_percent"]) == (2.0, 5.0)
    assert report["failed"] is True and report["failures"] == 2
    rows = {(r["keys"]["Model"], r["keys"]["Batch"]): r["changes"] for r in report["rows"]}
    assert set(rows) == {("llama", "1"), ("llama", "4"), ("mistral", "1")}
    assert rows[("llama", "1")]["Throughput"] == {
        "old": 100.0, "new": 95.0, "percent": -5.0, "verdict": "worse", "fails": False,
    }  # fmt: skip
    assert rows[("mistral", "1")]["Latency P50 (ms)"] == {
        "old": 5.0, "new": None, "percent": None, "verdict": "unknown", "fails": False,
    }  # fmt: skip
    assert report["new_rows"] == [{"Model": "phi", "Batch": "1"}]
    assert report["removed_rows"] == [{"Model": "qwen", "Batch": "1"}]


def test_two_files_and_all_rows(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.csv").write_text(OLD)
    (tmp_path / "new.csv").write_text(OLD.replace("qwen,1,10,1", "qwen,1,0,1"))
    assert main(diff("--all", old="old.csv", new="new.csv")) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(": 1 worse, 7 neutral; 0 new rows, 0 removed")
    assert "100 -> 100  0.0% =" in out  # --all: unchanged rows too
    assert main(diff(old="new.csv", new="old.csv")) == 0
    assert "0 -> 10  (no change: the old value is 0)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (diff(old="git:v9:data/x.csv"), "git:v9:data/x.csv: unknown git revision 'v9'"),
        (diff(old="git:v1:data/y.csv"), "data/y.csv does not exist at git:v1"),
        (diff(old="git:v1"), "'git:v1': expected git:REV:PATH"),
        (diff(new="data/none.csv"), "data/none.csv: cannot read: No such file or directory"),
        (diff(new="data"), "data: cannot read: Is a directory"),
        (["diff", "git:v1:data/x.csv", "data/x.csv", "--keys", "Batch", "--metrics", METRICS],
         "--keys: the keys (Batch) do not name one row in NEW (data/x.csv): repeated 1"),
        (["diff", "git:v1:data/x.csv", "data/x.csv", "--metrics", "Model=higher", "--keys",
          "Batch, Throughput"], "--metrics: the metric 'Model' is not numeric in NEW (data/x.csv)"),
        (["diff", "git:v1:data/x.csv", "data/x.csv", "--metrics", "Speed=higher"],
         "--metrics: NEW (data/x.csv) has no column 'Speed'"),
        (["diff", "a", "b", "--metrics", "Throughput=up"],
         "argument --metrics: expected 'Column = higher' or 'Column = lower'"),
        (diff("--fail-worse-than", "five"), "argument --fail-worse-than: expected a percentage"),
        (diff("--format", "html"), "argument --format: invalid choice: 'html'"),
    ],
)  # fmt: skip
def test_what_cannot_be_compared_is_exit_status_2_naming_it(
    repo: Path, capsys: Capture, args: list[str], message: str
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_a_file_that_is_not_csv_is_exit_status_2(repo: Path, capsys: Capture) -> None:
    (repo / "data" / "empty.csv").write_text("")
    assert main(diff(new="data/empty.csv")) == 2
    assert "data/empty.csv: not a CSV table: No columns to parse" in capsys.readouterr().err


# --- as a process, as CI runs it ------------------------------------------------------------


def test_the_command_in_a_process_gates_a_pull_request(repo: Path) -> None:
    git(repo, "checkout", "-qb", "feature")
    git(repo, "commit", "-qam", "slower")
    (repo / "data" / "x.csv").write_text(OLD)  # the work tree as at v1 again
    command = [sys.executable, "-m", "sphinx_dftable.collect", "diff", "git:feature:data/x.csv",
               "data/x.csv", "--keys", "Model,Batch", "--metrics", METRICS]  # fmt: skip
    back = subprocess.run(
        [*command, "--fail-worse-than", "15%", "--format", "markdown"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert back.returncode == 0, back.stderr  # from NEW back to OLD: -13% at worst
    assert back.stdout.startswith(
        "### ✅ Benchmark changes: 3 better, 1 worse, 1 neutral, 1 unknown; 1 new row, 1 removed"
    )
    forward = [sys.executable, "-m", "sphinx_dftable.collect", "diff", "git:v1:data/x.csv",
               "git:feature:data/x.csv", "--metrics", METRICS, "--keys", "Model,Batch",
               "--fail-worse-than", "5%"]  # fmt: skip
    done = subprocess.run(forward, cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout.startswith("git:v1:data/x.csv -> git:feature:data/x.csv: 1 better")
    assert "\x1b[" not in done.stdout  # not a terminal: plain text
    assert done.stderr == "dftable-collect: 2 change(s) worse by more than 5%\n"
    unknown = subprocess.run(
        [*forward[:4], "git:nope:data/x.csv", *forward[5:]],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert unknown.returncode == 2 and "unknown git revision 'nope'" in unknown.stderr


def test_in_a_terminal_the_report_is_a_rich_table(repo: Path) -> None:
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "sphinx_dftable.collect", *diff("--fail-worse-than", "5%")]
    environment = {**os.environ, "COLUMNS": "160", "TERM": "xterm-256color"}
    environment.pop("NO_COLOR", None)
    process = subprocess.Popen(
        command, cwd=repo, stdout=follower, stderr=subprocess.DEVNULL, env=environment
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 1
    text = output.decode()
    assert "┏" in text and "Throughput" in text  # a box-drawn table
    assert "\x1b[31m" in text  # worse in red
    assert "100 -> 95  -5.0% ▼ worse" in text
