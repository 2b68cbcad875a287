"""df-tables in pages that sphinxcontrib-datatemplates generates from a template and data.

``tests/roots/test-datatemplates`` is shaped like the Neuron model pages: a YAML file of
models' benchmark blocks, a ``.tmpl`` of tab-sets whose df-tables build their frames from
``pd.DataFrame({{ model.benchmarks.Latency | tojson }})``. It renders; then each test
breaks one thing and checks for exactly one warning at a line of a file the author can
open: the template for its code, the YAML file where the data is the cause.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from html_tables import dftables
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from sphinx_dftable.snippet.template_trace import render_traced

# sphinxcontrib-datatemplates 0.11 reads env.app, which Sphinx 9 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:'sphinx.environment.BuildEnvironment.app' is deprecated"
)

TEMPLATE = "_templates/model.tmpl"


@dataclass
class Build:
    srcdir: Path
    outdir: Path
    warnings: list[str]

    def line_of(self, name: str, text: str) -> int:
        """The only line of ``name`` that contains ``text``."""
        lines = (self.srcdir / name).read_text(encoding="utf-8").splitlines()
        found = [n for n, line in enumerate(lines, 1) if text in line]
        assert len(found) == 1, f"{text!r} is on lines {found} of {name}"
        return found[0]


def build(tmp_path: Path, rootdir: Path, edit: Callable[[Path], None] | None = None) -> Build:
    srcdir = tmp_path / "datatemplates"
    shutil.copytree(rootdir / "test-datatemplates", srcdir)
    if edit is not None:
        edit(srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        warnings = [w for w in strip_colors(app.warning.getvalue()).splitlines() if w.strip()]
        return Build(srcdir, Path(app.outdir), warnings)
    finally:
        app.cleanup()


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(srcdir: Path) -> None:
        path = srcdir / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must be in {name} once"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def captions(page: Path) -> list[str]:
    return [table.caption.strip().rstrip("¶") for table in dftables(page)]


def test_the_generated_tables_render(tmp_path: Path, rootdir: Path) -> None:
    built = build(tmp_path, rootdir)
    assert built.warnings == []
    page = built.outdir / "index.html"
    tables = {t.caption.strip().rstrip("¶"): t for t in dftables(page)}
    assert list(tables) == [
        f"{model} {what}"
        for model in ("bert-base", "llama-3-8b", "mistral-7b")
        for what in ("latency", "throughput")
    ]
    latency = tables["bert-base latency"]
    assert latency.header_texts == [["Batch", "P50 (ms)", "P99 (ms)"]]
    # groupby("batch").mean(): the two batch-1 runs averaged
    assert latency.body_texts == [["1", "3.0", "4.0"], ["8", "6.0", "7.5"]]
    assert tables["bert-base throughput"].header_texts == [["Batch", "Tokens/s"]]
    assert tables["bert-base throughput"].body_texts == [["1", "100.0"], ["8", "800.0"]]
    assert tables["llama-3-8b latency"].body_texts == [["1", "21.0", "30.0"], ["4", "25.0", "33.0"]]
    assert tables["mistral-7b throughput"].body_texts == [["2", "125.0"]]
    html = page.read_text(encoding="utf-8")
    assert "sd-tab-set" in html  # inside sphinx-design tab-sets
    assert "Measured on <code" in html and "Text after the models." in html
    (instances,) = dftables(built.outdir / "inline.html")
    assert instances.header_texts == [["Model", "Instance"]]
    assert instances.body_texts == [
        ["bert-base", "inf2.xlarge"],
        ["llama-3-8b", "inf2.48xlarge"],
        ["mistral-7b", "trn1.2xlarge"],
    ]


def test_bad_data_is_reported_at_the_data_block(tmp_path: Path, rootdir: Path) -> None:
    # llama's latency records say "bach": the template's groupby("batch") fails for it only
    def misspell(srcdir: Path) -> None:
        path = srcdir / "data.yaml"
        text = path.read_text(encoding="utf-8")
        for old in ("{batch: 1, p50: 21.0", "{batch: 4, p50: 25.0"):
            text = text.replace(old, old.replace("batch", "bach"))
        path.write_text(text, encoding="utf-8")

    built = build(tmp_path, rootdir, misspell)
    data = built.line_of("data.yaml", "{bach: 1, p50: 21.0")
    # the failing call: the groupby of the template's latency snippet (the first one)
    lines = (built.srcdir / TEMPLATE).read_text(encoding="utf-8").splitlines()
    snippet = next(n for n, line in enumerate(lines, 1) if "df_raw.groupby" in line)
    assert built.warnings == [
        f"{built.srcdir / 'data.yaml'}:{data}: WARNING: df-table: KeyError: 'batch' — no such "
        "column; did you mean 'bach'? The columns are: 'bach', 'p50', 'p99' (rendered by "
        f"index.rst:4 into the snippet at {TEMPLATE}:{snippet}) [dftable.exec]"
    ]
    # the other tables still render, and the text after them
    assert len(captions(built.outdir / "index.html")) == 5
    assert "Text after the models." in (built.outdir / "index.html").read_text(encoding="utf-8")


def test_a_syntax_error_in_the_template_is_reported_at_its_line(
    tmp_path: Path, rootdir: Path
) -> None:
    # the latency snippet's "df = (" (the throughput one is followed by other lines)
    rest = '\n             df_raw.groupby(["batch"]).mean()\n             .reset_index()\n'
    rest += '             .rename(columns={"batch": "Batch", "p50"'
    broken = replace(TEMPLATE, "df = (" + rest, "df = = (" + rest)
    built = build(tmp_path, rootdir, broken)
    line = built.line_of(TEMPLATE, "df = = (")
    # one warning, though the template renders the snippet once per model
    assert built.warnings == [
        f"{built.srcdir / TEMPLATE}:{line}: WARNING: df-table: SyntaxError: invalid syntax "
        "(rendered by index.rst:4 with data.yaml) [dftable.exec]"
    ]
    assert captions(built.outdir / "index.html") == [
        f"{model} throughput" for model in ("bert-base", "llama-3-8b", "mistral-7b")
    ]


def test_a_missing_column_in_the_template_is_reported_at_its_line(
    tmp_path: Path, rootdir: Path
) -> None:
    built = build(
        tmp_path, rootdir, replace(TEMPLATE, '[["Batch", "Tokens/s"]]', '[["Batch", "Tokens/sec"]]')
    )
    line = built.line_of(TEMPLATE, '"Tokens/sec"')
    assert built.warnings == [
        f"{built.srcdir / TEMPLATE}:{line}: WARNING: df-table: KeyError: 'Tokens/sec' — no such "
        "column; did you mean 'Tokens/s'? The columns are: 'Batch', 'Tokens/s' (rendered by "
        "index.rst:4 with data.yaml) [dftable.exec]"
    ]


def test_an_error_in_a_template_in_the_page_is_reported_at_the_page_line(
    tmp_path: Path, rootdir: Path
) -> None:
    built = build(tmp_path, rootdir, replace("inline.rst", '"instance"]]', '"instance", "price"]]'))
    line = built.line_of("inline.rst", '"price"')
    assert built.warnings == [
        f"{built.srcdir / 'inline.rst'}:{line}: WARNING: df-table: KeyError: 'price' — no such "
        "column. The columns are: 'benchmarks', 'instance', 'name' (rendered by inline.rst:6 "
        "with data.yaml) [dftable.exec]"
    ]


def test_a_directive_level_warning_points_at_the_template_directive(
    tmp_path: Path, rootdir: Path
) -> None:
    # df left as a dict: reported where the template assigns it
    edit = replace(TEMPLATE, '         df = df[["Batch", "Tokens/s"]]', "         df = {}")
    built = build(tmp_path, rootdir, edit)
    line = built.line_of(TEMPLATE, "df = {}")
    assert built.warnings == [
        f"{built.srcdir / TEMPLATE}:{line}: WARNING: df-table: 'df' is a builtins.dict, not a "
        "pandas DataFrame (rendered by index.rst:4 with data.yaml) [dftable.exec]"
    ]


def test_every_reported_line_exists_in_its_file(tmp_path: Path, rootdir: Path) -> None:
    # a template error on its very last line, with the template ending without a newline
    def last_line(srcdir: Path) -> None:
        path = srcdir / TEMPLATE
        text = path.read_text(encoding="utf-8").replace("{% endfor %}\n", "")
        path.write_text(text.rstrip("\n") + "\n         df = df[\n{% endfor %}", encoding="utf-8")

    built = build(tmp_path, rootdir, last_line)
    (warning,) = built.warnings
    where = warning.split(": WARNING: ")[0]
    path, line = where.rsplit(":", 1)
    assert path == str(built.srcdir / TEMPLATE)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert 1 <= int(line) <= len(lines)
    assert lines[int(line) - 1].strip() == "df = df["


# -- the line map, without Sphinx --------------------------------------------------------


def test_render_traced_gives_the_same_text_and_each_lines_template_line(tmp_path: Path) -> None:
    (tmp_path / "part.tmpl").write_text("included {{ x }}\nsecond\n", encoding="utf-8")
    main = (
        "{% set rows = [1, 2] %}\n"
        "head {{ title }}\n"
        "{% for r in rows %}\n"
        "row {{ r }}\n"
        "{% endfor %}\n"
        "{{ data | tojson(indent=1) }}\n"
        "{% include 'part.tmpl' %}\n"
        "tail\n"
    )
    (tmp_path / "main.tmpl").write_text(main, encoding="utf-8")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
    template = environment.get_template("main.tmpl")
    context = {"title": "T", "x": "X", "data": {"a": [1]}}
    output, origins = render_traced(template, context, main)
    assert output == template.render(context)
    lines = output.splitlines()
    assert len(origins) == len(lines)
    placed = [
        (line, Path(o.template or "").name, o.line) for line, o in zip(lines, origins, strict=True)
    ]
    assert placed == [
        ("", "main.tmpl", 1),
        ("head T", "main.tmpl", 2),
        # the loop's body begins with the newline after its tag
        ("", "main.tmpl", 3),
        ("row 1", "main.tmpl", 4),
        ("", "main.tmpl", 3),
        ("row 2", "main.tmpl", 4),
        ("", "main.tmpl", 5),
        # an expression's lines all come from the expression's line
        ("{", "main.tmpl", 6),
        (' "a": [', "main.tmpl", 6),
        ("  1", "main.tmpl", 6),
        (" ]", "main.tmpl", 6),
        ("}", "main.tmpl", 6),
        ("included X", "part.tmpl", 1),
        ("second", "part.tmpl", 2),
        ("tail", "main.tmpl", 8),
    ]
    assert origins[3].values == ["1"]
    assert origins[8].values == ['{\n "a": [\n  1\n ]\n}']


def test_render_traced_reports_template_errors_as_jinja_does(tmp_path: Path) -> None:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    template = environment.from_string("a\n{{ missing.x }}\n")
    with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
        render_traced(template, {}, "a\n{{ missing.x }}\n")
