"""Each tool's files parse into records in the collector's units (expectations computed
from the fixture's own raw values, so a unit slip shows as a mismatch)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sphinx_dftable.collect.detect import read_file
from sphinx_dftable.collect.record import CORE_FIELDS, Record, normalize_instance_type


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _by(records: list[Record], **wanted: object) -> Record:
    [match] = [r for r in records if all(getattr(r, k) == v for k, v in wanted.items())]
    return match


# --- NeuronPerf -------------------------------------------------------------------------


def test_neuronperf_csv_maps_each_sweep_row_and_drops_na_rows(fixtures: Path) -> None:
    path = fixtures / "neuronperf" / "bert-base-cased.results-20240105-101500.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = read_file(path)
    measured = [row for row in rows if row["throughput_avg"] != "N/A"]
    assert len(records) == len(measured) < len(rows)
    for record, row in zip(records, measured, strict=True):
        assert record.format == "neuronperf"
        assert record.model == row["model_name"]
        assert record.inferences_per_s == float(row["throughput_avg"])
        assert record.latency_ms_p50 == float(row["latency_ms_p50"])
        assert record.latency_ms_p99 == float(row["latency_ms_p99"])
        assert record.batch_size == int(row["batch_size"])
        assert record.instance_type == normalize_instance_type(row["instance_type"])
        assert record.run_mode == "Data Parallel"
        assert record.mode == f"n_models={row['n_models']}, workers={row['workers_per_model']}"


def test_neuronperf_json_na_instance_and_pipeline_mode(fixtures: Path) -> None:
    path = fixtures / "neuronperf" / "resnet50.results-20240105-120000.json"
    reports = _json(path)
    records = read_file(path)
    assert len(records) == len(reports)
    for record, report in zip(records, reports, strict=True):
        assert record.instance_type is None  # "N/A" in the report
        assert record.inferences_per_s == report["throughput_avg"]
        assert record.run_mode == ("Data Parallel" if report["pipeline_size"] == 1 else None)


# --- llmperf ----------------------------------------------------------------------------


def test_llmperf_summary_units(fixtures: Path) -> None:
    path = next((fixtures / "llmperf" / "c1").glob("*_summary.json"))
    raw = _json(path)
    [record] = read_file(path)
    assert record.model == raw["model"]
    assert record.concurrency == raw["num_concurrent_requests"]
    assert record.batch_size is None  # client concurrency is not a batch size
    assert record.ttft_ms_p50 == pytest.approx(raw["results_ttft_s_quantiles_p50"] * 1000)
    assert record.ttft_ms_p99 == pytest.approx(raw["results_ttft_s_quantiles_p99"] * 1000)
    assert record.itl_ms_p50 == pytest.approx(
        raw["results_inter_token_latency_s_quantiles_p50"] * 1000
    )
    assert record.latency_s_p99 == raw["results_end_to_end_latency_s_quantiles_p99"]
    assert record.output_tokens_per_s == raw["results_mean_output_throughput_token_per_s"]
    assert record.requests_per_min == raw["results_num_completed_requests_per_min"]
    assert record.input_tokens_mean == raw["results_number_input_tokens_mean"]
    # No individual responses beside this summary: no decode-only figure.
    assert record.tpot_ms_p50 is None
    # Token-count min/max are strings in the file; they must not break parsing.
    assert isinstance(raw["results_number_output_tokens_min"], str)
    tokens = raw["results_number_input_tokens_mean"] + raw["results_number_output_tokens_mean"]
    assert record.total_tokens_per_s == pytest.approx(
        raw["results_mean_output_throughput_token_per_s"]
        * tokens
        / raw["results_number_output_tokens_mean"]
    )


def test_llmperf_decode_only_latency_from_individual_responses(fixtures: Path) -> None:
    summary = next((fixtures / "llmperf" / "c4").glob("*_summary.json"))
    responses = _json(next((fixtures / "llmperf" / "c4").glob("*_individual_responses.json")))
    raw = _json(summary)
    [record] = read_file(summary)
    ok = [r for r in responses if r["error_code"] is None]
    assert len(ok) < len(responses)  # the fixture has a failed (429) request
    decode = [
        (r["end_to_end_latency_s"] - r["ttft_s"]) * 1000 / (r["number_output_tokens"] - 1)
        for r in ok
    ]
    per_token = [
        r["end_to_end_latency_s"] * 1000 / (r["number_input_tokens"] + r["number_output_tokens"])
        for r in ok
    ]
    assert record.tpot_ms_p50 == pytest.approx(np.percentile(decode, 50))
    assert record.tpot_ms_p99 == pytest.approx(np.percentile(decode, 99))
    assert record.latency_per_token_ms_p50 == pytest.approx(np.percentile(per_token, 50))
    # llmperf's own inter-token latency includes the first token, so it is larger.
    assert record.itl_ms_p50 is not None and record.itl_ms_p50 > record.tpot_ms_p50
    assert record.errors == raw["results_number_errors"] == 1
    assert record.error_rate == raw["results_error_rate"]
    assert raw["results_error_code_frequency"] == "{429.0: 1}"  # a Python repr, not JSON


# --- guidellm ---------------------------------------------------------------------------


def test_guidellm_01_computes_metrics_from_samples(fixtures: Path) -> None:
    path = fixtures / "guidellm" / "v0.1-report.json"
    report = _json(path)["benchmarks"][0]
    records = read_file(path)
    assert [r.mode for r in records] == ["synchronous", "throughput", "constant@0.85"]
    assert {r.format for r in records} == {"guidellm-0.1"}
    assert {r.model for r in records} == {report["args"]["model"]}
    for record, run in zip(records, report["benchmarks"], strict=True):
        results = run["results"]
        ttft = [r["first_token_time"] * 1000 for r in results]
        itl = [d * 1000 for r in results for d in r["decode_times"]["data"]]
        latency = [r["end_time"] - r["start_time"] for r in results]
        span = max(r["end_time"] for r in results) - min(r["start_time"] for r in results)
        out = [r["output_token_count"] for r in results]
        assert record.ttft_ms_p50 == pytest.approx(np.percentile(ttft, 50))
        assert record.ttft_ms_p99 == pytest.approx(np.percentile(ttft, 99))
        assert record.itl_ms_p50 == pytest.approx(np.percentile(itl, 50))
        assert record.latency_s_mean == pytest.approx(np.mean(latency))
        assert record.output_tokens_per_s == pytest.approx(sum(out) / span)
        assert record.output_tokens_mean == pytest.approx(np.mean(out))
        # The produced count, not the requested one (request.output_token_count).
        assert record.output_tokens_mean != results[0]["request"]["output_token_count"]
        n_errors = len(run["errors"])
        assert record.errors == n_errors
        assert record.error_rate == pytest.approx(n_errors / (n_errors + len(results)))
    assert records[0].concurrency == 1


@pytest.mark.parametrize(
    ("name", "label", "p50_key"),
    [
        ("v0.2-benchmarks.json", "guidellm-0.2", "median"),
        ("v0.3-benchmarks.json", "guidellm-0.3", "p50"),
    ],
)
def test_guidellm_02_03_metrics(fixtures: Path, name: str, label: str, p50_key: str) -> None:
    path = fixtures / "guidellm" / name
    benches = _json(path)["benchmarks"]
    records = read_file(path)
    assert len(records) == len(benches)
    for record, bench in zip(records, benches, strict=True):
        m = bench["metrics"]

        def p50(metric: str, m: dict[str, Any] = m) -> float:
            block = m[metric]["successful"]
            return block["median"] if p50_key == "median" else block["percentiles"]["p50"]

        assert record.format == label
        assert ("p50" in m["request_latency"]["successful"]["percentiles"]) is (p50_key == "p50")
        assert record.model == bench["worker"]["backend_model"]
        assert record.ttft_ms_p50 == p50("time_to_first_token_ms")
        assert record.itl_ms_p50 == p50("inter_token_latency_ms")
        # Before 0.4 time_per_output_token_ms excludes the first token: it is the TPOT.
        assert record.tpot_ms_p50 == p50("time_per_output_token_ms")
        assert record.latency_s_p99 == m["request_latency"]["successful"]["percentiles"]["p99"]
        assert record.output_tokens_per_s == m["output_tokens_per_second"]["successful"]["mean"]
        assert record.total_tokens_per_s == m["tokens_per_second"]["successful"]["mean"]
        totals = bench["request_totals"]
        assert record.errors == totals["errored"]
        strategy = bench["args"]["strategy"]
        if strategy["type_"] == "concurrent":
            assert record.concurrency == strategy["streams"]
            assert record.mode == "concurrent"
        elif "rate" in strategy:
            assert record.mode == f"{strategy['type_']}@{strategy['rate']:.2f}".rstrip("0").rstrip(
                "."
            )


def test_guidellm_04_uses_config_and_decode_only_itl(fixtures: Path) -> None:
    path = fixtures / "guidellm" / "v0.4-benchmarks.json"
    data = _json(path)
    records = read_file(path)
    measured = [
        b for b in data["benchmarks"] if b["metrics"]["request_latency"]["successful"]["count"]
    ]
    assert len(records) == len(measured) < len(data["benchmarks"])  # all-error run left out
    for record, bench in zip(records, measured, strict=True):
        m = bench["metrics"]
        assert record.format == "guidellm-0.4"
        assert record.model == bench["config"]["backend"]["model"]
        itl_p50 = m["inter_token_latency_ms"]["successful"]["percentiles"]["p50"]
        tpot_with_ttft = m["time_per_output_token_ms"]["successful"]["percentiles"]["p50"]
        # From 0.4 time_per_output_token_ms includes TTFT: the decode-only TPOT is the ITL.
        assert record.tpot_ms_p50 == itl_p50 != tpot_with_ttft
    assert [r.mode for r in records] == ["synchronous", "constant@0.85"]


# --- FMBench ----------------------------------------------------------------------------


def test_fmbench_v1(fixtures: Path) -> None:
    path = fixtures / "fmbench" / "v1" / "all_metrics_summary.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = read_file(path)
    ok = [r for r in rows if float(r["transactions_per_minute"]) > 0]
    assert len(records) == len(ok) < len(rows)
    for record, row in zip(records, ok, strict=True):
        assert record.format == "fmbench-1"
        assert record.instance_type == "Inf2.48xlarge" and row["instance_type"].startswith("ml.")
        assert f"payload_{record.dataset}.jsonl" == row["payload_file"]
        assert record.concurrency == int(row["concurrency"])
        assert record.latency_s_mean == float(row["latency_mean"])
        assert record.requests_per_min == float(row["transactions_per_minute"])
        assert record.total_tokens_per_s == float(row["prompt_token_throughput"]) + float(
            row["completion_token_throughput"]
        )


def test_fmbench_v2_streaming_columns_in_ms(fixtures: Path) -> None:
    path = fixtures / "fmbench" / "v2" / "summary_metrics_for_dataset_w_scores.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = read_file(path)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert record.format == "fmbench-2"
        assert record.ttft_ms_p50 == pytest.approx(float(row["TTFT_p50"]) * 1000)
        assert record.tpot_ms_p99 == pytest.approx(float(row["TPOT_p99"]) * 1000)
        assert record.latency_s_p99 == float(row["latency_p99"])
        assert record.error_rate == float(row["error_rate"])
        assert "{'score'" in row["score_dict"]  # the quoted dict column read as one cell


# --- vLLM -------------------------------------------------------------------------------


def test_vllm_bench_serve(fixtures: Path) -> None:
    path = fixtures / "vllm" / "bench-serve-inf2-c4.json"
    raw = _json(path)
    [record] = read_file(path)
    assert record.engine == "vLLM"
    assert record.concurrency == raw["max_concurrency"]
    assert record.mode == "concurrent"  # request_rate "inf" with a concurrency cap
    assert record.ttft_ms_p50 == raw["median_ttft_ms"]  # no p50_* without --metric-percentiles
    assert record.tpot_ms_p99 == raw["p99_tpot_ms"]
    assert record.itl_ms_p99 == raw["p99_itl_ms"]
    assert record.latency_s_mean == pytest.approx(raw["mean_e2el_ms"] / 1000)
    assert record.total_tokens_per_s == raw["total_token_throughput"]
    assert record.input_tokens_mean == raw["total_input_tokens"] / raw["completed"]
    assert record.errors == raw["failed"]
    assert record.error_rate == pytest.approx(raw["failed"] / (raw["failed"] + raw["completed"]))
    assert record.requests_per_min == pytest.approx(raw["request_throughput"] * 60)


def test_vllm_mid_2024_file(fixtures: Path) -> None:
    path = fixtures / "vllm" / "benchmark-serving-2024.json"
    raw = _json(path)
    [record] = read_file(path)
    assert "total_token_throughput" not in raw
    assert record.total_tokens_per_s == pytest.approx(
        raw["input_throughput"] + raw["output_throughput"]
    )
    assert record.ttft_ms_p50 == raw["p50_ttft_ms"]
    assert record.engine is None  # "openai-chat" names an API, not an engine
    assert record.mode == "poisson@2"
    assert record.errors == raw["num_prompts"] - raw["completed"]


# --- optimum-neuron ---------------------------------------------------------------------


def test_optimum_neuron_benchmark(fixtures: Path) -> None:
    path = fixtures / "optimum-neuron" / "llama-2-7b-bs4.json"
    raw = _json(path)
    records = read_file(path)
    config = raw["neuron_config"]
    assert len(records) == len(raw["results"])
    for record, result in zip(records, raw["results"], strict=True):
        assert record.model == config["checkpoint_id"]
        assert record.tp_degree == config["num_cores"]
        assert record.sequence_length == config["sequence_length"]
        assert record.model_dtype == config["auto_cast_type"]
        assert record.ttft_ms_p50 == pytest.approx(result["encoding_time"] * 1000)
        assert record.tpot_ms_p50 == result["latency"]  # already ms per token, decode only
        assert record.output_tokens_per_s == result["throughput"]
        tokens = result["input_length"] + result["new_tokens"]
        assert record.total_tokens_per_s == pytest.approx(
            result["throughput"] * tokens / result["new_tokens"]
        )


def test_every_record_has_the_documented_keys(fixtures: Path) -> None:
    refused = ("errored", "failed", "individual_responses", "offer")
    paths = [
        p
        for p in sorted(fixtures.rglob("*.*"))
        if p.is_file() and not any(word in str(p) for word in refused)
    ]
    assert len(paths) >= 12
    for path in paths:
        for record in read_file(path):
            assert list(record.as_dict())[: len(CORE_FIELDS)] == list(CORE_FIELDS)
