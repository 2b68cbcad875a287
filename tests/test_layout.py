"""The package's layout rules: one folder per feature, no sideways imports, no cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sphinx_dftable"
FEATURES = {"snippet", "table", "chart", "collect"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, *, top_level_only: bool) -> set[str]:
    """The ``sphinx_dftable`` modules ``path`` imports (at import time, if top_level_only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in statements:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("sphinx_dftable"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sphinx_dftable"))
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FEATURES else None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_features_meet_only_through_snippet_and_shared_modules(module: str) -> None:
    own = feature_of(module)
    for target in imports(MODULES[module], top_level_only=False):
        other = feature_of(target)
        if other is None or other == own or module == "sphinx_dftable.extension":
            continue  # shared modules, the feature itself, and the one registry
        assert other == "snippet" and own in {"table", "chart"}, f"{module} imports {target}"


def test_no_import_cycles() -> None:
    graph = {
        name: {t for t in imports(path, top_level_only=True) if t in MODULES and t != name}
        for name, path in MODULES.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            pytest.fail("import cycle: " + " -> ".join([*trail[trail.index(name) :], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_loading_the_extension_imports_no_pandas_numpy_or_matplotlib() -> None:
    # A build that re-reads no page runs no snippet, so it must not pay for pandas.
    code = (
        "import sys\n"
        "from sphinx.application import Sphinx\n"
        "import sphinx_dftable, sphinx_dftable.extension, sphinx_dftable.collect.cli\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]", result.stdout
