"""Writing a table safely: upsert by key, exact text kept, file lock, atomic replace.

Rows that an upsert does not touch keep their exact bytes and their order, so a refresh
shows up in ``git diff`` as the rows that changed and nothing else. The new content goes
through the package's durable writer (:mod:`sphinx_dftable.atomic_write`): a temporary
file beside the table, fsynced, moved over it with ``os.replace``. A writer killed at any
point leaves the old file or the new one (and maybe its temporary file, which the next
writer removes). A write that fails (a full disk) leaves the old file and no temporary file.

The lock that keeps writers of one table apart is not beside the table, where it would
show in ``git status``: it is inside the ``.git`` folder of the work tree that holds the
table, or else in the user's cache folder, named after the table's resolved path, so every
path to the same file (relative, absolute, through a symlink) takes the same lock.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from filelock import FileLock, Timeout

from sphinx_dftable import atomic_write
from sphinx_dftable.collect.errors import CollectError, cannot_read
from sphinx_dftable.collect.values import to_float

if TYPE_CHECKING:  # Python 3.11+; annotations are not evaluated at run time
    from typing import Unpack

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class RawRow:
    text: str  # exactly as in the file, line ending included
    cells: list[str]


@dataclass
class CsvText:
    header: list[str]
    header_text: str
    rows: list[RawRow]
    newline: str = "\n"
    bom: str = ""

    def render(self) -> str:
        return self.bom + self.header_text + "".join(row.text for row in self.rows)


@dataclass
class UpsertPlan:
    header: list[str]
    added: list[dict[str, str]] = field(default_factory=list)
    changed: list[tuple[dict[str, str], dict[str, str]]] = field(default_factory=list)
    unchanged: int = 0
    columns_added: list[str] = field(default_factory=list)
    text: str = ""
    created: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.columns_added or self.created)


def _split_records(text: str) -> list[str]:
    """Physical CSV records: lines joined while a quoted field spans a line break."""
    records, pending = [], ""
    for line in text.splitlines(keepends=True) if "\r" not in text else _lines(text):
        pending += line
        if pending.count('"') % 2 == 0:
            records.append(pending)
            pending = ""
    if pending:
        records.append(pending)
    return records


def _lines(text: str) -> list[str]:
    # splitlines() also breaks on \x0b, \x1c, U+2028...; CSV only ends lines at \n (or \r\n).
    return [part for part in re.split(r"(?<=\n)", text) if part]


def _cells(record: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(record, newline="")))
    return rows[0] if rows else []


def parse_csv_text(text: str, path: Path) -> CsvText:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    try:
        records = _split_records(body)
        header = _cells(records[0]) if records else []
        rows = [RawRow(record, _cells(record)) for record in records[1:]]
    except csv.Error as exc:
        raise CollectError(f"malformed CSV table: {exc}", path) from exc
    if not header:
        raise CollectError("table has no header row", path)
    if len(set(header)) != len(header):
        raise CollectError("table header names a column twice", path)
    newline = "\r\n" if records[0].endswith("\r\n") else "\n"
    return CsvText(header, records[0], rows, newline, bom)


def key_part(text: str) -> tuple[str, float | str]:
    """Cells compare as numbers when both are numbers ("1" == "1.0"), else case-insensitively."""
    stripped = text.strip()
    if _NUMBER.match(stripped):
        number = to_float(stripped)
        if number is not None:
            return ("n", number)
    return ("s", stripped.casefold())


def _describe_key(keys: Sequence[str], row: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={row.get(k, '')!r}" for k in keys)


def _serialize(cells: Sequence[str], newline: str) -> str:
    buffer = io.StringIO()
    # The writer quotes only the characters of its own terminator: with "\r\n" it quotes a
    # lone "\r" or "\n" inside a cell too, which must survive a round trip.
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2] + newline


class _RequiredUpdate(TypedDict):
    allowed: Sequence[str]  # the columns the table may have
    written: Sequence[str]  # the columns this update sets
    keys: Sequence[str]  # the columns that identify a row
    rows: Sequence[Mapping[str, str]]


class TableUpdate(_RequiredUpdate, total=False):
    """What :func:`plan_upsert` and :func:`upsert` write: their keyword arguments."""

    add_columns: bool  # add written columns the table lacks (default: refuse the table)


def plan_upsert(existing: str | None, path: Path, **update: Unpack[TableUpdate]) -> UpsertPlan:
    """The table after upserting ``rows``; ``existing`` is its current text (None: new)."""
    allowed, written, keys = update["allowed"], update["written"], update["keys"]
    rows, add_columns = update["rows"], update.get("add_columns", False)
    if existing is None or not existing.strip():
        table = CsvText(list(written), _serialize(written, "\n"), [])
        plan = UpsertPlan(header=list(written), created=True)
    else:
        table = parse_csv_text(existing, path)
        plan = UpsertPlan(header=list(table.header))
        unknown = [c for c in table.header if c not in allowed]
        missing = [c for c in written if c not in table.header]
        if unknown:
            raise CollectError(
                "table header does not match the schema: it has column(s) the schema does "
                f"not know: {', '.join(map(repr, unknown))} (choose the right --schema, or "
                "define this layout in a run file)",
                path,
            )
        if missing and not add_columns:
            raise CollectError(
                "table header does not match the schema: it lacks column(s) "
                f"{', '.join(map(repr, missing))} (pass --add-columns to add them)",
                path,
            )
        if missing:
            _append_columns(table, missing)
            plan.header = list(table.header)
            plan.columns_added = missing

    header = table.header
    index: dict[tuple[tuple[str, float | str], ...], list[int]] = {}
    for number, row in enumerate(table.rows):
        if row.cells:
            cells = row.cells + [""] * (len(header) - len(row.cells))
            key = tuple(key_part(cells[header.index(k)]) for k in keys)
            index.setdefault(key, []).append(number)

    seen: dict[tuple[tuple[str, float | str], ...], int] = {}
    for position, new in enumerate(rows):
        key = tuple(key_part(new.get(k, "")) for k in keys)
        if key in seen:
            raise CollectError(
                f"rows {seen[key] + 1} and {position + 1} of this update have the same key "
                f"({_describe_key(keys, new)})",
                path,
            )
        seen[key] = position
        matches = index.get(key, [])
        if len(matches) > 1:
            raise CollectError(
                f"table has {len(matches)} rows with the key {_describe_key(keys, new)}; "
                "fix it by hand first",
                path,
            )
        if not matches:
            cells = [new.get(column, "") for column in header]
            if table.rows and not table.rows[-1].text.endswith("\n"):
                table.rows[-1].text += table.newline
            elif not table.rows and not table.header_text.endswith("\n"):
                table.header_text += table.newline
            table.rows.append(RawRow(_serialize(cells, table.newline), cells))
            plan.added.append(dict(zip(header, cells, strict=True)))
            continue
        row = table.rows[matches[0]]
        old = row.cells + [""] * (len(header) - len(row.cells))
        updated = list(old)
        for column in written:
            position_in_header = header.index(column)
            if key_part(old[position_in_header]) != key_part(new.get(column, "")):
                updated[position_in_header] = new.get(column, "")
        if updated == old:
            continue
        row.text, row.cells = _serialize(updated, table.newline), updated
        plan.changed.append(
            (dict(zip(header, old, strict=True)), dict(zip(header, updated, strict=True)))
        )
    plan.unchanged = sum(1 for row in table.rows if row.cells) - len(plan.added) - len(plan.changed)
    plan.text = table.render()
    return plan


def _append_columns(table: CsvText, missing: Sequence[str]) -> None:
    """Add empty columns at the end, touching each line only at its end."""

    def extend(text: str, addition: str) -> str:
        body = text.rstrip("\r\n")
        return body + addition + text[len(body) :]

    table.header_text = extend(table.header_text, "," + _serialize(missing, ""))
    table.header = table.header + list(missing)
    for row in table.rows:
        if row.cells:
            row.text = extend(row.text, "," * len(missing))
            row.cells = row.cells + [""] * len(missing)


LOCK_FOLDER = "dftable-collect-locks"


def _git_folder(folder: Path) -> Path | None:
    """The git folder of the work tree holding ``folder`` (a worktree's own, whose ``.git``
    is a file naming it), or None outside a work tree."""
    for candidate in (folder, *folder.parents):
        marker = candidate / ".git"
        if marker.is_dir():
            return marker
        if marker.is_file():
            try:
                text = marker.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if text.startswith("gitdir:"):
                target = Path(text.removeprefix("gitdir:").strip())
                target = target if target.is_absolute() else candidate / target
                return target if target.is_dir() else None
            return None
    return None


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"


def lock_path(table: Path) -> Path:
    """Where writers of ``table`` take their lock: the same file for every path to it."""
    resolved = table.resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    home = _git_folder(resolved.parent)
    folder = home / "dftable-collect" if home is not None else _cache_folder() / LOCK_FOLDER
    return folder / f"{resolved.name}.{digest}.lock"


@contextmanager
def table_lock(
    table: Path, *, dry_run: bool, timeout: float, lock_by_name: bool = False
) -> Iterator[None]:
    """Held while a collector reads and replaces ``table``; every collector process writing
    it takes this lock (a dry run takes none). Refused, naming the table: a table whose
    folder is missing or that is a folder, a lock still held after ``timeout`` seconds, a
    lock that cannot be made (the lock named by its path, or by its file name alone with
    ``lock_by_name``)."""
    if not table.parent.is_dir():
        raise CollectError("the table's directory does not exist", table)
    if table.is_dir():
        raise CollectError("is a directory, not a CSV table", table)
    where = lock_path(table)
    shown = where.name if lock_by_name else str(where)
    try:
        if not dry_run:
            where.parent.mkdir(parents=True, exist_ok=True)
        with nullcontext() if dry_run else FileLock(str(where), timeout=timeout):
            yield
    except Timeout as exc:
        raise CollectError(
            f"locked by another writer: its lock {shown} was still held after "
            f"waiting {timeout:g} s (--lock-timeout); nothing written",
            table,
        ) from exc
    except OSError as exc:  # the lock file could not be made (read-only folder, full disk)
        raise CollectError(
            f"cannot take the table's lock {shown}: {exc.strerror or exc}", table
        ) from exc


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete what a writer killed mid-write left beside ``path``; call under the lock."""
    pattern, removed = atomic_write.temporary_pattern(path), []
    with suppress(OSError):  # best effort: an unlistable folder fails the write itself
        for candidate in path.parent.iterdir():
            if pattern.fullmatch(candidate.name):
                with suppress(OSError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def write_table(path: Path, text: str) -> None:
    """Replace the table ``path`` with ``text`` durably (:mod:`sphinx_dftable.atomic_write`).

    A failure (a full disk) leaves the old file and no temporary file; a CollectError says
    whether the table was replaced before it (a failed directory flush) or is unchanged.
    """
    try:
        atomic_write.write_atomic(path, text, durable=True)
    except atomic_write.NotDurable as exc:
        raise CollectError(
            f"the table was replaced, but flushing its directory failed: {exc.strerror or exc}",
            path,
        ) from exc
    except OSError as exc:
        raise CollectError(
            f"cannot write the table: {exc.strerror or exc}; it is unchanged", path
        ) from exc


def read_table_text(path: Path) -> str | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise cannot_read("table", path, exc) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollectError(f"table is not UTF-8 text (byte {exc.start})", path) from exc


def upsert(
    path: Path,
    *,
    dry_run: bool = False,
    lock_timeout: float = 60.0,
    on_written: Callable[[UpsertPlan], None] | None = None,
    **update: Unpack[TableUpdate],
) -> UpsertPlan:
    """Read, merge and replace the table under a lock shared by every collector process;
    ``on_written`` is called under the lock once the table was written (the provenance log)."""
    with table_lock(path, dry_run=dry_run, timeout=lock_timeout):
        if not dry_run:
            remove_stale_temporaries(path)
        plan = plan_upsert(read_table_text(path), path, **update)
        if plan.has_changes and not dry_run:
            write_table(path, plan.text)
            if on_written is not None:
                on_written(plan)
    return plan
