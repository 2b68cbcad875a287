"""What one chart's files cost to draw, in one process: the current package against another.

Each round starts one fresh subprocess per version; it prepares the chart bench's 24
charts (the same seeded data and options as ``bench_chart_build.py``), draws one chart
to warm up, then draws every chart as its HTML files (the wide SVG and, for a chart
wider than 4.6 inches, the narrow one, where the version has one) and prints the CPU
milliseconds per chart (``time.process_time``). The versions alternate in rounds, so
both see the same machine load; the best round of each is reported, with the ratio.

``--baseline REF`` exports the package at git commit ``REF`` (as the build bench does)
and puts it first on ``PYTHONPATH`` for its subprocesses. A version without
``render_all`` draws each file with ``render``, as its builds did.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench_chart_build import KINDS, SEED, export

DRAW = """
import json, random, sys, time
import pandas as pd
from sphinx_dftable.chart import draw
from sphinx_dftable.chart.prepare import prepare_chart
from sphinx_dftable.chart.spec import ChartSpec

rng = random.Random(SEED)
charts = []
for n in range(24):
    rows = []
    for model in ("model-a", "model-b", "model-c"):
        rows += [(model, c, float(f"{rng.uniform(10, 5000):.2f}")) for c in (1, 2, 4, 8, 16, 32)]
    frame = pd.DataFrame(rows, columns=["Model", "Concurrency", "Throughput"])
    spec = ChartSpec(kind=KINDS[n % 3], x="Concurrency", y=("Throughput",), group="Model",
                     title=f"Synthetic sweep {n}")
    charts.append(prepare_chart(frame, spec))

def files(chart):
    narrow = hasattr(chart, "has_narrow") and chart.has_narrow()  # none before it existed
    renditions = ["wide", "narrow"] if narrow else ["wide"]
    if hasattr(draw, "render_all"):
        return list(draw.render_all(chart, "svg", renditions).values())
    return [draw.render(chart, "svg", r) if r != "wide" else draw.render(chart, "svg")
            for r in renditions]

files(charts[0])
started = time.process_time()
drawn = sum(len(files(chart)) for chart in charts)
spent = time.process_time() - started
print(json.dumps({"ms_per_chart": spent / len(charts) * 1000, "files": drawn}))
"""


def run(pythonpath: Path | None) -> dict[str, float]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    code = f"SEED = {SEED}\nKINDS = {KINDS!r}\n" + DRAW
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env,
        cwd=Path(__file__).resolve().parent / "_out",  # not the repository: its package
    )  # fmt: skip
    if done.returncode:  # a version whose chart API this script does not know
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise SystemExit(f"drawing with {pythonpath or 'the current package'} failed: {last}")
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", metavar="REF", help="a git commit to compare with")
    args = parser.parse_args()
    (Path(__file__).resolve().parent / "_out").mkdir(exist_ok=True)
    versions: dict[str, Path | None] = {}
    if args.baseline:
        versions[f"baseline {args.baseline}"] = export(args.baseline)
    versions["current"] = None
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        for name, path in versions.items():
            result = run(path)
            if name not in best or result["ms_per_chart"] < best[name]["ms_per_chart"]:
                best[name] = result
    print(f"24 charts (the chart bench's), their HTML files; best of {args.repeat} rounds")
    for name, result in best.items():
        ms, files = result["ms_per_chart"], result["files"]
        print(f"{name:<22} {ms:7.1f} ms of CPU per chart, {files:.0f} files")
    if args.baseline:
        base, current = (r["ms_per_chart"] for r in best.values())
        print(f"baseline / current: {base / current:.2f}x")


if __name__ == "__main__":
    main()
