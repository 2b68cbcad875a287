"""Where the table lock lives: never beside the table (no ``.lock`` in ``git status``), the
same file for every path to one table, so two writers of it still exclude each other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sphinx_dftable.collect.cli import main
from sphinx_dftable.collect.store import lock_path

VLLM = Path(__file__).with_name("fixtures") / "vllm" / "bench-serve-inf2-c4.json"
INGEST = ["--schema", "serving-sweep", "--no-host", "--set", "Inst. Type=inf2.48xlarge", "-q"]
HOLDER = """\
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


LOG = "sweep.csv.provenance.jsonl"


def test_every_path_to_a_table_takes_the_same_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    table = folder / "sweep.csv"
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    monkeypatch.chdir(folder)
    spellings = [
        table,
        Path("sweep.csv"),
        Path("../data/./sweep.csv"),
        tmp_path / "link" / "sweep.csv",
    ]
    assert len({lock_path(p) for p in spellings}) == 1
    assert lock_path(table) != lock_path(folder / "other.csv")
    assert not lock_path(table).is_relative_to(folder)  # not beside the table


def test_ingest_leaves_nothing_beside_the_table() -> None:
    # A folder outside any git work tree (pytest's may sit inside one, e.g. under nox).
    folder = Path(tempfile.mkdtemp(prefix="dftable-locks-", dir="/tmp"))
    try:
        table = folder / "sweep.csv"
        assert main(["ingest", str(VLLM), "--table", str(table), *INGEST]) == 0
        # The table and its provenance log (committed with it), no lock file.
        assert sorted(p.name for p in folder.iterdir()) == ["sweep.csv", LOG]
        assert lock_path(table).is_file()  # taken in the user's cache folder
        assert lock_path(table).is_relative_to(Path(os.environ["XDG_CACHE_HOME"]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_writer_through_another_path_waits_for_the_lock(tmp_path: Path) -> None:
    table = tmp_path / "data" / "sweep.csv"
    table.parent.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(table))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "held\n"
        done = subprocess.run(
            [sys.executable, "-m", "sphinx_dftable.collect", "ingest", str(VLLM),
             "--table", "../data/sweep.csv", *INGEST, "--lock-timeout", "0.3"],
            capture_output=True, text=True, check=False, cwd=table.parent,
        )  # fmt: skip
        assert done.returncode == 1
        assert "locked by another writer" in done.stderr and "0.3 s" in done.stderr
        assert not table.exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_git_work_tree_the_lock_is_inside_git(tmp_path: Path) -> None:
    repo = tmp_path / "docs-repo"
    (repo / "data").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    table = repo / "data" / "sweep.csv"
    assert main(["ingest", str(VLLM), "--table", str(table), *INGEST]) == 0
    assert lock_path(table).is_relative_to(repo / ".git")
    assert lock_path(table).is_file()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo, capture_output=True, text=True, check=True,
    )  # fmt: skip
    # The table and its provenance log, and no lock file
    assert status.stdout == f"?? data/sweep.csv\n?? data/{LOG}\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_linked_worktree_the_lock_is_in_its_git_folder(tmp_path: Path) -> None:
    repo = tmp_path / "main"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "start"], check=True)
    linked = tmp_path / "linked"
    subprocess.run([*git, "worktree", "add", "-q", str(linked)], check=True)
    assert (linked / ".git").is_file()  # "gitdir: .../.git/worktrees/linked"
    table = linked / "sweep.csv"
    assert lock_path(table).is_relative_to(repo / ".git" / "worktrees")
    assert main(["ingest", str(VLLM), "--table", str(table), *INGEST]) == 0
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=linked, capture_output=True, text=True, check=True
    )
    assert status.stdout == f"?? sweep.csv\n?? {LOG}\n"
