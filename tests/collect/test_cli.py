"""The command line, called as ``main([...])``: what it prints, writes and refuses."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sphinx_dftable.collect.cli import main
from sphinx_dftable.collect.record import CORE_FIELDS
from sphinx_dftable.collect.schema import BUILTIN_SCHEMAS

Capture = pytest.CaptureFixture[str]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle))


def _vllm(fixtures: Path) -> Path:
    return fixtures / "vllm" / "bench-serve-inf2-c4.json"


def _llmperf(fixtures: Path, folder: str) -> Path:
    return next((fixtures / "llmperf" / folder).glob("*_summary.json"))


# --- show -------------------------------------------------------------------------------


def test_show_json_lists_every_record_with_all_keys(fixtures: Path, capsys: Capture) -> None:
    files = [_vllm(fixtures), fixtures / "guidellm" / "v0.2-benchmarks.json"]
    assert main(["show", "--json", *map(str, files)]) == 0
    records = json.loads(capsys.readouterr().out)
    benches = json.loads(files[1].read_text())["benchmarks"]
    assert len(records) == 1 + len(benches)
    for record in records:
        assert set(CORE_FIELDS) <= record.keys()
    assert records[0]["source"] == str(files[0])
    assert records[0]["format"] == "vllm"
    assert records[0]["inferences_per_s"] is None  # null where the source has no value
    assert records[0]["ttft_ms_p99"] == json.loads(files[0].read_text())["p99_ttft_ms"]


def test_show_prints_one_block_per_record(fixtures: Path, capsys: Capture) -> None:
    path = fixtures / "neuronperf" / "resnet50.results-20240105-120000.json"
    assert main(["show", str(path), "--batch-size", "16"]) == 0
    out = capsys.readouterr().out
    blocks = out.strip().split("\n\n")
    reports = json.loads(path.read_text())
    assert len(blocks) == len(reports)
    for number, block in enumerate(blocks, start=1):
        title, *lines = block.splitlines()
        # The source as given (not only its name), and which run of the file it is.
        assert title == f"{path}  (run {number} of {len(reports)})"
        fields = dict(line.split(maxsplit=1) for line in lines)
        assert fields["format"] == "neuronperf" and fields["batch_size"] == "16"
        assert "inferences_per_s" in fields and "ttft_ms_p50" not in fields  # only known values
    assert max(len(line) for line in out.splitlines()) <= 120


def test_show_columns_prints_a_table_of_chosen_fields(fixtures: Path, capsys: Capture) -> None:
    path = fixtures / "guidellm" / "v0.8-benchmarks.json"
    relative = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    assert main(["show", str(relative), "--columns", "source,mode,concurrency,ttft_ms_p50"]) == 0
    header, _rule, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["source", "mode", "concurrency", "ttft_ms_p50"]
    assert len(lines) == len(json.loads(path.read_text())["benchmarks"])
    assert all(line.startswith(str(relative)) for line in lines)  # the path as given
    assert main(["show", str(path), "--columns", "source,speed"]) == 2
    assert "'speed'" in capsys.readouterr().err


def test_show_refuses_and_names_the_file(fixtures: Path, capsys: Capture) -> None:
    bad = fixtures / "vllm" / "all-failed.json"
    assert main(["show", str(_vllm(fixtures)), str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(bad) in captured.err and "no successful requests" in captured.err


def test_usage_errors_exit_2(capsys: Capture) -> None:
    assert main(["show"]) == 2
    assert main(["ingest", "x.json"]) == 2  # --table is required
    assert main(["show", "--format", "nope", "x.json"]) == 2
    assert "usage:" in capsys.readouterr().err


# --- ingest -----------------------------------------------------------------------------


def _sweep(tmp_path: Path, fixtures: Path, *extra: str) -> tuple[int, Path]:
    table = tmp_path / "sweep.csv"
    status = main(
        ["ingest", str(_vllm(fixtures)), str(_llmperf(fixtures, "c4")), "--table", str(table),
         "--schema", "serving-sweep", "--set", "Inst. Type=ml.inf2.48xlarge", *extra]
    )  # fmt: skip
    return status, table


def test_ingest_creates_a_table_with_the_schema_header(
    tmp_path: Path, fixtures: Path, capsys: Capture
) -> None:
    status, table = _sweep(tmp_path, fixtures)
    assert status == 0
    assert _header(table) == list(BUILTIN_SCHEMAS["serving-sweep"].columns)
    vllm_raw = json.loads(_vllm(fixtures).read_text())
    llmperf_raw = json.loads(_llmperf(fixtures, "c4").read_text())
    vllm_row, llmperf_row = _rows(table)
    assert vllm_row["Model"] == vllm_raw["model_id"]
    assert vllm_row["Engine"] == "vLLM" and llmperf_row["Engine"] == ""
    assert {vllm_row["Inst. Type"], llmperf_row["Inst. Type"]} == {"Inf2.48xlarge"}
    assert vllm_row["Concurrency"] == str(vllm_raw["max_concurrency"])
    assert float(vllm_row["TTFT P99 (ms)"]) == vllm_raw["p99_ttft_ms"]
    assert float(llmperf_row["TTFT P50 (ms)"]) == pytest.approx(
        llmperf_raw["results_ttft_s_quantiles_p50"] * 1000, abs=1e-4
    )
    assert float(llmperf_row["Requests per Minute"]) == pytest.approx(
        llmperf_raw["results_num_completed_requests_per_min"], abs=1e-4
    )
    assert llmperf_row["Errors"] == str(llmperf_raw["results_number_errors"])
    assert "added 2 row(s)" in capsys.readouterr().out


def test_reingest_is_idempotent_and_updates_only_changed_rows(
    tmp_path: Path, fixtures: Path, results: Path
) -> None:
    _, table = _sweep(tmp_path, fixtures)
    before = table.read_bytes()
    assert _sweep(tmp_path, fixtures, "-q")[0] == 0
    assert table.read_bytes() == before
    # A new run of the same load level replaces its row; the other row keeps its bytes.
    newer = results / "vllm" / "bench-serve-inf2-c4.json"
    data = json.loads(newer.read_text())
    data["p99_ttft_ms"] = 700.25
    newer.write_text(json.dumps(data))
    assert main(["ingest", str(newer), "--table", str(table), "--set",
                 "Inst. Type=inf2.48xlarge", "-q"]) == 0  # fmt: skip
    old_lines, new_lines = before.decode().splitlines(), table.read_text().splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed == [1] and ",700.25," in new_lines[1]


def test_dry_run_prints_rows_and_writes_nothing(
    tmp_path: Path, fixtures: Path, capsys: Capture
) -> None:
    _, table = _sweep(tmp_path, fixtures, "-q")
    before = table.read_bytes()
    capsys.readouterr()
    status = main(["ingest", str(fixtures / "guidellm" / "v0.3-benchmarks.json"), "--table",
                   str(table), "--set", "Inst. Type=inf2.48xlarge", "--dry-run"])  # fmt: skip
    assert status == 0
    out = capsys.readouterr().out
    assert "would add 2 row(s)" in out and "concurrent" in out and "poisson@1.5" in out
    assert table.read_bytes() == before


def test_a_bad_file_means_nothing_is_written(
    tmp_path: Path, fixtures: Path, capsys: Capture
) -> None:
    _, table = _sweep(tmp_path, fixtures, "-q")
    before = table.read_bytes()
    bad = tmp_path / "broken.json"
    bad.write_text('{"backend": "vllm", "completed": ')
    status = main(["ingest", str(fixtures / "guidellm" / "v0.3-benchmarks.json"), str(bad),
                   "--table", str(table), "--set", "Inst. Type=inf2.48xlarge"])  # fmt: skip
    assert status == 1
    assert table.read_bytes() == before
    err = capsys.readouterr().err
    assert str(bad) in err and "malformed JSON" in err


@pytest.mark.parametrize(
    ("args", "message", "status"),
    [
        (["--set", "Colour=blue"], "'Colour'", 2),
        (["--set", "no-equals-sign"], "expected", 2),
        (["--schema", "nope"], "unknown schema 'nope'", 2),
        (["--schema", "llm", "--set", "Input Length=1024", "--set", "Output Length=256"],
         "does not match the schema", 1),
    ],
)  # fmt: skip
def test_ingest_refusals(
    tmp_path: Path, fixtures: Path, capsys: Capture, args: list[str], message: str, status: int
) -> None:
    _, table = _sweep(tmp_path, fixtures, "-q")
    before = table.read_bytes()
    capsys.readouterr()
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(table),
                 "--set", "Inst. Type=inf2.48xlarge", *args]) == status  # fmt: skip
    assert message in capsys.readouterr().err
    assert table.read_bytes() == before


def test_new_table_needs_a_schema_and_rows_need_an_instance_type(
    tmp_path: Path, fixtures: Path, capsys: Capture
) -> None:
    table = tmp_path / "t.csv"
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(table)]) == 2  # usage
    assert "pass --schema" in capsys.readouterr().err
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(table),
                 "--schema", "serving-sweep"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "'Inst. Type'" in err and str(_vllm(fixtures)) in err
    assert not table.exists()


def test_instance_type_from_the_metadata_service(
    tmp_path: Path, fixtures: Path, imds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    table = tmp_path / "t.csv"
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(table),
                 "--schema", "serving-sweep", "-q"]) == 0  # fmt: skip
    assert _rows(table)[0]["Inst. Type"] == "Inf2.48xlarge" == imds.instance_type.capitalize()
    # --no-host: the same ingest has no instance type and is refused.
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(tmp_path / "u.csv"),
                 "--schema", "serving-sweep", "--no-host", "-q"]) == 1  # fmt: skip


def test_sweep_rows_must_be_told_apart_or_picked(
    tmp_path: Path, fixtures: Path, capsys: Capture
) -> None:
    path = fixtures / "neuronperf" / "bert-base-cased.results-20240105-101500.csv"
    table = tmp_path / "throughput_data_language.csv"
    base = ["ingest", str(path), "--table", str(table), "--schema", "language",
            "--set", "Framework=PyTorch", "--set", "OS Type=U22",
            "--set", "Neuron Version=2.20.0"]  # fmt: skip
    assert main(base) == 1
    assert "--pick" in capsys.readouterr().err
    assert main([*base, "--pick", "throughput", "-q"]) == 0
    [row] = _rows(table)
    with path.open(newline="") as handle:
        reports = [r for r in csv.DictReader(handle) if r["throughput_avg"] != "N/A"]
    best = max(reports, key=lambda r: float(r["throughput_avg"]))
    assert row["Throughput (inference/second)"] == best["throughput_avg"]
    assert row["Latency P99 (ms)"] == best["latency_ms_p99"]
    assert row["Run Mode"] == "Data Parallel" and row["OS Type"] == "U22"
    assert main([*base, "--pick", "latency", "-q"]) == 0
    [row] = _rows(table)
    fastest = min(reports, key=lambda r: float(r["latency_ms_p50"]))
    assert row["Latency P50 (ms)"] == fastest["latency_ms_p50"]


def test_llm_layout_counts_input_and_output_tokens(tmp_path: Path, fixtures: Path) -> None:
    path = fixtures / "optimum-neuron" / "llama-2-7b-bs4.json"
    table = tmp_path / "throughput_data_LLM.csv"
    assert main(["ingest", str(path), "--table", str(table), "--schema", "llm",
                 "--set", "Inst. Type=inf2.48xlarge", "-q"]) == 0  # fmt: skip
    raw = json.loads(path.read_text())
    rows = _rows(table)
    assert _header(table) == list(BUILTIN_SCHEMAS["llm"].columns)
    for row, result in zip(rows, raw["results"], strict=True):
        tokens = result["input_length"] + result["new_tokens"]
        duration = result["encoding_time"] + result["latency"] * result["new_tokens"] / 1000
        assert float(row["Throughput (tokens/second)"]) == pytest.approx(
            result["throughput"] * tokens / result["new_tokens"], abs=1e-4
        )
        assert float(row["Latency per Token P50 (ms)"]) == pytest.approx(
            duration * 1000 / tokens, abs=1e-4
        )
        assert row["Input Length"] == str(result["input_length"])
        assert row["TP Degree"] == str(raw["neuron_config"]["num_cores"])


def test_decoder_and_price_performance_layouts(tmp_path: Path, fixtures: Path) -> None:
    decoder = tmp_path / "decoder.csv"
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(decoder), "--schema",
                 "decoder", "--set", "Inst. Type=inf2.48xlarge", "--set", "Batch Size=4",
                 "--set", "Input Length=1024", "--set", "Output Length=256",
                 "-q"]) == 0  # fmt: skip
    raw = json.loads(_vllm(fixtures).read_text())
    [row] = _rows(decoder)
    assert float(row["TPOT Latency P50 (ms)"]) == raw["median_tpot_ms"]
    assert float(row["Output Token Throughput (tokens/sec)"]) == raw["output_throughput"]
    assert row["Batch Size"] == "4"
    fm = fixtures / "fmbench" / "v1" / "all_metrics_summary.csv"
    table = tmp_path / "pp.csv"
    assert main(["ingest", str(fm), "--table", str(table), "--schema", "price-performance",
                 "-q"]) == 0  # fmt: skip
    rows = _rows(table)
    assert {r["Inst. Type"] for r in rows} == {"Inf2.48xlarge"}
    assert [r["Concurrency"] for r in rows] == ["1", "2", "4", "2"]


RUN_FILE = """\
schema = "my-sweep"

[set]
Engine = "TGI"
"Inst. Type" = "inf2.48xlarge"
Note = 7

[schemas.my-sweep]
description = "TTFT only"
columns = ["Model", "Engine", "Inst. Type", "Concurrency", "TTFT P50 (ms)", "Note",
           "Decode P50 (ms)"]
keys = ["Model", "Engine", "Inst. Type", "Concurrency"]
fields = { "Decode P50 (ms)" = "tpot_ms_p50" }
"""


def test_run_file_schema_and_values(tmp_path: Path, fixtures: Path, capsys: Capture) -> None:
    run = tmp_path / "run.toml"
    run.write_text(RUN_FILE)
    table = tmp_path / "mine.csv"
    summary = _llmperf(fixtures, "c4")
    assert main(["ingest", str(summary), "--table", str(table), "--run", str(run), "-q"]) == 0
    [row] = _rows(table)
    assert list(row) == ["Model", "Engine", "Inst. Type", "Concurrency", "TTFT P50 (ms)",
                         "Note", "Decode P50 (ms)"]  # fmt: skip
    assert row["Engine"] == "TGI" and row["Note"] == "7" and row["Decode P50 (ms)"]
    assert main(["schemas", "--run", str(run)]) == 0
    assert "my-sweep: TTFT only" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("schema = 3", "'schema' must be"),
        ("tabel = 'x'", "unknown setting"),
        ("[set]\nX = true", "string or a number"),
        ("[schemas.llm]\ncolumns = ['Model']", "built-in"),
        ("[schemas.x]\ncolumns = []", "non-empty list"),
        ("[schemas.x]\ncolumns = ['A']\nfields = { A = 'speed' }", "'speed' is not a record field"),
        ("[schemas.x]\ncolumns = ['A']\nkeys = ['B']", "'keys'"),
        ("this is not toml", "malformed run file"),
    ],
)
def test_bad_run_files_are_refused(
    tmp_path: Path, fixtures: Path, capsys: Capture, content: str, message: str
) -> None:
    run = tmp_path / "run.toml"
    run.write_text(content)
    assert main(["ingest", str(_vllm(fixtures)), "--table", str(tmp_path / "t.csv"),
                 "--run", str(run)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert message in err and str(run) in err


def test_quiet_prints_nothing(tmp_path: Path, fixtures: Path, capsys: Capture) -> None:
    assert _sweep(tmp_path, fixtures, "--quiet")[0] == 0
    assert capsys.readouterr() == ("", "")


def test_host_and_schemas_commands(capsys: Capture) -> None:
    assert main(["host"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["instance_type"] is None  # metadata disabled in tests
    assert set(facts) == {"instance_type", "os_type", "neuron_packages"}
    assert main(["schemas"]) == 0
    out = capsys.readouterr().out
    for name, schema in BUILTIN_SCHEMAS.items():
        assert f"{name}: " in out and ", ".join(schema.columns) in out


def test_python_dash_m_entry_point(fixtures: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_dftable.collect", "show", "--json", str(_vllm(fixtures))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["format"] == "vllm"
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx_dftable.collect",
            "show",
            str(fixtures / "vllm" / "all-failed.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1 and "all-failed.json" in failed.stderr
