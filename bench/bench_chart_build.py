"""What drawing costs a ``df-chart`` build, what the cache saves, and what parallel drawing gains.

Every build is ``python -m sphinx -b html -q src out`` (or with ``-j 2``) in a fresh
subprocess on a generated project of pages with one chart each. The figures are wall
times of whole builds; the number of chart files drawn is counted from the drawing
cache (a drawn file is written anew there).

``--baseline REF`` also builds the same projects with the package as it is at the git
commit ``REF`` (exported with ``git archive`` under ``bench/_out/``, put first on
``PYTHONPATH``), in the same rounds, so that both versions see the same machine load;
the ratios compare the two.

All data is synthetic (a seeded random generator), written only under ``bench/_out/``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "_out" / "charts"
SEED = 20261121
KINDS = ("line", "bar", "scatter")
CASES = ("cold", "cold, -j 2", "unchanged", "pages edited", "pages edited, cache cleared")

PAGE = """Chart {n}
========

.. df-chart:: Synthetic sweep {n}
   :kind: {kind}
   :x: Concurrency
   :y: Throughput
   :group: Model{size}

   df = pd.read_csv("data{n}.csv")
"""


def make_project(root: Path, charts: int, size: str | None = None) -> Path:
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
        extra = f"\n   :size: {size}" if size else ""
        page = PAGE.format(n=n, kind=KINDS[n % len(KINDS)], size=extra)
        (src / f"{name}.rst").write_text(page, encoding="utf-8")
    return src


def export(ref: str) -> Path:
    """The package as it is at ``ref``, in a directory of its own."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", ref],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    target = OUT_DIR / f"baseline-{commit}"
    if not (target / "sphinx_dftable").is_dir():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = target / "package.tar"
        with archive.open("wb") as file:
            subprocess.run(
                ["git", "-C", str(REPO), "archive", commit, "sphinx_dftable"],
                check=True, stdout=file,
            )  # fmt: skip
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.10.12+, 3.11.4+
                tar.extractall(target, filter="data")
            else:
                tar.extractall(target)
        archive.unlink()
    return target


def build(root: Path, pythonpath: Path | None, *extra: str) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the build and every process it started."""
    src, out, doctrees = root / "src", root / "out", root / "doctrees"
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", *extra, "-d", str(doctrees),
         str(src), str(out)],
        check=True, env=env, cwd=root,  # not the repository: its package would come first
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers were reaped by then
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def drawn_since(doctrees: Path, moment: float) -> int:
    cache = doctrees / "dftable-charts"
    return sum(1 for p in cache.glob("*.cache") if p.stat().st_mtime >= moment)


def touch_pages(src: Path) -> None:
    """Edit every page's text (not its chart): Sphinx reads and writes every page again."""
    for page in src.glob("page*.rst"):
        page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")


def one_round(
    root: Path, charts: int, pythonpath: Path | None, size: str | None
) -> dict[str, tuple[float, float, int]]:
    """Every case once, for one version of the package: (wall s, CPU s, files drawn)."""
    found = {}
    for label in CASES:
        if label.startswith("cold"):
            make_project(root, charts, size)
        elif label == "pages edited":
            time.sleep(0.01)
            touch_pages(root / "src")
        elif label == "pages edited, cache cleared":
            touch_pages(root / "src")
            shutil.rmtree(root / "doctrees" / "dftable-charts")
            shutil.rmtree(root / "out" / "_images")
        moment = time.time() - 0.001
        extra = ("-j", "2") if "-j 2" in label else ()
        wall, cpu = build(root, pythonpath, *extra)
        found[label] = (wall, cpu, drawn_since(root / "doctrees", moment))
    return found


def free_cores() -> float:
    """How many cores this machine gives us now: one busy loop's time against two at once.

    On a shared machine this is what parallel drawing can use; near 1, it cannot help.
    """
    code = "n = 0\nfor i in range(8_000_000): n += i"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    one = time.perf_counter() - started
    started = time.perf_counter()
    loops = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    for loop in loops:
        loop.wait()
    return 2 * one / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--charts", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="REF", help="a git commit to compare with")
    parser.add_argument(
        "--size",
        metavar="'W x H'",
        help="each chart's :size: (default: none, 7.2 x 4 inches; 4.5 x 3 or less draws "
        "no narrow rendition, so each chart is one drawing, as before it existed)",
    )
    args = parser.parse_args()
    versions: dict[str, Path | None] = {"current": None}
    if args.baseline:
        versions = {f"baseline {args.baseline}": export(args.baseline), **versions}
    runs: dict[str, list[dict[str, tuple[float, float, int]]]] = {name: [] for name in versions}
    loads = []
    cores = [free_cores()]
    for _ in range(args.repeat):
        for name, pythonpath in versions.items():  # rounds: both versions share a slow spell
            root = OUT_DIR / ("project-" + name.split()[0])
            runs[name].append(one_round(root, args.charts, pythonpath, args.size))
            loads.append(os.getloadavg()[0])
        cores.append(free_cores())
    size = f", :size: {args.size}" if args.size else ""
    print(f"{args.charts} pages with one chart each{size}; median of {args.repeat} runs")
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{min(loads):.1f} to {max(loads):.1f} during the runs; cores free for us (two busy "
        f"loops against one, between rounds): {min(cores):.2f} to {max(cores):.2f}"
    )
    medians = {
        name: {label: statistics.median(r[label][0] for r in found) for label in CASES}
        for name, found in runs.items()
    }
    cpus = {
        name: {label: statistics.median(r[label][1] for r in found) for label in CASES}
        for name, found in runs.items()
    }
    short = {name: name.split()[0] for name in versions}
    header = "".join(f" {short[n] + ' wall s':>15} {'cpu s':>6} {'drawn':>6}" for n in versions)
    ratio_header = f" {'wall base/current':>18}" if args.baseline else ""
    print(f"{'build':30}{header}{ratio_header}")
    for label in CASES:
        row = f"{label:30}"
        for name, found in runs.items():
            drawn = statistics.median(r[label][2] for r in found)
            row += f" {medians[name][label]:15.2f} {cpus[name][label]:6.2f} {drawn:6.0f}"
        if args.baseline:
            before = medians[next(iter(versions))][label]
            row += f" {before / medians['current'][label]:17.2f}x"
        print(row)
    print("each round, wall s (cpu s):")
    for label in CASES[:2]:
        for name, found in runs.items():
            rounds = "  ".join(f"{r[label][0]:.2f} ({r[label][1]:.2f})" for r in found)
            print(f"  {label:12} {short[name]:9} {rounds}")
    current = medians["current"]
    saved = current["pages edited, cache cleared"] / current["pages edited"]
    print(f"current: rebuild of edited pages with the cache vs without: {saved:.2f}x faster")
    if args.baseline:
        baseline = medians[next(iter(versions))]
        ratio = baseline["cold"] / current["cold"]
        verdict = "PASS" if ratio >= 2 else "FAIL"
        print(f"{verdict}  cold build at least 2x faster than {args.baseline}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
