"""A rerun of one configuration replaces its row: the layouts with length keys (``llm``,
``decoder``) key on the configured lengths the file records, never on measured means."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sphinx_dftable.collect.cli import main
from sphinx_dftable.collect.schema import BUILTIN_SCHEMAS

Capture = pytest.CaptureFixture[str]
LENGTH_LAYOUTS = [name for name, schema in BUILTIN_SCHEMAS.items() if "Input Length" in schema.keys]


def test_the_layouts_with_length_keys() -> None:
    assert sorted(LENGTH_LAYOUTS) == ["decoder", "llm"]


# (fixture, its configured input and output length, --set values the file does not hold)
RUNS = [
    ("guidellm/v0.8-benchmarks.json", (1024, 128), ()),
    ("guidellm/v0.8-benchmarks.yaml", (1024, 128), ()),
    ("guidellm/v0.6-benchmarks.json", (512, 256), ()),
    ("guidellm/v0.7-benchmarks.csv", (256, 128), ()),
    ("guidellm/v0.1-report.json", (1500, 250), ()),
    ("aiperf/v0.10-phases/profile_export_aiperf.json", (1024, 256), ()),
    ("genai-perf/flat-c2/profile_export_genai_perf.json", (550, 150), ()),
    ("llmperf/c1/meta-llama-Meta-Llama-3-8B-Instruct_550_150_summary.json", (550, 150), ()),
    ("vllm/sweep/max_num_seqs=8/run=0.json", (512, 256), ()),
    ("optimum-neuron/llama-2-7b-bs4.json", None, ()),
    ("vllm/bench-serve-inf2-c4.json", (1024, 256),
     ("Input Length=1024", "Output Length=256")),
]  # fmt: skip


def _scaled(value: Any) -> Any:
    """Every measured figure a little different, as in a rerun; integers (settings, the
    configured lengths) kept."""
    if isinstance(value, dict):
        return {k: _scaled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v) for v in value]
    if isinstance(value, float):
        return value * 1.03
    return value


def _rerun(source: Path, target: Path) -> None:
    if source.suffix == ".csv":
        with source.open(newline="") as handle:
            rows = list(csv.reader(handle))

        def scale(cell: str) -> str:
            try:
                number = float(cell)
            except ValueError:
                return cell
            return cell if number.is_integer() and "." not in cell else repr(number * 1.03)

        with target.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerows(rows[:3] if "guidellm" in str(source) else rows[:1])
            writer.writerows(
                [[scale(c) for c in row] for row in rows[3 if "guidellm" in str(source) else 1 :]]
            )
        return
    if source.suffix == ".yaml":
        target.write_text(yaml.dump(_scaled(yaml.safe_load(source.read_text()))))
        return
    target.write_text(json.dumps(_scaled(json.loads(source.read_text()))))


def _rows(table: Path) -> list[dict[str, str]]:
    with table.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("layout", LENGTH_LAYOUTS)
@pytest.mark.parametrize(("name", "lengths", "sets"), RUNS, ids=[r[0] for r in RUNS])
def test_a_rerun_replaces_its_row(
    tmp_path: Path,
    fixtures: Path,
    capsys: Capture,
    layout: str,
    name: str,
    lengths: tuple[int, int] | None,
    sets: tuple[str, ...],
) -> None:
    first = tmp_path / "first" / Path(name).name
    first.parent.mkdir()
    shutil.copyfile(fixtures / name, first)
    again = tmp_path / "again" / first.name
    again.parent.mkdir()
    _rerun(first, again)
    table = tmp_path / f"{layout}.csv"
    options = ["--table", str(table), "--schema", layout, "--set", "Inst. Type=inf2.48xlarge",
               "--set", "Model=m", "--pick", "throughput",
               *(f"--set={s}" for s in sets)]  # fmt: skip
    assert main(["ingest", str(first), *options, "-q"]) == 0, capsys.readouterr().err
    before = _rows(table)
    assert main(["ingest", str(again), *options]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    after = _rows(table)
    assert len(after) == len(before)  # replaced, not added
    assert "added 0 row(s)" in out and f"changed {len(before)}" in out
    measured = "Throughput (tokens/second)" if layout == "llm" else "TTFT Latency P50 (ms)"
    assert all(a[measured] != b[measured] for a, b in zip(after, before, strict=True))
    if lengths is not None:
        assert {(r["Input Length"], r["Output Length"]) for r in after} == {
            (str(lengths[0]), str(lengths[1]))
        }


@pytest.mark.parametrize("layout", LENGTH_LAYOUTS)
def test_a_file_without_configured_lengths_is_refused_naming_the_column(
    tmp_path: Path, fixtures: Path, capsys: Capture, layout: str
) -> None:
    path = fixtures / "vllm" / "bench-serve-inf2-c4.json"
    table = tmp_path / "t.csv"
    command = ["ingest", str(path), "--table", str(table), "--schema", layout, "--no-host",
               "--set", "Inst. Type=inf2.48xlarge"]  # fmt: skip
    assert main(command) == 1
    err = capsys.readouterr().err
    raw = json.loads(path.read_text())
    mean = raw["total_input_tokens"] / raw["completed"]
    assert err == (
        f"dftable-collect: error: {path}: no configured value for key column 'Input Length': "
        f"the file records the measured mean input ({mean:g} tokens), which a rerun changes, "
        "not the length the run was configured with; pass --set 'Input Length=N'\n"
    )
    assert not table.exists()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_dftable.collect", *command],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (1, err)
    assert not table.exists()
