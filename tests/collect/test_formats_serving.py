"""inference-perf, NxD Inference and vLLM beyond ``bench serve``: expectations computed
from each fixture's own raw values (seconds converted, missing figures null)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinx_dftable.collect.detect import read_all, read_file
from sphinx_dftable.collect.errors import CollectError

RUN = Path("inference-perf") / "run-2-stages"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- inference-perf -----------------------------------------------------------------------


def test_inference_perf_stage_file_in_seconds(fixtures: Path) -> None:
    path = fixtures / RUN / "stage_1_lifecycle_metrics.json"
    raw = _json(path)
    latency = raw["successes"]["latency"]
    [record] = read_file(path)
    assert record.tool == "inference-perf" and record.format == "inference-perf-stage"
    assert record.mode == f"rate@{raw['load_summary']['requested_rate']:g}"
    assert record.concurrency is None  # a rate-paced load
    assert record.ttft_ms_p50 == pytest.approx(latency["time_to_first_token"]["median"] * 1000)
    assert record.ttft_ms_p99 == pytest.approx(latency["time_to_first_token"]["p99"] * 1000)
    assert record.tpot_ms_p50 == pytest.approx(latency["time_per_output_token"]["median"] * 1000)
    assert record.itl_ms_p99 == pytest.approx(latency["inter_token_latency"]["p99"] * 1000)
    assert record.latency_s_mean == latency["request_latency"]["mean"]
    assert record.output_tokens_per_s == raw["successes"]["throughput"]["output_tokens_per_sec"]
    assert record.input_tokens_mean == raw["successes"]["prompt_len"]["mean"]
    failed, succeeded = raw["failures"]["count"], raw["successes"]["count"]
    assert record.errors == failed
    assert record.error_rate == pytest.approx(failed / (failed + succeeded))
    assert record.model is None  # not in the file: --set Model


def test_inference_perf_run_folder_is_one_record_per_stage(fixtures: Path) -> None:
    result = read_all([fixtures / RUN])
    assert not result.refused
    assert [Path(r.source).name for r in result.records] == [
        "stage_0_lifecycle_metrics.json",
        "stage_1_lifecycle_metrics.json",
    ]
    # Stage files and the summary given together: the summary is left out.
    given = sorted((fixtures / RUN).iterdir())
    assert len(given) == 3
    assert [r.source for r in read_all(given).records] == [r.source for r in result.records]
    # The summary alone is one record.
    [summary] = read_file(fixtures / RUN / "summary_lifecycle_metrics.json")
    assert summary.format == "inference-perf" and summary.mode is None


def test_inference_perf_0_5_has_no_p99(fixtures: Path) -> None:
    path = fixtures / "inference-perf" / "v0.5.0-no-p99" / "summary_lifecycle_metrics.json"
    raw = _json(path)
    assert "p99" not in raw["successes"]["latency"]["time_to_first_token"]
    [record] = read_file(path)
    assert record.ttft_ms_p99 is None and record.latency_s_p99 is None  # missing, not 0
    assert record.ttft_ms_p50 == pytest.approx(
        raw["successes"]["latency"]["time_to_first_token"]["median"] * 1000
    )
    assert record.input_tokens_mean == raw["successes"]["prompt_tokens"]["mean"]


def test_inference_perf_without_success_is_refused(fixtures: Path) -> None:
    path = fixtures / "inference-perf" / "all-failed" / "stage_0_lifecycle_metrics.json"
    with pytest.raises(CollectError) as caught:
        read_file(path)
    assert str(caught.value) == (
        f"{path}: no successful requests: successes.count is 0, failures.count is 400 "
        "(400 x 500 - Internal Server Error)"
    )


# --- NxD Inference ------------------------------------------------------------------------


def test_nxdi_report_parts_and_file_name(fixtures: Path) -> None:
    path = fixtures / "nxdi" / "benchmark_report_8_bf16_tbs4_vbs1_s1024.json"
    raw = _json(path)
    assert raw["vision_encoder_model"] is None
    [record] = read_file(path)
    assert record.tool == "NxD Inference"
    # TTFT: the context-encoding model; per-token latency: the token-generation model.
    assert record.ttft_ms_p50 == raw["context_encoding_model"]["latency_ms_p50"]
    assert record.ttft_ms_p99 == raw["context_encoding_model"]["latency_ms_p99"]
    assert record.tpot_ms_p50 == raw["token_generation_model"]["latency_ms_p50"]
    assert record.latency_s_p99 == pytest.approx(raw["e2e_model"]["latency_ms_p99"] / 1000)
    assert record.latency_s_mean == pytest.approx(raw["e2e_model"]["latency_ms_avg"] / 1000)
    assert record.total_tokens_per_s == raw["e2e_model"]["throughput"]
    assert record.output_tokens_per_s is None  # not held
    assert (record.batch_size, record.sequence_length, record.model_dtype) == (4, 1024, "bf16")
    assert record.input_length is None and record.output_length is None


def test_nxdi_default_name_records_no_settings(fixtures: Path) -> None:
    [record] = read_file(fixtures / "nxdi" / "default-name" / "benchmark_report.json")
    assert record.batch_size is None and record.sequence_length is None


def test_nxdi_report_without_measurement_is_refused(tmp_path: Path, fixtures: Path) -> None:
    raw = _json(fixtures / "nxdi" / "default-name" / "benchmark_report.json")
    raw["e2e_model"]["latency_ms_p50"] = 0
    path = tmp_path / "benchmark_report.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(CollectError, match=r"no measurement: e2e_model\.latency_ms_p50 is 0"):
        read_file(path)


# --- vLLM ---------------------------------------------------------------------------------


def test_vllm_2025_file_with_a_rate_and_a_cap(fixtures: Path) -> None:
    path = fixtures / "vllm" / "benchmark-serving-2025.json"
    raw = _json(path)
    assert "request_goodput:" in raw and "failed" not in raw and "p95_ttft_ms" in raw
    [record] = read_file(path)
    assert record.mode == "poisson@4" and raw["max_concurrency"] == 32
    assert record.concurrency is None  # max_concurrency caps a rate-paced run
    assert record.errors == raw["num_prompts"] - raw["completed"]
    assert record.duration_s == raw["duration"]
    assert record.ttft_ms_p99 == raw["p99_ttft_ms"]


def test_vllm_fork_without_counts_has_no_throughput(fixtures: Path) -> None:
    path = fixtures / "vllm" / "fork-latency-only.json"
    raw = _json(path)
    assert not {"completed", "duration", "request_throughput", "output_throughput"} & raw.keys()
    [record] = read_file(path)
    assert record.ttft_ms_p50 == raw["median_ttft_ms"]
    assert record.latency_s_p99 == pytest.approx(raw["p99_e2el_ms"] / 1000)
    for missing in ("output_tokens_per_s", "requests_per_s", "errors", "error_rate",
                    "input_tokens_mean", "duration_s"):  # fmt: skip
        assert getattr(record, missing) is None, missing  # missing, not zero


def test_vllm_file_with_throughput_but_no_count_is_refused(tmp_path: Path, fixtures: Path) -> None:
    raw = _json(fixtures / "vllm" / "bench-serve-inf2-c4.json")
    del raw["completed"]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(CollectError, match="has request_throughput but no completed count"):
        read_file(path)


def test_vllm_sweep_runs_and_summary(fixtures: Path) -> None:
    folder = fixtures / "vllm" / "sweep" / "max_num_seqs=8"
    summary = _json(folder / "summary.json")
    runs = [read_file(folder / f"run={n}.json")[0] for n in range(2)]
    assert [r.format for r in runs] == ["vllm-sweep", "vllm-sweep"]
    for record, item in zip(runs, summary, strict=True):
        assert record.batch_size == item["max_num_seqs"] == 8  # the swept server batch size
        assert record.input_length == item["random_input_len"]
        assert record.output_length == item["random_output_len"]
        assert record.concurrency == item["max_concurrency"]
    from_summary = read_file(folder / "summary.json")
    assert [r.ttft_ms_p50 for r in from_summary] == [r.ttft_ms_p50 for r in runs]
    # Run files beside their summary.json are read through it, once.
    assert len(read_all(sorted(folder.iterdir())).records) == len(summary)


def test_vllm_bench_latency_in_seconds(fixtures: Path) -> None:
    path = fixtures / "vllm" / "bench-latency.json"
    raw = _json(path)
    [record] = read_file(path)
    assert record.tool == "vllm bench latency"
    assert record.latency_s_mean == raw["avg_latency"]
    assert record.latency_s_p50 == raw["percentiles"]["50"]  # keys are strings
    assert record.latency_s_p99 == raw["percentiles"]["99"]
    assert record.total_tokens_per_s is None


def test_vllm_bench_throughput_counts_prompt_and_output(fixtures: Path) -> None:
    path = fixtures / "vllm" / "bench-throughput.json"
    raw = _json(path)
    [record] = read_file(path)
    assert record.total_tokens_per_s == raw["tokens_per_second"]
    assert record.output_tokens_per_s is None  # prompt and output together: not this one
    assert record.requests_per_s == raw["requests_per_second"]
    assert record.duration_s == raw["elapsed_time"]
