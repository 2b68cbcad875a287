"""Child process of the fleet tests (run as a script): one host capturing a sweep.

capture_many.py DEST RESULTS HOST GO   wait for the file GO, then capture each RESULTS/*.json
                                       as its own bundle to DEST; print timings as JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sphinx_dftable.collect.cli import main


def capture_all(dest: str, results: Path, host: str, go: Path) -> None:
    files = sorted(results.glob("*.json"))
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("GO never came")
        time.sleep(0.005)
    started = time.monotonic()
    for path in files:
        status = main(["capture", str(path), "--to", dest, "--host-name", host, "-q"])
        if status != 0:
            sys.exit(f"capture of {path} exited {status}")
    print(json.dumps({"bundles": len(files), "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    capture_all(sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
