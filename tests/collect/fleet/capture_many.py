"""Child process of the fleet tests and benchmark (run as a script): one host's sweep.

capture_many.py DEST RESULTS HOST GO           wait for the file GO, then capture each
                                               RESULTS/*.json as its own bundle to DEST
capture_many.py TABLE RESULTS HOST GO ingest   the same, but ingest each file straight
                                               into the CSV TABLE (no bundles: a baseline)

Prints {"bundles": N, "seconds": S} when done.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sphinx_dftable.collect.cli import main


def run_all(dest: str, results: Path, host: str, go: Path, mode: str) -> None:
    files = sorted(results.glob("*.json"))
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("GO never came")
        time.sleep(0.005)
    started = time.monotonic()
    for path in files:
        if mode == "ingest":
            args = ["ingest", str(path), "--table", dest, "--schema", "serving-sweep"]
        else:
            args = ["capture", str(path), "--to", dest, "--host-name", host]
        status = main([*args, "-q"])
        if status != 0:
            sys.exit(f"{args[0]} of {path} exited {status}")
    print(json.dumps({"bundles": len(files), "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    mode = sys.argv[5] if len(sys.argv) > 5 else "capture"
    run_all(sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), mode)
