"""Read a result file, recognise its tool from the content, and parse it into records."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from sphinx_dftable.collect.errors import CollectError, read_bytes
from sphinx_dftable.collect.formats import Document, Format, all_formats, decode_text, load_json
from sphinx_dftable.collect.formats import llmperf as llmperf_format
from sphinx_dftable.collect.record import Record, check, derive
from sphinx_dftable.collect.values import BadValue


def format_names() -> list[str]:
    return [fmt.name for fmt in all_formats()]


def _load_csv(text: str, path: Path) -> Document:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        rows = tuple(dict(row) for row in reader)
        header = tuple(reader.fieldnames or ())
    except csv.Error as exc:
        raise CollectError(f"malformed CSV: {exc}", path) from exc
    if len(header) < 2:
        raise CollectError("unknown format: neither JSON nor a CSV with a header row", path)
    for number, row in enumerate(rows, start=1):
        # DictReader fills a short row with None and keeps extra cells under the key None.
        extra = row.pop(None, None)
        cells = len(header) - sum(value is None for value in row.values()) + len(extra or ())
        if cells != len(header):
            raise CollectError(
                f"malformed CSV: data row {number} has {cells} cells, the header "
                f"{len(header)} (a truncated or corrupted file?)",
                path,
            )
    if not text.endswith(("\n", "\r")):
        # Tools end every line; a last line without its end may have lost its last digits.
        raise CollectError("CSV ends in the middle of a line: a truncated file?", path)
    return Document(path, csv_header=header, csv_rows=rows)


def load_document(path: Path) -> Document:
    """JSON when it looks like JSON, else CSV; refuses empty, undecodable, cut-off files."""
    if path.is_dir():
        raise CollectError("is a directory, not a result file", path)
    text = decode_text(read_bytes(path), path)
    stripped = text.strip()
    if not stripped:
        raise CollectError("empty file", path)
    if stripped[0] in "{[":
        return Document(path, json=load_json(text, path))
    return _load_csv(text, path)


def detect(doc: Document, forced: str | None = None) -> Format:
    formats = all_formats()
    if forced is not None:
        chosen = {fmt.name: fmt for fmt in formats}.get(forced)
        if chosen is None:
            raise CollectError(f"unknown format {forced!r}; known: {', '.join(format_names())}")
        if not chosen.matches(doc):
            raise CollectError(f"does not have the shape of a {chosen.description}", doc.path)
        return chosen
    for fmt in formats:
        if fmt.matches(doc):
            return fmt
    raise CollectError(
        "unknown format: not a result file of " + ", ".join(format_names()), doc.path
    )


def read_file(path: Path, forced: str | None = None) -> list[Record]:
    doc = load_document(path)
    fmt = detect(doc, forced)
    try:
        records = [derive(record) for record in fmt.parse(doc)]
    except BadValue as exc:
        raise CollectError(f"{fmt.name} result: {exc}", path) from exc
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        # The right shape with a field of the wrong type: refuse the file, naming it.
        raise CollectError(f"malformed {fmt.name} result: {exc!r}", path) from exc
    try:
        for number, record in enumerate(records, start=1):
            check(record, f"run {number} of {len(records)}" if len(records) > 1 else "")
    except BadValue as exc:
        raise CollectError(f"{fmt.name} result: {exc}", path) from exc
    return records


def _companions(paths: Sequence[Path]) -> set[Path]:
    """llmperf individual-responses files whose summary is also given: read with it."""
    given = {p.resolve() for p in paths}
    companions = set()
    for path in paths:
        summary = llmperf_format.summary_path(path)
        if summary is not None and summary.resolve() in given:
            companions.add(path.resolve())
    return companions


def read_files(
    paths: Sequence[Path], forced: str | None = None, progress: Iterable[Path] | None = None
) -> list[Record]:
    """All records of all files, or a CollectError for the first bad file (nothing partial)."""
    companions = _companions(paths)
    records: list[Record] = []
    for path in progress if progress is not None else paths:
        if path.resolve() in companions:
            continue
        records.extend(read_file(path, forced))
    return records
