"""Bad input never crashes a build and never points at the wrong line.

``tests/roots/test-corpus`` has one page per case (and the files those pages include, run
or read, each used by one page only, so every warning can be told to belong to one case).
The whole site is built once per module, with ``dftable_timeout`` at 1 s. For each case
the test checks the exact warnings (text, file and line; the line found by a piece of the
source text, so the expectation reads as "at the line that says X"), the tables the page
renders, that the text after the directive is still on the page, and, for the site, that a
good page renders its table and that no output shows a traceback.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from html_tables import dftables
from sphinx.util.console import strip_colors
from sphinx_compat import SphinxTestApp

PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def _nul_byte_error() -> str:
    """What this Python says about a null byte in source (a ValueError before 3.11.x)."""
    try:
        compile("\0", "<nul>", "exec")
    except SyntaxError as exc:
        return f"SyntaxError: {exc.msg}"
    except ValueError as exc:
        return f"ValueError: {exc}"
    raise AssertionError("compile accepted a null byte")


NUL_BYTE_ERROR = _nul_byte_error()
GOOD_ROWS = [["m1", "10.5"], ["m2", "20.0"]]
# Typographic quotes: plain cells get them from SmartQuotes' rules, as paragraphs do.
LSQUO, RSQUO = "\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"
LDQUO, RDQUO = "\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"


def no_column(name: str) -> str:
    """What a KeyError on a column ``data/good.csv`` lacks says."""
    return f"KeyError: {name!r} — no such column. The columns are: 'Model', 'Throughput'"


@dataclass(frozen=True)
class Warn:
    """One expected warning: ``message`` at the line of ``file`` that contains ``at``."""

    message: str
    at: str
    file: str = ""  # default: the case's page
    subtype: str = "exec"
    #: For a warning in a snippet file: text of a line in the directive that ran it (the
    #: warning names the directive's line, the nearest ``df-table`` line at or above it).
    ran_by: str = ""


@dataclass(frozen=True)
class Case:
    page: str
    warnings: tuple[Warn, ...] = ()
    #: Body texts of each df-table the page renders, in order.
    tables: tuple[list[list[str]], ...] = ()
    #: Header texts of the first table, when the case is about them.
    header: list[list[str]] | None = None
    #: Other files (includes, snippet files) whose warnings belong to this case.
    files: tuple[str, ...] = field(default=())


DIRECTIVE = ".. df-table::"

CASES: list[Case] = [
    # -- syntax errors: the line Python names, mapped to the page
    Case("syntax_unclosed.rst", (Warn("SyntaxError: '(' was never closed", "sort_values("),)),
    Case("syntax_invalid.rst", (Warn("SyntaxError: invalid syntax", "df = = df"),)),
    Case("syntax_indent.rst", (Warn("IndentationError: unexpected indent", "    y = 2"),)),
    Case(
        "syntax_unterminated_last.rst",
        # Python's "(detected at line N)" counts snippet lines; the warning gives the page's.
        (Warn("SyntaxError: unterminated string literal (detected at line 8)", "df['Model"),),
    ),
    Case("syntax_first_line.rst", (Warn("SyntaxError: invalid syntax", "csv') +"),)),
    # -- every common exception, at the failing statement
    Case("keyerror_first_line.rst", (Warn(no_column("Cost"), "['Cost']"),)),
    Case("keyerror_last_line.rst", (Warn(no_column("Cost"), "df = df['Cost']"),)),
    Case(
        "valueerror.rst",
        (Warn("ValueError: Length of values (3) does not match length of index (2)", "[1, 2, 3]"),),
    ),
    Case("typeerror.rst", (Warn("TypeError: object of type 'int' has no len()", "len(5)"),)),
    Case(
        "indexerror.rst",
        (Warn("IndexError: single positional indexer is out-of-bounds", "iloc[10]"),),
    ),
    Case(
        "attributeerror.rst",
        (
            Warn(
                "AttributeError: 'DataFrame' object has no attribute 'no_such_method'",
                "no_such_method",
            ),
        ),
    ),
    Case("zerodivision.rst", (Warn("ZeroDivisionError: division by zero", "1 / 0"),)),
    Case(
        "importerror_module.rst",
        (
            Warn(
                "ModuleNotFoundError: No module named 'no_such_module_for_dftable'",
                "import no_such",
            ),
        ),
    ),
    Case(
        "importerror_name.rst",
        (
            Warn(
                f"ImportError: cannot import name 'no_such_name' from 'pandas' ({pd.__file__})",
                "no_such_name",
            ),
        ),
    ),
    Case("assertionerror.rst", (Warn("AssertionError: too few rows", "assert len(df)"),)),
    Case("assertionerror_bare.rst", (Warn("AssertionError", "assert df.empty"),)),
    # the innermost snippet frame: the recursive call, not the first call
    Case(
        "recursionerror.rst",
        (Warn("RecursionError: maximum recursion depth exceeded", "return down"),),
    ),
    Case(
        "keyerror_close.rst",
        (
            Warn(
                "KeyError: 'throughput' — no such column; did you mean 'Throughput'? "
                "The columns are: 'Model', 'Throughput'",
                "'throughput'",
            ),
        ),
    ),
    Case("error_in_helper.rst", (Warn(no_column("Nope"), "return frame['Nope']"),)),
    Case("no_message.rst", (Warn("Oops", "raise Oops"),)),
    Case("multiline_message.rst", (Warn("ValueError: first line\nsecond line", "raise"),)),
    # -- exits: a warning, never the end of the build
    Case("systemexit.rst", (Warn("SystemExit: 3", "sys.exit(3)"),)),
    Case("systemexit_bare.rst", (Warn("SystemExit", "sys.exit()"),)),
    Case("generatorexit.rst", (Warn("GeneratorExit", "raise GeneratorExit"),)),
    # the snippet's own KeyboardInterrupt (a real Ctrl-C stops the build: test_interrupts.py)
    Case(
        "keyboardinterrupt.rst",
        (Warn("KeyboardInterrupt", "raise KeyboardInterrupt"),),
        tables=(GOOD_ROWS,),
    ),
    # -- endless snippets, stopped by dftable_timeout at the statement that was running
    Case(
        "timeout_sleep.rst",
        (
            Warn(
                "SnippetTimeout: the snippet ran longer than 1 s (dftable_timeout)",
                "time.sleep(600)",
            ),
        ),
    ),
    Case(
        "timeout_busy.rst",
        (
            Warn(
                "SnippetTimeout: the snippet ran longer than 1 s (dftable_timeout)",
                "while True: df = df.copy()",
            ),
        ),
    ),
    # printed output is dropped, the table renders
    Case("prints_a_lot.rst", tables=(GOOD_ROWS,)),
    Case(
        "python_warning.rst",
        (Warn("UserWarning: check the numbers", "warnings.warn(", subtype="pywarning"),),
        tables=(GOOD_ROWS,),
    ),
    # -- df missing or of the wrong type: at the directive
    Case("df_missing.rst", (Warn("the snippet did not assign 'df'", DIRECTIVE),)),
    Case("df_var_missing.rst", (Warn("the snippet did not assign 'table'", DIRECTIVE),)),
    # df of the wrong type: at the line that assigned it
    Case("df_dict.rst", (Warn("'df' is a builtins.dict, not a pandas DataFrame", "df = {"),)),
    Case("df_none.rst", (Warn("'df' is a builtins.NoneType, not a pandas DataFrame", "df = "),)),
    Case(
        "df_ndarray.rst",
        (Warn("'df' is a numpy.ndarray, not a pandas DataFrame", "df = np.arange"),),
    ),
    # ... in a snippet file, and in MyST
    Case("df_int.rst", (Warn("'df' is a builtins.int, not a pandas DataFrame", "df = int("),)),
    Case(
        "df_int_file.rst",
        (
            Warn(
                "'df' is a numpy.float64, not a pandas DataFrame (run by df_int_file.rst:4 with "
                "column='Throughput', scale=2)",
                "df = (",
                "snippets/df_int.py",
            ),
        ),
        files=("snippets/df_int.py",),
    ),
    Case("df_int_myst.md", (Warn("'df' is a builtins.int, not a pandas DataFrame", "df = 42"),)),
    Case("df_series.rst", tables=([["10.5"], ["20.0"]],), header=[["Throughput"]]),
    Case(
        "no_body.rst",
        (Warn("no snippet: the directive has no body and no :file:", DIRECTIVE),),
    ),
    # -- empty frames: a warning of their own type, at the directive
    *(
        Case(
            f"{name}.rst",
            (
                Warn(
                    f"the DataFrame is empty ({shape}); no table rendered",
                    DIRECTIVE,
                    subtype="empty",
                ),
            ),
        )
        for name, shape in [
            ("empty_frame", "0 rows x 0 columns"),
            ("empty_rows", "0 rows x 2 columns"),
            ("empty_columns", "2 rows x 0 columns"),
        ]
    ),
    # -- bad data files
    Case(
        "csv_missing.rst",
        (
            Warn(
                "FileNotFoundError: [Errno 2] No such file or directory: "
                "'{srcdir}/data/no_such_file.csv'",
                "no_such_file.csv",
            ),
        ),
    ),
    Case("csv_empty.rst", (Warn("EmptyDataError: No columns to parse from file", "empty.csv"),)),
    Case(
        "csv_binary.rst",
        (
            Warn(
                "UnicodeDecodeError: 'utf-8' codec can't decode byte 0x89 in position 0: "
                "invalid start byte",
                "binary.csv",
            ),
        ),
    ),
    Case(
        "csv_latin1.rst",
        (
            Warn(
                "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 3: "
                "unexpected end of data"
                if PANDAS_3
                # pandas 2 and pandas 3 hand the decoder different pieces of the file
                else "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 17: "
                "invalid continuation byte",
                "latin1.csv')",
            ),
        ),
        # the same file read with its encoding renders
        tables=([["m1", "Café"], ["m2", "Zürich"]],),
    ),
    Case(
        "csv_malformed.rst",
        (
            Warn(
                "ParserError: Error tokenizing data. C error: Expected 2 fields in line 3, saw 4",
                "malformed.csv",
            ),
        ),
    ),
    Case(
        "csv_unclosed_quote.rst",
        (
            Warn(
                "ParserError: Error tokenizing data. C error: EOF inside string starting at row 1",
                "unclosed_quote.csv",
            ),
        ),
    ),
    Case(
        "csv_directory.rst",
        (Warn("IsADirectoryError: [Errno 21] Is a directory: '{srcdir}/data'", "read_csv"),),
    ),
    # -- where the lines come from: includes, snippet files, nesting, options, MyST
    Case(
        "in_include.rst",
        (Warn(no_column("Included"), "df['Included']", "inc/failing.rst"),),
        files=("inc/failing.rst",),
    ),
    Case(
        "in_include_start_line.rst",
        (Warn(no_column("Included"), "df['Included']", "inc/failing_start.rst"),),
        files=("inc/failing_start.rst",),
    ),
    Case(
        "in_include_empty.rst",
        (
            Warn(
                "the DataFrame is empty (0 rows x 0 columns); no table rendered",
                DIRECTIVE,
                "inc/empty.rst",
                "empty",
            ),
        ),
        files=("inc/empty.rst",),
    ),
    Case(
        "in_include_empty_start_line.rst",
        (
            Warn(
                "the DataFrame is empty (0 rows x 0 columns); no table rendered",
                DIRECTIVE,
                "inc/empty_start.rst",
                "empty",
            ),
        ),
        files=("inc/empty_start.rst",),
    ),
    Case(
        "file_last_line.rst",
        (Warn(no_column("Nope"), "df['Nope']", "snippets/last_line.py", ran_by=":file:"),),
        files=("snippets/last_line.py",),
    ),
    Case(
        "body_then_file.rst",
        (Warn(no_column("Nope"), "df['Nope']", "snippets/body_then_file.py", ran_by=":file:"),),
        files=("snippets/body_then_file.py",),
    ),
    Case(
        "file_syntax.rst",
        (Warn("SyntaxError: expected ':'", "if True", "snippets/syntax.py", ran_by=":file:"),),
        files=("snippets/syntax.py",),
    ),
    Case(
        "file_missing.rst",
        (
            Warn(
                "cannot read snippet file {srcdir}/snippets/no_such_file.py: [Errno 2] No such "
                "file or directory: '{srcdir}/snippets/no_such_file.py'",
                DIRECTIVE,
            ),
        ),
    ),
    Case(
        "file_latin1.rst",
        (
            Warn(
                "cannot read snippet file {srcdir}/snippets/latin1.py: 'utf-8' codec can't "
                "decode byte 0xe9 in position 32: invalid continuation byte",
                DIRECTIVE,
            ),
        ),
    ),
    # Python gives a null byte no line: the warning is at the directive.
    Case("file_nul.rst", (Warn(NUL_BYTE_ERROR, DIRECTIVE),)),
    Case("many_options.rst", (Warn(no_column("Cost"), "df['Cost']"),)),
    Case("in_note.rst", (Warn(no_column("Cost"), "df['Cost']"),)),
    Case("in_list.rst", (Warn(no_column("Cost"), "df['Cost']"),)),
    Case("in_tabs.rst", (Warn(no_column("Cost"), "df['Cost']"),)),
    Case(
        "two_failures.rst",
        (Warn(no_column("First"), "['First']"), Warn(no_column("Second"), "['Second']")),
    ),
    Case(
        "myst_errors.md",
        (
            Warn(no_column("Cost"), "['Cost']"),
            Warn(no_column("Nope"), "df['Nope']"),  # after :option: lines
            Warn(no_column("Yaml"), "['Yaml']"),  # after a --- option block
            Warn(no_column("InNote"), "['InNote']"),  # nested in a ::: admonition
            Warn(no_column("Nope"), "df['Nope']", "snippets/myst_file.py", ran_by=":file:"),
        ),
        files=("snippets/myst_file.py",),
    ),
    # -- values that must render exactly as to_csv(index=False) writes them
    Case(
        "values_numbers.rst",
        tables=(
            [
                ["", "", "9223372036854775807", "1", "(1+2j)"],
                ["inf", "", "-9223372036854775808", "", "0j"],
                ["-inf", "0.1", "0", "3", "(-0-1j)"],
                ["1e+308", "text", "1", "", "(1+0j)"],
                ["5e-324", "-0.0", "-1", "5", "(2+0j)"],
            ],
        ),
    ),
    Case(
        "values_times.rst",
        tables=(
            [
                [
                    "2024-01-01 00:00:00.000",
                    "2024-01-01 10:00:00+00:00",
                    "1 days 02:00:00",
                    "2024-01",
                ],
                ["", "", "", "2024-02"],
                [
                    "2024-02-29 23:59:59.500",
                    "2024-06-01 00:00:00+00:00",
                    "-1 days +23:59:57",
                    "2024-03",
                ],
            ],
        ),
    ),
    Case(
        "values_bytes.rst",
        tables=([[f"b{RSQUO}abc{RSQUO}"], [f"b{RSQUO}\\xff\\x00{RSQUO}"], [f"b{RSQUO}{RSQUO}"]],),
    ),
    Case(
        "values_unicode.rst",
        tables=(
            [
                ["مرحبا بالعالم"],
                ["שלום"],
                ["🚀 👩\u200d👩\u200d👧"],
                ["e\u0301 a\u0308"],
                ["\u202eevil\u202c"],
                ["zero\u200bwidth"],
            ],
        ),
    ),
    Case(
        "values_rest.rst",
        tables=(
            [
                [text]
                for text in [
                    "*x",
                    "bert_",
                    "a|b",
                    "[1]_",
                    "|sub|",
                    ".. note:: x",
                    "``",
                    "`",
                    "a\\b",
                    "x__",
                    "_`t`",
                ]
            ],
        ),
    ),
    Case(
        "values_html.rst",
        tables=(
            [
                [text]
                for text in [
                    "<script>alert(1)</script>",
                    "<b>bold</b>",
                    "&amp;",
                    "&lt;",
                    f"{LDQUO}q{RDQUO}",
                    f"{LSQUO}s{RSQUO}",
                    "a,b",
                    "line\nbreak",
                ]
            ],
        ),
        header=[["<b>col</b>"]],
    ),
    Case("values_markup.rst", tables=([["bold"], ["docs"], ["plain"]],)),
    Case(
        "columns_duplicate.rst",
        tables=([["1", "2", "3"]],),
        header=[["a", "a", "b"]],
    ),
    Case(
        "columns_nonstring.rst",
        tables=([["1", "2", "3", "4", "5"]],),
        # typographic quotes, as in the body and the page's paragraphs
        header=[["0", "1.5", "", f"({LSQUO}a{RSQUO}, {LSQUO}b{RSQUO})", "2024-01-01 00:00:00"]],
    ),
    Case(
        "multiindex.rst",
        tables=([["inf2", "1", "1.5", "2", "3"], ["inf2", "8", "4.0", "5", "6"]],),
        header=[["", "", "perf", "perf", "cost"], ["host", "batch", "tps", "lat", "usd"]],
    ),
]


@dataclass
class Built:
    srcdir: Path
    outdir: Path
    warnings: list[str]
    status: str


def warning_records(text: str) -> list[str]:
    """The warnings in Sphinx's warning stream; a record runs on over continuation lines."""
    records: list[str] = []
    for line in strip_colors(text).splitlines():
        if ": WARNING: " in line or not records:
            records.append(line)
        else:
            records[-1] += "\n" + line
    return [record for record in records if record.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, rootdir: Path) -> Iterator[Built]:
    srcdir = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(rootdir / "test-corpus", srcdir)
    app = SphinxTestApp(
        "html", srcdir=srcdir, freshenv=True, confoverrides={"dftable_timeout": 1.0}
    )
    try:
        app.build()
        yield Built(
            srcdir,
            Path(app.outdir),
            warning_records(app.warning.getvalue()),
            strip_colors(app.status.getvalue()),
        )
    finally:
        app.cleanup()


def expected_record(srcdir: Path, case: Case, warn: Warn) -> str:
    path = srcdir / (warn.file or case.page)
    lines = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if warn.at in line]
    assert len(lines) == 1, f"{warn.at!r} must be on exactly one line of {path}"
    message = warn.message.replace("{srcdir}", str(srcdir))
    if warn.ran_by:
        page = srcdir / case.page
        texts = page.read_text("utf-8").splitlines()
        (inside,) = [n for n, text in enumerate(texts) if warn.ran_by in text]
        line = next(n for n in range(inside, -1, -1) if "df-table" in texts[n]) + 1
        message += f" (run by {case.page}:{line})"
    return f"{path}:{lines[0]}: WARNING: df-table: {message} [dftable.{warn.subtype}]"


def case_files(srcdir: Path, case: Case) -> tuple[str, ...]:
    return tuple(f"{srcdir / name}:" for name in (case.page, *case.files))


def test_the_corpus_is_large() -> None:
    pages = sorted(p.name for p in (Path(__file__).parent / "roots" / "test-corpus").glob("*.*"))
    cases = sorted(case.page for case in CASES)
    assert [p for p in pages if p not in {"conf.py", "index.rst", "good.rst"}] == cases
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.page for case in CASES])
def test_case(built: Built, case: Case) -> None:
    mine = [w for w in built.warnings if w.startswith(case_files(built.srcdir, case))]
    assert mine == [expected_record(built.srcdir, case, warn) for warn in case.warnings]
    page = built.outdir / (case.page.rsplit(".", 1)[0] + ".html")
    html = page.read_text(encoding="utf-8")
    # the text after the directive is still on the page
    assert f"CORPUS-MARKER {case.page.rsplit('.', 1)[0]}" in html
    rendered = dftables(page)
    assert [table.body_texts for table in rendered] == list(case.tables)
    if case.header is not None:
        assert rendered[0].header_texts == case.header


def test_no_stray_warnings(built: Built) -> None:
    """Every warning belongs to a case: nothing from docutils, Sphinx or a crash."""
    claimed = tuple(prefix for case in CASES for prefix in case_files(built.srcdir, case))
    assert [w for w in built.warnings if not w.startswith(claimed)] == []
    assert len(built.warnings) == sum(len(case.warnings) for case in CASES)


def test_the_good_page_renders(built: Built) -> None:
    page = built.outdir / "good.html"
    (table,) = dftables(page)
    assert table.body_texts == [["m2", "20.0"], ["m1", "10.5"]]
    assert "CORPUS-MARKER good" in page.read_text(encoding="utf-8")


def test_no_traceback_in_the_output(built: Built) -> None:
    text = "\n".join(built.warnings) + built.status
    assert "Traceback" not in text
    assert 'File "' not in text
    assert "sphinx_dftable" not in text


def test_html_specials_stay_text(built: Built) -> None:
    html = (built.outdir / "values_html.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "&amp;amp;" in html


def test_cell_output_is_not_kept(built: Built) -> None:
    """The 8 MB the snippet printed went nowhere: not into the page, not into the log."""
    html = (built.outdir / "prints_a_lot.html").read_text(encoding="utf-8")
    assert "x" * 200 not in html
    assert "x" * 200 not in built.status
    assert "e" * 200 not in built.status
