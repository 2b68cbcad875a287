"""Read a result file, recognise its tool from the content, and parse it into records."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import CollectError, read_bytes
from sphinx_dftable.collect.formats import (
    Document,
    Format,
    Table,
    all_formats,
    decode_text,
    load_json,
)
from sphinx_dftable.collect.formats import inference_perf as inference_perf_format
from sphinx_dftable.collect.formats import llmperf as llmperf_format
from sphinx_dftable.collect.formats import vllm as vllm_format
from sphinx_dftable.collect.record import Record, check, derive
from sphinx_dftable.collect.values import BadValue

# A YAML report starts with a mapping key (``benchmarks:``) or a document marker; a CSV
# header has a comma before any colon.
_YAML_START = re.compile(r"^(---|%YAML|[A-Za-z_][\w.-]*:(\s|$))")


def format_names() -> list[str]:
    return [fmt.name for fmt in all_formats()]


def _csv_records(text: str, path: Path) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise CollectError(f"malformed CSV: {exc}", path) from exc


def _tables(records: list[list[str]]) -> list[Table]:
    """The file's tables: runs of rows between blank lines."""
    tables: list[Table] = []
    current: list[tuple[str, ...]] = []
    for row in [*records, []]:
        if row:
            current.append(tuple(row))
        elif current:
            tables.append(tuple(current))
            current = []
    return tables


def _load_csv(text: str, path: Path) -> Document:
    records = _csv_records(text, path)
    if not text.endswith(("\n", "\r")):
        # Tools end every line; a last line without its end may have lost its last digits.
        raise CollectError("CSV ends in the middle of a line: a truncated file?", path)
    tables = _tables(records)
    if not tables or (len(tables) == 1 and len(tables[0][0]) < 2):
        raise CollectError("unknown format: neither JSON nor a CSV with a header row", path)
    for number, table in enumerate(tables, start=1):
        width = len(table[0])
        for row_number, row in enumerate(table[1:], start=1):
            if len(row) != width:
                place = f"data row {row_number}"
                if len(tables) > 1:
                    place = f"table {number}, {place}"
                raise CollectError(
                    f"malformed CSV: {place} has {len(row)} cells, the header {width} "
                    "(a truncated or corrupted file?)",
                    path,
                )
    if len(tables) > 1:
        return Document(path, csv_tables=tuple(tables))
    header, *rows = tables[0]
    return Document(
        path,
        csv_header=header,
        csv_rows=tuple(dict(zip(header, row, strict=True)) for row in rows),
        csv_tables=tuple(tables),
    )


def _load_yaml(text: str, path: Path) -> Any:
    """A YAML report (guidellm writes YAML with ``--output-path x.yaml``)."""
    import yaml  # type: ignore[import-untyped]  # only YAML files need it

    class StrictLoader(yaml.SafeLoader):  # type: ignore[misc]
        """Refuses a key given twice: a file written twice over is no report."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
            for position, key in enumerate(keys):
                if key in keys[:position]:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} appears twice", node.start_mark
                    )
            return super().construct_mapping(node, deep=deep)

    # guidellm versions that dumped a model without mode="json" tag tuples; read them as lists.
    StrictLoader.add_constructor(
        "tag:yaml.org,2002:python/tuple",
        lambda loader, node: loader.construct_sequence(node),
    )

    if not text.endswith(("\n", "\r")):
        raise CollectError("YAML ends in the middle of a line: a truncated file?", path)
    try:
        return yaml.load(text, Loader=StrictLoader)  # a SafeLoader: plain data only
    except yaml.YAMLError as exc:
        raise CollectError(f"malformed YAML: {exc}".replace("\n", " "), path) from exc
    except (ValueError, RecursionError, TypeError) as exc:  # a 5000-digit number
        raise CollectError(f"malformed YAML: {exc}", path) from exc


def load_document(path: Path) -> Document:
    """JSON when it looks like JSON, YAML when it looks like YAML, else CSV; refuses empty,
    undecodable, cut-off files."""
    if path.is_dir():
        raise CollectError("is a directory, not a result file", path)
    text = decode_text(read_bytes(path), path)
    stripped = text.strip()
    if not stripped:
        raise CollectError("empty file", path)
    if stripped[0] in "{[":
        return Document(path, json=load_json(text, path))
    if _YAML_START.match(stripped):
        return Document(path, json=_load_yaml(text, path))
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


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files to read: a folder stands for the result files a tool writes into it (an
    inference-perf run's stage files); a file stands for itself."""
    files: list[Path] = []
    for path in paths:
        inside = inference_perf_format.run_folder_files(path) if path.is_dir() else None
        if inside is None:
            files.append(path)  # a file, or a folder read_file refuses
        else:
            files.extend(inside)
    return files


def _read_with_another(paths: Sequence[Path]) -> set[Path]:
    """Files that another given file already covers, left out so no run is read twice:
    llmperf individual responses beside their summary, an inference-perf summary beside
    its stage files, a ``vllm bench sweep`` run file beside the folder's summary.json."""
    given = {p.resolve() for p in paths}
    covered = set()
    for path in paths:
        for cover in (
            llmperf_format.summary_path(path),
            inference_perf_format.stage_file_beside(path, given),
            vllm_format.sweep_summary_path(path),
        ):
            if cover is not None and cover.resolve() in given:
                covered.add(path.resolve())
    return covered


@dataclass
class ReadResult:
    """Every record of the files that could be read, and the refusal of each that could not."""

    records: list[Record] = field(default_factory=list)
    refused: list[CollectError] = field(default_factory=list)


Progress = Callable[[Sequence[Path]], Iterable[Path]]


def _once(paths: Sequence[Path]) -> list[Path]:
    """Each file once (a folder and a file inside it both given), in the order given."""
    seen: set[Path] = set()
    unique = []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def read_all(
    paths: Sequence[Path], forced: str | None = None, progress: Progress | None = None
) -> ReadResult:
    """Read every file, going on after a bad one, so one run can name all of them.
    ``progress`` wraps the list of files to read (a progress bar)."""
    files = _once(expand(paths))
    skipped = _read_with_another(files)
    result = ReadResult()
    for path in progress(files) if progress is not None else files:
        if path.resolve() in skipped:
            continue
        try:
            result.records.extend(read_file(path, forced))
        except CollectError as exc:
            result.refused.append(exc)
    return result


def read_files(
    paths: Sequence[Path], forced: str | None = None, progress: Progress | None = None
) -> list[Record]:
    """All records of all files, or a CollectError for the first bad file (nothing partial)."""
    result = read_all(paths, forced, progress)
    if result.refused:
        raise result.refused[0]
    return result.records
