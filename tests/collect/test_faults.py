"""Faults the collector must survive, on real files (and real processes where they matter).

Every refusal is checked the same way: exit status 1, a message on stderr that names the
offending file (or the table), no traceback, the table's bytes unchanged and nothing left
beside it. Where damage leaves a valid file (a JSON file that lost only its final newline,
a CSV cut exactly at a line end), the test says so and checks that sensible outcome instead.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from sphinx_dftable import atomic_write
from sphinx_dftable.collect.bundle import CapturedHost, make_bundle
from sphinx_dftable.collect.cli import main
from sphinx_dftable.collect.detect import read_files
from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.schema import BUILTIN_SCHEMAS
from sphinx_dftable.collect.store import lock_path

FIXTURES = Path(__file__).with_name("fixtures")
Capture = pytest.CaptureFixture[str]

# --- the result files, and a table that already holds a row ----------------------------


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # under fixtures/
    required: tuple[str | int, ...]  # a key without which the file is not its format
    with_summary: bool = False  # llmperf individual responses: read through their summary
    header_lines: int = 1  # CSV header rows (guidellm's CSV has three)
    # What a cut at a line end leaves: "rows" (a CSV with one run per row: its first runs),
    # or "runs or refused" (a YAML report, a CSV of several tables: valid text in which a run
    # may lack parts, so either the runs before the cut, whole, or a refusal).
    line_cut: str = "rows"
    sets: tuple[str, ...] = ()  # --set values for what the file does not record
    wrapped_is_valid: bool = False  # inside a JSON list it is another valid shape

    @property
    def source(self) -> Path:
        return FIXTURES / self.path

    @property
    def is_csv(self) -> bool:
        return self.path.endswith(".csv")

    @property
    def is_yaml(self) -> bool:
        return self.path.endswith(".yaml")

    @property
    def line_oriented(self) -> bool:
        return self.is_csv or self.is_yaml

    def summary_of(self, responses: Path) -> Path:
        return responses.with_name(responses.name.replace("_individual_responses", "_summary"))


_LLAMA = "meta-llama-Meta-Llama-3-8B-Instruct_550_150"
_AIPERF = "profile_export_aiperf.json"
_GENAI = "profile_export_genai_perf.json"
_IP = "inference-perf/run-2-stages"
_RUNS_OR_REFUSED = "runs or refused"
_MODEL = ("Model=fixture-model",)  # for files that do not record the model
TARGETS = (
    Target("neuronperf-csv", "neuronperf/bert-base-cased.results-20240105-101500.csv",
           ("throughput_avg",)),
    Target("neuronperf-json", "neuronperf/resnet50.results-20240105-120000.json",
           (0, "throughput_avg")),
    Target("llmperf-summary", f"llmperf/c1/{_LLAMA}_summary.json",
           ("results_num_completed_requests",)),
    Target("llmperf-summary-beside-responses", f"llmperf/c4/{_LLAMA}_summary.json",
           ("results_num_completed_requests",)),
    Target("llmperf-responses", f"llmperf/c4/{_LLAMA}_individual_responses.json",
           (0, "ttft_s"), with_summary=True),
    Target("llmperf-failed", f"llmperf/failed/{_LLAMA}_summary.json",
           ("results_num_completed_requests",)),
    Target("guidellm-0.1", "guidellm/v0.1-report.json", ("benchmarks",)),
    Target("guidellm-0.2", "guidellm/v0.2-benchmarks.json", ("benchmarks",)),
    Target("guidellm-0.3", "guidellm/v0.3-benchmarks.json", ("benchmarks",)),
    Target("guidellm-0.4", "guidellm/v0.4-benchmarks.json", ("benchmarks",)),
    Target("guidellm-0.6", "guidellm/v0.6-benchmarks.json", ("benchmarks",)),
    Target("guidellm-0.8", "guidellm/v0.8-benchmarks.json", ("benchmarks",)),
    Target("guidellm-0.8-yaml", "guidellm/v0.8-benchmarks.yaml", ("benchmarks",),
           line_cut=_RUNS_OR_REFUSED),
    Target("guidellm-0.7-csv", "guidellm/v0.7-benchmarks.csv", ("Request Counts",),
           header_lines=3),
    Target("guidellm-all-errored", "guidellm/all-errored-benchmarks.json", ("benchmarks",)),
    Target("fmbench-1", "fmbench/v1/all_metrics_summary.csv", ("transactions_per_minute",)),
    Target("fmbench-2", "fmbench/v2/summary_metrics_for_dataset_w_scores.csv",
           ("transactions_per_minute",)),
    Target("fmbench-2-p50-only", "fmbench/v2-p50-only/summary_metrics_for_dataset_w_scores.csv",
           ("transactions_per_minute",), sets=("Request Latency Mean (s)=",)),
    Target("vllm-bench-serve", "vllm/bench-serve-inf2-c4.json", ("completed",)),
    Target("vllm-2024", "vllm/benchmark-serving-2024.json", ("completed",)),
    Target("vllm-2025", "vllm/benchmark-serving-2025.json", ("completed",)),
    Target("vllm-fork", "vllm/fork-latency-only.json", ("backend",)),
    Target("vllm-all-failed", "vllm/all-failed.json", ("completed",)),
    Target("vllm-sweep-run-0", "vllm/sweep/max_num_seqs=8/run=0.json", ("completed",),
           wrapped_is_valid=True),
    Target("vllm-sweep-run-1", "vllm/sweep/max_num_seqs=8/run=1.json", ("completed",),
           wrapped_is_valid=True),
    Target("vllm-sweep-summary", "vllm/sweep/max_num_seqs=8/summary.json", (0, "completed")),
    Target("vllm-sweep-32-run", "vllm/sweep/max_num_seqs=32/run=0.json", ("completed",),
           wrapped_is_valid=True),
    Target("vllm-sweep-32-summary", "vllm/sweep/max_num_seqs=32/summary.json",
           (0, "completed")),
    Target("vllm-latency", "vllm/bench-latency.json", ("latencies",), sets=_MODEL),
    Target("vllm-throughput", "vllm/bench-throughput.json", ("tokens_per_second",),
           sets=_MODEL),
    Target("optimum-neuron", "optimum-neuron/llama-2-7b-bs4.json", ("neuron_config",)),
    Target("optimum-neuron-summary", "optimum-neuron/summary/vllm-results.csv",
           ("Input type",), sets=("TTFT P50 (ms)=", "Inter-Token Latency P50 (ms)=")),
    Target("optimum-neuron-summary-2024", "optimum-neuron/summary-2024/tgi-results.csv",
           ("concurrent requests",)),
    Target("aiperf-unversioned", f"aiperf/unversioned-c4/{_AIPERF}", ("request_count",)),
    Target("aiperf-0.1", f"aiperf/v0.1-records/{_AIPERF}", ("records",)),
    Target("aiperf-0.8", f"aiperf/v0.8-rate/{_AIPERF}", ("request_count",)),
    Target("aiperf-0.10", f"aiperf/v0.10-phases/{_AIPERF}", ("request_count",)),
    Target("aiperf-cancelled", f"aiperf/cancelled-all-failed/{_AIPERF}",
           ("error_request_count",)),
    Target("aiperf-csv", "aiperf/csv-c8/profile_export_aiperf.csv", ("avg",),
           line_cut=_RUNS_OR_REFUSED, sets=_MODEL),
    Target("genai-perf-flat", f"genai-perf/flat-c2/{_GENAI}", ("request_count",)),
    Target("genai-perf-config", f"genai-perf/config-c8/{_GENAI}", ("request_count",)),
    Target("inference-perf-stage-0", f"{_IP}/stage_0_lifecycle_metrics.json", ("successes",),
           sets=_MODEL),
    Target("inference-perf-stage-1", f"{_IP}/stage_1_lifecycle_metrics.json", ("successes",),
           sets=_MODEL),
    Target("inference-perf-summary", f"{_IP}/summary_lifecycle_metrics.json", ("successes",),
           sets=_MODEL),
    Target("inference-perf-0.5", "inference-perf/v0.5.0-no-p99/summary_lifecycle_metrics.json",
           ("successes",), sets=_MODEL),
    Target("inference-perf-failed", "inference-perf/all-failed/stage_0_lifecycle_metrics.json",
           ("successes",)),
    Target("nxdi", "nxdi/benchmark_report_8_bf16_tbs4_vbs1_s1024.json", ("e2e_model",),
           sets=_MODEL),
    Target("nxdi-default-name", "nxdi/default-name/benchmark_report.json", ("e2e_model",),
           sets=_MODEL),
)  # fmt: skip
BY_NAME = {target.name: target for target in TARGETS}

SCHEMA = BUILTIN_SCHEMAS["serving-sweep"]
KNOWN_ROW = dict.fromkeys(SCHEMA.columns, "7") | {
    "Model": "known-model",
    "Engine": "vLLM",
    "Inst. Type": "Inf2.48xlarge",
    "Tool": "vllm bench serve",
    "Mode": "concurrent",
}
TABLE_TEXT = ",".join(SCHEMA.columns) + "\n" + ",".join(KNOWN_ROW.values()) + "\n"


def test_every_result_fixture_is_a_target() -> None:
    result_files = {
        str(p.relative_to(FIXTURES))
        for p in FIXTURES.rglob("*.*")
        if p.is_file() and p.parent.name != "prices"
    }
    assert result_files == {target.path for target in TARGETS}


@dataclass
class Case:
    target: Target
    table: Path
    before: bytes
    damaged: Path  # the file the refusal must name
    files: list[Path]  # the command's FILE arguments

    def ingest(self, capsys: Capture, *extra: str) -> tuple[int, str, str]:
        options = ["--no-host", "--set", "Inst. Type=inf2.48xlarge", "--pick", "throughput"]
        options += [part for value in self.target.sets for part in ("--set", value)]
        return _run(capsys, "ingest", *self.files, "--table", self.table, *options, *extra)

    def show(self, capsys: Capture, *extra: str) -> tuple[int, str, str]:
        return _run(capsys, "show", *self.files, *extra)

    def assert_untouched(self) -> None:
        assert self.table.read_bytes() == self.before
        # Nothing beside the table: no temporary file, and no lock file (it lives elsewhere).
        assert _listing(self.table.parent) == [self.table.name]


def _run(capsys: Capture, *argv: object) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _case(tmp_path: Path, target: Target) -> Case:
    folder = tmp_path / "results"
    shutil.copytree(target.source.parent, folder)
    damaged = folder / target.source.name
    files = [target.summary_of(damaged), damaged] if target.with_summary else [damaged]
    table = tmp_path / "data" / "sweep.csv"
    table.parent.mkdir()
    table.write_text(TABLE_TEXT)
    return Case(target, table, table.read_bytes(), damaged, files)


def _assert_refused(case: Case, status: int, out: str, err: str) -> None:
    assert status == 1, (out, err)
    assert err.startswith("dftable-collect: error: "), err
    assert f"{case.damaged}: " in err, err  # the message names the offending file
    assert "Traceback" not in err
    case.assert_untouched()


@cache
def _original(target: Target) -> tuple[dict[str, Any], ...] | None:
    """The records of the undamaged file (without ``source``); None if it is refused."""
    try:
        records = read_files([target.summary_of(target.source) if target.with_summary
                              else target.source])  # fmt: skip
    except CollectError:
        return None
    return tuple(_without_source(record.as_dict()) for record in records)


def _without_source(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "source"}


def _shown(out: str) -> list[dict[str, Any]]:
    return [_without_source(record) for record in json.loads(out)]


# --- damage: bytes ---------------------------------------------------------------------

Damage = Callable[[bytes, Target], bytes | None]


def _middle(data: bytes) -> int:
    return len(data) // 2


def _line_boundary(data: bytes, target: Target) -> bytes:
    return data[: data.rfind(b"\n", 0, _middle(data)) + 1]


def _last_line_dropped(data: bytes, target: Target) -> bytes:
    return data[: data.rstrip(b"\n").rfind(b"\n") + 1]


def _flipped(data: bytes, target: Target) -> bytes:
    damaged = bytearray(data)
    for position in (len(data) // 3, len(data) // 2, 2 * len(data) // 3):
        damaged[position] ^= 0xFF  # an ASCII byte becomes one UTF-8 never has alone
    return bytes(damaged)


def _insert(extra: bytes) -> Damage:
    return lambda data, target: data[: _middle(data)] + extra + data[_middle(data) :]


BYTE_DAMAGE: dict[str, Damage] = {
    "empty": lambda data, target: b"",
    "first-byte-only": lambda data, target: data[:1],
    "cut-in-half": lambda data, target: data[: _middle(data)],
    "cut-at-a-line-end": _line_boundary,
    "last-line-dropped": _last_line_dropped,
    "one-byte-short": lambda data, target: data[:-1],
    "last-character-cut": lambda data, target: data[: len(data.rstrip()) - 1],
    "flipped-bytes": _flipped,
    "latin-1-byte": _insert(b"caf\xe9"),
    "nul-bytes": _insert(b"\x00\x00\x00\x00"),
    "utf-16": lambda data, target: data.decode("utf-8").encode("utf-16"),
    "garbage-appended": lambda data, target: data + b"#!garbage\n",
    "written-twice": lambda data, target: data + data,
    "nested-too-deep": lambda data, target: b"[" * 100_000,
}


# --- damage: valid JSON (or CSV) of the wrong shape -------------------------------------


def _map_numbers(value: Any, change: Callable[[float | int], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _map_numbers(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_numbers(v, change) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return change(value)
    return value


def _load(data: bytes, target: Target) -> Any:
    return yaml.safe_load(data) if target.is_yaml else json.loads(data)


def _dump(value: Any, target: Target) -> bytes:
    return (yaml.dump(value) if target.is_yaml else json.dumps(value, indent=1)).encode()


def _json_damage(change: Callable[[Any, Target], Any]) -> Damage:
    """A change of the parsed content, written back in the file's own syntax (JSON, YAML)."""

    def damage(data: bytes, target: Target) -> bytes | None:
        if target.is_csv:
            return None
        return _dump(change(_load(data, target), target), target)

    return damage


def _csv_numbers(data: bytes, change: Callable[[str], str]) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([change(cell) if re.fullmatch(r"-?[\d.]+", cell) else cell
                         for cell in row])  # fmt: skip
    return out.getvalue().encode()


def _without_required(data: bytes, target: Target) -> bytes:
    if target.is_csv:
        rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
        drop = rows[0].index(str(target.required[0]))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([r[:drop] + r[drop + 1 :] for r in rows])
        return out.getvalue().encode()
    parsed = _load(data, target)
    holder = parsed
    for key in target.required[:-1]:
        holder = holder[key]
    del holder[target.required[-1]]
    return _dump(parsed, target)


def _with_units(data: bytes, target: Target) -> bytes:
    if target.is_csv:
        return _csv_numbers(data, lambda cell: f"{cell} ms")
    return _dump(_map_numbers(_load(data, target), lambda n: f"{n} ms"), target)


def _huge_number(data: bytes, target: Target) -> bytes | None:
    if target.is_csv:
        return None
    # An integer beyond int("9" * 4300), the limit Python sets on reading digits.
    damaged = re.sub(rb"(?<=: )\d+(?=[,\s}\]])", b"9" * 5000, data, count=1)
    return None if damaged == data else damaged  # a file of floats only has no integer


SHAPE_DAMAGE: dict[str, Damage] = {
    "wrong-container": _json_damage(
        lambda data, target: [data] if isinstance(data, dict) else {"items": data}
    ),
    "empty-container": _json_damage(lambda data, target: {} if isinstance(data, dict) else []),
    "required-key-missing": _without_required,
    "numbers-with-units": _with_units,
    "numbers-as-lists": _json_damage(lambda data, target: _map_numbers(data, lambda n: [n])),
    "number-with-5000-digits": _huge_number,
}
# Valid variants that must read as the original does: tools write numbers as strings.
SAME_AS_ORIGINAL: dict[str, Damage] = {
    "numbers-as-text": _json_damage(lambda data, target: _map_numbers(data, str)),
}
# Where a refusal must name the field it could not read, not only the file.
NAMES_A_FIELD = {"numbers-with-units", "numbers-as-lists"}

ALL_DAMAGE = BYTE_DAMAGE | SHAPE_DAMAGE | SAME_AS_ORIGINAL
CASES = [
    pytest.param(target, damage, id=f"{target.name}-{damage}")
    for target in TARGETS
    for damage in ALL_DAMAGE
    if ALL_DAMAGE[damage](target.source.read_bytes(), target) is not None
]


def _expected(target: Target, damage: str, original: bytes, damaged: bytes) -> str:
    if damage in SAME_AS_ORIGINAL:
        return "same"
    if target.is_yaml and damage == "garbage-appended":
        return "same"  # "#!garbage" is a YAML comment: the content is unchanged
    if target.wrapped_is_valid and damage == "wrong-container":
        return "same"  # a sweep run in a list is the sweep's summary.json of that run
    if not target.line_oriented and damaged.strip() == original.strip():
        return "same"  # JSON that lost only whitespace (its final newline) is still whole
    if target.line_oriented and original.startswith(damaged) and damaged.endswith((b"\n", b"\r")):
        # Cut exactly at a line end (a CRLF file may keep its CR): shorter, valid text.
        if target.line_cut != "rows":
            return _RUNS_OR_REFUSED
        # Nothing can tell a CSV cut there from a sweep that ran fewer levels, so its rows
        # are read; a header alone is refused.
        return "fewer rows" if damaged.count(b"\n") > target.header_lines else "refused"
    # Everything else, including a file whose last line lost its line end: the collector
    # cannot tell that from a last value that lost digits, so it refuses.
    return "refused"


@pytest.mark.parametrize(("target", "damage"), CASES)
def test_damaged_result_file(tmp_path: Path, capsys: Capture, target: Target, damage: str) -> None:
    case = _case(tmp_path, target)
    original = case.damaged.read_bytes()
    damaged = ALL_DAMAGE[damage](original, target)
    assert damaged is not None and damaged != original
    case.damaged.write_bytes(damaged)
    expected = _expected(target, damage, original, damaged)
    records = _original(target)
    if expected == _RUNS_OR_REFUSED and records is not None:
        status, out, err = case.show(capsys, "--json")
        if status != 0:
            expected = "refused"  # the cut took part of a run: refused, as checked below
    if expected == "refused" or records is None:
        for status, out, err in (case.ingest(capsys), case.show(capsys)):
            _assert_refused(case, status, out, err)
            assert out == ""
            if damage in NAMES_A_FIELD and records is not None:
                assert re.search(r"field '[^']+'", err), err
        return
    status, out, err = case.show(capsys, "--json")
    assert status == 0, err
    shown = _shown(out)
    if expected == "same":
        assert tuple(shown) == records
    else:  # fewer rows, or the runs before a cut, each whole
        # The rows before the cut (a dropped row may have been one the reader leaves out).
        assert 0 < len(shown) <= len(records) and tuple(shown) == records[: len(shown)]
    status, out, err = case.ingest(capsys, "-q")
    assert status == 0, err
    after = case.table.read_bytes()
    assert after.startswith(case.before) and len(after) > len(case.before)
    assert not [name for name in _listing(case.table.parent) if name.endswith(".tmp")]


# A sample through the real command line: exit status and stderr of a real process.
@pytest.mark.parametrize(
    "name", ["neuronperf-csv", "llmperf-responses", "guidellm-0.4", "fmbench-2", "vllm-2024",
             "optimum-neuron"],
)  # fmt: skip
def test_damaged_file_through_the_real_command(tmp_path: Path, name: str) -> None:
    case = _case(tmp_path, BY_NAME[name])
    case.damaged.write_bytes(case.damaged.read_bytes()[:-20])
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_dftable.collect", "ingest", *map(str, case.files),
         "--table", str(case.table), "--no-host", "--set", "Inst. Type=inf2.48xlarge"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith(f"dftable-collect: error: {case.damaged}: ")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    case.assert_untouched()


# --- numbers that cannot be measurements -----------------------------------------------


@dataclass(frozen=True)
class Field:
    target: str
    path: tuple[str | int, ...]  # JSON keys, or (data row, column) of a CSV
    named: str  # how the refusal names it


FIELDS = (
    Field("neuronperf-csv", (1, "latency_ms_p50"), "'latency_ms_p50' (report 1)"),
    Field("neuronperf-json", (0, "throughput_avg"), "'throughput_avg' (report 1)"),
    Field("llmperf-summary", ("results_ttft_s_quantiles_p50",), "'results_ttft_s_quantiles_p50'"),
    Field("llmperf-responses", (2, "end_to_end_latency_s"),
          "'end_to_end_latency_s' (response 2)"),
    Field("guidellm-0.1", ("benchmarks", 0, "benchmarks", 1, "results", 0, "end_time"),
          "'results[0].end_time' (benchmarks[0].benchmarks[1])"),
    Field("guidellm-0.2", ("benchmarks", 0, "metrics", "time_to_first_token_ms", "successful",
                           "median"),
          "'metrics.time_to_first_token_ms.successful.median' (benchmarks[0])"),
    Field("guidellm-0.4", ("benchmarks", 0, "metrics", "output_tokens_per_second",
                           "successful", "mean"),
          "'metrics.output_tokens_per_second.successful.mean' (benchmarks[0])"),
    Field("fmbench-1", (2, "latency_mean"), "'latency_mean' (data row 2)"),
    Field("fmbench-2", (1, "TTFT_p99"), "'TTFT_p99' (data row 1)"),
    Field("vllm-bench-serve", ("median_ttft_ms",), "'median_ttft_ms'"),
    Field("vllm-2024", ("request_throughput",), "'request_throughput'"),
    Field("optimum-neuron", ("results", 1, "latency"), "'latency' (results[1])"),
)  # fmt: skip

IMPOSSIBLE = {
    "nan": (float("nan"), "nan", "not a finite number"),
    "inf": (float("inf"), "inf", "not a finite number"),
    "minus-inf": (float("-inf"), "-inf", "not a finite number"),
    "negative": (-12.5, "-12.5", "negative"),
    "unit-in-value": ("12 ms", "12 ms", "not a number (a unit in the value?"),
    "boolean": (True, "true", "not a number"),
}


def _set_field(path: Path, where: tuple[str | int, ...], json_value: Any, text: str) -> None:
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            rows = list(csv.reader(handle))
        row, column = where
        assert isinstance(row, int)
        rows[row][rows[0].index(str(column))] = text
        with path.open("w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        return
    data = json.loads(path.read_text())
    holder = data
    for key in where[:-1]:
        holder = holder[key]
    assert where[-1] in holder if isinstance(holder, dict) else True
    holder[where[-1]] = json_value
    path.write_text(json.dumps(data))  # NaN and Infinity as Python's json writes them


@pytest.mark.parametrize("value", IMPOSSIBLE)
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.target)
def test_impossible_number_is_refused_naming_the_field(
    tmp_path: Path, capsys: Capture, field: Field, value: str
) -> None:
    case = _case(tmp_path, BY_NAME[field.target])
    json_value, text, reason = IMPOSSIBLE[value]
    if value == "boolean" and case.damaged.suffix == ".csv":
        reason = "not a number"
    _set_field(case.damaged, field.path, json_value, text)
    for status, out, err in (case.ingest(capsys), case.show(capsys)):
        _assert_refused(case, status, out, err)
        assert f"field {field.named} is " in err and reason in err, err


def test_zero_is_a_measurement_and_no_value_is_not_refused(tmp_path: Path, capsys: Capture) -> None:
    # Zeros are real (no errors, an instant TTFT); null and "N/A" are the tools' "no value".
    case = _case(tmp_path, BY_NAME["vllm-bench-serve"])
    data = json.loads(case.damaged.read_text())
    data.update(failed=0, median_ttft_ms=0, p99_itl_ms=None, median_itl_ms="N/A")
    case.damaged.write_text(json.dumps(data))
    status, out, err = case.show(capsys, "--json")
    assert status == 0, err
    [record] = json.loads(out)
    assert (record["errors"], record["error_rate"], record["ttft_ms_p50"]) == (0, 0.0, 0.0)
    assert record["itl_ms_p50"] is None and record["itl_ms_p99"] is None


# --- a NUL character inside a value ----------------------------------------------------
# No NUL byte in the file (decode_text refuses those): an escape that parses into one, which
# no table may hold (Python 3.10's csv module can neither write nor read it).


def _with_nul_model(case: Case) -> None:
    if case.damaged.suffix == ".yaml":
        text = case.damaged.read_text()
        assert "  model: meta-llama/" in text
        case.damaged.write_text(text.replace("  model: meta-llama/", '  model: "meta\\0llama/'
                                             ).replace("-Instruct\n", '-Instruct"\n'))  # fmt: skip
        return
    data = json.loads(case.damaged.read_text())
    data["model_id"] = "meta\x00llama/Llama-3.1-8B-Instruct"
    case.damaged.write_text(json.dumps(data))
    assert "\\u0000" in case.damaged.read_text()


@pytest.mark.parametrize("name", ["vllm-bench-serve", "guidellm-0.8-yaml"])
def test_nul_inside_a_value_is_refused(tmp_path: Path, capsys: Capture, name: str) -> None:
    case = _case(tmp_path, BY_NAME[name])
    _with_nul_model(case)
    assert "\x00" not in case.damaged.read_text()
    for status, out, err in (case.ingest(capsys), case.show(capsys)):
        _assert_refused(case, status, out, err)
        assert err.count("\n") == 1 and "field 'model'" in err, err
        assert "\\x00llama/Llama" in err and "a NUL character, which no tool writes" in err, err


def test_nul_inside_a_run_file_value_is_refused(tmp_path: Path, capsys: Capture) -> None:
    case = _case(tmp_path, BY_NAME["vllm-bench-serve"])
    run = tmp_path / "run.toml"
    run.write_text('[set]\nEngine = "vLLM\\u0000"\n')
    status, out, err = case.ingest(capsys, "--run", run)
    assert (status, out) == (1, ""), err
    assert err == (f"dftable-collect: error: {run}: [set] 'Engine' holds a NUL character "
                   "(\\u0000): a corrupted file?\n")  # fmt: skip
    case.assert_untouched()


def test_nul_inside_a_bundle_value_is_refused(tmp_path: Path, capsys: Capture) -> None:
    # A bundle whose record holds one (this collector refuses the file at capture).
    case = _case(tmp_path, BY_NAME["vllm-bench-serve"])
    [record] = read_files(case.files)
    record.model = "meta-llama/Llama\x00-3.1-8B-Instruct"
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    capture = make_bundle(case.files, [record], host="inf2-a", facts=CapturedHost(),
                          set_values={}, run=None)  # fmt: skip
    (bundles / capture.name).write_bytes(capture.data)
    status, out, err = _run(capsys, "ingest", bundles, "--table", case.table, "--no-host",
                            "--set", "Inst. Type=inf2.48xlarge")  # fmt: skip
    assert (status, out) == (1, ""), err
    assert err == (
        f"dftable-collect: error: {bundles / capture.name}: refused bundle: "
        f"files/0/{case.damaged.name}: column 'Model' would hold a NUL character "
        "('meta-llama/Llama\\x00-3.1-8B-Instruct'), which a CSV table cannot keep: "
        "a corrupted file?\n"
    )
    case.assert_untouched()
    assert not (case.table.parent / "sweep.csv.bundles.json").exists()


# --- values in the wrong unit ----------------------------------------------------------


def _scale(path: Path, fields: list[tuple[str | int, ...]], factor: float) -> None:
    data = json.loads(path.read_text())
    for where in fields:
        holder = data
        for key in where[:-1]:
            holder = holder[key]
        holder[where[-1]] *= factor
    path.write_text(json.dumps(data))


def _guidellm_latency(bench: int) -> list[tuple[str | int, ...]]:
    base = ("benchmarks", bench, "metrics", "request_latency", "successful")
    return [(*base, "mean"), (*base, "percentiles", "p50"), (*base, "percentiles", "p99")]


UNIT_SLIPS = {
    # vLLM's *_ms fields holding seconds: the whole request is shorter than its first token.
    "vllm-e2el-in-seconds": ("vllm-bench-serve", [("mean_e2el_ms",), ("median_e2el_ms",),
                                                  ("p99_e2el_ms",)], 1 / 1000, "ttft_ms_p50"),
    # llmperf's *_s quantiles holding milliseconds.
    "llmperf-ttft-in-ms": ("llmperf-summary", [("results_ttft_s_quantiles_p50",),
                                               ("results_ttft_s_quantiles_p99",)], 1000,
                           "ttft_ms_p50"),
    # FMBench is in seconds everywhere; a TTFT written in ms.
    "fmbench-ttft-in-ms": ("fmbench-2", [], 1000, "ttft_ms_p50"),
    # guidellm's request_latency is seconds (no unit in its name); written in ms, the
    # request takes ~1000 times its first token plus its decode.
    "guidellm-latency-in-ms": ("guidellm-0.4", _guidellm_latency(0), 1000, "latency_s_p50"),
}  # fmt: skip


@pytest.mark.parametrize("slip", UNIT_SLIPS)
def test_value_in_the_wrong_unit_is_refused(tmp_path: Path, capsys: Capture, slip: str) -> None:
    name, fields, factor, named = UNIT_SLIPS[slip]
    case = _case(tmp_path, BY_NAME[name])
    if case.damaged.suffix == ".csv":
        with case.damaged.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            row["TTFT_p50"] = str(float(row["TTFT_p50"]) * factor)
            row["TTFT_p99"] = str(float(row["TTFT_p99"]) * factor)
        with case.damaged.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    else:
        _scale(case.damaged, fields, factor)
    for status, out, err in (case.ingest(capsys), case.show(capsys)):
        _assert_refused(case, status, out, err)
        assert f"field '{named}'" in err and "wrong unit" in err, err


# --- a table locked by another writer --------------------------------------------------

HOLDER = """\
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def test_table_locked_by_another_writer(tmp_path: Path, capsys: Capture) -> None:
    case = _case(tmp_path, BY_NAME["vllm-bench-serve"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(case.table))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "held\n"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "sphinx_dftable.collect", "ingest", str(case.damaged),
             "--table", str(case.table), "--no-host", "--set", "Inst. Type=inf2.48xlarge",
             "--lock-timeout", "0.5"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        waited = time.monotonic() - started
        assert done.returncode == 1
        assert done.stderr.startswith(
            f"dftable-collect: error: {case.table}: locked by another writer"
        ), done.stderr
        assert "0.5 s" in done.stderr and "Traceback" not in done.stderr
        assert waited >= 0.5
        case.assert_untouched()  # the holder's lock file is not beside the table
        assert lock_path(case.table).is_file()
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    # The holder is gone, and its lock with it: the same command now lands.
    status, _, err = case.ingest(capsys, "--lock-timeout", "0.5")
    assert status == 0, err
    assert case.table.read_bytes().startswith(case.before)
    assert len(case.table.read_text().splitlines()) == 3


# --- a full disk -----------------------------------------------------------------------


def _no_space(*args: object, **kwargs: object) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FillsUp:
    """A file whose disk fills halfway through the write, as a real one does."""

    def __init__(self, handle: io.BufferedWriter) -> None:
        self.handle = handle

    def __enter__(self) -> _FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        _no_space()
        return 0

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


def _inject(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if step == "create-temporary":
        monkeypatch.setattr(atomic_write.tempfile, "mkstemp", _no_space)
    elif step == "write":
        fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FillsUp(fdopen(*a, **k)))
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", _no_space)
    else:
        monkeypatch.setattr(os, "replace", _no_space)  # what Path.replace calls
        if sys.version_info < (3, 11):  # where Path.replace holds its own os.replace
            monkeypatch.setattr(Path, "replace", _no_space)


@pytest.mark.parametrize("step", ["create-temporary", "write", "fsync", "replace"])
def test_full_disk_while_writing_leaves_the_old_table(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    case = _case(tmp_path, BY_NAME["vllm-bench-serve"])
    _inject(step, monkeypatch)
    status, out, err = case.ingest(capsys)
    monkeypatch.undo()
    assert status == 1, out
    assert err == (
        f"dftable-collect: error: {case.table}: cannot write the table: "
        "No space left on device; it is unchanged\n"
    )
    case.assert_untouched()
    assert case.ingest(capsys)[0] == 0  # room again: the same command lands
    assert case.table.read_bytes().startswith(case.before)


def _unavailable(reason: str) -> None:
    # Not a failure under CI: a machine may refuse mounts even to root (no CAP_SYS_ADMIN),
    # and the file-size-limit test below makes the kernel refuse a write everywhere.
    pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB tmpfs."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        _unavailable("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        _unavailable(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_real_full_disk_leaves_the_old_table(small_disk: Path) -> None:
    table = small_disk / "sweep.csv"
    rows = [",".join({**KNOWN_ROW, "Model": f"model-{n}"}.values()) for n in range(300)]
    table.write_text(",".join(SCHEMA.columns) + "\n" + "\n".join(rows) + "\n")
    before = table.read_bytes()
    assert len(before) > 20_000  # the new table needs as much room again, beside the old
    stats = os.statvfs(small_disk)
    room = stats.f_bavail * stats.f_frsize
    (small_disk / "filler").write_bytes(b"x" * (room - 8192))
    stats = os.statvfs(small_disk)
    assert stats.f_bavail * stats.f_frsize < len(before)
    command = [sys.executable, "-m", "sphinx_dftable.collect", "ingest",
               str(FIXTURES / "vllm" / "bench-serve-inf2-c4.json"), "--table", str(table),
               "--no-host", "--set", "Inst. Type=inf2.48xlarge", "-q"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr == (
        f"dftable-collect: error: {table}: cannot write the table: "
        "No space left on device; it is unchanged\n"
    )
    assert table.read_bytes() == before
    assert _listing(small_disk) == sorted([table.name, "filler"])
    (small_disk / "filler").unlink()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    after = table.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


def test_kernel_refusing_a_write_leaves_the_old_table(tmp_path: Path) -> None:
    """A real write failure on every machine: the file-size limit makes the kernel stop the
    new table half-way (EFBIG), as a full disk does (ENOSPC)."""
    table = tmp_path / "sweep.csv"
    rows = [",".join({**KNOWN_ROW, "Model": f"model-{n}"}.values()) for n in range(300)]
    table.write_text(",".join(SCHEMA.columns) + "\n" + "\n".join(rows) + "\n")
    before = table.read_bytes()
    command = [sys.executable, "-m", "sphinx_dftable.collect", "ingest",
               str(FIXTURES / "vllm" / "bench-serve-inf2-c4.json"), "--table", str(table),
               "--no-host", "--set", "Inst. Type=inf2.48xlarge", "-q"]  # fmt: skip
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=env,
        preexec_fn=_limit_file_size(len(before) // 2),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        f"dftable-collect: error: {table}: cannot write the table: File too large; "
        "it is unchanged\n"
    )
    assert table.read_bytes() == before
    assert _listing(tmp_path) == [table.name]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert table.read_bytes().startswith(before)
