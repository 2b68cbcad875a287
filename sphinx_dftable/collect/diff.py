"""``dftable-collect diff OLD NEW``: what changed between two versions of a table, as a gate.

OLD and NEW are CSV files, or ``git:REV:PATH`` for a file as it was at a revision (PATH
relative to the current directory, as for the file itself). Rows are matched on ``--keys``
and each ``--metrics`` column is compared as :mod:`sphinx_dftable.comparison` does for the
directives' ``:compare:``. The report is a table in a terminal (plain text when the output
is not one), Markdown for a pull-request comment, or JSON.

Exit status: 0 when no metric got worse by more than ``--fail-worse-than`` (a change of
exactly the threshold passes; without the option nothing fails), 1 when one did, and 2 for
a command line or an input that cannot be compared (a file that cannot be read, an unknown
revision, keys that do not name one row, a metric that is not numeric).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import UsageError
from sphinx_dftable.comparison import spec

FORMATS = ("text", "markdown", "json")
#: Exit status when a metric got worse by more than the threshold.
EXIT_WORSE = 1


# --- the command ------------------------------------------------------------------------------


def _option(parse: Callable[[str], Any], flag: str) -> Callable[[str], Any]:
    """An argparse type from a :mod:`sphinx_dftable.comparison.spec` parser."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = flag  # argparse names the option's type in its message
    return convert


def cmd_diff(args: argparse.Namespace) -> int:
    from sphinx_dftable.collect.diff_report import (
        Diff,
        json_report,
        markdown_report,
        percent,
        read_table,
        text_report,
    )
    from sphinx_dftable.comparison.changes import ComparisonError, compare_frames

    cwd = Path.cwd()
    old, new = read_table(args.old, cwd), read_table(args.new, cwd)
    try:
        comparison = compare_frames(new, old, args.metrics, args.keys, args.noise)
    except ComparisonError as exc:
        message = str(exc).replace("the baseline", f"OLD ({args.old})")
        message = message.replace("the table", f"NEW ({args.new})").replace(":keys:", "--keys")
        raise UsageError(f"--{exc.option}: {message}") from None
    diff = Diff(args.old, args.new, comparison, new, args.fail_worse_than)
    if args.format == "json":
        print(json_report(diff))
    elif args.format == "markdown":
        print(markdown_report(diff, args.all))
    else:
        text = text_report(diff, args.all, rich=sys.stdout.isatty())
        if text is not None:
            print(text)
    if diff.failures:
        print(
            f"dftable-collect: {diff.failures} change(s) worse by more than "
            f"{percent(diff.threshold or 0)}",
            file=sys.stderr,
        )
        return EXIT_WORSE
    return 0


def add_diff_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare two versions of a table; exit 1 when a metric got worse (a PR gate)",
        description="Compare NEW with OLD row by row. OLD and NEW are CSV files, or "
        "git:REV:PATH for a file at a git revision (PATH relative to this directory).",
    )
    diff.add_argument("old", metavar="OLD", help="the earlier table: a file or git:REV:PATH")
    diff.add_argument("new", metavar="NEW", help="the table now: a file or git:REV:PATH")
    diff.add_argument(
        "--metrics",
        required=True,
        type=_option(spec.parse_metrics, "--metrics"),
        help='the columns to compare and which way is better: "Throughput=higher, '
        'Latency P50 (ms)=lower"',
    )
    diff.add_argument(
        "--keys",
        type=_option(spec.parse_keys, "--keys"),
        help="the columns that name a row (default: the non-numeric columns)",
    )
    diff.add_argument(
        "--noise",
        type=_option(spec.parse_noise, "--noise"),
        default=spec.DEFAULT_NOISE_PERCENT,
        help="changes within this percentage are neutral (default 2%%)",
    )
    diff.add_argument(
        "--fail-worse-than",
        type=_option(spec.parse_noise, "--fail-worse-than"),
        metavar="PERCENT",
        help="exit 1 when a metric got worse by more than this (exactly this passes)",
    )
    diff.add_argument("--format", choices=FORMATS, default="text", help="the report's form")
    diff.add_argument(
        "--all", action="store_true", help="list every matched row, not only the changed ones"
    )
    diff.set_defaults(handler=cmd_diff)
