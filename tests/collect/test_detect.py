"""Detection from content, and the files the collector refuses (naming file and reason)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sphinx_dftable.collect.detect import detect, load_document, read_file, read_files
from sphinx_dftable.collect.errors import CollectError

DETECTED = [
    ("neuronperf/bert-base-cased.results-20240105-101500.csv", "neuronperf"),
    ("neuronperf/resnet50.results-20240105-120000.json", "neuronperf"),
    ("llmperf/c1/meta-llama-Meta-Llama-3-8B-Instruct_550_150_summary.json", "llmperf"),
    (
        "llmperf/c4/meta-llama-Meta-Llama-3-8B-Instruct_550_150_individual_responses.json",
        "llmperf-responses",
    ),
    ("guidellm/v0.1-report.json", "guidellm"),
    ("guidellm/v0.2-benchmarks.json", "guidellm"),
    ("guidellm/v0.3-benchmarks.json", "guidellm"),
    ("guidellm/v0.4-benchmarks.json", "guidellm"),
    ("fmbench/v1/all_metrics_summary.csv", "fmbench"),
    ("fmbench/v2/summary_metrics_for_dataset_w_scores.csv", "fmbench"),
    ("vllm/bench-serve-inf2-c4.json", "vllm"),
    ("vllm/benchmark-serving-2024.json", "vllm"),
    ("optimum-neuron/llama-2-7b-bs4.json", "optimum-neuron"),
    ("optimum-neuron/summary/vllm-results.csv", "optimum-neuron-summary"),
    ("optimum-neuron/summary-2024/tgi-results.csv", "optimum-neuron-summary"),
    ("guidellm/v0.6-benchmarks.json", "guidellm"),
    ("guidellm/v0.8-benchmarks.json", "guidellm"),
    ("guidellm/v0.8-benchmarks.yaml", "guidellm"),
    ("guidellm/v0.7-benchmarks.csv", "guidellm-csv"),
    ("fmbench/v2-p50-only/summary_metrics_for_dataset_w_scores.csv", "fmbench"),
    ("aiperf/unversioned-c4/profile_export_aiperf.json", "aiperf"),
    ("aiperf/v0.1-records/profile_export_aiperf.json", "aiperf"),
    ("aiperf/v0.8-rate/profile_export_aiperf.json", "aiperf"),
    ("aiperf/v0.10-phases/profile_export_aiperf.json", "aiperf"),
    ("aiperf/cancelled-all-failed/profile_export_aiperf.json", "aiperf"),
    ("aiperf/csv-c8/profile_export_aiperf.csv", "aiperf-csv"),
    ("genai-perf/flat-c2/profile_export_genai_perf.json", "genai-perf"),
    ("genai-perf/config-c8/profile_export_genai_perf.json", "genai-perf"),
    ("inference-perf/run-2-stages/stage_0_lifecycle_metrics.json", "inference-perf"),
    ("inference-perf/run-2-stages/summary_lifecycle_metrics.json", "inference-perf"),
    ("nxdi/benchmark_report_8_bf16_tbs4_vbs1_s1024.json", "nxdi"),
    ("vllm/benchmark-serving-2025.json", "vllm"),
    ("vllm/fork-latency-only.json", "vllm"),
    ("vllm/sweep/max_num_seqs=8/run=0.json", "vllm"),
    ("vllm/sweep/max_num_seqs=8/summary.json", "vllm"),
    ("vllm/bench-latency.json", "vllm-latency"),
    ("vllm/bench-throughput.json", "vllm-throughput"),
]


@pytest.mark.parametrize(("name", "expected"), DETECTED)
def test_detects_format_from_content(
    fixtures: Path, tmp_path: Path, name: str, expected: str
) -> None:
    # A neutral file name proves detection reads the content, not the name.
    copy = tmp_path / ("result" + Path(name).suffix)
    shutil.copyfile(fixtures / name, copy)
    assert detect(load_document(copy)).name == expected


def test_format_override_is_checked_against_the_shape(fixtures: Path) -> None:
    path = fixtures / "vllm" / "bench-serve-inf2-c4.json"
    assert [r.format for r in read_file(path, "vllm")] == ["vllm"]
    with pytest.raises(CollectError, match="shape of a llmperf"):
        read_file(path, "llmperf")


REFUSED = [
    ("vllm/all-failed.json", "no successful requests: completed is 0, failed is 50"),
    ("aiperf/cancelled-all-failed/profile_export_aiperf.json", "no successful requests"),
    ("inference-perf/all-failed/stage_0_lifecycle_metrics.json", "no successful requests"),
    ("llmperf/failed/meta-llama-Meta-Llama-3-8B-Instruct_550_150_summary.json", "no successful"),
    ("guidellm/all-errored-benchmarks.json", "no successful requests"),
    (
        "llmperf/c4/meta-llama-Meta-Llama-3-8B-Instruct_550_150_individual_responses.json",
        "read with their summary",
    ),
]


@pytest.mark.parametrize(("name", "reason"), REFUSED)
def test_refuses_results_without_success(fixtures: Path, name: str, reason: str) -> None:
    with pytest.raises(CollectError, match=reason) as caught:
        read_file(fixtures / name)
    assert caught.value.path == fixtures / name


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty file"),
        ("   \n", "empty file"),
        ('{"completed": 3, ', "malformed JSON"),
        ('{"hello": "world"}', "unknown format"),
        ("just a line of text\n", "unknown format"),
        ("a,b\n1,2\n", "unknown format"),
    ],
)
def test_refuses_bad_files(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(content)
    with pytest.raises(CollectError, match=reason) as caught:
        read_file(path)
    assert str(path) in str(caught.value)


def test_refuses_non_utf8_and_directories(tmp_path: Path) -> None:
    binary = tmp_path / "result.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(CollectError, match="not UTF-8"):
        read_file(binary)
    with pytest.raises(CollectError, match="directory"):
        read_file(tmp_path)


def test_neuronperf_without_a_single_inference_is_refused(tmp_path: Path, fixtures: Path) -> None:
    source = fixtures / "neuronperf" / "bert-base-cased.results-20240105-101500.csv"
    lines = source.read_text().splitlines(keepends=True)
    path = tmp_path / "bert.results.csv"
    path.write_text(lines[0] + lines[-1])  # header + the N/A row only
    with pytest.raises(CollectError, match="no successful inferences"):
        read_file(path)


def test_wrong_field_types_are_refused_not_crashing(tmp_path: Path, fixtures: Path) -> None:
    data = json.loads((fixtures / "optimum-neuron" / "llama-2-7b-bs4.json").read_text())
    data["neuron_config"] = {"batch_size": 4}
    data["results"] = [{"input_length": 1, "encoding_time": 1, "new_tokens": 1, "latency": 1,
                        "throughput": 0}]  # fmt: skip
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CollectError, match="non-zero throughput"):
        read_file(path)


def test_summary_and_responses_together_read_once(fixtures: Path) -> None:
    folder = fixtures / "llmperf" / "c4"
    paths = sorted(folder.iterdir())
    records = read_files(paths)
    assert len(records) == 1 and records[0].tpot_ms_p50 is not None


def test_one_bad_file_fails_the_whole_read(fixtures: Path) -> None:
    good = fixtures / "vllm" / "bench-serve-inf2-c4.json"
    bad = fixtures / "vllm" / "all-failed.json"
    with pytest.raises(CollectError, match=r"all-failed\.json"):
        read_files([good, bad])


def test_fmbench_with_every_level_failed_is_refused(tmp_path: Path, fixtures: Path) -> None:
    source = fixtures / "fmbench" / "v1" / "all_metrics_summary.csv"
    lines = source.read_text().splitlines(keepends=True)
    path = tmp_path / "all_metrics_summary.csv"
    path.write_text(lines[0] + lines[-1])  # header + the level where every request failed
    with pytest.raises(CollectError, match="no successful requests"):
        read_file(path)


def test_a_folder_stands_for_its_result_files(fixtures: Path, tmp_path: Path) -> None:
    stages = fixtures / "inference-perf" / "run-2-stages"
    records = read_files([stages])
    assert [Path(r.source).parent for r in records] == [stages, stages]
    # A folder no tool writes is refused as a folder, and the other files still name theirs.
    with pytest.raises(CollectError, match="is a directory"):
        read_files([tmp_path])


def test_yaml_only_when_it_looks_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "result.yaml"
    path.write_text("benchmarks: [1, 2\n")
    with pytest.raises(CollectError, match="malformed YAML"):
        read_file(path)
    path.write_text("benchmarks: []\nmetadata: {version: 2}\n")
    with pytest.raises(CollectError, match="unknown format"):
        read_file(path)


def test_a_multi_table_csv_keeps_each_table_whole(tmp_path: Path) -> None:
    path = tmp_path / "profile_export_aiperf.csv"
    path.write_bytes(b"Metric,avg,p50,p99\r\nRequest Latency (ms),1,1\r\n\r\nMetric,Value\r\n")
    with pytest.raises(CollectError, match="table 1, data row 1 has 3 cells, the header 4"):
        read_file(path)


def test_yaml_tuples_read_as_lists_and_no_other_python_tag(tmp_path: Path) -> None:
    from sphinx_dftable.collect.detect import load_document

    path = tmp_path / "benchmarks.yaml"
    path.write_text("args:\n  rate: !!python/tuple\n  - 1.5\n  - 3\nbenchmarks: []\n")
    assert load_document(path).json == {"args": {"rate": [1.5, 3]}, "benchmarks": []}
    path.write_text("args: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(CollectError, match="malformed YAML"):
        load_document(path)
