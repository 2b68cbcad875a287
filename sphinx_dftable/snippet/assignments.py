"""Where a snippet assigns a name, for warnings about the value it left (``df = 42``)."""

from __future__ import annotations

import ast

# Their bodies bind their own local names, not the snippet's.
_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def last_assignment_line(code: str, name: str) -> int | None:
    """The line of the last statement in ``code`` that binds ``name`` at the top level.

    Every way of binding counts (``=``, ``+=``, ``for name in``, ``with ... as name``,
    ``import x as name``, a ``def name``). The last in source order is the one a
    straight-line snippet ran last; None when ``code`` never binds ``name``.
    """
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    lines: list[int] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if (
                isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and child.name == name
            ):
                lines.append(child.lineno)
            if isinstance(child, _SCOPES):
                continue
            if isinstance(child, ast.Name) and child.id == name:
                if isinstance(child.ctx, ast.Store):
                    lines.append(child.lineno)
            elif isinstance(child, ast.alias):
                if (child.asname or child.name.split(".")[0]) == name:
                    lines.append(child.lineno)
            elif isinstance(child, ast.ExceptHandler) and child.name == name:
                lines.append(child.lineno)
            pending.append(child)
    return max(lines, default=None)
