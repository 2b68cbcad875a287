"""The provenance log entries of an ingest: which files, tools and hosts gave which rows.

The format and the writer are :mod:`sphinx_dftable.provenance`; here the collector's own
objects (records, host facts, bundles, upsert plans) become its entries. The table writers
(:func:`sphinx_dftable.collect.store.upsert`, :func:`.bundle_ingest.apply`) call the
:func:`writer` callback under the table's lock, once the table was written.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sphinx_dftable import __version__, provenance
from sphinx_dftable.collect.bundle import Bundle, CapturedHost
from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.host import HostFacts
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.store import UpsertPlan

OnWritten = Callable[[UpsertPlan], None]


def _files(
    records: Sequence[Record], contents: Mapping[str, tuple[str | None, bytes]]
) -> list[provenance.ResultFile]:
    """One entry per file the records came from, in the order read; ``contents`` maps each
    record's source to the file's SHA-256 and its bytes (empty when not at hand)."""
    by_source: dict[str, list[Record]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    files = []
    for source, runs in by_source.items():
        digest, data = contents.get(source, (None, b""))
        tool = runs[0].tool
        files.append(
            provenance.ResultFile(
                Path(source).name, digest, tool, provenance.tool_version(data, tool), len(runs)
            )
        )
    return files


def _read(source: str) -> tuple[str | None, bytes]:
    try:
        data = Path(source).read_bytes()
    except OSError:  # gone since it was read: named without its hash
        return None, b""
    return provenance.file_sha256(data), data


def _host(name: str | None, facts: HostFacts | CapturedHost | None) -> dict[str, Any]:
    values: dict[str, Any] = {"name": name}
    if facts is not None:
        values.update(facts.as_dict())
    return values


def ingest_source(
    records: Sequence[Record], host: HostFacts, rows: Sequence[Mapping[str, str]]
) -> provenance.Source:
    """The files, host and rows of an ingest of result files on this host."""
    contents = {source: _read(source) for source in dict.fromkeys(r.source for r in records)}
    facts = host if host.enabled else None
    return provenance.Source(
        _files(records, contents), _host(socket.gethostname(), facts), list(rows), None, __version__
    )


def bundle_source(
    bundle: Bundle, rows: Sequence[Mapping[str, str]], facts: bool
) -> provenance.Source:
    """A verified bundle's files, the host that captured it, and its rows. The tools'
    versions are not known: a bundle keeps the files' records, not their text, at hand."""
    contents = {f.member: (f.sha256, b"") for f in bundle.files}
    files = _files(bundle.records, contents)
    return provenance.Source(
        files,
        _host(bundle.host, bundle.host_facts if facts else None),
        list(rows),
        bundle.name,
        bundle.collector,
    )


def writer(table: Path, keys: Sequence[str], sources: Sequence[provenance.Source]) -> OnWritten:
    """The callback that appends the entries of a table write to the table's log."""

    def write(plan: UpsertPlan) -> None:
        touched = provenance.attribute(
            sources, plan.added, [new for _old, new in plan.changed], keys
        )
        entries = [
            provenance.make_entry(source, part, keys, table)
            for source, part in zip(sources, touched, strict=True)
            if part.added or part.changed
        ]
        path = provenance.log_path(table)
        try:
            provenance.append(path, entries)
        except OSError as exc:
            raise CollectError(
                f"the table was written, but its provenance log could not be: "
                f"{exc.strerror or exc}",
                path,
            ) from exc

    return write
