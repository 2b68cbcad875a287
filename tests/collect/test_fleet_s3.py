"""A fleet against a real S3 API: moto's server on loopback, the real boto3 client, and real
collector processes capturing and ingesting at the same time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from collect.fleet.loopback import (
    SlowLink,
    aws_env,
    instance_metadata,
    moto_server,
    require_s3_packages,
    s3_client,
    vllm_result,
)

require_s3_packages()

BUCKET = "fleet-results"
SET_TYPE = ("--set", "Inst. Type=inf2.48xlarge")


@dataclass
class Fleet:
    endpoint: str
    env: dict[str, str]  # for collector processes: the loopback server, no instance metadata
    client: Any  # boto3's S3 client on the loopback server
    url: str  # where the hosts captured: hosts 0-3 under a/, 4-7 under b/
    captured: Captured

    def keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    with moto_server() as endpoint:
        env = aws_env(endpoint)
        client = s3_client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        url = f"s3://{BUCKET}/sweep/"
        captured = capture_fleet(
            tmp_path_factory.mktemp("fleet"), lambda host: f"{url}{'ab'[host // 4]}/", env
        )
        yield Fleet(endpoint, env, client, url, captured)


def test_eight_hosts_capture_at_once_and_one_ingest_yields_every_row_once(
    fleet: Fleet, tmp_path: Path
) -> None:
    total = HOSTS * BUNDLES_PER_HOST
    keys = fleet.keys("sweep/")
    assert len(keys) == total
    assert {k.rsplit("/", 1)[1].rsplit("-", 1)[0] for k in keys} == {
        f"host-{h}" for h in range(HOSTS)
    }
    table, ledger = tmp_path / "sweep.csv", tmp_path / "sweep.csv.bundles.json"
    # The ingesting machine is an instance of another type: none of its facts may appear.
    with instance_metadata("trn1.32xlarge") as own_metadata:
        env = {**fleet.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT": own_metadata}
        del env["AWS_EC2_METADATA_DISABLED"]
        started = time.monotonic()
        first = run(collector("ingest", fleet.url, "--table", str(table), "--schema",
                              "serving-sweep"), env)  # fmt: skip
        ingest_seconds = time.monotonic() - started
    assert f"ingested {total} new bundle(s)" in first.stdout
    assert sorted(row_keys(table)) == expected_keys()  # each row once, its own host's type
    entries = json.loads(ledger.read_text())["bundles"]
    assert sorted(e["location"] for e in entries) == sorted(f"s3://{BUCKET}/{k}" for k in keys)

    before = table.read_bytes(), ledger.read_bytes()
    started = time.monotonic()
    second = run(collector("ingest", fleet.url, "--table", str(table)), fleet.env)
    again_seconds = time.monotonic() - started
    assert f"ingested 0 new bundle(s) from {fleet.url}; {total} already ingested" in second.stdout
    assert (table.read_bytes(), ledger.read_bytes()) == before

    captured = fleet.captured
    print(
        f"\nfleet on S3 (moto on loopback): {HOSTS} processes x {BUNDLES_PER_HOST} captures = "
        f"{total} bundles in {captured.seconds:.2f} s ({total / captured.seconds:.1f} "
        f"bundles/s; slowest host {max(captured.host_seconds):.2f} s); ingest of {total} "
        f"bundles {ingest_seconds:.2f} s; again, nothing new: {again_seconds:.2f} s"
    )


def test_capturing_the_same_file_again_is_a_no_op(fleet: Fleet, tmp_path: Path) -> None:
    result = tmp_path / "c01.json"
    result.write_text(vllm_result("model-redo", 1))
    dest = f"s3://{BUCKET}/redo/"
    command = collector("capture", str(result), "--to", dest, "--host-name", "h1", *SET_TYPE)
    first, second = run(command, fleet.env), run(command, fleet.env)
    url = first.stdout.split()[1].rstrip(":")
    assert url.startswith(f"{dest}h1-")
    assert second.stdout.strip() == f"already captured: {url}"
    assert fleet.keys("redo/") == [url.removeprefix(f"s3://{BUCKET}/")]


def test_two_ingests_racing_on_one_table_lose_nothing(fleet: Fleet, tmp_path: Path) -> None:
    table = tmp_path / "same-prefix.csv"
    outputs = racing_ingests(table, [fleet.url, fleet.url], fleet.env)
    assert sorted(row_keys(table)) == expected_keys()  # each row once
    # Both fetched every bundle; under the lock, the second saw them recorded.
    assert sum(new_bundles(out) for out in outputs) == HOSTS * BUNDLES_PER_HOST

    table = tmp_path / "two-prefixes.csv"
    racing_ingests(table, [f"{fleet.url}a/", f"{fleet.url}b/"], fleet.env)
    assert sorted(row_keys(table)) == expected_keys()
    ledger = json.loads(table.with_name("two-prefixes.csv.bundles.json").read_text())
    assert len(ledger["bundles"]) == HOSTS * BUNDLES_PER_HOST


def test_a_capture_killed_mid_upload_leaves_nothing_to_ingest(fleet: Fleet, tmp_path: Path) -> None:
    result = tmp_path / "c64.json"
    result.write_text(vllm_result("model-big", 64, padding=6_000_000))  # ~3 MB gzipped
    dest, table = f"s3://{BUCKET}/killed/", tmp_path / "killed.csv"
    capture = collector("capture", str(result), "--to", dest, "--host-name", "h1", *SET_TYPE)
    link = SlowLink(fleet.endpoint)  # the upload takes a while, and its progress shows
    try:
        child = subprocess.Popen(capture, env={**fleet.env, "AWS_ENDPOINT_URL": link.url})
        deadline = time.monotonic() + TIMEOUT
        while link.sent < 1_000_000 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        assert child.poll() is None, "the upload ended before the kill"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=TIMEOUT)
        sent_at_kill = link.sent
    finally:
        link.close()
    assert child.returncode == -signal.SIGKILL
    assert fleet.keys("killed/") == []
    # Killed inside the upload: it was begun and never completed, so no object lists.
    uploads = fleet.client.list_multipart_uploads(Bucket=BUCKET, Prefix="killed/")
    assert [u["Key"].endswith(".dftable.tar.gz") for u in uploads.get("Uploads", [])] == [True]
    ingest = collector("ingest", dest, "--table", str(table), "--schema", "serving-sweep")
    assert "ingested 0 new bundle(s)" in run(ingest, fleet.env).stdout
    assert not table.exists()

    # The killed capture blocks nothing: the same capture, uninterrupted, is stored whole.
    run(capture, fleet.env)
    (key,) = fleet.keys("killed/")
    assert sent_at_kill < fleet.client.head_object(Bucket=BUCKET, Key=key)["ContentLength"]
    run(ingest, fleet.env)
    assert row_keys(table) == [("model-big", "Inf2.48xlarge", "64")]


def test_a_missing_bucket_is_refused_with_the_servers_word(fleet: Fleet, tmp_path: Path) -> None:
    result = tmp_path / "c01.json"
    result.write_text(vllm_result("model-a", 1))
    for command in (
        collector("capture", str(result), "--to", "s3://no-such-bucket/x/", *SET_TYPE),
        collector("ingest", "s3://no-such-bucket/x/", "--table", str(tmp_path / "t.csv"),
                  "--schema", "serving-sweep"),
    ):  # fmt: skip
        refused = subprocess.run(
            command, env=fleet.env, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        assert refused.returncode == 1
        assert "s3://no-such-bucket/x/" in refused.stderr and "NoSuchBucket" in refused.stderr
    assert not (tmp_path / "t.csv").exists()
