"""The reports of ``dftable-collect diff`` (:mod:`.diff`): reading OLD and NEW, comparing
them, and the outcome as plain text, a rich table, Markdown or JSON. Imports pandas: the
command loads it only when it runs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dftable.collect.errors import UsageError
from sphinx_dftable.collect.values import format_number
from sphinx_dftable.comparison import git
from sphinx_dftable.comparison.changes import Change, Comparison, Verdict

if TYPE_CHECKING:
    import pandas as pd

#: A change this close to the threshold counts as the threshold (float rounding).
TOLERANCE = 1e-9


# --- reading ----------------------------------------------------------------------------


def read_table(argument: str, cwd: Path) -> pd.DataFrame:
    """The CSV file ``argument`` names: a path, or ``git:REV:PATH``."""
    import pandas as pd

    label, data = _table_bytes(argument, cwd)
    try:
        return pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError) as exc:  # ParserError, EmptyDataError
        raise UsageError(f"not a CSV table: {exc}", label) from None


def _table_bytes(argument: str, cwd: Path) -> tuple[str, bytes]:
    if argument.startswith("git:"):
        revision, sep, path = argument[4:].partition(":")
        if not sep or not revision or not path:
            raise UsageError(f"{argument!r}: expected git:REV:PATH, like git:v2.20:data/x.csv")
        try:
            resolved = git.resolve(cwd, revision)
            return argument, resolved.read(cwd / path)
        except git.GitError as exc:
            raise UsageError(f"{argument}: {exc}") from None
    try:
        return argument, (cwd / argument).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror or exc}", argument) from None


# --- the outcome --------------------------------------------------------------------------


@dataclass
class Diff:
    old: str
    new: str
    comparison: Comparison
    current: pd.DataFrame
    #: Fail when a metric got worse by more than this many percent (None: never fail).
    threshold: float | None

    def failing(self, change: Change | None) -> bool:
        """Worse by more than the threshold: a rise of a lower-is-better metric, a fall of
        a higher-is-better one, beyond ``threshold`` percent."""
        if self.threshold is None or change is None or change.verdict is not Verdict.WORSE:
            return False
        return change.percent is not None and abs(change.percent) > self.threshold + TOLERANCE

    @property
    def failures(self) -> int:
        return sum(self.failing(c) for column in self.comparison.changes.values() for c in column)

    def key_values(self, frame: pd.DataFrame, row: int) -> list[str]:
        return [_cell(frame[k].iloc[row]) for k in self.comparison.keys]

    def shown_rows(self, everything: bool) -> list[int]:
        """Matched rows with a change to tell (better, worse, a figure lost or gained, an
        old value of 0); all of them with ``everything``."""
        rows = []
        for row, match in enumerate(self.comparison.matches):
            if match is None:
                continue
            changes = [column[row] for column in self.comparison.changes.values()]
            if everything or any(_tells(c) for c in changes):
                rows.append(row)
        return rows

    def heading(self) -> str:
        counts = self.comparison.counts()
        parts = [f"{counts[v]} {v.value}" for v in Verdict if counts[v]] or ["nothing compared"]
        new, removed = len(self.comparison.new_rows), len(self.comparison.removed)
        rows = f"{new} new row{'s' * (new != 1)}, {removed} removed"
        return f"{', '.join(parts)}; {rows}"

    def rule(self) -> str:
        noise = f"changes within {percent(self.comparison.noise)} are neutral"
        if self.threshold is None:
            return noise
        verdict = (
            f"FAILED: {self.failures} worse by more than {percent(self.threshold)}"
            if self.failures
            else f"passed: nothing worse by more than {percent(self.threshold)}"
        )
        return f"{noise}; {verdict}"


def _tells(change: Change | None) -> bool:
    if change is None:
        return False
    if change.verdict is Verdict.UNKNOWN:  # a figure lost or gained, or an old 0
        return change.current is not None or change.baseline is not None
    return change.verdict is not Verdict.NEUTRAL


def _cell(value: object) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: float | None) -> str:
    return "missing" if value is None else format_number(value)


def percent(value: float) -> str:
    return f"{format_number(value)}%"


def change_text(change: Change | None, failing: bool = False) -> str:
    """``100 -> 90  -10.0% ▼ worse``; a missing figure is said, never shown as 0%."""
    if change is None:
        return ""
    text = f"{_number(change.baseline)} -> {_number(change.current)}"
    if change.percent is None:
        reason = "no change: the old value is 0" if change.baseline == 0 else "no change"
        return f"{text}  ({reason})" if change.current is not None else text
    shown = f"{text}  {change.text()}"
    if change.verdict in (Verdict.BETTER, Verdict.WORSE):
        shown += f" {change.verdict.value}"
    return shown + (" (fails)" if failing else "")


# --- the three formats ----------------------------------------------------------------------


def _grid(diff: Diff, everything: bool) -> tuple[list[str], list[list[tuple[str, Change | None]]]]:
    comparison = diff.comparison
    header = [*comparison.keys, *(m.column for m in comparison.metrics)]
    grid = []
    for row in diff.shown_rows(everything):
        keys: list[tuple[str, Change | None]] = [
            (v, None) for v in diff.key_values(diff.current, row)
        ]
        cells = [(change_text(c, diff.failing(c)), c) for c in _changes(comparison, row)]
        grid.append(keys + cells)
    return header, grid


def _changes(comparison: Comparison, row: int) -> list[Change | None]:
    return [comparison.changes[m.column][row] for m in comparison.metrics]


def _row_lists(diff: Diff) -> tuple[list[list[str]], list[list[str]]]:
    """Key values of the new rows and of the removed ones."""
    comparison = diff.comparison
    new = [diff.key_values(diff.current, row) for row in comparison.new_rows]
    removed = [diff.key_values(comparison.removed, row) for row in range(len(comparison.removed))]
    return new, removed


def _named(keys: Sequence[str], values: Sequence[str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True))


def text_report(diff: Diff, everything: bool, rich: bool) -> str | None:
    """Plain text; None when printed by rich (a terminal) already."""
    header, grid = _grid(diff, everything)
    new, removed = _row_lists(diff)
    keys = diff.comparison.keys
    if rich:
        _print_rich(diff, header, grid, new, removed)
        return None
    from tabulate import tabulate

    lines = [f"{diff.old} -> {diff.new}: {diff.heading()}", diff.rule()]
    if grid:
        table = [[text for text, _ in row] for row in grid]
        lines += ["", tabulate(table, headers=header, disable_numparse=True)]
    lines += [f"new: {_named(keys, row)}" for row in new]
    lines += [f"removed: {_named(keys, row)}" for row in removed]
    return "\n".join(lines)


_STYLES = {Verdict.BETTER: "green", Verdict.WORSE: "red", Verdict.UNKNOWN: "yellow"}


def _print_rich(
    diff: Diff,
    header: Sequence[str],
    grid: Sequence[Sequence[tuple[str, Change | None]]],
    new: Sequence[Sequence[str]],
    removed: Sequence[Sequence[str]],
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    table = Table(title=f"{diff.old} -> {diff.new}", caption=diff.rule())
    for name in header:
        table.add_column(name, overflow="fold")
    for row in grid:
        table.add_row(
            *(
                Text(text, style=_STYLES.get(change.verdict, "") if change else "")
                for text, change in row
            )
        )
    console.print(diff.heading())
    console.print(table)
    keys = diff.comparison.keys
    for values in new:
        console.print(f"new: {_named(keys, values)}", markup=False)
    for values in removed:
        console.print(f"removed: {_named(keys, values)}", markup=False)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_report(diff: Diff, everything: bool) -> str:
    """A pull-request comment: a heading with the counts, a table, the new and removed rows."""
    header, grid = _grid(diff, everything)
    new, removed = _row_lists(diff)
    keys = diff.comparison.keys
    mark = "" if diff.threshold is None else ("❌ " if diff.failures else "✅ ")
    lines = [
        f"### {mark}Benchmark changes: {diff.heading()}",
        "",
        f"`{_md(diff.old)}` → `{_md(diff.new)}`; {diff.rule()}.",
    ]
    if grid:
        lines += ["", "| " + " | ".join(map(_md, header)) + " |"]
        lines.append(
            "|" + "|".join("---" if i < len(keys) else "--:" for i in range(len(header))) + "|"
        )
        for row in grid:
            cells = []
            for text, change in row:
                cell = _md(text)
                cells.append(f"**{cell}**" if diff.failing(change) else cell)
            lines.append("| " + " | ".join(cells) + " |")
    for title, rows in (("New rows", new), ("Removed rows", removed)):
        if rows:
            lines += ["", f"**{title}:**", ""]
            lines += [f"- {_md(_named(keys, values))}" for values in rows]
    return "\n".join(lines)


def _change_json(diff: Diff, change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "old": change.baseline,
        "new": change.current,
        "percent": change.percent,
        "verdict": change.verdict.value,
        "fails": diff.failing(change),
    }


def json_report(diff: Diff) -> str:
    """Every matched row, the new and removed ones, the counts and whether the gate failed."""
    comparison = diff.comparison
    keys = comparison.keys
    new, removed = _row_lists(diff)
    rows = [
        {
            "keys": dict(zip(keys, diff.key_values(diff.current, row), strict=True)),
            "changes": {
                m.column: _change_json(diff, comparison.changes[m.column][row])
                for m in comparison.metrics
            },
        }
        for row, match in enumerate(comparison.matches)
        if match is not None
    ]
    document = {
        "old": diff.old,
        "new": diff.new,
        "keys": list(keys),
        "metrics": [
            {"column": m.column, "direction": m.direction.value} for m in comparison.metrics
        ],
        "noise_percent": comparison.noise,
        "fail_worse_than_percent": diff.threshold,
        "counts": {v.value: n for v, n in comparison.counts().items()},
        "failures": diff.failures,
        "failed": bool(diff.failures),
        "rows": rows,
        "new_rows": [dict(zip(keys, values, strict=True)) for values in new],
        "removed_rows": [dict(zip(keys, values, strict=True)) for values in removed],
        "metrics_missing_in_old": list(comparison.missing_in_baseline),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
