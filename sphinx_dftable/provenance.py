"""Where a table's rows come from: the provenance log beside it, and a line that sums it up.

``dftable-collect ingest`` appends one JSON object per line to ``NAME.csv.provenance.jsonl``
beside the table ``NAME.csv``, each time it writes the table (never when it refuses the
input, or when nothing changed)::

    {"time": "2026-11-03T09:15:44Z", "collector": "0.1.0", "table": "x.csv",
     "files": [{"name": "benchmarks.json", "sha256": "...", "tool": "guidellm",
                "tool_version": "0.8", "runs": 3}],
     "host": {"name": "ip-10-0-0-1", "instance_type": "inf2.48xlarge", "os_type": "U22",
              "neuron_packages": {"aws-neuronx-runtime-lib": "2.21.18.0"}},
     "bundle": null, "key_columns": ["Model", "Inst. Type", "Concurrency"],
     "rows_added": 2, "rows_changed": 1, "keys": [["llama", "Inf2.48xlarge", "8"], ...],
     "keys_left_out": 0, "instance_types": ["Inf2.48xlarge"], "neuron_versions": ["2.21"]}

``keys`` lists the key values of the rows added or changed, at most :data:`MAX_KEYS` of
them (``keys_left_out`` counts the others); ``instance_types`` and ``neuron_versions`` are
the values of those rows' ``Inst. Type`` and ``Neuron Version`` columns. A fleet ingest
writes one line per bundle, with the host facts the bundle recorded and its ``bundle`` name.
Each file is one the runs were read from (an inference-perf run folder's stage files,
each with its own line).

The log is appended to (``O_APPEND``, then ``fsync``) under the table's lock, after the
table was written. A crash can leave a last line cut short: the next append starts a line
of its own, and :func:`read_log` skips such a line with a note. Nothing here imports
Sphinx or pandas.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

LOG_SUFFIX = ".provenance.jsonl"
#: Key values listed per entry; the others are counted.
MAX_KEYS = 50
#: The table columns whose values an entry keeps for the summary.
INSTANCE_COLUMN, NEURON_COLUMN = "Inst. Type", "Neuron Version"

Entry = dict[str, Any]


def log_path(table: Path) -> Path:
    """``NAME.csv.provenance.jsonl`` beside the table ``NAME.csv``."""
    return table.with_name(table.name + LOG_SUFFIX)


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- what an entry holds ----------------------------------------------------------------


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_VERSION = re.compile(rb'"?(?P<tool>[A-Za-z][\w-]*?)_version"?\s*:\s*"?(?P<version>\d[\w.+-]*)')


def tool_version(data: bytes, tool: str) -> str | None:
    """The version a result file says its tool had (``"guidellm_version": "0.8.1"`` in JSON
    or YAML), or None: many tools write none."""
    wanted = re.sub(r"[\W_]+", "_", tool).casefold()
    for match in _VERSION.finditer(data):
        if re.sub(r"[\W_]+", "_", match["tool"].decode()).casefold() == wanted:
            return match["version"].decode()
    return None


def short_version(version: str) -> str:
    """``0.8.1`` -> ``0.8``: the release line, as readers name it."""
    parts = version.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else version


@dataclass(frozen=True)
class ResultFile:
    """One result file of an ingest (or of a bundle)."""

    name: str
    sha256: str | None
    tool: str | None
    tool_version: str | None
    #: How many runs (records) were read from it.
    runs: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "tool": self.tool,
            "tool_version": self.tool_version,
            "runs": self.runs,
        }


@dataclass
class Source:
    """What one log entry describes: result files read on one host, and the rows they gave."""

    files: list[ResultFile]
    host: dict[str, Any]
    #: The table rows built from these files (after ``--set``, host facts, ``--pick``).
    rows: list[Mapping[str, str]]
    bundle: str | None = None
    collector: str | None = None


@dataclass
class Touched:
    """The rows one source added or changed."""

    added: int = 0
    changed: int = 0
    keys: list[list[str]] = field(default_factory=list)
    rows: list[Mapping[str, str]] = field(default_factory=list)


def _key_of(row: Mapping[str, str], keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(row.get(k, "").strip().casefold() for k in keys)


def attribute(
    sources: Sequence[Source],
    added: Iterable[Mapping[str, str]],
    changed: Iterable[Mapping[str, str]],
    keys: Sequence[str],
) -> list[Touched]:
    """Per source, the rows of a table write it accounts for: a row written by several
    sources is the last one's, as a later capture replaces an earlier one."""
    owner: dict[tuple[str, ...], int] = {}
    for number, source in enumerate(sources):
        for row in source.rows:
            owner[_key_of(row, keys)] = number
    touched = [Touched() for _ in sources]
    for rows, is_added in ((added, True), (changed, False)):
        for row in rows:
            number = owner.get(_key_of(row, keys), len(sources) - 1)
            item = touched[number]
            if is_added:
                item.added += 1
            else:
                item.changed += 1
            item.keys.append([row.get(k, "") for k in keys])
            item.rows.append(row)
    return touched


def _distinct(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def make_entry(source: Source, touched: Touched, keys: Sequence[str], table: Path) -> Entry:
    """The log line of one source's part in a table write."""
    instance_types = _distinct(row.get(INSTANCE_COLUMN) for row in touched.rows) or _distinct(
        [source.host.get("instance_type")]
    )
    return {
        "time": now(),
        "collector": source.collector,
        "table": table.name,
        "files": [f.as_dict() for f in source.files],
        "host": dict(source.host),
        "bundle": source.bundle,
        "key_columns": list(keys),
        "rows_added": touched.added,
        "rows_changed": touched.changed,
        "keys": touched.keys[:MAX_KEYS],
        "keys_left_out": max(len(touched.keys) - MAX_KEYS, 0),
        "instance_types": instance_types,
        "neuron_versions": _distinct(row.get(NEURON_COLUMN) for row in touched.rows),
    }


# --- writing ----------------------------------------------------------------------------


def append(path: Path, entries: Sequence[Entry]) -> None:
    """Append ``entries`` durably, one JSON object a line; call under the table's lock.

    A last line a crash cut short is ended first, so each entry starts a line of its own.
    Raises ``OSError`` (the caller words it).
    """
    if not entries:
        return
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
    created = not path.exists()
    handle = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        size = os.fstat(handle).st_size
        if size and os.pread(handle, 1, size - 1) != b"\n":
            text = "\n" + text
        data = text.encode("utf-8")
        while data:
            data = data[os.write(handle, data) :]
        os.fsync(handle)
    finally:
        os.close(handle)
    if created:  # the new name, too, must survive a power loss
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# --- reading ----------------------------------------------------------------------------


@dataclass
class Log:
    entries: list[Entry]
    #: Lines skipped, each said as ``line N: why``.
    notes: list[str]


def read_log(path: Path) -> Log:
    """The entries of a provenance log; a line that is not a JSON object (the last one,
    cut short by a crash) is skipped with a note. Raises ``OSError`` when unreadable."""
    entries: list[Entry] = []
    notes: list[str] = []
    lines = path.read_bytes().split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            value = None
        if not isinstance(value, dict):
            last = all(not later.strip() for later in lines[number:])
            why = "cut short (an ingest stopped while writing it?)" if last else "not JSON"
            notes.append(f"line {number}: {why}; skipped")
            continue
        entries.append(value)
    return Log(entries, notes)


# --- the summary --------------------------------------------------------------------------


def _strings(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float) and str(v).strip()]
    return []


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _listing(items: Sequence[str], most: int = 3) -> str:
    """``a``, ``a and b``, ``a, b and c``, ``a, b and 3 more``."""
    if len(items) <= most:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"{', '.join(items[: most - 1])} and {len(items) - most + 1} more"


def _tools(entries: Sequence[Entry]) -> list[str]:
    found = []
    for entry in entries:
        for item in entry.get("files") or []:
            if isinstance(item, dict) and isinstance(item.get("tool"), str):
                version = item.get("tool_version")
                shown = short_version(version) if isinstance(version, str) else None
                found.append(f"{item['tool']} {shown}" if shown else item["tool"])
    return list(dict.fromkeys(found))


def _rows(entries: Sequence[Entry]) -> int:
    """Rows written: distinct keys when every entry lists all of its keys, else the sum."""
    if all(_int(e.get("keys_left_out")) == 0 and isinstance(e.get("keys"), list) for e in entries):
        distinct = {
            (tuple(e.get("key_columns") or []), tuple(str(v).casefold() for v in key))
            for e in entries
            for key in e["keys"]
            if isinstance(key, list)
        }
        return len(distinct)
    return sum(_int(e.get("rows_added")) + _int(e.get("rows_changed")) for e in entries)


def summary(entries: Sequence[Entry]) -> str | None:
    """One line for readers, e.g.
    ``8 rows from guidellm 0.8 runs on Inf2.48xlarge, Neuron 2.21, 2026-11-03``.

    Several tools, instance types or Neuron versions are listed (``guidellm 0.8 and llmperf
    runs``; beyond three, ``a, b and 2 more``), several days as a range of the first
    and the last (``2026-11-03 to 2026-11-20``); what no entry says is left out. Rows are
    the distinct rows the ingests added or changed (a row ingested twice counts once; when
    an entry lists only some of its keys, the sum of every entry's rows). None for no entry
    that wrote a row.
    """
    written = [e for e in entries if _int(e.get("rows_added")) + _int(e.get("rows_changed")) > 0]
    if not written:
        return None
    rows = _rows(written)
    text = f"{rows} row{'' if rows == 1 else 's'}"
    tools = _tools(written)
    if tools:
        text += f" from {_listing(tools)} runs"
    instances = list(dict.fromkeys(i for e in written for i in _strings(e.get("instance_types"))))
    if instances:
        text += f" on {_listing(instances)}"
    neuron = list(dict.fromkeys(v for e in written for v in _strings(e.get("neuron_versions"))))
    if neuron:
        text += f", Neuron {_listing(neuron)}"
    days = sorted({e["time"][:10] for e in written if isinstance(e.get("time"), str)})
    if days:
        text += f", {days[0]}" if len(days) == 1 else f", {days[0]} to {days[-1]}"
    return text
