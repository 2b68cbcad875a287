"""Child process for the crash and concurrency tests (run as a script, never imported).

_writer.py flip TABLE A_FILE B_FILE   rewrite TABLE as A, B, A, ... until killed
_writer.py add TABLE NAME COUNT GO    wait for GO to exist, then upsert COUNT rows
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sphinx_dftable.collect.store import upsert, write_table


def flip(table: Path, a: Path, b: Path) -> None:
    texts = [a.read_text(), b.read_text()]
    write_table(table, texts[0])
    print("ready", flush=True)
    turn = 1
    while True:
        write_table(table, texts[turn])
        turn ^= 1


def add(table: Path, name: str, count: int, go: Path) -> None:
    while not go.exists():
        time.sleep(0.001)
    for number in range(count):
        upsert(
            table,
            allowed=["Writer", "Row", "Value"],
            written=["Writer", "Row", "Value"],
            keys=["Writer", "Row"],
            rows=[{"Writer": name, "Row": str(number), "Value": str(number * 2)}],
            lock_timeout=30,
        )


if __name__ == "__main__":
    command, table = sys.argv[1], Path(sys.argv[2])
    if command == "flip":
        flip(table, Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        add(table, sys.argv[3], int(sys.argv[4]), Path(sys.argv[5]))
