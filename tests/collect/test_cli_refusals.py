"""Every refusal of the command line, through ``main([...])`` and a real process: the same
exit status (1 refused data, 2 a bad command line), the same words, nothing written."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_dftable.collect.cli import EXIT_REFUSED, EXIT_USAGE, main

Capture = pytest.CaptureFixture[str]
FIXTURES = Path(__file__).with_name("fixtures")
VLLM = FIXTURES / "vllm" / "bench-serve-inf2-c4.json"
FAILED = FIXTURES / "vllm" / "all-failed.json"
CANCELLED = FIXTURES / "aiperf" / "cancelled-all-failed" / "profile_export_aiperf.json"
FMBENCH_P50 = FIXTURES / "fmbench" / "v2-p50-only" / "summary_metrics_for_dataset_w_scores.csv"
SWEEP = ["--schema", "serving-sweep", "--no-host", "--set", "Inst. Type=inf2.48xlarge"]


def _both(capsys: Capture, argv: list[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``main(argv)``, checked equal to a real process's."""
    status = main(argv)
    out, err = capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_dftable.collect", *argv],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (status, err)
    assert "Traceback" not in err
    return status, out, err


def _rows(table: Path) -> list[dict[str, str]]:
    with table.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_bad_file_is_named_in_one_run(tmp_path: Path, capsys: Capture) -> None:
    table = tmp_path / "sweep.csv"
    broken = tmp_path / "broken.json"
    broken.write_text('{"backend": "vllm", "completed": ')
    argv = ["ingest", str(VLLM), str(FAILED), str(broken), str(CANCELLED), "--table", str(table),
            *SWEEP]  # fmt: skip
    status, out, err = _both(capsys, argv)
    assert status == EXIT_REFUSED and out == ""
    lines = err.splitlines()
    assert len(lines) == 3
    for line, path in zip(lines, (FAILED, broken, CANCELLED), strict=True):
        assert line.startswith(f"dftable-collect: error: {path}: ")
    assert not table.exists()  # nothing written while any file is bad


def test_skip_bad_writes_the_good_files_and_names_the_others(
    tmp_path: Path, capsys: Capture
) -> None:
    table = tmp_path / "sweep.csv"
    argv = ["ingest", str(VLLM), str(FAILED), "--table", str(table), *SWEEP, "--skip-bad", "-q"]
    assert main(argv) == 0
    assert capsys.readouterr().err == (
        f"dftable-collect: skipped: {FAILED}: no successful requests: completed is 0, "
        "failed is 50\n"
    )
    [row] = _rows(table)
    assert row["Model"] == json.loads(VLLM.read_text())["model_id"]
    # Nothing left once the bad ones are skipped: refused, and nothing written.
    empty = tmp_path / "empty.csv"
    status, _, err = _both(capsys, ["ingest", str(FAILED), "--table", str(empty), *SWEEP,
                                    "--skip-bad"])  # fmt: skip
    assert status == EXIT_REFUSED
    assert err.splitlines()[-1] == (
        "dftable-collect: error: no result file could be read: nothing to do"
    )
    assert not empty.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--set", "no-equals-sign"], "--set 'no-equals-sign': expected \"Column=value\""),
        (["--set", "Colour=blue"], "name column(s) 'Colour' that schema 'serving-sweep'"),
        (["--schema", "nope"], "unknown schema 'nope'; known: "),
        (["--pick", "latency", "--schema", "price-performance"], None),
    ],
)
def test_a_bad_command_line_exits_2(
    tmp_path: Path, capsys: Capture, extra: list[str], message: str | None
) -> None:
    table = tmp_path / "t.csv"
    argv = ["ingest", str(VLLM), "--table", str(table), "--no-host",
            "--set", "Inst. Type=inf2.48xlarge", *extra]  # fmt: skip
    if message is None:  # price-performance has a latency column: this one is fine
        assert main(argv) == 0
        return
    if "--schema" not in extra:
        argv += ["--schema", "serving-sweep"]
    status, out, err = _both(capsys, argv)
    assert status == EXIT_USAGE and out == ""
    assert err.startswith("dftable-collect: error: ") and message in err
    assert not table.exists()


def test_other_usage_errors_exit_2(tmp_path: Path, capsys: Capture) -> None:
    table = tmp_path / "t.csv"
    cases = [
        (["prices", "--table", str(table)], "give an offer file, or --region"),
        (["ingest", str(VLLM), "--table", str(table)], "pass --schema to choose its layout"),
        (["show", str(VLLM), "--columns", "model,speed"], "--columns: 'speed'"),
        (["show", str(VLLM), "--format", "nope"], "invalid choice: 'nope'"),
    ]
    for argv, message in cases:
        status, _, err = _both(capsys, argv)
        assert status == EXIT_USAGE and message in err, (argv, err)
    assert not table.exists()


def test_no_successful_request_is_refused(tmp_path: Path, capsys: Capture) -> None:
    for path, reason in (
        (CANCELLED, "no successful requests: no request_count"),
        (FAILED, "no successful requests: completed is 0"),
    ):
        status, out, err = _both(capsys, ["show", str(path)])
        assert status == EXIT_REFUSED and out == ""
        assert err.startswith(f"dftable-collect: error: {path}: {reason}")


def test_fmbench_p50_only_is_not_an_empty_mean(tmp_path: Path, capsys: Capture) -> None:
    table = tmp_path / "pp.csv"
    argv = ["ingest", str(FMBENCH_P50), "--table", str(table), "--schema", "price-performance"]
    status, _, err = _both(capsys, argv)
    assert status == EXIT_REFUSED
    assert err.count("\n") == 3  # each row of the file, named once
    assert (
        "column 'Latency Mean (s)' would be empty: the file has no mean request latency but "
        "its P50 (latency_s_p50 = 0.74); write it to a column named for it ('Latency P50 (s)' "
        "in a run-file layout), or pass --set 'Latency Mean (s)=' to leave the cell empty on "
        "purpose"
    ) in err
    assert not table.exists()
    # Said on purpose: the cell stays empty.
    assert main([*argv, "--set", "Latency Mean (s)=", "-q"]) == 0
    assert {row["Latency Mean (s)"] for row in _rows(table)} == {""}
    # Or a layout with a column named for the P50.
    run = tmp_path / "run.toml"
    run.write_text(
        '[schemas.pp-p50]\ncolumns = ["Model", "Inst. Type", "Dataset", "Concurrency", '
        '"Latency P50 (s)", "Transactions per Minute"]\n'
    )
    other = tmp_path / "pp-p50.csv"
    assert main(["ingest", str(FMBENCH_P50), "--table", str(other), "--run", str(run),
                 "--schema", "pp-p50", "-q"]) == 0  # fmt: skip
    with FMBENCH_P50.open(newline="") as handle:
        expected = [row["latency_p50"] for row in csv.DictReader(handle)]
    assert [row["Latency P50 (s)"] for row in _rows(other)] == expected


def test_a_ttft_longer_than_the_whole_run_is_refused(tmp_path: Path, capsys: Capture) -> None:
    raw = json.loads(VLLM.read_text())
    raw["duration"] = raw["duration"] / 1000  # seconds written as ks: a unit slip
    path = tmp_path / "result.json"
    path.write_text(json.dumps(raw))
    status, _, err = _both(capsys, ["show", str(path)])
    assert status == EXIT_REFUSED
    assert err == (
        f"dftable-collect: error: {path}: vllm result: field 'ttft_ms_p50' is "
        f"{raw['median_ttft_ms']!r}: longer than the whole run (duration_s is "
        f"{raw['duration']:g} s): is one of them in the wrong unit?\n"
    )


def test_run_file_keys_must_be_configuration(tmp_path: Path, capsys: Capture) -> None:
    run = tmp_path / "run.toml"
    run.write_text(
        '[schemas.x]\ncolumns = ["Model", "Inst. Type", "TTFT P50 (ms)"]\n'
        'keys = ["Model", "TTFT P50 (ms)"]\n'
    )
    status, _, err = _both(capsys, ["schemas", "--run", str(run)])
    assert status == EXIT_REFUSED
    assert "'keys' names measurement column(s) 'TTFT P50 (ms)'" in err
