"""Bundles on their own: what ``capture`` stores, what ``ingest`` trusts, and what it refuses.

Everything here goes through ``main([...])`` and a local bundle folder; the S3 back end and
real concurrent processes are in test_fleet_s3.py and test_fleet_folder.py.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from collect.fleet.loopback import vllm_result

from sphinx_dftable import __version__
from sphinx_dftable.collect.bundle import canonical_json
from sphinx_dftable.collect.cli import bundle_locations, main
from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.storage import parse_s3_url

Capture = pytest.CaptureFixture[str]
SET_TYPE = ["--set", "Inst. Type=inf2.48xlarge"]


def result(folder: Path, model: str = "model-a", concurrency: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{model}-c{concurrency}.json"
    path.write_text(vllm_result(model, concurrency))
    return path


def capture(path: Path, dest: Path, *extra: str, host: str = "host-1") -> Path:
    before = set(dest.iterdir()) if dest.exists() else set()
    assert main(["capture", str(path), "--to", str(dest), "--host-name", host, "-q",
                 *extra]) == 0  # fmt: skip
    (made,) = set(dest.iterdir()) - before
    return made


def ingest(bundles: Path, table: Path, *extra: str) -> int:
    return main(["ingest", str(bundles), "--table", str(table), "--schema", "serving-sweep",
                 *extra])  # fmt: skip


def rows(table: Path) -> list[dict[str, str]]:
    with table.open(newline="") as handle:
        return list(csv.DictReader(handle))


def members(bundle: Path) -> dict[str, bytes]:
    with tarfile.open(bundle, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def rewrite(bundle: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Rebuild ``bundle`` with ``change`` applied to its members, keeping its name."""
    content = members(bundle)
    change(content)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    bundle.write_bytes(buffer.getvalue())


def manifest(bundle: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(members(bundle)["bundle.json"])
    return data


# --- what a bundle holds -------------------------------------------------------------------


def test_a_bundle_holds_the_files_records_host_facts_and_values(
    tmp_path: Path, imds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    run = tmp_path / "run.toml"
    run.write_text('[set]\nEngine = "vLLM-neuron"\n')
    path = result(tmp_path / "results")
    bundle = capture(path, tmp_path / "bundles", "--set", "Mode=sweep", "--run", str(run))
    data = manifest(bundle)
    content = data["content"]
    assert data["format"] == "dftable-bundle" and data["version"] == 1
    assert data["collector"] == __version__
    assert data["content_hash"] == hashlib.sha256(canonical_json(content)).hexdigest()
    assert bundle.name == f"host-1-{data['content_hash'][:16]}.dftable.tar.gz"
    assert content["host"] == "host-1"
    assert content["host_facts"]["instance_type"] == imds.instance_type  # asked on this host
    assert content["set"] == {"Mode": "sweep"}
    assert content["run_file"] == {"name": "run.toml", "schema": None,
                                   "set": {"Engine": "vLLM-neuron"}}  # fmt: skip
    (entry,) = content["files"]
    raw = path.read_bytes()
    assert entry == {
        "name": path.name,
        "member": f"files/0/{path.name}",
        "path": str(path.resolve()),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "size": len(raw),
    }
    assert members(bundle)[entry["member"]] == raw  # the result file itself, byte for byte
    (record,) = content["records"]
    assert record["source"] == entry["member"]
    assert record["model"] == "model-a" and record["concurrency"] == 4


def test_the_same_files_and_values_make_the_same_bundle(tmp_path: Path, capsys: Capture) -> None:
    path, dest = result(tmp_path / "results"), tmp_path / "bundles"
    first = capture(path, dest, *SET_TYPE)
    capsys.readouterr()
    assert main(["capture", str(path), "--to", str(dest), "--host-name", "host-1",
                 *SET_TYPE]) == 0  # fmt: skip
    assert capsys.readouterr().out.strip() == f"already captured: {dest}/{first.name}"
    assert list(dest.iterdir()) == [first]
    # Another value, or another host, is another bundle.
    assert capture(path, dest, "--set", "Inst. Type=inf2.xlarge").name != first.name
    assert capture(path, dest, *SET_TYPE, host="host-2").name.startswith("host-2-")


def test_capture_refuses_a_bad_result_file_and_stores_nothing(
    tmp_path: Path, capsys: Capture
) -> None:
    bad = tmp_path / "cut.json"
    bad.write_text(vllm_result("m", 1)[:200])
    assert main(["capture", str(bad), "--to", str(tmp_path / "bundles")]) == 1
    assert str(bad) in capsys.readouterr().err
    assert not (tmp_path / "bundles").exists() or not list((tmp_path / "bundles").iterdir())


# --- ingest ------------------------------------------------------------------------------


def test_rows_carry_the_capturing_hosts_facts_never_the_ingesting_hosts(
    tmp_path: Path, imds: Any, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    capture(result(tmp_path / "r1", "model-a"), bundles)  # no metadata service: no type
    assert ingest(bundles, table) == 1
    err = capsys.readouterr().err
    assert "refused bundle" in err and "no value for key column 'Inst. Type'" in err
    assert str(bundles / "host-1-") in err  # named by its full location

    # The ingesting machine has a metadata service; it is not asked.
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    assert ingest(bundles, table) == 1
    assert not table.exists()


def test_a_later_ingest_reads_only_new_bundles(tmp_path: Path, capsys: Capture) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    capture(result(tmp_path / "r", "model-a", 1), bundles, *SET_TYPE)
    assert ingest(bundles, table) == 0
    capture(result(tmp_path / "r", "model-a", 2), bundles, *SET_TYPE)
    capsys.readouterr()
    assert ingest(bundles, table) == 0
    out = capsys.readouterr().out
    assert f"ingested 1 new bundle(s) from {bundles}/; 1 already ingested" in out
    assert "added 1 row(s)" in out
    assert [r["Concurrency"] for r in rows(table)] == ["1", "2"]
    ledger = json.loads((tmp_path / "t.csv.bundles.json").read_text())
    assert ledger["format"] == "dftable-ingested-bundles" and ledger["table"] == "t.csv"
    assert [e["rows"] for e in ledger["bundles"]] == [1, 1]


def test_an_ingested_bundle_is_not_applied_again_over_a_newer_one(tmp_path: Path) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    older = result(tmp_path / "old", "model-a", 1)
    capture(older, bundles, *SET_TYPE, "--set", "Errors=1")
    assert ingest(bundles, table) == 0
    capture(older, bundles, *SET_TYPE, "--set", "Errors=0")  # a re-run: same row, new value
    assert ingest(bundles, table) == 0
    assert [r["Errors"] for r in rows(table)] == ["0"]
    before = table.read_bytes()
    assert ingest(bundles, table) == 0  # the older bundle is in the ledger: not re-applied
    assert table.read_bytes() == before


def test_within_one_ingest_the_later_capture_of_a_row_wins(tmp_path: Path, capsys: Capture) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    path = result(tmp_path / "r", "model-a", 1)
    capture(path, bundles, *SET_TYPE, "--set", "Errors=1", host="host-1")
    later = capture(path, bundles, *SET_TYPE, "--set", "Errors=7", host="host-2")
    assert ingest(bundles, table) == 0
    assert [r["Errors"] for r in rows(table)] == ["7"]
    assert f"note: {later.name} replaces the row" in capsys.readouterr().err


def test_ingest_values_override_captured_ones(tmp_path: Path) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    capture(result(tmp_path / "r"), bundles, *SET_TYPE, "--set", "Engine=captured")
    assert ingest(bundles, table, "--set", "Engine=central") == 0
    assert [r["Engine"] for r in rows(table)] == ["central"]


def test_dry_run_writes_neither_table_nor_ledger(tmp_path: Path, capsys: Capture) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    bundle = capture(result(tmp_path / "r"), bundles, *SET_TYPE)
    capsys.readouterr()
    assert ingest(bundles, table, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would ingest 1 new bundle(s)" in out and f"{bundles}/{bundle.name}" in out
    assert "would add 1 row(s)" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundles", "r"]


def test_a_half_written_bundle_in_the_folder_is_never_read(tmp_path: Path) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    bundle = capture(result(tmp_path / "r"), bundles, *SET_TYPE)
    # What a capture killed mid-write leaves: a hidden temporary file, cut short.
    partial = bundles / f".{bundle.name}.a1b2c3d4.tmp"
    partial.write_bytes(bundle.read_bytes()[:100])
    bundle.unlink()
    assert ingest(bundles, table) == 0
    assert not table.exists()


def test_a_folder_without_bundles_says_so(tmp_path: Path, capsys: Capture) -> None:
    results = tmp_path / "results"
    result(results)  # result files, not bundles: a folder of them is not read as files
    assert ingest(results, tmp_path / "t.csv") == 0
    captured = capsys.readouterr()
    assert f"note: no bundle (*.dftable.tar.gz) under {results}/" in captured.err
    assert "ingested 0 new bundle(s)" in captured.out
    assert not (tmp_path / "t.csv").exists()


# --- refusals: by name, nothing written ------------------------------------------------------


def _tamper_result(content: dict[str, bytes]) -> None:
    name = next(n for n in content if n.startswith("files/"))
    content[name] = content[name].replace(b'"max_concurrency": 4', b'"max_concurrency": 5')


def _tamper_records(content: dict[str, bytes]) -> None:
    data = json.loads(content["bundle.json"])
    data["content"]["records"][0]["output_tokens_per_s"] = 9999.0
    content["bundle.json"] = json.dumps(data).encode()


def _future_version(content: dict[str, bytes]) -> None:
    data = json.loads(content["bundle.json"])
    data["version"] = 99
    content["bundle.json"] = json.dumps(data).encode()


def _infinite_value(content: dict[str, bytes]) -> None:
    data = json.loads(content["bundle.json"])
    data["content"]["records"][0]["output_tokens_per_s"] = float("inf")
    content["bundle.json"] = json.dumps(data).encode()  # Python writes it as Infinity


def _extra_member(content: dict[str, bytes]) -> None:
    content["files/9/extra.json"] = b"{}"


def _no_manifest(content: dict[str, bytes]) -> None:
    del content["bundle.json"]


def _not_json(content: dict[str, bytes]) -> None:
    content["bundle.json"] = b'{"format": "dftable-bundle", '


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_tamper_result, "does not match its sha256"),
        (_tamper_records, "does not match its content_hash"),
        (_future_version, "bundle version 99"),
        (_infinite_value, "malformed bundle.json: Out of range float values"),
        (_extra_member, "the manifest does not list"),
        (_no_manifest, "no bundle.json"),
        (_not_json, "malformed bundle.json"),
    ],
)
def test_a_spoiled_bundle_is_refused_by_name_and_nothing_is_written(
    tmp_path: Path, capsys: Capture, spoil: Callable[[dict[str, bytes]], None], reason: str
) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    capture(result(tmp_path / "r", "model-a", 1), bundles, *SET_TYPE)
    assert ingest(bundles, table) == 0
    before = table.read_bytes(), (tmp_path / "t.csv.bundles.json").read_bytes()
    capture(result(tmp_path / "r", "model-a", 2), bundles, *SET_TYPE)  # a good new bundle
    bad = capture(result(tmp_path / "r", "model-a", 4), bundles, *SET_TYPE)
    rewrite(bad, spoil)
    capsys.readouterr()
    assert ingest(bundles, table) == 1
    err = capsys.readouterr().err
    assert f"{bundles}/{bad.name}: refused bundle: " in err and reason in err
    assert (table.read_bytes(), (tmp_path / "t.csv.bundles.json").read_bytes()) == before


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_cut_off_bundle_is_refused(tmp_path: Path, capsys: Capture, cut: float) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    bundle = capture(result(tmp_path / "r"), bundles, *SET_TYPE)
    data = bundle.read_bytes()
    bundle.write_bytes(data[: int(len(data) * cut)])
    assert ingest(bundles, table) == 1
    assert "not a readable .tar.gz" in capsys.readouterr().err
    assert not table.exists()


def test_a_renamed_bundle_is_refused(tmp_path: Path, capsys: Capture) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    first = capture(result(tmp_path / "r", "model-a", 1), bundles, *SET_TYPE)
    second = capture(result(tmp_path / "r", "model-a", 2), bundles, *SET_TYPE)
    data = second.read_bytes()
    second.unlink()
    first.write_bytes(data)  # another bundle's content under this name
    assert ingest(bundles, table) == 1
    assert "its name does not match its content hash" in capsys.readouterr().err


def test_not_gzip_at_all(tmp_path: Path, capsys: Capture) -> None:
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    (bundles / f"host-{'0' * 16}.dftable.tar.gz").write_bytes(gzip.compress(b"plain text"))
    assert ingest(bundles, tmp_path / "t.csv") == 1
    assert "not a readable .tar.gz" in capsys.readouterr().err


def test_a_bundles_values_must_fit_the_tables_layout(tmp_path: Path, capsys: Capture) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    bundle = capture(result(tmp_path / "r"), bundles, *SET_TYPE, "--set", "Framework=vLLM")
    assert ingest(bundles, table) == 1
    err = capsys.readouterr().err
    assert f"{bundle.name}: refused bundle: its --set/run file name column(s) 'Framework'" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "malformed bundle ledger"),
        ('{"format": "something-else", "bundles": []}', "not a dftable-ingested-bundles file"),
        ('{"format": "dftable-ingested-bundles", "version": 7, "bundles": []}', "version 7"),
    ],
)
def test_a_malformed_ledger_is_refused(
    tmp_path: Path, capsys: Capture, text: str, message: str
) -> None:
    bundles, table = tmp_path / "bundles", tmp_path / "t.csv"
    capture(result(tmp_path / "r"), bundles, *SET_TYPE)
    (tmp_path / "t.csv.bundles.json").write_text(text)
    assert ingest(bundles, table) == 1
    assert message in capsys.readouterr().err
    assert not table.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "vllm"], "--format and --batch-size apply to result files"),
        (["--batch-size", "4"], "--format and --batch-size apply to result files"),
    ],
)
def test_file_options_do_not_apply_to_bundles(
    tmp_path: Path, capsys: Capture, extra: list[str], message: str
) -> None:
    bundles = tmp_path / "bundles"
    capture(result(tmp_path / "r"), bundles, *SET_TYPE)
    assert ingest(bundles, tmp_path / "t.csv", *extra) == 1
    assert message in capsys.readouterr().err


def test_bundle_locations_and_result_files_do_not_mix(tmp_path: Path, capsys: Capture) -> None:
    bundles = tmp_path / "bundles"
    path = result(tmp_path / "r")
    capture(path, bundles, *SET_TYPE)
    assert main(["ingest", str(bundles), str(path), "--table", str(tmp_path / "t.csv"),
                 "--schema", "serving-sweep"]) == 1  # fmt: skip
    assert "not both" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argument", "location"),
    [
        ("s3://bucket/fleet/sweep/", "s3://bucket/fleet/sweep"),  # argparse's Path drops "/"
        ("s3://bucket", "s3://bucket"),
    ],
)
def test_s3_arguments_survive_the_path_conversion(argument: str, location: str) -> None:
    (found,) = bundle_locations([Path(argument)])
    assert found == location
    assert parse_s3_url(found) == parse_s3_url(argument)


def test_s3_urls_name_a_bucket_and_a_folder() -> None:
    assert parse_s3_url("s3://bucket/a/b") == ("bucket", "a/b/")
    assert parse_s3_url("s3://bucket/a/b/") == ("bucket", "a/b/")
    assert parse_s3_url("s3://bucket") == ("bucket", "")
    with pytest.raises(CollectError, match="no bucket name"):
        parse_s3_url("s3:///a")


# --- without boto3 ------------------------------------------------------------------------

WITHOUT_BOTO3 = """
import sys
sys.modules["boto3"] = None  # as if the aws extra were not installed
from sphinx_dftable.collect.cli import bundle_locations, main
from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.storage import parse_s3_url
sys.exit(main(sys.argv[1:]))
"""


def test_without_boto3_s3_says_what_to_install_and_folders_still_work(tmp_path: Path) -> None:
    path = result(tmp_path / "r")

    def collector(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", WITHOUT_BOTO3, *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    for command in (
        ["capture", str(path), "--to", "s3://bucket/sweep/", *SET_TYPE],
        ["ingest", "s3://bucket/sweep/", "--table", str(tmp_path / "t.csv"), "--schema",
         "serving-sweep"],
    ):  # fmt: skip
        refused = collector(*command)
        assert refused.returncode == 1
        assert "s3:// locations need boto3: pip install 'sphinx-dftable[aws]'" in refused.stderr
    bundles = tmp_path / "bundles"
    assert collector("capture", str(path), "--to", str(bundles), *SET_TYPE).returncode == 0
    done = collector("ingest", str(bundles), "--table", str(tmp_path / "t.csv"), "--schema",
                     "serving-sweep")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(rows(tmp_path / "t.csv")) == 1
