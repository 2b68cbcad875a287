"""What ``:compare:`` costs a ``df-table`` build: the same table with and without it.

For each size (default 2,000 and 20,000 rows) two projects are generated under
``bench/_out/compare/``: one table, and the same table with ``:compare: releases/v1``
(a release folder of the same file, every value moved a little, a few rows removed and
added), ``:keys:`` and two ``:metrics:``. Each is built with
``python -m sphinx -b html -E -q`` in a fresh subprocess, in rounds (every case once, then
again), and the best of ``--repeat`` is kept. The output: the seconds of each build, the
ratio compared/plain, and the load average when it ran.

All data is synthetic (a seeded ``random.Random``), written only under ``bench/_out/``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "_out" / "compare"
CONF = 'extensions = ["sphinx_dftable"]\nproject = "bench"\nexclude_patterns = ["_build"]\n'
PAGE = """Bench
=====

.. df-table:: {rows} rows
{options}
   df = pd.read_csv('data.csv')
"""
COMPARE = """   :compare: releases/v1
   :keys: Model, Instance, Batch
   :metrics: Throughput = higher, Latency = lower
"""


def table(rows: int, seed: int, moved: float = 0.0) -> str:
    """``rows`` rows of keys and figures; ``moved``: how far each figure may be moved."""
    rng = random.Random(seed)
    lines = ["Model,Instance,Batch,Throughput,Latency,Note"]
    for i in range(rows):
        model, instance, batch = f"model-{i // 64}", f"inf2.{i % 8}xlarge", 2 ** (i // 8 % 8)
        throughput = 100 + (i * 37) % 900 + rng.random() * 10
        latency = 5 + (i * 11) % 90 + rng.random()
        if moved:
            throughput *= 1 + rng.uniform(-moved, moved)
            latency *= 1 + rng.uniform(-moved, moved)
        lines.append(f"{model},{instance},{batch},{throughput:.2f},{latency:.3f},run {i % 5}")
    return "\n".join(lines) + "\n"


def project(rows: int, compared: bool) -> Path:
    root = OUT / f"{rows}-{'compared' if compared else 'plain'}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "releases" / "v1").mkdir(parents=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    current = table(rows, seed=rows)
    (root / "data.csv").write_text(current, encoding="utf-8")
    if compared:
        # The release: the same rows moved by up to 5%, the last ten not yet there, and
        # ten rows since removed.
        before = table(rows, seed=rows, moved=0.05).splitlines()
        gone = [line.replace("model-", "retired-", 1) for line in before[1:11]]
        text = "\n".join([*before[:-10], *gone]) + "\n"
        (root / "releases" / "v1" / "data.csv").write_text(text, encoding="utf-8")
    options = COMPARE if compared else ""
    (root / "index.rst").write_text(PAGE.format(rows=rows, options=options), encoding="utf-8")
    return root


def build_seconds(root: Path) -> float:
    out = root / "_build"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-q", str(root), str(out)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode or done.stderr.strip():
        raise SystemExit(f"{root.name}: the build failed or warned:\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000", help="rows, separated by commas")
    parser.add_argument("--repeat", type=int, default=3, help="best of N builds per case")
    arguments = parser.parse_args()
    sizes = [int(s) for s in arguments.sizes.split(",")]
    cases = [(rows, compared) for rows in sizes for compared in (False, True)]
    roots = {case: project(*case) for case in cases}
    best: dict[tuple[int, bool], float] = {}
    loads = []
    for _ in range(arguments.repeat):
        for case in cases:
            loads.append(os.getloadavg()[0])
            seconds = build_seconds(roots[case])
            best[case] = min(best.get(case, seconds), seconds)
    print(f"best of {arguments.repeat}; load average (1 min) {min(loads):.2f} to {max(loads):.2f}")
    print(f"{'rows':>7}  {'plain s':>8}  {'compared s':>10}  {'compared/plain':>14}")
    for rows in sizes:
        plain, compared = best[rows, False], best[rows, True]
        print(f"{rows:>7,}  {plain:>8.2f}  {compared:>10.2f}  {compared / plain:>13.2f}x")


if __name__ == "__main__":
    main()
