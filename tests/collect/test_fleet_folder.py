"""A fleet through a shared folder: real capture processes writing bundles into one folder
at once, a capture killed mid-write, and central ingests racing on one table."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from collect.fleet.harness import (
    BUNDLES_PER_HOST,
    HOSTS,
    TIMEOUT,
    Captured,
    capture_fleet,
    collector,
    expected_keys,
    new_bundles,
    racing_ingests,
    row_keys,
    run,
)
from collect.fleet.loopback import vllm_result

SET_TYPE = ("--set", "Inst. Type=inf2.48xlarge")


def plain_env() -> dict[str, str]:
    return {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Captured]:
    folder = tmp_path_factory.mktemp("bundles")
    captured = capture_fleet(
        tmp_path_factory.mktemp("hosts"), lambda host: str(folder / "ab"[host // 4]), plain_env()
    )
    return folder, captured


def test_eight_hosts_capture_into_one_folder_and_one_ingest_yields_every_row_once(
    fleet: tuple[Path, Captured], tmp_path: Path
) -> None:
    folder, captured = fleet
    total = HOSTS * BUNDLES_PER_HOST
    bundles = sorted(folder.rglob("*"))
    assert len([p for p in bundles if p.is_file()]) == total  # no temporary file left over
    assert all(p.name.endswith(".dftable.tar.gz") for p in bundles if p.is_file())
    table, ledger = tmp_path / "sweep.csv", tmp_path / "sweep.csv.bundles.json"
    started = time.monotonic()
    first = run(collector("ingest", str(folder), "--table", str(table), "--schema",
                          "serving-sweep"), plain_env())  # fmt: skip
    ingest_seconds = time.monotonic() - started
    assert f"ingested {total} new bundle(s)" in first.stdout
    assert sorted(row_keys(table)) == expected_keys()
    assert len(json.loads(ledger.read_text())["bundles"]) == total

    before = table.read_bytes(), ledger.read_bytes()
    second = run(collector("ingest", str(folder), "--table", str(table)), plain_env())
    assert f"ingested 0 new bundle(s) from {folder}/; {total} already ingested" in second.stdout
    assert (table.read_bytes(), ledger.read_bytes()) == before
    print(
        f"\nfleet in a folder: {HOSTS} processes x {BUNDLES_PER_HOST} captures = {total} "
        f"bundles in {captured.seconds:.2f} s ({total / captured.seconds:.1f} bundles/s); "
        f"ingest of {total} bundles {ingest_seconds:.2f} s"
    )


def test_two_ingests_racing_on_one_table_lose_nothing(
    fleet: tuple[Path, Captured], tmp_path: Path
) -> None:
    folder, _ = fleet
    table = tmp_path / "race.csv"
    outputs = racing_ingests(table, [str(folder / "a"), str(folder / "b")], plain_env())
    assert sorted(row_keys(table)) == expected_keys()
    assert sum(new_bundles(out) for out in outputs) == HOSTS * BUNDLES_PER_HOST


def test_recapturing_the_same_file_is_a_no_op(tmp_path: Path) -> None:
    result, folder = tmp_path / "c01.json", tmp_path / "bundles"
    result.write_text(vllm_result("model-redo", 1))
    command = collector("capture", str(result), "--to", str(folder), *SET_TYPE)
    first = run(command, plain_env())
    # From another folder, through another path: the same file, the same bundle.
    again = subprocess.run(
        collector("capture", "c01.json", "--to", str(folder), *SET_TYPE),
        cwd=tmp_path,
        env=plain_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    assert first.stdout.startswith("captured ")
    assert again.stdout.startswith("already captured: ")
    assert len(list(folder.iterdir())) == 1


def test_a_capture_killed_mid_write_leaves_nothing_to_ingest(tmp_path: Path) -> None:
    result = tmp_path / "c64.json"
    result.write_text(vllm_result("model-big", 64, padding=12_000_000))
    table = tmp_path / "killed.csv"
    ingest_empty = None
    for trial in range(10):  # until a kill lands between the first byte and the link
        folder = tmp_path / f"trial-{trial}"
        folder.mkdir()
        child = subprocess.Popen(
            collector("capture", str(result), "--to", str(folder), *SET_TYPE), env=plain_env()
        )
        deadline = time.monotonic() + TIMEOUT
        while child.poll() is None and time.monotonic() < deadline:
            if any(p.suffix == ".tmp" for p in folder.iterdir()):
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.0005)
        child.wait(timeout=TIMEOUT)
        visible = [p for p in folder.iterdir() if p.name.endswith(".dftable.tar.gz")]
        if child.returncode == -signal.SIGKILL and not visible:
            ingest_empty = folder
            break
    assert ingest_empty is not None, "no kill landed inside the write"
    (leftover,) = ingest_empty.iterdir()  # the hidden temporary file, and nothing else
    assert leftover.name.startswith(".") and leftover.suffix == ".tmp"
    ingest = collector("ingest", str(ingest_empty), "--table", str(table), "--schema",
                       "serving-sweep")  # fmt: skip
    assert "ingested 0 new bundle(s)" in run(ingest, plain_env()).stdout
    assert not table.exists()
    # The same capture, uninterrupted, lands beside the leftover and is ingested whole.
    run(collector("capture", str(result), "--to", str(ingest_empty), *SET_TYPE), plain_env())
    run(ingest, plain_env())
    assert row_keys(table) == [("model-big", "Inf2.48xlarge", "64")]
