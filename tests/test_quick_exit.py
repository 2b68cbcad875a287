"""A build's process freezes what is alive at exit, and only at exit (quick_exit.py).

Real subprocesses: the freeze is about how a process ends, which a test in this process
cannot see.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# Registered before the build (when conf.py is read), so it runs after the extension's
# handler (atexit runs last in, first out) and sees what that one did.
CONF = """
import atexit, gc, os
extensions = ["sphinx_dftable"]
atexit.register(lambda: open(os.environ["FROZEN_AT_EXIT"], "w").write(str(gc.get_freeze_count())))
"""

PAGE = """
Page
====

.. df-table:: Runs

   df = pd.DataFrame({"Model": ["a", "b"], "Throughput": [1.5, 2.5]})
"""

TWO_BUILDS = """
import gc
from sphinx.cmd.build import build_main
for out in ("out1", "out2"):
    assert build_main(["-b", "html", "-q", "-E", "src", out]) == 0
    print(gc.get_freeze_count())  # between builds: nothing is frozen
"""


def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(textwrap.dedent(CONF), encoding="utf-8")
    (src / "index.rst").write_text(textwrap.dedent(PAGE), encoding="utf-8")
    return src


def run(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "frozen.txt"
    done = subprocess.run(
        [sys.executable, *command],
        cwd=tmp_path,
        env={**os.environ, "FROZEN_AT_EXIT": str(env_file)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_a_sphinx_build_exits_with_what_is_alive_frozen(tmp_path: Path) -> None:
    project(tmp_path)
    run(tmp_path, "-m", "sphinx", "-b", "html", "-q", "src", "out")
    assert (tmp_path / "out" / "index.html").is_file()
    assert int((tmp_path / "frozen.txt").read_text()) > 10_000  # the build's objects


def test_a_process_of_many_builds_collects_between_them(tmp_path: Path) -> None:
    project(tmp_path)
    done = run(tmp_path, "-c", TWO_BUILDS)
    assert done.stdout.split() == ["0", "0"]
    assert int((tmp_path / "frozen.txt").read_text()) > 10_000  # and freezes at its exit


def test_without_a_finished_build_nothing_is_frozen(tmp_path: Path) -> None:
    project(tmp_path)
    # Sphinx set up, never built: the extension's handler is not registered.
    code = "from sphinx.application import Sphinx\nSphinx('src', 'src', 'out', 'out/.d', 'html')"
    run(tmp_path, "-c", code)
    assert (tmp_path / "frozen.txt").read_text() == "0"
