"""The provenance log: what ``ingest`` appends beside a table, and the line that sums it up."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from collect.fleet.loopback import vllm_result

from sphinx_dftable import __version__
from sphinx_dftable.collect.cli import main
from sphinx_dftable.provenance import Entry, append, log_path, read_log, summary

Capture = pytest.CaptureFixture[str]
SERVING = ["--schema", "serving-sweep", "--set", "Inst. Type=inf2.48xlarge", "--set", "Model=m"]


def _guidellm(fixtures: Path) -> Path:
    return fixtures / "guidellm" / "v0.8-benchmarks.json"


def _llmperf(fixtures: Path) -> Path:
    return next((fixtures / "llmperf" / "c4").glob("*_summary.json"))


def _entries(table: Path) -> list[Entry]:
    log = read_log(log_path(table))
    assert log.notes == []
    return log.entries


def test_ingest_appends_one_entry_naming_files_tools_host_and_rows(
    tmp_path: Path, fixtures: Path, imds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    table = tmp_path / "serving.csv"
    files = [_guidellm(fixtures), _llmperf(fixtures)]
    assert main(["ingest", *map(str, files), "--table", str(table), *SERVING, "-q"]) == 0
    assert log_path(table) == tmp_path / "serving.csv.provenance.jsonl"
    (entry,) = _entries(table)
    assert entry["time"].endswith("Z") and entry["collector"] == __version__
    assert entry["table"] == "serving.csv" and entry["bundle"] is None
    assert [(f["name"], f["tool"], f["tool_version"]) for f in entry["files"]] == [
        (files[0].name, "guidellm", "0.8.1"),  # as the file says ("guidellm_version")
        (files[1].name, "llmperf", None),  # llmperf writes no version of its own
    ]
    assert [f["sha256"] for f in entry["files"]] == [
        hashlib.sha256(f.read_bytes()).hexdigest() for f in files
    ]
    assert [f["runs"] for f in entry["files"]] == [4, 1]
    assert entry["host"]["name"] == socket.gethostname()
    assert entry["host"]["instance_type"] == imds.instance_type
    assert entry["rows_added"] == 5 and entry["rows_changed"] == 0
    assert entry["key_columns"][:3] == ["Model", "Engine", "Inst. Type"]
    assert len(entry["keys"]) == 5 and entry["keys_left_out"] == 0
    assert entry["instance_types"] == ["Inf2.48xlarge"]
    assert summary([entry]) == (
        f"5 rows from guidellm 0.8 and llmperf runs on Inf2.48xlarge, {entry['time'][:10]}"
    )


def test_a_changed_row_is_a_new_entry_and_counts_once(tmp_path: Path, fixtures: Path) -> None:
    table = tmp_path / "t.csv"
    path = _llmperf(fixtures)
    base = ["ingest", str(path), "--table", str(table), *SERVING, "-q"]
    assert main([*base, "--set", "Errors=1"]) == 0
    assert main([*base, "--set", "Errors=1"]) == 0  # nothing changed: no entry
    assert len(_entries(table)) == 1
    assert main([*base, "--set", "Errors=2"]) == 0
    first, second = _entries(table)
    assert (second["rows_added"], second["rows_changed"]) == (0, 1)
    assert second["keys"] == first["keys"]
    day = second["time"][:10]
    assert summary([first, second]) == f"1 row from llmperf runs on Inf2.48xlarge, {day}"


def test_the_neuron_version_of_the_rows_is_in_the_summary(tmp_path: Path, fixtures: Path) -> None:
    table = tmp_path / "decoder.csv"
    base = ["ingest", str(fixtures / "vllm" / "bench-serve-inf2-c4.json"), "--table",
            str(table), "--schema", "decoder", "--set", "Inst. Type=inf2.48xlarge",
            "--set", "Batch Size=4", "--set", "Input Length=1024", "--set",
            "Output Length=256", "-q"]  # fmt: skip
    assert main([*base, "--set", "Neuron Version=2.20"]) == 0
    assert main([*base, "--set", "Neuron Version=2.21"]) == 0  # a key: a second row
    entries = _entries(table)
    assert [e["neuron_versions"] for e in entries] == [["2.20"], ["2.21"]]
    assert summary(entries) == (
        "2 rows from vllm bench serve runs on Inf2.48xlarge, Neuron 2.20 and 2.21, "
        f"{entries[0]['time'][:10]}"
    )


def test_no_entry_when_ingest_is_refused_or_dry_or_told_not_to(
    tmp_path: Path, fixtures: Path, capsys: Capture
) -> None:
    table = tmp_path / "t.csv"
    assert main(["ingest", str(_llmperf(fixtures)), "--table", str(table), *SERVING, "-q"]) == 0
    table_bytes, log_bytes = table.read_bytes(), log_path(table).read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    refused = ["ingest", str(_guidellm(fixtures)), str(bad), "--table", str(table), *SERVING]
    assert main(refused) == 1
    assert "bad.json" in capsys.readouterr().err
    wrong_schema = ["ingest", str(_guidellm(fixtures)), "--table", str(table), "--schema", "llm"]
    assert main(wrong_schema) == 1  # the table's header is not the llm layout
    assert main([*refused[:2], *refused[3:], "--dry-run"]) == 0
    assert main([*refused[:2], *refused[3:], "--no-provenance", "-q"]) == 0
    assert table.read_bytes() != table_bytes  # the last ingest wrote rows ...
    assert log_path(table).read_bytes() == log_bytes  # ... and no entry
    assert len(_entries(table)) == 1


def test_a_refused_ingest_leaves_table_and_log_bytes_as_they_were(
    tmp_path: Path, fixtures: Path
) -> None:
    table = tmp_path / "t.csv"
    assert main(["ingest", str(_llmperf(fixtures)), "--table", str(table), *SERVING, "-q"]) == 0
    table_bytes, log_bytes = table.read_bytes(), log_path(table).read_bytes()
    # Two records for one row: refused before anything is written.
    twice = ["ingest", str(_guidellm(fixtures)), "--table", str(table), *SERVING[:4]]
    assert main([*twice, "--set", "Mode=same", "--set", "Model=m"]) == 1
    assert (table.read_bytes(), log_path(table).read_bytes()) == (table_bytes, log_bytes)


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_next_entry_starts_a_line(
    tmp_path: Path, fixtures: Path
) -> None:
    table = tmp_path / "t.csv"
    base = ["ingest", str(_llmperf(fixtures)), "--table", str(table), *SERVING, "-q"]
    assert main([*base, "--set", "Errors=1"]) == 0
    log = log_path(table)
    with log.open("ab") as handle:
        handle.write(b'{"time": "2026-11-03T10:00:00Z", "rows_ad')  # a crash mid-write
    damaged = read_log(log)
    assert len(damaged.entries) == 1
    assert damaged.notes == ["line 2: cut short (an ingest stopped while writing it?); skipped"]

    assert main([*base, "--set", "Errors=2"]) == 0
    after = read_log(log)
    assert [e["rows_changed"] for e in after.entries] == [0, 1]
    assert after.notes == ["line 2: not JSON; skipped"]
    assert log.read_bytes().endswith(b"}\n")


def test_append_creates_the_log_and_keeps_each_entry_on_one_line(tmp_path: Path) -> None:
    log = tmp_path / "x.csv.provenance.jsonl"
    append(log, [{"note": "a\nb"}, {"n": 2}])
    append(log, [])
    assert log.read_text().splitlines() == ['{"note": "a\\nb"}', '{"n": 2}']


# --- fleets -------------------------------------------------------------------------------


def test_a_fleet_ingest_writes_one_entry_per_bundle_with_its_hosts_facts(
    tmp_path: Path,
) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    results = []
    for host, model in (("host-1", "model-a"), ("host-2", "model-b")):
        path = tmp_path / host / f"{model}.json"
        path.parent.mkdir()
        path.write_text(vllm_result(model, 4))
        results.append(path)
        assert main(["capture", str(path), "--to", str(bundles), "--host-name", host, "-q",
                     "--set", "Inst. Type=inf2.48xlarge"]) == 0  # fmt: skip
    assert main(["ingest", str(bundles), "--table", str(table), "--schema", "serving-sweep",
                 "-q"]) == 0  # fmt: skip
    entries = _entries(table)
    assert [e["host"]["name"] for e in entries] == ["host-1", "host-2"]
    assert all(e["bundle"].startswith(e["host"]["name"]) for e in entries)
    assert [e["files"][0]["sha256"] for e in entries] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in results
    ]
    assert [e["files"][0]["tool"] for e in entries] == ["vllm bench serve"] * 2
    assert [e["rows_added"] for e in entries] == [1, 1]
    assert all(e["collector"] == __version__ for e in entries)
    day = entries[0]["time"][:10]
    assert summary(entries) == (f"2 rows from vllm bench serve runs on Inf2.48xlarge, {day}")
    before = log_path(table).read_bytes()
    assert main(["ingest", str(bundles), "--table", str(table), "--schema", "serving-sweep",
                 "-q"]) == 0  # fmt: skip
    assert log_path(table).read_bytes() == before  # nothing new: no entry


# --- the summary ------------------------------------------------------------------------


def _entry(
    time: str, rows: int, tools: list[tuple[str, str | None]], **extra: Any
) -> dict[str, Any]:
    return {
        "time": time,
        "files": [{"tool": t, "tool_version": v} for t, v in tools],
        "rows_added": rows,
        "rows_changed": 0,
        "keys": [[f"{time}-{n}"] for n in range(rows)],
        "keys_left_out": 0,
        "key_columns": ["Model"],
        **extra,
    }


def test_the_summary_of_one_ingest_reads_as_the_issue_says() -> None:
    entry = _entry(
        "2026-11-03T09:00:00Z",
        8,
        [("guidellm", "0.8.1")],
        instance_types=["Inf2.48xlarge"],
        neuron_versions=["2.21"],
    )
    assert (
        summary([entry])
        == "8 rows from guidellm 0.8 runs on Inf2.48xlarge, Neuron 2.21, 2026-11-03"
    )


def test_the_summary_lists_few_names_counts_many_and_spans_days() -> None:
    entries = [
        _entry("2026-11-20T09:00:00Z", 2, [("guidellm", "0.8.1")], instance_types=["Inf2.xlarge"]),
        _entry("2026-11-03T09:00:00Z", 1, [("llmperf", None)], instance_types=["Inf2.48xlarge"]),
        _entry("2026-11-10T09:00:00Z", 1, [("aiperf", "0.10.1"), ("NxD Inference", None)]),
        _entry("2026-11-11T09:00:00Z", 0, [("fmbench", None)]),  # wrote no row: left out
    ]
    assert summary(entries) == (
        "4 rows from guidellm 0.8, llmperf and 2 more runs on Inf2.xlarge and Inf2.48xlarge, "
        "2026-11-03 to 2026-11-20"
    )
    assert summary(entries[1:2]) == "1 row from llmperf runs on Inf2.48xlarge, 2026-11-03"
    assert summary([_entry("2026-11-03T09:00:00Z", 3, [])]) == "3 rows, 2026-11-03"
    assert summary(entries[3:]) is None and summary([]) is None


def test_rows_are_summed_when_an_entry_lists_only_some_of_its_keys() -> None:
    capped = _entry("2026-11-03T09:00:00Z", 60, [("llmperf", None)])
    capped["keys"], capped["keys_left_out"] = capped["keys"][:50], 10
    again = _entry("2026-11-03T10:00:00Z", 60, [("llmperf", None)])
    assert summary([capped, again]).startswith("120 rows from llmperf runs")  # type: ignore[union-attr]
    assert summary([again, again]).startswith("60 rows")  # type: ignore[union-attr]


def test_the_reader_skips_what_is_not_an_object(tmp_path: Path) -> None:
    log = tmp_path / "t.csv.provenance.jsonl"
    log.write_bytes(b'{"a": 1}\n[1, 2]\n\n\xff\xfe\n{"b": 2}\n')
    found = read_log(log)
    assert found.entries == [{"a": 1}, {"b": 2}]
    assert found.notes == ["line 2: not JSON; skipped", "line 4: not JSON; skipped"]
    assert json.loads(log.read_bytes().split(b"\n")[0]) == {"a": 1}
