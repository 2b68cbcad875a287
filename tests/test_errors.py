"""A failing snippet is one warning at the exact file and line; the build goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_tables import dftables
from sphinx.errors import SphinxError
from sphinx.util.console import strip_colors

COLUMNS = "The columns are: 'Model', 'Throughput'"


def expected_warnings(srcdir: Path) -> list[str]:
    index, inc, broken = srcdir / "index.rst", srcdir / "sub" / "inc.rst", srcdir / "snippets"
    return [
        f"{index}:7: WARNING: df-table: KeyError: 'Cost' — no such column. {COLUMNS}"
        " [dftable.exec]",
        f"{index}:11: WARNING: df-table: SyntaxError: '(' was never closed [dftable.exec]",
        f"{index}:16: WARNING: df-table: NameError: name 'undefined_name' is not defined"
        " [dftable.exec]",
        f"{index}:20: WARNING: df-table: FileNotFoundError: [Errno 2] No such file or directory:"
        f" '{srcdir / 'missing.csv'}' [dftable.exec]",
        f"{index}:22: WARNING: df-table: the snippet did not assign 'df' [dftable.exec]",
        # at the line that assigned df, not at the directive
        f"{index}:28: WARNING: df-table: 'df' is a builtins.list, not a pandas DataFrame"
        " [dftable.exec]",
        f"{inc}:7: WARNING: df-table: KeyError: 'Missing' — no such column. {COLUMNS}"
        " [dftable.exec]",
        # one snippet file serves many pages: the warning says which page ran it
        f"{broken / 'broken.py'}:3: WARNING: df-table: ZeroDivisionError: division by zero"
        " (run by index.rst:32 with path='data.csv') [dftable.exec]",
        f"{index}:39: WARNING: df-table: KeyError: 'Nope' — no such column. {COLUMNS}"
        " [dftable.exec]",
    ]


def warning_lines(app) -> list[str]:
    return [line for line in strip_colors(app.warning.getvalue()).splitlines() if line.strip()]


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_each_failure_is_one_warning_at_its_line(app) -> None:
    app.build()
    assert warning_lines(app) == expected_warnings(Path(app.srcdir))


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_the_rest_of_the_page_is_built(app) -> None:
    app.build()
    page = Path(app.outdir) / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Text after all the tables." in html
    working = dftables(page)
    assert [t.caption.strip().rstrip("¶") for t in working] == [
        "Included table that works",
        "A table that works",
    ]
    # the include's relative path is the included file's directory, not the page's
    assert working[0].body_texts == [["sub1", "1.5"]]
    assert working[1].body_texts == [["m1", "10.5"], ["m2", "20.0"]]


@pytest.mark.sphinx("html", testroot="errors", freshenv=True, warningiserror=True)
def test_warning_is_error_fails_the_build(app) -> None:
    app.build()
    assert app.statuscode == 1


@pytest.mark.sphinx(
    "html", testroot="errors", freshenv=True, confoverrides={"suppress_warnings": ["dftable.exec"]}
)
def test_suppress_warnings_silences_them(app) -> None:
    app.build()
    assert warning_lines(app) == []


@pytest.mark.sphinx(
    "html", testroot="errors", freshenv=True, confoverrides={"dftable_raise_on_error": True}
)
def test_raise_on_error_stops_the_build(app) -> None:
    with pytest.raises(SphinxError, match=r"index\.rst:7: df-table: KeyError: 'Cost' — no such"):
        app.build()


@pytest.mark.sphinx(
    "html", testroot="errors", freshenv=True, confoverrides={"dftable_show_traceback": True}
)
def test_show_traceback_appends_the_snippet_lines(app) -> None:
    app.build()
    text = strip_colors(app.warning.getvalue())
    # the helper's frame and the failing line of the snippet, as Python shows them
    assert "in helper\n    return frame['Nope']" in text
    assert "df = helper(pd.read_csv('data.csv'))" in text
    assert 'broken.py", line 3, in <module>\n    df["x"] = 1 / 0' in text
    # the executor's own frames are not shown
    assert "sphinx_dftable" not in text.replace(str(app.srcdir), "")
