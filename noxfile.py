"""The whole test suite at both ends of the supported stack.

``tests-oldest``: the AWS Neuron documentation's stack, pinned in
``constraints/neuron-docs.txt``, on Python 3.10 where one is installed.
``tests-newest``: the newest release of everything, on the newest Python at hand.

Both fall back to the Python running nox, so ``make test`` works with a single python3.
Their virtualenvs are kept between runs and reinstalled only when pyproject.toml, a
constraints file or this file changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
NEURON_DOCS = ROOT / "constraints" / "neuron-docs.txt"
NEWEST_FLOORS = ROOT / "constraints" / "newest-floors.txt"
# What the sessions print after installing, to show which stack each one tested.
KEY_PACKAGES = (
    "sphinx",
    "docutils",
    "pandas",
    "numpy",
    "matplotlib",
    "sphinx-design",
    "myst-parser",
    "furo",
    "sphinx-book-theme",
    "pydata-sphinx-theme",
    "pytest",
    "hypothesis",
    "playwright",
)

nox.options.sessions = ["tests-oldest", "tests-newest"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True


def _python_version(executable: str) -> str | None:
    """``X.Y.Z`` of ``executable``, or None when it does not run (a pyenv shim without a
    version selected for it, say)."""
    try:
        result = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _find_python(version: str) -> str | None:
    """A working interpreter for ``version`` (``3.10``): on PATH, else installed by pyenv."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    # pyenv's shims fail for versions not selected with `pyenv global`; the builds work.
    installed = sorted(
        pyenv_root.glob(f"versions/{version}.*/bin/python{version}"),
        key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
    )
    candidates += [str(path) for path in reversed(installed)]
    for candidate in candidates:
        if candidate and (_python_version(candidate) or "").startswith(f"{version}."):
            return candidate
    return None


def _pick(preferred: tuple[str, ...]) -> tuple[str, str]:
    """The first of ``preferred`` that is installed, else the Python running nox; and why."""
    for version in preferred:
        found = _find_python(version)
        if found:
            return found, f"Python {version}"
    wanted = " or ".join(f"python{version}" for version in preferred)
    return sys.executable, f"the Python running nox ({wanted} not found)"


OLDEST_PYTHON, OLDEST_WHY = _pick(("3.10",))
NEWEST_PYTHON, NEWEST_WHY = _pick(("3.13", "3.12", "3.11"))


def _install(session: nox.Session, *args: str) -> None:
    """``pip install args``, skipped when nothing it depends on changed since last time."""
    digest = hashlib.sha256(" ".join(args).encode())
    for path in (ROOT / "pyproject.toml", NEURON_DOCS, NEWEST_FLOORS, Path(__file__)):
        digest.update(path.read_bytes())
    stamp = Path(session.virtualenv.location) / ".dftable-installed"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        session.log("dependencies unchanged since the last run of this session: not reinstalled")
        return
    session.install(*args)
    stamp.write_text(digest.hexdigest())


def _report_and_test(session: nox.Session, why: str) -> None:
    session.run(
        "python",
        "-c",
        "import platform, sys; from importlib import metadata\n"
        "print(f'Python {platform.python_version()} ({sys.base_prefix})')\n"
        "for name in sys.argv[1:]:\n"
        "    try: print(f'{name} {metadata.version(name)}')\n"
        "    except metadata.PackageNotFoundError: pass\n",
        *KEY_PACKAGES,
    )
    session.log(f"interpreter: {why}")
    if not session.posargs:
        # The Neuron docs' theme: this site builds under it without a warning too (not
        # on a targeted run, with pytest arguments).
        outdir = Path(session.create_tmp()) / "docs-sphinx-book-theme"
        shutil.rmtree(outdir, ignore_errors=True)  # a build from scratch, like a user's first
        session.run(
            "python",
            "-m",
            "sphinx",
            *("-W", "--keep-going", "-n", "-q", "-E", "-b", "html"),
            *("-D", "html_theme=sphinx_book_theme", "docs", str(outdir)),
        )
    # Last, so that pytest's summary closes the session's output. CI=true reaches pytest
    # through the inherited environment: there, a missing browser or latexmk fails.
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(name="tests-oldest", python=OLDEST_PYTHON, reuse_venv=True)
def tests_oldest(session: nox.Session) -> None:
    """The suite on the AWS Neuron docs' stack: Sphinx 5.3, docutils 0.19, MyST 1.0, ..."""
    _install(
        session, "-c", str(NEURON_DOCS), "-e", ".[test]", "sphinx-book-theme", "sphinx-rtd-theme"
    )
    _report_and_test(session, OLDEST_WHY)


@nox.session(name="tests-newest", python=NEWEST_PYTHON, reuse_venv=True)
def tests_newest(session: nox.Session) -> None:
    """The suite on the newest release of every dependency this Python can install."""
    _install(session, "--upgrade", "-e", ".[test]", "sphinx-book-theme", "-r", str(NEWEST_FLOORS))
    # sphinx-rtd-theme 3.1 declares docutils < 0.23: installed without its pins, so that
    # the newest stack keeps the newest docutils and the browser tests show how it fares.
    session.install("--no-deps", "sphinx-rtd-theme", "sphinxcontrib-jquery")
    _report_and_test(session, NEWEST_WHY)
