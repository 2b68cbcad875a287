"""``:sources:`` and ``dftable_sources``: the files a snippet read, under the table, in real
builds of a real git repository (dates from its commits) and of a folder outside git."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from git_repos import git
from sphinx.util.console import strip_colors
from sphinx_compat import SphinxTestApp

from sphinx_dftable.collect.cli import main as collect
from sphinx_dftable.provenance import append, log_path

RESULTS = Path(__file__).parent / "collect" / "fixtures" / "guidellm" / "v0.8-benchmarks.json"

INDEX = """\
Sources
=======

.. df-table:: Throughput with prices
   :sources:

   df = pd.read_csv('../data/serving.csv').merge(pd.read_csv('prices.csv'), on='Inst. Type')
   df = df[['Model', 'Mode', 'Output Throughput (tokens/second)', 'On-Demand hourly rate']]

.. df-table:: Prices, from a snippet file
   :file: snippets/prices.py

.. df-table:: Prices, never with sources
   :sources: off

   df = pd.read_csv('prices.csv')
"""

PRICES = "Inst. Type,On-Demand hourly rate\nInf2.48xlarge,12.98\n"


def make_site(root: Path) -> Path:
    """docs/ with the page, a price list and a snippet file; data/ with a table that the
    collector wrote (and logged) from a guidellm 0.8 result."""
    docs = root / "docs"
    (docs / "snippets").mkdir(parents=True)
    (root / "data").mkdir()
    (docs / "conf.py").write_text('extensions = ["sphinx_dftable"]\n', encoding="utf-8")
    (docs / "index.rst").write_text(INDEX, encoding="utf-8")
    (docs / "prices.csv").write_text(PRICES, encoding="utf-8")
    (docs / "snippets" / "prices.py").write_text("df = pd.read_csv('prices.csv')\n")
    table = root / "data" / "serving.csv"
    assert collect(["ingest", str(RESULTS), "--table", str(table), "--schema", "serving-sweep",
                    "--set", "Inst. Type=inf2.48xlarge", "--set", "Model=llama", "--no-host",
                    "-q"]) == 0  # fmt: skip
    assert log_path(table).is_file()
    return docs


@dataclass
class Built:
    outdir: Path
    warnings: list[str]
    status: str

    def page(self, builder: str) -> str:
        name = {"html": "index.html", "text": "index.txt"}.get(builder)
        path = self.outdir / name if name else next(self.outdir.glob("*.tex"))
        return path.read_text(encoding="utf-8")

    def words(self) -> str:
        """The text page's words, without its line breaks and the quotes of literals."""
        return " ".join(self.page("text").split()).replace('"', "")


def build(docs: Path, builder: str, **conf: Any) -> Built:
    app = SphinxTestApp(builder, srcdir=docs, freshenv=True, confoverrides=conf)
    try:
        app.build()
        warnings = [w for w in strip_colors(app.warning.getvalue()).splitlines() if w.strip()]
        return Built(Path(app.outdir), warnings, strip_colors(app.status.getvalue()))
    finally:
        app.cleanup()


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """The site in a git repository: prices committed on 2026-10-01, the table on 11-03."""
    root = tmp_path / "site"
    root.mkdir()
    git(root, "init", "-q")
    docs = make_site(root)
    git(root, "add", "docs")
    git(root, "commit", "-qm", "prices", date="2026-10-01T12:00:00+00:00")
    git(root, "add", "data")
    git(root, "commit", "-qm", "results", date="2026-11-03T12:00:00+00:00")
    yield docs


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def summary() -> str:
    return f"4 rows from guidellm 0.8 runs on Inf2.48xlarge, {today()}"


def test_html_links_each_file_with_its_commit_date_and_log_summary(repo: Path) -> None:
    built = build(repo, "html")
    assert built.warnings == []
    html = built.page("html")
    notes = re.findall(r'<div class="dftable-sources[^"]*">(.*?)</div>', html, re.S)
    assert len(notes) == 1  # the :file: table has none (off by default), nor the "off" one
    links = re.findall(
        r'<a class="reference download internal" download="" href="([^"]+)">', notes[0]
    )
    assert [Path(link).name for link in links] == ["serving.csv", "prices.csv"]
    sources = [repo.parent / "data" / "serving.csv", repo / "prices.csv"]
    for link, source in zip(links, sources, strict=True):
        assert (built.outdir / link).read_bytes() == source.read_bytes()  # in _downloads/
    text = re.sub(r"<[^>]+>", "", notes[0])
    assert f"serving.csv, changed 2026-11-03: {summary()}" in text
    assert "prices.csv, changed 2026-10-01" in text
    assert "prices.py" not in text


def test_the_site_wide_default_and_the_option_that_turns_it_off(repo: Path) -> None:
    built = build(repo, "html", dftable_sources=True)
    assert built.warnings == []
    html = built.page("html")
    notes = re.findall(r'<div class="dftable-sources[^"]*">(.*?)</div>', html, re.S)
    assert len(notes) == 2  # the first table and the :file: one; not ":sources: off"
    second = re.sub(r"<[^>]+>", "", notes[1])
    assert "prices.csv, changed 2026-10-01" in second
    assert "prices.py" not in second  # the snippet file is not a data file


def test_latex_and_text_name_the_files_and_dates(repo: Path) -> None:
    latex = build(repo, "latex")
    assert latex.warnings == []
    tex = latex.page("latex").replace("\\sphinxhyphen{}", "-")
    assert "Sources:" in tex
    assert re.search(r"serving\.csv.*?, changed 2026-11-03: 4 rows from guidellm 0\.8 runs", tex)
    assert re.search(r"prices\.csv.*?, changed 2026-10-01", tex)

    text = build(repo, "text")
    assert text.warnings == []
    page = text.words()
    assert f"Sources: * serving.csv, changed 2026-11-03: {summary()} * prices.csv" in page
    assert "prices.csv, changed 2026-10-01" in page


def test_outside_git_the_date_is_the_files_modification_time(tmp_path: Path) -> None:
    docs = make_site(tmp_path / "site")
    stamp = datetime(2025, 5, 17, 8, 30, tzinfo=timezone.utc).timestamp()
    os.utime(docs / "prices.csv", (stamp, stamp))
    built = build(docs, "text")
    assert built.warnings == []
    page = built.words()
    assert "prices.csv, changed 2025-05-17" in page
    assert f"serving.csv, changed {today()}: {summary()}" in page


def test_an_uncommitted_file_in_git_has_its_modification_time(repo: Path) -> None:
    (repo / "extra.csv").write_text(PRICES)
    stamp = datetime(2024, 2, 29, 23, 0, tzinfo=timezone.utc).timestamp()
    os.utime(repo / "extra.csv", (stamp, stamp))
    index = repo / "index.rst"
    index.write_text(
        index.read_text().replace("pd.read_csv('prices.csv'),", "pd.read_csv('extra.csv'),")
    )
    assert "extra.csv, changed 2024-02-29" in build(repo, "text").words()


def test_a_damaged_log_is_skipped_a_cut_last_line_only_noted(repo: Path) -> None:
    log = log_path(repo.parent / "data" / "serving.csv")
    with log.open("ab") as handle:
        handle.write(b'{"time": "2026-11-0')  # a crash mid-write
    built = build(repo, "text")
    assert built.warnings == []
    assert f"{log}:2: note: provenance log line cut short" in built.status
    assert summary() in built.words()

    log.write_bytes(b"garbage\n" + log.read_bytes().split(b"\n")[0] + b"\n")
    built = build(repo, "text")
    assert len(built.warnings) == 1
    assert built.warnings[0].startswith(f"{log}:1: WARNING: df-table: provenance log line not JSON")
    assert built.warnings[0].endswith("[dftable.sources]")
    assert summary() in built.words()


def test_a_bad_option_value_is_a_warning_at_the_directive(repo: Path) -> None:
    index = repo / "index.rst"
    index.write_text(index.read_text().replace(":sources: off", ":sources: sometimes"))
    built = build(repo, "text")
    assert built.warnings[0] == f'{repo / "index.rst"}:13: ERROR: Error in "df-table" directive:'
    assert "invalid option value: (option: \"sources\"; value: 'sometimes')" in built.warnings[1]
    assert "expected nothing, 'on' or 'off', not 'sometimes'." in built.warnings[2]


def test_a_changed_log_rebuilds_the_page(repo: Path) -> None:
    build(repo, "text")
    log = log_path(repo.parent / "data" / "serving.csv")
    entry = {"time": "2026-11-20T08:00:00Z", "files": [{"tool": "llmperf"}], "rows_added": 1,
             "rows_changed": 0, "keys": [["new"]], "keys_left_out": 0,
             "key_columns": ["x"]}  # fmt: skip
    append(log, [entry])
    app = SphinxTestApp("text", srcdir=repo)  # the same environment: an incremental build
    try:
        app.build()
        page = " ".join((Path(app.outdir) / "index.txt").read_text().split()).replace('"', "")
    finally:
        app.cleanup()
    assert "from guidellm 0.8 and llmperf runs on Inf2.48xlarge" in page
    first, last = sorted(["2026-11-20", today()])  # the other ingest ran today
    assert f"{first} to {last}" in page


def test_a_parallel_build_links_every_pages_files(repo: Path) -> None:
    for number in range(4):
        (repo / f"page{number}.rst").write_text(
            f"Page {number}\n=======\n\n.. df-table::\n   :sources:\n\n"
            "   df = pd.read_csv('prices.csv')\n"
        )
    index = repo / "index.rst"
    index.write_text(
        index.read_text() + "\n.. toctree::\n\n   page0\n   page1\n   page2\n   page3\n"
    )
    app = SphinxTestApp("html", srcdir=repo, freshenv=True, parallel=2)
    try:
        app.build()
        assert strip_colors(app.warning.getvalue()).strip() == ""
        outdir = Path(app.outdir)
    finally:
        app.cleanup()
    for number in range(4):
        html = (outdir / f"page{number}.html").read_text()
        (link,) = re.findall(
            r'class="reference download internal" download="" href="([^"]+)"', html
        )
        assert (outdir / link).read_text() == PRICES
        assert "prices.csv</span></code></a>, changed 2026-10-01" in html
