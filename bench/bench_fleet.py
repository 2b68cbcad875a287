"""How fast a fleet captures bundles, and how fast one central ingest reads them.

8 real processes (the "hosts", each with its own loopback instance metadata service and
instance type) start together and each runs 25 ``capture`` commands, one per result file,
to moto's S3 server on 127.0.0.1 (real boto3) and, in another run, to a local folder. The
baseline, in the same session: the same 8 processes each running 25 ``ingest`` commands
straight into one table on this machine (today's path, which works only on one machine).
Then one central ``ingest`` reads the 200 bundles, again with nothing new, against the
baseline of one ``ingest`` of the 200 result files.

The result files are made-up ``vllm bench serve`` results (tests/collect/fleet/loopback.py),
written only under ``bench/_out/fleet/``; the figures are timings, never benchmark data.

    .venv/bin/python bench/bench_fleet.py [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "_out" / "fleet"
sys.path.insert(0, str(BENCH_DIR.parent / "tests"))

from collect.fleet.harness import (  # noqa: E402  (the tests' fleet, on purpose)
    BUNDLES_PER_HOST,
    HOSTS,
    capture_fleet,
    collector,
    run,
)
from collect.fleet.loopback import aws_env, moto_server, s3_client  # noqa: E402

TOTAL = HOSTS * BUNDLES_PER_HOST
BUCKET = "bench-fleet"


def timed(action: Callable[[], Any]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def row_count(table: Path) -> int:
    with table.open(newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def one_round(round_dir: Path, env: dict[str, str]) -> dict[str, float]:
    figures: dict[str, float] = {}
    plain = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
    s3 = f"s3://{BUCKET}/{round_dir.name}/"
    folder = round_dir / "bundles"

    figures["capture S3"] = capture_fleet(round_dir / "s3-hosts", lambda h: s3, env).seconds
    figures["capture folder"] = capture_fleet(
        round_dir / "folder-hosts", lambda h: str(folder), plain
    ).seconds
    direct = round_dir / "direct.csv"
    figures["baseline: ingest on each host"] = capture_fleet(
        round_dir / "direct-hosts", lambda h: str(direct), plain, mode="ingest"
    ).seconds

    tables = {name: round_dir / f"{name}.csv" for name in ("s3", "folder", "files")}
    ingest = ("--schema", "serving-sweep")
    figures["ingest S3"] = timed(
        lambda: run(collector("ingest", s3, "--table", str(tables["s3"]), *ingest), env)
    )
    figures["ingest S3, nothing new"] = timed(
        lambda: run(collector("ingest", s3, "--table", str(tables["s3"])), env)
    )
    figures["ingest folder"] = timed(
        lambda: run(
            collector("ingest", str(folder), "--table", str(tables["folder"]), *ingest), plain
        )
    )
    files = sorted(str(p) for p in (round_dir / "folder-hosts").glob("host-*/*.json"))
    figures["baseline: ingest the 200 files"] = timed(
        lambda: run(
            collector(
                "ingest",
                *files,
                "--table",
                str(tables["files"]),
                *ingest,
                "--set",
                "Inst. Type=inf2.48xlarge",
            ),
            plain,
        )
    )
    for name, table in (*tables.items(), ("direct", direct)):
        count = row_count(table)
        if count != TOTAL:
            raise SystemExit(f"{name}: {count} rows, expected {TOTAL}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best is kept")
    args = parser.parse_args()
    shutil.rmtree(OUT_DIR, ignore_errors=True)
    OUT_DIR.mkdir(parents=True)
    import boto3

    best: dict[str, float] = {}
    with moto_server() as endpoint:
        env = aws_env(endpoint)
        s3_client(endpoint).create_bucket(Bucket=BUCKET)
        for number in range(args.repeat):
            round_dir = OUT_DIR / f"round-{number}"
            round_dir.mkdir()
            for name, seconds in one_round(round_dir, env).items():
                best[name] = min(seconds, best.get(name, seconds))
    load = os.getloadavg()[0]
    print(
        f"{HOSTS} hosts x {BUNDLES_PER_HOST} results = {TOTAL}; best of {args.repeat}; "
        f"{os.cpu_count()} CPUs, load average {load:.1f}; "
        f"Python {sys.version.split()[0]}, boto3 {boto3.__version__}"
    )
    base = best["baseline: ingest on each host"]
    print(f"\n{'on the hosts, all at once':34}  {'seconds':>7}  {'per s':>6}  vs baseline")
    for name in ("capture S3", "capture folder", "baseline: ingest on each host"):
        print(f"{name:34}  {best[name]:7.2f}  {TOTAL / best[name]:6.1f}  {base / best[name]:.2f}x")
    base = best["baseline: ingest the 200 files"]
    print(f"\n{'one central ingest':34}  {'seconds':>7}  {'per s':>6}  vs baseline")
    for name in (
        "ingest S3",
        "ingest S3, nothing new",
        "ingest folder",
        "baseline: ingest the 200 files",
    ):
        print(f"{name:34}  {best[name]:7.2f}  {TOTAL / best[name]:6.1f}  {base / best[name]:.2f}x")


if __name__ == "__main__":
    main()
