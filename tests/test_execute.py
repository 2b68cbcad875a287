"""The snippet runner without Sphinx: namespaces, paths, errors with lines, the read cache."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from sphinx_dftable.snippet.execute import CodePart, DataWarning, SnippetError, SnippetRunner
from sphinx_dftable.snippet.read_cache import ReadCache


def part(code: str, source: str = "page.rst", first_line: int = 10) -> CodePart:
    n = code.count("\n") + 1
    return CodePart(
        code, f"<df-table {source}:{first_line}>", [(source, first_line + i) for i in range(n)]
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "data.csv").write_text("Model,Value\na,1.5\nb,2\n", encoding="utf-8")
    return tmp_path


def run(code: str, base_dir: Path, **kwargs: object) -> pd.DataFrame:
    return SnippetRunner(cache=ReadCache()).run([part(code)], base_dir=base_dir, **kwargs).frame


def test_pd_and_np_are_imported(data_dir: Path) -> None:
    frame = run("df = pd.DataFrame({'x': np.arange(3)})", data_dir)
    assert frame["x"].tolist() == [0, 1, 2]


def test_relative_paths_resolve_against_the_base_dir(data_dir: Path, tmp_path: Path) -> None:
    cwd = Path.cwd()
    assert cwd != data_dir
    result = SnippetRunner().run([part("df = pd.read_csv('data.csv')")], base_dir=data_dir)
    assert result.frame["Model"].tolist() == ["a", "b"]
    assert result.dependencies == [data_dir / "data.csv"]
    assert Path.cwd() == cwd


@pytest.mark.parametrize(
    "code",
    [
        "import pandas as pd\ndf = pd.read_csv('data.csv')",
        "import pandas\ndf = pandas.read_csv('data.csv')",
        "from pandas import read_csv\ndf = read_csv('data.csv')",
        "import pandas.io.common\ndf = pandas.read_csv('data.csv')",
        "import csv\nwith open('data.csv') as f:\n    df = pd.DataFrame(list(csv.reader(f)))",
        "df = pd.read_csv(DOCDIR / 'data.csv')",
    ],
)
def test_every_way_of_reading_resolves_the_same(data_dir: Path, code: str) -> None:
    result = SnippetRunner().run([part(code)], base_dir=data_dir)
    assert len(result.frame) >= 2
    assert result.dependencies == [data_dir / "data.csv"]


def test_series_becomes_a_frame(data_dir: Path) -> None:
    frame = run("df = pd.Series([1, 2], name='n')", data_dir)
    assert list(frame.columns) == ["n"]


@pytest.mark.parametrize(
    ("code", "message", "line"),
    [
        (
            "x = 1\ndf = pd.DataFrame()['Cost']",
            "KeyError: 'Cost' — no such column. The DataFrame has no columns",
            11,
        ),
        ("x = {}\ndf = x['Cost']", "KeyError: 'Cost'", 11),
        ("df = (", "SyntaxError: '(' was never closed", 10),
        ("x = 1\n\ndf = nope", "NameError: name 'nope' is not defined", 12),
        ("def f():\n    return 1 / 0\ndf = f()", "ZeroDivisionError: division by zero", 11),
        ("import sys\nsys.exit(3)", "SystemExit: 3", 11),
        ("raise ValueError", "ValueError", 10),
    ],
)
def test_errors_carry_the_failing_line(data_dir: Path, code: str, message: str, line: int) -> None:
    with pytest.raises(SnippetError) as info:
        run(code, data_dir)
    assert info.value.message == message
    assert info.value.location == ("page.rst", line)


def test_missing_file_names_the_resolved_path_and_is_a_dependency(data_dir: Path) -> None:
    with pytest.raises(SnippetError) as info:
        run("df = pd.read_csv('sub/missing.csv')", data_dir)
    assert str(data_dir / "sub" / "missing.csv") in info.value.message
    assert info.value.dependencies == [data_dir / "sub" / "missing.csv"]


def test_df_missing_is_reported_at_the_directive(data_dir: Path) -> None:
    with pytest.raises(SnippetError, match="the snippet did not assign 'df'") as info:
        run("x = 1", data_dir)
    assert info.value.location is None


@pytest.mark.parametrize(
    ("code", "message", "line"),
    [
        ("df = [1]", "'df' is a builtins.list, not a pandas DataFrame", 10),
        ("df = pd.DataFrame()\nx = 1\ndf = 42\ny = 2", "'df' is a builtins.int", 12),
        ("df = (\n    'x'\n)", "'df' is a builtins.str", 10),
        ("for df in [1, 2]:\n    pass", "'df' is a builtins.int", 10),
        ("if True:\n    df = None\ndef f():\n    df = 1", "'df' is a builtins.NoneType", 11),
        ("import numpy as df", "'df' is a builtins.module", 10),
    ],
)
def test_df_of_the_wrong_type_is_reported_where_it_was_last_assigned(
    data_dir: Path, code: str, message: str, line: int
) -> None:
    with pytest.raises(SnippetError, match=message) as info:
        run(code, data_dir)
    assert info.value.location == ("page.rst", line)


def test_df_of_the_wrong_type_from_the_last_part_that_assigned_it(data_dir: Path) -> None:
    body = part("df = pd.DataFrame()\nrows = 3")
    file_part = CodePart("x = 1\ndf = rows * 2\n", "/s/t.py", [("/s/t.py", 1), ("/s/t.py", 2)])
    with pytest.raises(SnippetError, match=r"'df' is a builtins\.int") as info:
        SnippetRunner().run([body, file_part], base_dir=data_dir)
    assert info.value.location == ("/s/t.py", 2)
    later = CodePart("y = 1\n", "/s/u.py", [("/s/u.py", 1)])
    with pytest.raises(SnippetError) as info:
        SnippetRunner().run([part("df = 5\nz = 1"), later], base_dir=data_dir)
    assert info.value.location == ("page.rst", 10)


def test_df_given_by_params_is_reported_at_the_directive(data_dir: Path) -> None:
    with pytest.raises(SnippetError, match=r"'df' is a builtins\.int") as info:
        run("x = 1", data_dir, params={"df": 3})
    assert info.value.location is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "df = frame['Throughput']",
            "KeyError: 'Throughput' — no such column; did you mean "
            "'Throughput (tokens/second)'? The columns are: 'Model', "
            "'Throughput (tokens/second)', 'Latency (ms)'",
        ),
        (
            "df = frame[['Model', 'latency (ms)']]",
            "KeyError: 'latency (ms)' — no such column; did you mean 'Latency (ms)'? "
            "The columns are: 'Model', 'Throughput (tokens/second)', 'Latency (ms)'",
        ),
        (
            "df = frame.groupby(['Modle']).mean()",
            "KeyError: 'Modle' — no such column; did you mean 'Model'? The columns are:",
        ),
        ("df = frame.sort_values('Zzz')", "KeyError: 'Zzz' — no such column. The columns are:"),
        (
            "df = frame[['Qq', 'Rr']]",
            "KeyError: 'Qq', 'Rr' — no such columns. The columns are: 'Model', ",
        ),
        # not a column: a row label, a Series label, a dictionary key
        ("df = frame.set_index('Model').loc['Throughput']", "KeyError: 'Throughput'$"),
        ("df = frame['Model']['Throughput']", "KeyError: 'Throughput'$"),
        ("df = {'a': 1}['Throughput']", "KeyError: 'Throughput'$"),
    ],
)
def test_a_missing_column_lists_the_columns_and_the_closest(
    data_dir: Path, code: str, message: str
) -> None:
    frame = pd.DataFrame(
        {"Model": ["a", "b"], "Throughput (tokens/second)": [1, 2], "Latency (ms)": [3, 4]}
    )
    with pytest.raises(SnippetError) as info:
        run(code, data_dir, params={"frame": frame})
    assert info.value.message.startswith(message.rstrip("$"))
    if message.endswith("$"):
        assert info.value.message == message.rstrip("$")
    assert info.value.location == ("page.rst", 10)


def test_a_wide_frame_lists_some_columns_and_counts_the_rest(data_dir: Path) -> None:
    code = "df = pd.DataFrame({f'c{i}': [i] for i in range(100)})['c100']"
    with pytest.raises(SnippetError) as info:
        run(code, data_dir)
    message = info.value.message
    assert message.startswith("KeyError: 'c100' — no such column; did you mean 'c10'? ")
    assert message.endswith("'c18', 'c19' … and 80 more")
    assert "\n" not in message


def test_df_var_picks_another_name(data_dir: Path) -> None:
    assert run("table = pd.DataFrame({'a': [1]})", data_dir, df_var="table").shape == (1, 1)


def test_parts_share_one_namespace_in_order(data_dir: Path) -> None:
    setup = CodePart("def double(x):\n    return x * 2", "<setup>")
    body = part("factor = 3")
    file_part = CodePart("df = pd.DataFrame({'v': [double(factor)]})", "/s/t.py", [("/s/t.py", 1)])
    result = SnippetRunner().run([setup, body, file_part], base_dir=data_dir)
    assert result.frame["v"].tolist() == [6]


def test_params_are_names_in_the_namespace(data_dir: Path) -> None:
    frame = run("df = pd.DataFrame({'v': [value]})", data_dir, params={"value": 7})
    assert frame["v"].tolist() == [7]


def test_namespaces_and_pandas_options_do_not_leak(data_dir: Path) -> None:
    before = pd.get_option("display.max_rows")
    run("leak = 1\npd.set_option('display.max_rows', 3)\ndf = pd.DataFrame()", data_dir)
    assert pd.get_option("display.max_rows") == before
    with pytest.raises(SnippetError, match="name 'leak' is not defined"):
        run("df = pd.DataFrame({'x': [leak]})", data_dir)


def test_output_is_captured_not_printed(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = SnippetRunner().run(
        [part("print('hello ' * 100_000)\ndf = pd.DataFrame()")], base_dir=data_dir
    )
    assert capsys.readouterr().out == ""
    assert result.output.startswith("hello")
    assert len(result.output) == 64 * 1024  # capped


def test_warnings_carry_their_line(data_dir: Path) -> None:
    code = "import warnings\ndf = pd.DataFrame()\nwarnings.warn(DataWarning('no price for X'))"
    runner = SnippetRunner(extra_names={"DataWarning": DataWarning})
    result = runner.run([part(code)], base_dir=data_dir)
    (found,) = result.warnings
    assert found.category is DataWarning
    assert found.message == "no price for X"
    assert found.location == ("page.rst", 12)


def test_timeout_stops_a_long_snippet(data_dir: Path) -> None:
    runner = SnippetRunner(timeout=0.2)
    with pytest.raises(SnippetError) as info:
        runner.run([part("x = 0\nwhile True:\n    x += 1")], base_dir=data_dir)
    assert "ran longer than 0.2 s" in info.value.message
    assert info.value.location in {("page.rst", 11), ("page.rst", 12)}


def test_traceback_shows_snippet_lines_not_the_runner(data_dir: Path) -> None:
    with pytest.raises(SnippetError) as info:
        run("def helper():\n    return {}['k']\ndf = helper()", data_dir)
    text = info.value.traceback_text
    assert "return {}['k']" in text and "df = helper()" in text
    assert "sphinx_dftable" not in text


def test_a_file_read_twice_is_parsed_once(data_dir: Path) -> None:
    cache = ReadCache()
    runner = SnippetRunner(cache=cache)
    code = "df = pd.read_csv('data.csv')\ndf['Value'] = df['Value'] * 10"
    first = runner.run([part(code)], base_dir=data_dir).frame
    second = runner.run([part(code)], base_dir=data_dir).frame
    assert cache.misses == 1 and cache.hits == 1
    # a snippet that mutates its frame cannot change what the next one reads
    assert first["Value"].tolist() == second["Value"].tolist() == [15.0, 20.0]


def test_an_edited_file_is_read_again(data_dir: Path) -> None:
    cache = ReadCache()
    runner = SnippetRunner(cache=cache)
    runner.run([part("df = pd.read_csv('data.csv')")], base_dir=data_dir)
    path = data_dir / "data.csv"
    path.write_text("Model,Value\nz,9\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    frame = runner.run([part("df = pd.read_csv('data.csv')")], base_dir=data_dir).frame
    assert frame["Model"].tolist() == ["z"]
    assert cache.misses == 2


def test_different_read_arguments_are_different_entries(data_dir: Path) -> None:
    cache = ReadCache()
    runner = SnippetRunner(cache=cache)
    runner.run([part("df = pd.read_csv('data.csv')")], base_dir=data_dir)
    frame = runner.run(
        [part("df = pd.read_csv('data.csv', usecols=['Model'])")], base_dir=data_dir
    ).frame
    assert list(frame.columns) == ["Model"]
    assert cache.misses == 2


def test_cache_is_bounded() -> None:
    cache = ReadCache(max_entries=2)
    for i in range(3):
        cache.put(("k", i), pd.DataFrame({"i": [i]}))
    assert cache.get(("k", 0)) is None
    assert cache.get(("k", 2)) is not None
