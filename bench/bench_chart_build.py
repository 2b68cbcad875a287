"""What drawing costs a ``df-chart`` build, and what the drawing cache saves on rebuilds.

Every build is ``python -m sphinx -b html -q src out`` in a fresh subprocess on a generated
project of pages with one chart each. The figures are wall times of whole builds; the
number of charts drawn is counted from the drawing cache's files (a drawn chart writes or
rewrites its file there).

All data is synthetic (a seeded random generator), written only under ``bench/_out/``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "_out" / "charts"
SEED = 20261121
KINDS = ("line", "bar", "scatter")

PAGE = """Chart {n}
========

.. df-chart:: Synthetic sweep {n}
   :kind: {kind}
   :x: Concurrency
   :y: Throughput
   :group: Model

   df = pd.read_csv("data{n}.csv")
"""


def make_project(root: Path, charts: int) -> Path:
    rng = random.Random(SEED)
    src = root / "src"
    shutil.rmtree(root, ignore_errors=True)
    src.mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["sphinx_dftable"]\n', encoding="utf-8")
    names = [f"page{n}" for n in range(charts)]
    toctree = "\n".join(f"   {name}" for name in names)
    (src / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toctree}\n")
    for n, name in enumerate(names):
        rows = ["Model,Concurrency,Throughput"]
        for model in ("model-a", "model-b", "model-c"):
            rows += [f"{model},{c},{rng.uniform(10, 5000):.2f}" for c in (1, 2, 4, 8, 16, 32)]
        (src / f"data{n}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        page = PAGE.format(n=n, kind=KINDS[n % len(KINDS)])
        (src / f"{name}.rst").write_text(page, encoding="utf-8")
    return src


def build(src: Path, out: Path, doctrees: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(doctrees), str(src),
         str(out)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def drawn_since(doctrees: Path, moment: float) -> int:
    cache = doctrees / "dftable-charts"
    return sum(1 for p in cache.glob("*.cache") if p.stat().st_mtime >= moment)


def touch_pages(src: Path) -> None:
    """Edit every page's text (not its chart): Sphinx reads and writes every page again."""
    for page in src.glob("page*.rst"):
        page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--charts", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = OUT_DIR / "project"
    results: dict[str, list[float]] = {"cold": [], "unchanged": [], "pages edited": [],
                                       "pages edited, cache cleared": []}  # fmt: skip
    draws: dict[str, list[int]] = {key: [] for key in results}
    for _ in range(args.repeat):
        src = make_project(root, args.charts)
        out, doctrees = root / "out", root / "doctrees"
        for label in results:
            if label == "pages edited":
                time.sleep(0.01)
                touch_pages(src)
            elif label == "pages edited, cache cleared":
                touch_pages(src)
                shutil.rmtree(doctrees / "dftable-charts")
                shutil.rmtree(out / "_images")
            moment = time.time() - 0.001
            results[label].append(build(src, out, doctrees))
            draws[label].append(drawn_since(doctrees, moment))
    print(f"{args.charts} pages with one chart each; median of {args.repeat} runs")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"{'build':32} {'wall s':>8} {'charts drawn':>13}")
    medians = {label: statistics.median(times) for label, times in results.items()}
    for label, value in medians.items():
        print(f"{label:32} {value:8.2f} {statistics.median(draws[label]):13.0f}")
    saved = medians["pages edited, cache cleared"] / medians["pages edited"]
    per_chart = (medians["pages edited, cache cleared"] - medians["pages edited"]) / args.charts
    print(f"rebuild of edited pages with the cache vs without: {saved:.2f}x faster")
    print(f"drawing cost per chart (SVG): {per_chart * 1000:.0f} ms")


if __name__ == "__main__":
    main()
