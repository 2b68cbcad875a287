"""Real processes: a writer killed with SIGKILL, and writers racing on one table."""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sphinx_dftable.collect.cli import main

WRITER = Path(__file__).with_name("_writer.py")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _table_text(rows: int, value: str) -> str:
    lines = ["Model,Inst. Type,Concurrency,Throughput"]
    lines += [f"model-{n},Inf2.48xlarge,{n},{value}{n}.25" for n in range(rows)]
    return "\n".join(lines) + "\n"


RUN_FILE = """\
schema = "sweep"

[schemas.sweep]
columns = ["Model", "Inst. Type", "Concurrency", "Throughput"]
fields = { Throughput = "output_tokens_per_s" }
"""
TRIALS = 100


def test_sigkill_mid_write_leaves_old_or_new_file(tmp_path: Path, fixtures: Path) -> None:
    # Two versions of a ~2 MB table, so each replacement takes a while to write.
    version_a, version_b = tmp_path / "a.csv", tmp_path / "b.csv"
    version_a.write_text(_table_text(40_000, "1"))
    version_b.write_text(_table_text(40_000, "2"))
    expected = {version_a.read_text(), version_b.read_text()}
    table_dir = tmp_path / "data"
    table_dir.mkdir()
    table = table_dir / "sweep.csv"
    rng = random.Random(20240105)
    killed_mid_write = 0
    leftovers: set[Path] = set()
    for _ in range(TRIALS):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), "flip", str(table), str(version_a), str(version_b)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        assert table.read_text() in expected  # whole, old or new: never a mix
        # A temporary file left behind proves the kill landed inside a write.
        now = {p for p in table_dir.iterdir() if p.suffix == ".tmp"}
        killed_mid_write += bool(now - leftovers)
        leftovers = now
    print(f"{killed_mid_write} of {TRIALS} kills landed mid-write")
    assert killed_mid_write > 0
    assert leftovers  # kept on purpose: the next write must not trip on them
    assert set(table_dir.iterdir()) == {table} | leftovers
    # The next ingest lands, and removes what the killed writers left.
    run = tmp_path / "run.toml"
    run.write_text(RUN_FILE)
    before = table.read_text()
    assert main(["ingest", str(fixtures / "vllm" / "bench-serve-inf2-c4.json"), "--table",
                 str(table), "--run", str(run), "--set", "Inst. Type=inf2.48xlarge",
                 "-q"]) == 0  # fmt: skip
    after = table.read_text()
    assert after.startswith(before) and after.count("\n") == before.count("\n") + 1
    # No lock file beside it: the table and its provenance log
    assert {p.name for p in table_dir.iterdir()} == {"sweep.csv", "sweep.csv.provenance.jsonl"}


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    table, go = tmp_path / "table.csv", tmp_path / "go"
    count = 100
    children = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "add", str(table), name, str(count), str(go)]
        )
        for name in ("first", "second")
    ]
    time.sleep(0.3)  # let both start and wait on the go file
    go.touch()
    for child in children:
        assert child.wait(timeout=60) == 0
    with table.open(newline="") as handle:
        header, *cells = list(csv.reader(handle))
    assert header == ["Writer", "Row", "Value"]
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    keys = [(r["Writer"], int(r["Row"])) for r in rows]
    assert len(keys) == len(set(keys)) == 2 * count  # every row, once
    assert set(keys) == {(name, n) for name in ("first", "second") for n in range(count)}
    assert all(int(r["Value"]) == 2 * int(r["Row"]) for r in rows)


def test_two_collector_commands_at_once(tmp_path: Path, fixtures: Path) -> None:
    table = tmp_path / "sweep.csv"
    assert main(["ingest", str(fixtures / "vllm" / "bench-serve-inf2-c4.json"), "--table",
                 str(table), "--schema", "serving-sweep", "--set", "Inst. Type=inf2.48xlarge",
                 "-q"]) == 0  # fmt: skip
    commands = [
        [sys.executable, "-m", "sphinx_dftable.collect", "ingest", str(path), "--table",
         str(table), "--set", "Inst. Type=inf2.48xlarge", "--set", f"Engine={engine}", "-q"]
        for path, engine in (
            (fixtures / "guidellm" / "v0.3-benchmarks.json", "TGI"),
            (next((fixtures / "llmperf" / "c1").glob("*_summary.json")), "TGI"),
        )
    ]  # fmt: skip
    children = [subprocess.Popen(command) for command in commands]
    assert [child.wait(timeout=60) for child in children] == [0, 0]
    with table.open(newline="") as handle:
        tools = sorted(row["Tool"] for row in csv.DictReader(handle))
    assert tools == ["guidellm", "guidellm", "llmperf", "vllm bench serve"]
