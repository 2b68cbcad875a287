"""aiperf (every schema generation, and its CSV) and genai-perf: expectations computed from
each fixture's own raw values, so a unit slip or a neighbour's value shows as a mismatch."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sphinx_dftable.collect.detect import read_file
from sphinx_dftable.collect.errors import CollectError

AIPERF = "profile_export_aiperf.json"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("folder", "label", "where"),
    [
        ("unversioned-c4", "aiperf", ()),
        ("v0.8-rate", "aiperf-0.8", ()),
        ("v0.10-phases", "aiperf-0.10", ()),
        ("v0.1-records", "aiperf-0.1", ("records",)),
    ],
)
def test_aiperf_json_every_generation(
    fixtures: Path, folder: str, label: str, where: tuple[str, ...]
) -> None:
    path = fixtures / "aiperf" / folder / AIPERF
    raw = _json(path)
    metrics = raw[where[0]] if where else raw
    ttft = metrics["ttft" if where else "time_to_first_token"]
    [record] = read_file(path)
    assert record.format == label and record.tool == "aiperf"
    assert record.model == raw["input_config"]["endpoint"]["model_names"][0]
    assert ttft["unit"] == "ms"
    assert record.ttft_ms_p50 == ttft["p50"] and record.ttft_ms_p99 == ttft["p99"]
    itl = metrics["inter_token_latency"]
    # aiperf's ITL is (latency - TTFT) / (output tokens - 1): decode only, so also the TPOT.
    assert record.itl_ms_p50 == record.tpot_ms_p50 == itl["p50"]
    latency = metrics["request_latency"]
    assert record.latency_s_p99 == pytest.approx(latency["p99"] / 1000)
    assert record.latency_s_mean == pytest.approx(latency["avg"] / 1000)
    assert record.requests_per_s == metrics["request_throughput"]["avg"]
    assert record.output_tokens_per_s == metrics["output_token_throughput"]["avg"]
    assert metrics["benchmark_duration"]["unit"] == "sec"
    assert record.duration_s == metrics["benchmark_duration"]["avg"]
    prompt = raw["input_config"]["input"]["prompt"]
    # The configured lengths, not the measured means (which a rerun changes).
    assert record.input_length == prompt["input_tokens"]["mean"]
    assert record.output_length == prompt["output_tokens"]["mean"]
    assert record.output_tokens_mean == metrics["output_sequence_length"]["avg"]


def test_aiperf_load_settings_of_each_generation(fixtures: Path) -> None:
    def load(folder: str) -> tuple[str | None, int | None]:
        [record] = read_file(fixtures / "aiperf" / folder / AIPERF)
        return record.mode, record.concurrency

    assert load("unversioned-c4") == ("concurrent", 4)  # input_config.loadgen.concurrency
    # A request rate with --concurrency: the concurrency is a cap, not the run's.
    raw = _json(fixtures / "aiperf" / "v0.8-rate" / AIPERF)["input_config"]["loadgen"]
    assert raw["concurrency"] == 64 and raw["request_rate"] == 2.0
    assert load("v0.8-rate") == ("poisson@2", None)
    # 0.10: the warm-up phase (16 in flight) is excluded; the profiling phase has 8.
    phases = _json(fixtures / "aiperf" / "v0.10-phases" / AIPERF)["input_config"]["phases"]
    assert [p["exclude_from_results"] for p in phases] == [True, False]
    assert load("v0.10-phases") == ("concurrent", phases[1]["concurrency"])


def test_aiperf_successful_count_is_request_count(fixtures: Path) -> None:
    path = fixtures / "aiperf" / "v0.8-rate" / AIPERF
    raw = _json(path)
    assert raw["completed_request_count"]["avg"] != raw["request_count"]["avg"]  # they disagree
    [record] = read_file(path)
    errors = raw["error_request_count"]["avg"]
    assert record.errors == errors
    assert record.error_rate == pytest.approx(errors / (raw["request_count"]["avg"] + errors))


def test_aiperf_without_errors_recorded_has_no_error_figures(fixtures: Path) -> None:
    path = fixtures / "aiperf" / "unversioned-c4" / AIPERF
    assert _json(path)["error_request_count"] is None
    [record] = read_file(path)
    assert record.errors is None and record.error_rate is None  # not held: null, not 0


def test_aiperf_cancelled_run_without_request_count_is_refused(fixtures: Path) -> None:
    path = fixtures / "aiperf" / "cancelled-all-failed" / AIPERF
    raw = _json(path)
    assert "request_count" not in raw and raw["was_cancelled"] is True
    with pytest.raises(CollectError) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: no successful requests: no request_count")
    assert "error_request_count is 50" in message and "was_cancelled is true" in message
    assert "50 x TimeoutError" in message


def _csv_tables(path: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    header: list[str] = []
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
        if not row:
            header = []
        elif not header:
            header = row
        else:
            rows[row[0]] = dict(zip(header, row, strict=True))
    return rows


def test_aiperf_csv_reads_every_table(fixtures: Path) -> None:
    path = fixtures / "aiperf" / "csv-c8" / "profile_export_aiperf.csv"
    assert b"\r\n\r\n" in path.read_bytes()  # CRLF, tables between blank lines
    rows = _csv_tables(path)
    [record] = read_file(path)
    assert record.format == "aiperf-csv"
    ttft = rows["Time to First Token (ms)"]
    assert record.ttft_ms_p50 == float(ttft["p50"]) and record.ttft_ms_p99 == float(ttft["p99"])
    itl = rows["Inter Token Latency (ms)"]
    assert itl["p99"] == "" and record.itl_ms_p99 is None  # an empty cell is no value
    assert record.itl_ms_p50 == float(itl["p50"])
    latency = rows["Request Latency (ms)"]
    assert record.latency_s_p50 == pytest.approx(float(latency["p50"]) / 1000)
    assert record.requests_per_s == float(rows["Request Throughput (requests/sec)"]["Value"])
    assert record.duration_s == float(rows["Benchmark Duration (sec)"]["Value"])
    assert record.output_tokens_per_s == float(
        rows["Output Token Throughput (tokens/sec)"]["Value"]
    )
    # The CSV records neither the model nor the load.
    assert record.model is None and record.concurrency is None and record.mode is None


def test_aiperf_csv_without_request_count_is_refused(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "aiperf" / "csv-c8" / "profile_export_aiperf.csv").read_text()
    path = tmp_path / "profile_export_aiperf.csv"
    path.write_text(text.replace("Request Count,128.00", "Request Count,0.00"))
    with pytest.raises(CollectError, match="no successful requests: its Request Count is 0"):
        read_file(path)


@pytest.mark.parametrize(
    ("folder", "concurrency", "lengths"),
    [
        ("flat-c2", ("concurrency",), ("synthetic_input_tokens_mean", "output_tokens_mean")),
        ("config-c8", ("perf_analyzer", "stimulus", "concurrency"), ("input", "synthetic_tokens")),
    ],
)
def test_genai_perf_both_settings_eras(
    fixtures: Path, folder: str, concurrency: tuple[str, ...], lengths: tuple[str, ...]
) -> None:
    path = fixtures / "genai-perf" / folder / "profile_export_genai_perf.json"
    raw = _json(path)
    settings = raw["input_config"]
    expected_concurrency: Any = settings
    for key in concurrency:
        expected_concurrency = expected_concurrency[key]
    [record] = read_file(path)
    assert record.format == "genai-perf" and record.tool == "genai-perf"
    assert record.concurrency == expected_concurrency and record.mode == "concurrent"
    assert record.ttft_ms_p50 == raw["time_to_first_token"]["p50"]
    assert record.tpot_ms_p99 == raw["inter_token_latency"]["p99"]
    assert record.latency_s_p50 == pytest.approx(raw["request_latency"]["p50"] / 1000)
    assert raw["request_count"]["unit"] == "count"
    assert record.input_tokens_mean == raw["input_sequence_length"]["avg"]
    if lengths[0] == "input":
        assert record.input_length == settings["input"]["synthetic_tokens"]["mean"]
        assert record.output_length == settings["input"]["output_tokens"]["mean"]
    else:
        assert record.input_length == settings[lengths[0]]
        assert record.output_length == settings[lengths[1]]
