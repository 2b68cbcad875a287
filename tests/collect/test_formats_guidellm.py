"""guidellm 0.5 to 0.8 JSON, YAML of any version and the 0.7 CSV; optimum-neuron's summary
CSVs; FMBench 2.x without a mean latency. Expectations computed from the raw fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from sphinx_dftable.collect.detect import read_file
from sphinx_dftable.collect.errors import CollectError

GUIDELLM = Path("guidellm")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_guidellm_0_6_top_level_args(fixtures: Path) -> None:
    path = fixtures / GUIDELLM / "v0.6-benchmarks.json"
    raw = _json(path)
    assert raw["metadata"]["version"] == 1 and raw["args"]["data"] == [
        "prompt_tokens=512,output_tokens=256"
    ]
    records = read_file(path)
    assert [r.concurrency for r in records] == [
        b["config"]["strategy"]["streams"] for b in raw["benchmarks"]
    ]
    for record, bench in zip(records, raw["benchmarks"], strict=True):
        m = bench["metrics"]
        assert (record.input_length, record.output_length) == (512, 256)
        assert record.input_tokens_mean == m["prompt_token_count"]["successful"]["mean"]
        assert record.tpot_ms_p50 == m["inter_token_latency_ms"]["successful"]["percentiles"]["p50"]
        assert record.duration_s == bench["duration"]
        assert record.errors == m["request_totals"]["errored"]


def test_guidellm_0_8_config_and_strategies(fixtures: Path) -> None:
    path = fixtures / GUIDELLM / "v0.8-benchmarks.json"
    raw = _json(path)
    assert raw["metadata"]["version"] == 2 and "args" not in raw and "config" in raw
    records = read_file(path)
    strategies = [b["config"]["strategy"] for b in raw["benchmarks"]]
    assert [s["type_"] for s in strategies] == ["synchronous", "concurrent", "constant", "poisson"]
    assert [r.mode for r in records] == ["synchronous", "concurrent", "constant@4", "poisson@2"]
    # Only synchronous and concurrent runs have a concurrency; max_concurrency is a limit.
    assert strategies[2]["max_concurrency"] == 10240
    assert [r.concurrency for r in records] == [1, 16, None, None]
    assert {r.model for r in records} == {raw["config"]["backend"]["model"]}
    assert {(r.input_length, r.output_length) for r in records} == {(1024, 128)}
    for record, bench in zip(records, raw["benchmarks"], strict=True):
        m = bench["metrics"]
        assert "time_to_first_output_token_ms" in m  # 0.8's new metrics are ignored
        assert record.ttft_ms_p99 == m["time_to_first_token_ms"]["successful"]["percentiles"]["p99"]
        # time_per_output_token_ms includes the first token since 0.4: TPOT is the ITL.
        itl_p50 = m["inter_token_latency_ms"]["successful"]["percentiles"]["p50"]
        assert record.tpot_ms_p50 == itl_p50
        assert itl_p50 != m["time_per_output_token_ms"]["successful"]["percentiles"]["p50"]
        assert record.output_tokens_per_s == m["output_tokens_per_second"]["successful"]["mean"]


def test_guidellm_yaml_reads_as_its_json(fixtures: Path) -> None:
    yaml_path = fixtures / GUIDELLM / "v0.8-benchmarks.yaml"
    assert yaml.safe_load(yaml_path.read_text()) == _json(yaml_path.with_suffix(".json"))
    from_yaml = [r.as_dict() for r in read_file(yaml_path)]
    from_json = [r.as_dict() for r in read_file(yaml_path.with_suffix(".json"))]
    for record in (*from_yaml, *from_json):
        record.pop("source")
    assert from_yaml == from_json


def test_guidellm_yaml_refusals(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / GUIDELLM / "v0.8-benchmarks.yaml").read_text()
    twice = tmp_path / "twice.yaml"
    twice.write_text(text + "metadata:\n  version: 1\n")  # a second top-level metadata
    with pytest.raises(CollectError, match="malformed YAML: key 'metadata' appears twice"):
        read_file(twice)
    cut = tmp_path / "cut.yaml"
    # Cut at a line end, inside the second benchmark's metrics: valid YAML, a partial run.
    key = text.index("time_to_first_token_ms:", text.index("run_index: 1"))
    cut.write_text(text[: text.rindex("\n", 0, key) + 1])
    with pytest.raises(CollectError, match=r"metrics\.time_to_first_token_ms' .*is missing"):
        read_file(cut)


def _csv_rows(path: Path) -> tuple[list[tuple[str, str, str]], list[list[str]]]:
    with path.open(newline="") as handle:
        groups, names, stats, *rows = list(csv.reader(handle))
    return list(zip(groups, names, stats, strict=True)), rows


def test_guidellm_csv_three_header_rows(fixtures: Path) -> None:
    path = fixtures / GUIDELLM / "v0.7-benchmarks.csv"
    assert path.read_bytes().count(b"\r\n") == path.read_bytes().count(b"\n")  # CRLF
    columns, rows = _csv_rows(path)
    records = read_file(path)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        cells = dict(zip(columns, row, strict=True))
        ttft = ("Time to First Token", "Successful ms")
        percentiles = json.loads(cells[(*ttft, "Percentiles")])
        assert len(percentiles) == 11  # min, p001 ... p99, max: no median inside
        assert record.ttft_ms_p99 == percentiles[9]
        assert record.ttft_ms_p50 == float(cells[(*ttft, "Median")])
        latency = ("Request Latency", "Successful Sec")
        assert record.latency_s_mean == float(cells[(*latency, "Mean")])  # seconds
        profile = json.loads(cells[("Run Info", "Profile", "")])
        index = int(cells[("Run Info", "Run Index", "")])
        # The configured streams, not the measured mean concurrency.
        assert record.concurrency == profile["streams"][index]
        measured = float(cells[("Server Throughput", "Successful Concurrency", "Mean")])
        assert record.concurrency != measured
        assert record.mode == cells[("Benchmark", "Strategy", "")] == "concurrent"
        assert (record.input_length, record.output_length) == (256, 128)
        tps = ("Token Throughput", "Successful Output Tokens/Sec", "Mean")
        assert record.output_tokens_per_s == float(cells[tps])
        assert record.model == json.loads(cells[("Run Info", "Backend", "")])["model"]


# --- optimum-neuron summaries ------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_optimum_neuron_summary_current_layout_holds_means(fixtures: Path) -> None:
    path = fixtures / "optimum-neuron" / "summary" / "vllm-results.csv"
    rows = _rows(path)
    records = read_file(path)
    assert [r.mode for r in records] == [
        "synchronous", "throughput", "asynchronous@0.11", "asynchronous@0.34"
    ]  # fmt: skip
    assert [r.concurrency for r in records] == [1, None, None, None]
    for record, row in zip(records, rows, strict=True):
        # Means: kept as means, never written where a median belongs.
        assert record.ttft_ms_mean == float(row["Time-to-first-token (ms)"])
        assert record.itl_ms_mean == float(row["Inter Token Latency (ms)"])
        assert record.ttft_ms_p50 is None and record.itl_ms_p50 is None
        assert record.latency_s_mean == float(row["Request Latency (s)"])
        assert record.output_tokens_per_s == float(row["Output Token Throughput (t/s)"])


def test_optimum_neuron_summary_2024_ttft_in_seconds(fixtures: Path) -> None:
    path = fixtures / "optimum-neuron" / "summary-2024" / "tgi-results.csv"
    rows = _rows(path)
    records = read_file(path)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert record.tool == "llmperf" and record.mode == "concurrent"
        assert record.concurrency == int(row["concurrent requests"])
        assert record.ttft_ms_p50 == pytest.approx(
            float(row["Time-to-first-token @ P50 (s)"]) * 1000
        )
        # "average latency (ms)" is llmperf's median inter-token latency in ms.
        assert record.itl_ms_p50 == float(row["average latency (ms)"])


def test_fmbench_2_without_latency_mean(fixtures: Path) -> None:
    path = fixtures / "fmbench" / "v2-p50-only" / "summary_metrics_for_dataset_w_scores.csv"
    rows = _rows(path)
    assert "latency_mean" not in rows[0] and "latency_p50" in rows[0]
    records = read_file(path)
    assert [r.concurrency for r in records] == [int(row["concurrency"]) for row in rows]
    assert [r.concurrency for r in records] != sorted(r.concurrency or 0 for r in records)
    for record, row in zip(records, rows, strict=True):
        assert record.latency_s_mean is None  # not a neighbour's value
        assert record.latency_s_p50 == float(row["latency_p50"])
        assert record.ttft_ms_p50 == pytest.approx(float(row["TTFT_p50"]) * 1000)
