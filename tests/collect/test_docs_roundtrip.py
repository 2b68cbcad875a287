"""The collector guide's round trip, re-run: the committed example table must be exactly
what the guide's commands produce from the example inputs."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from sphinx_dftable.collect.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "collector.rst"
TABLE = "collector/example_sweep.csv"


def guide_commands() -> list[list[str]]:
    """The ``$ dftable-collect`` commands of the console block after the round-trip mark."""
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split(".. round-trip:", 1)[1].split(".. code-block:: console", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line.strip() and not line.startswith("   "):
            break  # the block ended
        lines.append(line.strip())
    joined = " ".join(lines).replace("\\ ", " ")
    commands = [shlex.split(part) for part in joined.split("$ ") if part.strip()]
    assert commands and all(c[0] == "dftable-collect" for c in commands)
    return [c[1:] for c in commands]


def _in(folder: Path, argument: str) -> list[str]:
    """A docs-relative path argument, as the shell would expand it in ``folder``."""
    if not argument.startswith("collector/"):
        return [argument]
    if any(ch in argument for ch in "*?["):
        matches = sorted(str(path) for path in folder.glob(argument))
        assert matches, argument
        return matches
    return [str(folder / argument)]


def test_guide_commands_reproduce_the_example_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(DOCS / "collector" / "examples", tmp_path / "collector" / "examples")
    commands = guide_commands()
    assert len(commands) >= 2
    for command in commands:
        assert main([part for argument in command for part in _in(tmp_path, argument)]) == 0
    produced = (tmp_path / TABLE).read_bytes()
    assert produced == (DOCS / TABLE).read_bytes()
    # Running them again changes nothing: the page's table is stable.
    for command in commands:
        assert main([part for argument in command for part in _in(tmp_path, argument)]) == 0
    assert (tmp_path / TABLE).read_bytes() == produced


def test_guide_renders_the_table_it_builds() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    rendered = text.rsplit(".. df-table::", 1)[1]
    assert f"df = pd.read_csv('{TABLE}')" in rendered
    assert (DOCS / TABLE).is_file()
