"""A fleet of capturing hosts as real processes, shared by the S3 and folder tests and the
fleet benchmark: 8 hosts, 4 instance types, 25 result files each, one bundle per file."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from collect.fleet.loopback import instance_metadata, vllm_result

CAPTURE_MANY = Path(__file__).with_name("capture_many.py")
HOSTS, BUNDLES_PER_HOST = 8, 25
INSTANCE_TYPES = ("inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge")
TIMEOUT = 120  # seconds for any one child process: the machine is small and shared


@dataclass(frozen=True)
class Captured:
    seconds: float  # from the start signal until the last host finished
    host_seconds: list[float]

    @property
    def bundles(self) -> int:
        return HOSTS * BUNDLES_PER_HOST


def collector(*args: str) -> list[str]:
    return [sys.executable, "-m", "sphinx_dftable.collect", *args]


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def capture_fleet(
    root: Path, dest_of: Callable[[int], str], env: dict[str, str], mode: str = "capture"
) -> Captured:
    """Start every host at once; each asks its own loopback instance metadata service.

    ``mode`` "ingest" has each host ingest its files straight into the table ``dest_of``
    names instead (today's path without bundles, which works only on one machine).
    """
    with ExitStack() as stack:
        imds = [stack.enter_context(instance_metadata(t)) for t in INSTANCE_TYPES]
        go = root / "go"
        children = []
        for host in range(HOSTS):
            results = root / f"host-{host}"
            results.mkdir(parents=True)
            for level in range(1, BUNDLES_PER_HOST + 1):
                (results / f"c{level:02d}.json").write_text(vllm_result(f"model-{host}", level))
            host_env = {**env, "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds[host % 4]}
            host_env.pop("AWS_EC2_METADATA_DISABLED", None)
            command = [sys.executable, str(CAPTURE_MANY), dest_of(host), str(results)]
            children.append(
                subprocess.Popen(
                    [*command, f"host-{host}", str(go), mode],
                    env=host_env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        time.sleep(1.0)  # let every child import the collector before the start signal
        started = time.monotonic()
        go.touch()
        outputs = [child.communicate(timeout=TIMEOUT) for child in children]
        seconds = time.monotonic() - started
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    return Captured(seconds, [json.loads(out)["seconds"] for out, _ in outputs])


def rows_of(table: Path) -> list[dict[str, str]]:
    with table.open(newline="") as handle:
        return list(csv.DictReader(handle))


def row_keys(table: Path) -> list[tuple[str, str, str]]:
    return [(r["Model"], r["Inst. Type"], r["Concurrency"]) for r in rows_of(table)]


def expected_keys() -> list[tuple[str, str, str]]:
    """Each host's rows, with the instance type its own metadata service told."""
    return sorted(
        (f"model-{host}", f"Inf2.{INSTANCE_TYPES[host % 4].split('.')[1]}", str(level))
        for host in range(HOSTS)
        for level in range(1, BUNDLES_PER_HOST + 1)
    )


def racing_ingests(table: Path, locations: Sequence[str], env: dict[str, str]) -> list[str]:
    """Ingest ``locations`` into one table from one process each, all at once; stdouts."""
    children = [
        subprocess.Popen(
            collector("ingest", location, "--table", str(table), "--schema", "serving-sweep"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for location in locations
    ]
    outputs = [child.communicate(timeout=TIMEOUT) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    return [out for out, _ in outputs]


def new_bundles(output: str) -> int:
    """How many bundles an ingest's report says it recorded."""
    return int(output.split("ingested ", 1)[1].split(" new", 1)[0])
