"""``dftable-collect``: show parsed records, ingest them into a table, refresh prices."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path

from tabulate import tabulate

from sphinx_dftable import __version__
from sphinx_dftable.collect import bundle_ingest, provenance_log
from sphinx_dftable.collect import prices as price_list
from sphinx_dftable.collect.bundle import make_bundle, read_bundle
from sphinx_dftable.collect.detect import format_names, read_all
from sphinx_dftable.collect.diff import add_diff_command
from sphinx_dftable.collect.errors import CollectError, Refusals, UsageError
from sphinx_dftable.collect.host import HostFacts
from sphinx_dftable.collect.record import CORE_FIELDS, RECORD_FIELDS, Record
from sphinx_dftable.collect.runfile import RunFile, load_run_file
from sphinx_dftable.collect.schema import (
    BUILTIN_SCHEMAS,
    Schema,
    build_row,
    schema_from_header,
)
from sphinx_dftable.collect.storage import BUNDLE_SUFFIX, open_storage
from sphinx_dftable.collect.store import (
    UpsertPlan,
    key_part,
    parse_csv_text,
    read_table_text,
    upsert,
)
from sphinx_dftable.collect.values import format_number, to_float

PROGRESS_MIN_FILES = 5  # fewer files read too fast for a bar to help


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        print(message, file=sys.stderr)


def _progress(paths: Sequence[Path], quiet: bool) -> Iterable[Path]:
    if quiet or len(paths) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return paths
    from rich.console import Console
    from rich.progress import track

    return track(paths, description="Reading results", console=Console(stderr=True), transient=True)


def _refuse_or_skip(refusals: list[CollectError], skip_bad: bool) -> None:
    """Every refused input at once: all of them stop the command, or with ``--skip-bad``
    each is named as skipped and the others go on."""
    if not refusals:
        return
    if not skip_bad:
        raise Refusals(refusals)
    for refusal in refusals:
        print(f"dftable-collect: skipped: {refusal}", file=sys.stderr)


def _read_records(args: argparse.Namespace) -> list[Record]:
    result = read_all(args.files, args.format, partial(_progress, quiet=args.quiet))
    _refuse_or_skip(result.refused, args.skip_bad)
    if not result.records:
        raise CollectError("no result file could be read: nothing to do")
    if args.batch_size is not None:
        for record in result.records:
            record.batch_size = args.batch_size
    return result.records


# --- show -------------------------------------------------------------------------------


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _blocks(records: Sequence[Record]) -> str:
    """One block per record: its source as given, then each field it has, one per line."""
    per_source: dict[str, int] = {}
    for record in records:
        per_source[record.source] = per_source.get(record.source, 0) + 1
    seen: dict[str, int] = {}
    blocks = []
    for record in records:
        seen[record.source] = seen.get(record.source, 0) + 1
        title = record.source
        if per_source[record.source] > 1:
            title += f"  (run {seen[record.source]} of {per_source[record.source]})"
        fields = [(k, v) for k, v in record.as_dict().items() if k != "source" and v is not None]
        width = max(len(k) for k, _ in fields)
        blocks.append("\n".join([title, *(f"  {k:<{width}}  {_display(v)}" for k, v in fields)]))
    return "\n\n".join(blocks)


def _columns(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in RECORD_FIELDS]
    if not names or unknown:
        raise UsageError(
            f"--columns: {', '.join(map(repr, unknown)) or 'no names'}: expected record "
            f"fields, the keys of show --json ({', '.join(CORE_FIELDS[:6])}, ...)"
        )
    return names


def cmd_show(args: argparse.Namespace) -> int:
    columns = None if args.columns is None else _columns(args.columns)
    records = _read_records(args)
    if args.json:
        print(json.dumps([record.as_dict() for record in records], indent=2))
    elif columns is not None:
        rows = [[_display(record.as_dict()[name]) for name in columns] for record in records]
        print(tabulate(rows, headers=columns, disable_numparse=True))
    else:
        print(_blocks(records))
    return 0


# --- ingest -----------------------------------------------------------------------------


def _parse_set(items: Sequence[str]) -> dict[str, str]:
    values = {}
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise UsageError(f'--set {item!r}: expected "Column=value"')
        values[column.strip()] = value.strip()
    return values


def _choose_schema(args: argparse.Namespace, run: RunFile) -> Schema:
    schemas = {**BUILTIN_SCHEMAS, **run.schemas}
    name = args.schema or run.schema
    if name is not None:
        if name not in schemas:
            raise UsageError(f"unknown schema {name!r}; known: {', '.join(sorted(schemas))}")
        return schemas[name]
    text = read_table_text(args.table)
    if text is None or not text.strip():
        raise UsageError(
            "the table does not exist yet: pass --schema to choose its layout "
            f"({', '.join(sorted(schemas))})",
            args.table,
        )
    schema = schema_from_header(parse_csv_text(text, args.table).header, schemas)
    if schema is None:
        raise CollectError(
            "no schema has exactly this table's columns: pass --schema (and --add-columns "
            "to add missing ones) or define the layout in a run file",
            args.table,
        )
    return schema


def _check_set_columns(
    schema: Schema, values: Mapping[str, str], refusal: type[CollectError], prefix: str = ""
) -> None:
    """Refuse (as ``refusal``, worded after ``prefix``) values for columns ``schema`` lacks."""
    unknown = [column for column in values if column not in schema.columns]
    if unknown:
        raise refusal(
            f"{prefix}--set/run file name column(s) {', '.join(map(repr, unknown))} that "
            f"schema {schema.name!r} does not have"
        )


def _layout(args: argparse.Namespace, refusal: type[CollectError]) -> tuple[Schema, dict[str, str]]:
    """The layout an ingest writes, and the values it sets in every row: the run file's
    ``[set]``, then ``--set``; a value for a column the layout lacks is a ``refusal``."""
    run = load_run_file(args.run) if args.run else RunFile()
    schema = _choose_schema(args, run)
    fixed = {**run.set_values, **_parse_set(args.set)}
    _check_set_columns(schema, fixed, refusal)
    return schema, fixed


def _resolve_duplicates(
    schema: Schema, rows: list[dict[str, str]], sources: list[str], pick: str | None
) -> list[dict[str, str]]:
    """Several records for one row (a NeuronPerf sweep): refuse, or keep the best one."""
    groups: dict[tuple[tuple[str, float | str], ...], list[int]] = {}
    for position, row in enumerate(rows):
        groups.setdefault(tuple(key_part(row[k]) for k in schema.keys), []).append(position)
    kept = []
    for positions in groups.values():
        if len(positions) == 1 or pick is None:
            if len(positions) > 1:
                files = sorted({sources[p] for p in positions})
                raise CollectError(
                    f"{len(positions)} records map to the same row of the table "
                    f"({', '.join(f'{k}={rows[positions[0]][k]!r}' for k in schema.keys)}) "
                    f"from {', '.join(files)}: pass --pick throughput or --pick latency, or "
                    "--set a column that tells them apart"
                )
            kept.append(positions[0])
            continue
        column = schema.throughput_column if pick == "throughput" else schema.latency_column
        if column is None:
            raise UsageError(f"--pick {pick}: schema {schema.name!r} has no such column")

        def score(position: int, column: str = column) -> float:
            value = to_float(rows[position][column])
            if value is None:
                return float("-inf")
            return value if pick == "throughput" else -value

        kept.append(max(positions, key=score))
    return [rows[p] for p in sorted(kept)]


def _print_plan(plan: UpsertPlan, table: Path, keys: Sequence[str], dry_run: bool) -> None:
    verb = "would add" if dry_run else "added"
    print(
        f"{table}: {verb} {len(plan.added)} row(s), "
        f"{'would change' if dry_run else 'changed'} {len(plan.changed)}, "
        f"kept {plan.unchanged} unchanged"
        + (f"; new column(s): {', '.join(plan.columns_added)}" if plan.columns_added else "")
    )
    if not dry_run:
        return
    if plan.added:
        print("\nRows to add:")
        print(
            tabulate(
                [list(r.values()) for r in plan.added], headers=plan.header, disable_numparse=True
            )
        )
    if plan.changed:
        print("\nRows to change (old -> new):")
        for old, new in plan.changed:
            key = ", ".join(f"{k}={new[k]}" for k in keys)
            print(f"  {key}")
            for column in plan.header:
                if old[column] != new[column]:
                    print(f"    {column}: {old[column] or '(empty)'} -> {new[column] or '(empty)'}")


def _build_rows(
    schema: Schema,
    records: Sequence[Record],
    fixed: dict[str, str],
    host: HostFacts,
    skip_bad: bool,
) -> tuple[list[dict[str, str]], list[str]]:
    """The table rows of the records, and each row's source; every record the layout
    refuses is reported at once (or skipped, with ``--skip-bad``)."""

    def row_of(record: Record) -> dict[str, str] | CollectError:
        try:
            return build_row(schema, record, fixed, host.value)
        except CollectError as exc:
            return exc

    built = [(row_of(record), record.source) for record in records]
    _refuse_or_skip([row for row, _ in built if isinstance(row, CollectError)], skip_bad)
    rows = [row for row, _ in built if not isinstance(row, CollectError)]
    sources = [source for row, source in built if not isinstance(row, CollectError)]
    if not rows:
        raise CollectError("no record could be written: nothing to do")
    return rows, sources


def cmd_ingest(args: argparse.Namespace) -> int:
    locations = bundle_locations(args.files)
    if locations:
        return cmd_ingest_bundles(args, locations)
    schema, fixed = _layout(args, UsageError)
    records = _read_records(args)
    host = HostFacts(enabled=not args.no_host)
    rows, sources = _build_rows(schema, records, fixed, host, args.skip_bad)
    rows = _resolve_duplicates(schema, rows, sources, args.pick)
    if "Neuron Version" in schema.columns and any(not row["Neuron Version"] for row in rows):
        packages = ", ".join(f"{k} {v}" for k, v in host.neuron_packages.items())
        _say(
            "note: Neuron Version is empty; pass --set 'Neuron Version=...'"
            + (f" (installed: {packages})" if packages else ""),
            args.quiet,
        )
    plan = upsert(
        args.table,
        allowed=schema.columns,
        written=schema.columns,
        keys=schema.keys,
        rows=rows,
        add_columns=args.add_columns,
        dry_run=args.dry_run,
        lock_timeout=args.lock_timeout,
        on_written=None
        if args.no_provenance
        else provenance_log.writer(
            args.table, schema.keys, [provenance_log.ingest_source(records, host, rows)]
        ),
    )
    if args.dry_run or not args.quiet:
        _print_plan(plan, args.table, schema.keys, args.dry_run)
    return 0


def _log_bundles(
    args: argparse.Namespace, schema: Schema
) -> Callable[[UpsertPlan, Sequence[bundle_ingest.Prepared]], None] | None:
    """The provenance log's entries of a fleet ingest: one per bundle that wrote rows."""
    if args.no_provenance:
        return None

    def write(plan: UpsertPlan, items: Sequence[bundle_ingest.Prepared]) -> None:
        sources = [
            provenance_log.bundle_source(item.bundle, item.rows, not args.no_host) for item in items
        ]
        provenance_log.writer(args.table, schema.keys, sources)(plan)

    return write


# --- fleets: capture bundles on each host, ingest them centrally ------------------------


def cmd_capture(args: argparse.Namespace) -> int:
    storage = open_storage(args.to)  # first: a missing boto3 is told before any work
    run = load_run_file(args.run) if args.run else None
    set_values = _parse_set(args.set)
    records = _read_records(args)
    host = args.host_name or socket.gethostname()
    capture = make_bundle(
        args.files,
        records,
        host=host,
        facts=HostFacts(enabled=not args.no_host),
        set_values=set_values,
        run=run,
    )
    url = storage.url + capture.name
    if storage.create(capture.name, capture.data):
        if not args.quiet:
            print(f"captured {url}: {len(records)} record(s) from {len(args.files)} file(s)")
        return 0
    existing = read_bundle(capture.name, storage.read(capture.name), url)
    if existing.content_hash != capture.content_hash:
        raise CollectError(
            f"{url}: a different bundle already has this name (its content hash "
            f"{existing.content_hash} is not {capture.content_hash}); nothing written"
        )
    if not args.quiet:
        print(f"already captured: {url}")
    return 0


def bundle_locations(files: Sequence[Path]) -> list[str]:
    """The bundle folders and ``s3://`` prefixes among ingest's arguments (none: files)."""
    locations = []
    for path in files:
        text = str(path)
        if text.startswith("s3:/"):  # argparse's Path folded "s3://" into "s3:/"
            locations.append("s3://" + text[len("s3:/") :].lstrip("/"))
        elif path.is_dir():
            locations.append(text)
    if locations and len(locations) != len(files):
        raise CollectError(
            "give result files or bundle locations (folders, s3:// prefixes), not both"
        )
    return locations


def _bundle_rows(
    args: argparse.Namespace, schema: Schema, central: dict[str, str], item: bundle_ingest.Prepared
) -> list[dict[str, str]]:
    """The rows of one verified bundle: the ingest's values over the bundle's, then its
    records, then the facts of the host that captured it (never this machine's)."""
    bundle, url = item.bundle, item.found.url
    captured = {**bundle.run_set_values, **bundle.set_values}
    _check_set_columns(schema, captured, CollectError, f"{url}: refused bundle: its ")
    fixed = {**captured, **central}
    host_value = (lambda fact: None) if args.no_host else bundle.host_facts.value
    try:  # a refusal names the record's file inside the bundle
        rows = [build_row(schema, record, fixed, host_value) for record in bundle.records]
        return _resolve_duplicates(schema, rows, [r.source for r in bundle.records], args.pick)
    except CollectError as exc:
        raise CollectError(f"{url}: refused bundle: {exc}") from exc


def _merge_bundle_rows(
    args: argparse.Namespace, schema: Schema, items: Sequence[bundle_ingest.Prepared]
) -> list[dict[str, str]]:
    """All bundles' rows, in order of capture: a later capture of a row replaces an earlier
    one, as ingesting the bundles one by one would; with --pick, the best one is kept."""
    rows, sources = [], []
    for item in items:
        rows.extend(item.rows)
        sources.extend([item.bundle.name] * len(item.rows))
    if args.pick is not None:
        return _resolve_duplicates(schema, rows, sources, args.pick)
    latest: dict[tuple[tuple[str, float | str], ...], int] = {}
    for position, row in enumerate(rows):
        key = tuple(key_part(row[k]) for k in schema.keys)
        if key in latest and sources[latest[key]] != sources[position]:
            _say(
                f"note: {sources[position]} replaces the row "
                f"{', '.join(f'{k}={row[k]!r}' for k in schema.keys)} of "
                f"{sources[latest[key]]}, captured earlier",
                args.quiet,
            )
        latest[key] = position
    return [rows[p] for p in sorted(latest.values())]


def cmd_ingest_bundles(args: argparse.Namespace, locations: Sequence[str]) -> int:
    if args.format is not None or args.batch_size is not None:
        raise CollectError(
            "--format and --batch-size apply to result files: a bundle holds the records "
            "its host read"
        )
    schema, central = _layout(args, CollectError)
    storages = [open_storage(location) for location in locations]
    listing = bundle_ingest.list_new(storages, bundle_ingest.read_ledger(args.table))
    for url in listing.empty:
        _say(f"note: no bundle (*{BUNDLE_SUFFIX}) under {url}", args.quiet)
    prepared = [
        bundle_ingest.Prepared(item, bundle, [])
        for item, bundle in bundle_ingest.fetch(listing.new)
    ]
    for item in prepared:
        item.rows = _bundle_rows(args, schema, central, item)
    if "Neuron Version" in schema.columns:
        lacking = [p for p in prepared if any(not row["Neuron Version"] for row in p.rows)]
        if lacking:
            packages = lacking[0].bundle.host_facts.neuron_packages
            installed = ", ".join(f"{k} {v}" for k, v in packages.items())
            _say(
                f"note: Neuron Version is empty in rows of {len(lacking)} bundle(s); pass "
                "--set 'Neuron Version=...'"
                + (f" ({lacking[0].bundle.host} had: {installed})" if installed else ""),
                args.quiet,
            )
    outcome = bundle_ingest.apply(
        args.table,
        prepared,
        lambda items: _merge_bundle_rows(args, schema, items),
        allowed=schema.columns,
        keys=schema.keys,
        add_columns=args.add_columns,
        dry_run=args.dry_run,
        lock_timeout=args.lock_timeout,
        on_written=_log_bundles(args, schema),
    )
    if args.dry_run or not args.quiet:
        verb = "would ingest" if args.dry_run else "ingested"
        print(
            f"{args.table}: {verb} {len(outcome.recorded)} new bundle(s) from "
            f"{', '.join(s.url for s in storages)}; {listing.already + len(outcome.raced)} "
            "already ingested"
        )
        if args.dry_run:
            for item in outcome.recorded:
                print(f"  {item.found.url} ({item.bundle.host}, {item.bundle.created})")
        if outcome.plan is not None:
            _print_plan(outcome.plan, args.table, schema.keys, args.dry_run)
    return 0


def _add_row_values(parser: argparse.ArgumentParser, set_help: str, run_help: str) -> None:
    """``--set`` and ``--run``: the values every row gets (see :func:`_layout`)."""
    parser.add_argument("--set", action="append", default=[], metavar="COLUMN=VALUE", help=set_help)
    parser.add_argument("--run", type=Path, help=run_help)


def _add_no_host(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-host", action="store_true", help="do not ask the host (instance metadata, OS)"
    )


def add_fleet_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    ingest: argparse.ArgumentParser,
    parents: Sequence[argparse.ArgumentParser],
) -> None:
    """The capture command, and ingest's word on bundle locations."""
    ingest.epilog = (
        "Instead of result files, FILE may be bundle folders or s3://BUCKET/PREFIX/ "
        "locations that capture wrote to: every bundle there not yet ingested is read."
    )
    capture = commands.add_parser(
        "capture",
        parents=list(parents),
        help="store result files, their records and this host's facts as one bundle",
    )
    capture.add_argument(
        "--to",
        required=True,
        metavar="DEST",
        help="bundle folder, or s3://BUCKET/PREFIX/ (needs the aws extra)",
    )
    _add_row_values(
        capture,
        "a column value for every row (repeatable), kept in the bundle",
        "run file (TOML) whose [set] values to keep",
    )
    capture.add_argument(
        "--host-name", help="the host's name in the bundle's name (default: the system's)"
    )
    _add_no_host(capture)
    capture.set_defaults(handler=cmd_capture)


# --- prices, schemas, host --------------------------------------------------------------


def cmd_prices(args: argparse.Namespace) -> int:
    reservation = (
        price_list.Reservation(args.reserved, args.offering_class, args.purchase_option)
        if args.reserved
        else None
    )
    if args.offer is not None:
        offer = price_list.load_offer_file(args.offer)
        patterns = args.instance_type or list(price_list.NEURON_INSTANCE_PATTERNS)
    elif args.region:
        names = args.instance_type or list(price_list.NEURON_INSTANCE_TYPES)
        if any(ch in name for name in names for ch in "*?["):
            raise UsageError("the Price List API needs exact instance types, not patterns")
        offer = price_list.offer_from_api(args.region, names)
        patterns = names
    else:
        raise UsageError("give an offer file, or --region to ask the Price List API")
    rates = price_list.rates_from_offer(
        offer,
        patterns=patterns,
        region=args.region,
        reservation=reservation,
        source=args.offer,
    )
    for rate in rates:
        if rate.on_demand is None:
            _say(f"note: no on-demand rate for {rate.instance_type}", args.quiet)
        if reservation is not None and rate.reserved is None:
            _say(
                f"note: no {reservation.term} {reservation.offering_class} "
                f"{reservation.purchase_option} reservation for {rate.instance_type}",
                args.quiet,
            )
    written = ["Inst. Type", price_list.ON_DEMAND_COLUMN]
    if reservation is not None:
        written.append(price_list.RESERVED_COLUMN)
    rows = [
        {
            "Inst. Type": rate.instance_type,
            price_list.ON_DEMAND_COLUMN: price_list.hourly_rate_text(rate.on_demand),
            price_list.RESERVED_COLUMN: price_list.hourly_rate_text(rate.reserved),
        }
        for rate in rates
    ]
    plan = upsert(
        args.table,
        allowed=price_list.PRICE_COLUMNS,
        written=written,
        keys=["Inst. Type"],
        rows=rows,
        add_columns=args.add_columns,
        dry_run=args.dry_run,
        lock_timeout=args.lock_timeout,
    )
    if args.dry_run or not args.quiet:
        _print_plan(plan, args.table, ["Inst. Type"], args.dry_run)
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    run = load_run_file(args.run) if args.run else RunFile()
    for schema in {**BUILTIN_SCHEMAS, **run.schemas}.values():
        print(f"{schema.name}: {schema.description}")
        print(f"  columns: {', '.join(schema.columns)}")
        print(f"  keys:    {', '.join(schema.keys)}")
    return 0


def cmd_host(args: argparse.Namespace) -> int:
    print(json.dumps(HostFacts().as_dict(), indent=2))
    return 0


# --- argument parsing -------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("files", nargs="+", type=Path, metavar="FILE", help="result files")
    reading.add_argument(
        "--format", choices=format_names(), help="skip detection: read FILEs as this format"
    )
    reading.add_argument(
        "--batch-size",
        type=int,
        help="batch size of the runs, when the tool does not record it (NeuronPerf)",
    )
    reading.add_argument(
        "--skip-bad",
        action="store_true",
        help="name the files that cannot be read and go on with the others",
    )

    writing = argparse.ArgumentParser(add_help=False)
    writing.add_argument("--table", type=Path, required=True, help="the CSV table to update")
    writing.add_argument("--dry-run", action="store_true", help="print changes, write nothing")
    writing.add_argument("--add-columns", action="store_true", help="add columns the table lacks")
    writing.add_argument(
        "--lock-timeout", type=float, default=60.0, help="seconds to wait for the table lock"
    )

    parser = argparse.ArgumentParser(
        prog="dftable-collect",
        description="Turn benchmark result files into rows of the CSV tables df-table renders.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    show = commands.add_parser(
        "show", parents=[common, reading], help="print the records parsed from result files"
    )
    show.add_argument("--json", action="store_true", help="a JSON list instead of blocks")
    show.add_argument(
        "--columns",
        metavar="FIELD,...",
        help="a table of these record fields (the keys of --json), one row per record",
    )
    show.set_defaults(handler=cmd_show)

    ingest = commands.add_parser(
        "ingest", parents=[common, reading, writing], help="upsert records into a CSV table"
    )
    ingest.add_argument("--schema", help="table layout (default: from the table's header)")
    _add_row_values(
        ingest,
        "a column value for every row (repeatable)",
        "run file (TOML): [set] values, schemas",
    )
    ingest.add_argument(
        "--pick",
        choices=["throughput", "latency"],
        help="when several records map to one row, keep the highest throughput or lowest latency",
    )
    _add_no_host(ingest)
    ingest.add_argument(
        "--no-provenance",
        action="store_true",
        help="do not append to the table's provenance log (NAME.csv.provenance.jsonl)",
    )
    ingest.set_defaults(handler=cmd_ingest)
    add_fleet_commands(commands, ingest, [common, reading])

    prices = commands.add_parser(
        "prices", parents=[common, writing], help="write hourly instance rates"
    )
    prices.add_argument("offer", nargs="?", type=Path, metavar="OFFER", help="offer file (JSON)")
    prices.add_argument("--region", help="region code; without OFFER, ask the Price List API")
    prices.add_argument(
        "--instance-type",
        action="append",
        metavar="PATTERN",
        help="instance types to write (glob; default: Inferentia and Trainium)",
    )
    prices.add_argument(
        "--reserved",
        choices=sorted(price_list.TERM_HOURS),
        help=f"also write the {price_list.RESERVED_COLUMN!r} of this reservation term",
    )
    prices.add_argument("--offering-class", choices=["standard", "convertible"], default="standard")
    prices.add_argument(
        "--purchase-option",
        choices=["No Upfront", "Partial Upfront", "All Upfront"],
        default="No Upfront",
    )
    prices.set_defaults(handler=cmd_prices)

    schemas = commands.add_parser("schemas", help="list table layouts and their key columns")
    schemas.add_argument("--run", type=Path, help="also list the run file's layouts")
    schemas.set_defaults(handler=cmd_schemas)

    host = commands.add_parser("host", help="print what the host tells about itself")
    host.set_defaults(handler=cmd_host)
    add_diff_command(commands)
    return parser


#: Exit statuses, as the collector guide documents them.
EXIT_DONE, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _report(exc: CollectError) -> int:
    """Print each refusal on its own line; the exit status they call for."""
    for refusal in exc.refusals if isinstance(exc, Refusals) else [exc]:
        print(f"dftable-collect: error: {refusal}", file=sys.stderr)
    return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_REFUSED


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status: 0 done, 1 input refused (nothing written), 2 bad command line."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        status: int = args.handler(args)
    except CollectError as exc:
        return _report(exc)
    return status
