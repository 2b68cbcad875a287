"""Ingesting bundles: find the new ones, then write the table and its ledger under one lock.

The ledger ``NAME.csv.bundles.json`` beside the table lists the bundles already ingested
into it; commit it with the table. An ingest reads the ledger, fetches and verifies only
bundles it does not list, then, under the table's lock (the same lock as every collector
write), reads the ledger again, drops bundles a racing ingest has recorded meanwhile,
upserts the rest into the table and records them. The table is written before the ledger:
a crash between the two leaves bundles unrecorded, and ingesting them again gives the same
rows, so nothing changes; the reverse order could record bundles whose rows were lost.

The lock is a file lock: it serializes ingests on one machine (the CI job that ingests),
not across machines sharing a network folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_dftable import atomic_write
from sphinx_dftable.collect.bundle import Bundle, read_bundle
from sphinx_dftable.collect.errors import CollectError, cannot_read
from sphinx_dftable.collect.storage import Storage
from sphinx_dftable.collect.store import (
    UpsertPlan,
    plan_upsert,
    read_table_text,
    remove_stale_temporaries,
    table_lock,
    write_table,
)

LEDGER_FORMAT = "dftable-ingested-bundles"
LEDGER_VERSION = 1
# Downloads overlap: an S3 GET is mostly waiting.
FETCH_THREADS = 8

Row = dict[str, str]


def ledger_path(table: Path) -> Path:
    return table.with_name(f"{table.name}.bundles.json")


@dataclass(frozen=True)
class Found:
    """A bundle listed at a location: ``name`` is relative to the storage's root."""

    storage: Storage
    name: str

    @property
    def file_name(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return self.storage.url + self.name


@dataclass
class Prepared:
    """A verified bundle and the table rows it maps to."""

    found: Found
    bundle: Bundle
    rows: list[Row]


@dataclass
class Outcome:
    plan: UpsertPlan | None  # None: no new bundle, the table was not touched
    recorded: list[Prepared]  # bundles this ingest added to the ledger
    raced: list[Prepared]  # bundles a racing ingest recorded first


@dataclass
class Listing:
    new: list[Found]  # not in the ledger, in the order listed
    already: int  # bundles the ledger lists
    empty: list[str]  # locations with no bundle at all


def list_new(storages: Sequence[Storage], ingested: Collection[str]) -> Listing:
    """Bundles under every location that the ledger does not list, and how many it does.

    The same bundle (file name) under two locations is one bundle.
    """
    seen: set[str] = set()
    listing = Listing([], 0, [])
    for storage in storages:
        names = storage.list_names()
        if not names:
            listing.empty.append(storage.url)
        for name in names:
            found = Found(storage, name)
            if found.file_name in seen:
                continue
            seen.add(found.file_name)
            if found.file_name in ingested:
                listing.already += 1
            else:
                listing.new.append(found)
    return listing


def fetch(found: Sequence[Found]) -> list[tuple[Found, Bundle]]:
    """Download and verify every bundle, in order of capture; the first bad one is refused."""

    def one(item: Found) -> tuple[Found, Bundle]:
        return item, read_bundle(item.name, item.storage.read(item.name), item.url)

    with ThreadPoolExecutor(max_workers=FETCH_THREADS) as pool:
        bundles = list(pool.map(one, found))
    return sorted(bundles, key=lambda pair: (pair[1].created, pair[1].name))


# --- the ledger -----------------------------------------------------------------------


def read_ledger(table: Path) -> dict[str, dict[str, Any]]:
    """The ledger's entries by bundle file name; empty when there is no ledger yet."""
    path = ledger_path(table)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise cannot_read("bundle ledger", path, exc) from exc
    except UnicodeDecodeError as exc:
        raise CollectError("malformed bundle ledger: not UTF-8", path) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CollectError(f"malformed bundle ledger: {exc}", path) from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != LEDGER_FORMAT
        or not isinstance(data.get("bundles"), list)
        or not all(isinstance(e, dict) and isinstance(e.get("name"), str) for e in data["bundles"])
    ):
        raise CollectError(f"malformed bundle ledger: not a {LEDGER_FORMAT} file", path)
    if data.get("version") != LEDGER_VERSION:
        raise CollectError(
            f"bundle ledger version {data.get('version')!r}: upgrade sphinx-dftable", path
        )
    return {entry["name"]: entry for entry in data["bundles"]}


def ledger_entry(item: Prepared) -> dict[str, Any]:
    bundle = item.bundle
    return {
        "name": bundle.name,
        "content_hash": bundle.content_hash,
        "host": bundle.host,
        "created": bundle.created,
        "collector": bundle.collector,
        "location": item.found.url,
        "rows": len(item.rows),
    }


def ledger_text(table: Path, entries: dict[str, dict[str, Any]]) -> str:
    document = {
        "format": LEDGER_FORMAT,
        "version": LEDGER_VERSION,
        "table": table.name,
        "bundles": [entries[name] for name in sorted(entries)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _write_ledger(path: Path, text: str) -> None:
    try:
        atomic_write.write_atomic(path, text, durable=True)
    except atomic_write.NotDurable as exc:
        raise CollectError(
            "the table and the ledger were written, but flushing their directory failed: "
            f"{exc.strerror or exc}",
            path,
        ) from exc
    except OSError as exc:
        raise CollectError(
            f"the table was written but its bundle ledger could not be: {exc.strerror or exc}; "
            "ingesting again records the bundles and changes no row",
            path,
        ) from exc


# --- the transaction --------------------------------------------------------------------


def apply(
    table: Path,
    prepared: Sequence[Prepared],
    merge: Callable[[Sequence[Prepared]], list[Row]],
    *,
    allowed: Sequence[str],
    keys: Sequence[str],
    add_columns: bool = False,
    dry_run: bool = False,
    lock_timeout: float = 60.0,
    on_written: Callable[[UpsertPlan, Sequence[Prepared]], None] | None = None,
) -> Outcome:
    """Upsert ``merge`` of the bundles not yet in the ledger, and record them, atomically
    with respect to every other collector writing this table on this machine.
    ``on_written`` (the provenance log) is called with the plan and the bundles it wrote,
    after the table and before the ledger: a crash between them leaves the bundles to
    ingest again, which writes neither the table nor the log."""
    ledger = ledger_path(table)
    with table_lock(table, dry_run=dry_run, timeout=lock_timeout, lock_by_name=True):
        recorded = read_ledger(table)
        fresh = [p for p in prepared if p.bundle.name not in recorded]
        raced = [p for p in prepared if p.bundle.name in recorded]
        if not fresh:
            return Outcome(None, [], raced)
        if not dry_run:
            remove_stale_temporaries(table)
            remove_stale_temporaries(ledger)
        plan = plan_upsert(
            read_table_text(table),
            table,
            allowed=allowed,
            written=allowed,
            keys=keys,
            rows=merge(fresh),
            add_columns=add_columns,
        )
        if not dry_run:
            if plan.has_changes:
                write_table(table, plan.text)
                if on_written is not None:
                    on_written(plan, fresh)
            recorded.update((p.bundle.name, ledger_entry(p)) for p in fresh)
            _write_ledger(ledger, ledger_text(table, recorded))
    return Outcome(plan, fresh, raced)
