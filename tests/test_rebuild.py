"""Every file a snippet reads is a dependency: edits re-read exactly the pages that read it."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from html_tables import dftables


@pytest.fixture
def project(tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "rebuild"
    shutil.copytree(rootdir / "test-rebuild", srcdir)
    return srcdir


def build(make_app: Callable[..., Any], srcdir: Path) -> list[str]:
    """Build incrementally; return the documents Sphinx read."""
    app = make_app("html", srcdir=srcdir)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    warnings = app.warning.getvalue()
    app.cleanup()  # the next build in this test registers the extension again
    assert warnings == ""
    return sorted(read)


def edit(path: Path, text: str) -> None:
    time.sleep(0.01)  # a modification time clearly after the last build's reads
    path.write_text(text, encoding="utf-8")


def test_no_change_rereads_nothing(make_app, project: Path) -> None:
    assert build(make_app, project) == [
        "index",
        "no_data",
        "reads_a",
        "reads_b",
        "reads_both",
        "snippet_file",
    ]
    assert build(make_app, project) == []


def test_editing_a_csv_rereads_exactly_its_readers(make_app, project: Path) -> None:
    build(make_app, project)
    edit(project / "a.csv", "Model,Value\na1,100\na2,200\n")
    assert build(make_app, project) == ["reads_a", "reads_both"]
    tables = dftables(project / "_build" / "html" / "reads_a.html")
    assert tables[0].body_texts == [["a1", "100"], ["a2", "200"]]
    edit(project / "b.csv", "Model,Value\nb1,3\n")
    assert build(make_app, project) == ["reads_b", "reads_both"]


def test_editing_a_snippet_file_rereads_its_page(make_app, project: Path) -> None:
    build(make_app, project)
    edit(project / "snippets" / "table.py", 'df = pd.DataFrame({"from": ["edited"]})\n')
    assert build(make_app, project) == ["snippet_file"]
    tables = dftables(project / "_build" / "html" / "snippet_file.html")
    assert tables[0].body_texts == [["edited"]]


def test_a_missing_file_keeps_its_page_outdated_until_it_exists(make_app, project: Path) -> None:
    (project / "b.csv").unlink()
    app = make_app("html", srcdir=project)
    app.build()
    app.cleanup()
    assert "No such file or directory" in app.warning.getvalue()
    edit(project / "b.csv", "Model,Value\nb9,9\n")
    assert build(make_app, project) == ["reads_b", "reads_both"]
    tables = dftables(project / "_build" / "html" / "reads_b.html")
    assert tables[0].body_texts == [["b9", "9"]]


def test_working_directory_is_never_changed(make_app, project: Path) -> None:
    before = Path.cwd()
    build(make_app, project)
    assert Path.cwd() == before
    assert before != project
