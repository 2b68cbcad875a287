"""Incremental builds stay quiet and cheap: no config change reported, no pandas imported.

Each build runs in a real ``sphinx-build`` subprocess, as a user's does: pytest itself has
long imported pandas, so only a fresh interpreter shows what a build imports.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# conf.py hook: at the end of the build, note which heavy modules the build imported.
IMPORT_PROBE = """
import json, sys

def _note_imports(app, exception):
    heavy = sorted(m for m in ("pandas", "numpy", "matplotlib") if m in sys.modules)
    (app.confdir / "imports.json").write_text(json.dumps(heavy))

def setup(app):
    app.connect("build-finished", _note_imports)
"""


@pytest.fixture
def project(tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "rebuild"
    shutil.copytree(rootdir / "test-rebuild", srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + IMPORT_PROBE, encoding="utf-8")
    (srcdir / "plain.rst").write_text(":orphan:\n\nPlain\n=====\n\nNo table.\n")
    return srcdir


def sphinx_build(srcdir: Path, builder: str = "html", *args: str) -> str:
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(srcdir / "doctrees")]
    result = subprocess.run(
        [*command, *args, str(srcdir), str(srcdir / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return result.stdout


def imports(srcdir: Path) -> str:
    return (srcdir / "imports.json").read_text(encoding="utf-8")


def test_no_change_rebuild_reports_no_configuration_change(project: Path) -> None:
    sphinx_build(project)
    output = sphinx_build(project)
    assert "configuration has changed" not in output
    assert "0 added, 0 changed, 0 removed" in output


def test_no_change_rebuild_imports_no_pandas(project: Path) -> None:
    sphinx_build(project)
    assert imports(project) == '["numpy", "pandas"]'  # the first build ran snippets
    sphinx_build(project)
    assert imports(project) == "[]"


def test_static_files_reach_the_output_and_only_table_pages_link_them(project: Path) -> None:
    sphinx_build(project)
    out = project / "out"
    for name in ("dftable.css", "dftable.js"):
        shipped = Path(__file__).parents[1] / "sphinx_dftable" / "static" / name
        assert (out / "_static" / name).read_bytes() == shipped.read_bytes()
    with_table = (out / "reads_a.html").read_text(encoding="utf-8")
    assert 'href="_static/dftable.css' in with_table
    assert 'src="_static/dftable.js' in with_table
    for page in ("plain.html", "genindex.html", "search.html"):
        assert "dftable" not in (out / page).read_text(encoding="utf-8"), page


def test_epub_packs_the_static_files(project: Path) -> None:
    sphinx_build(project, "epub", "-D", "version=1.0", "-D", "epub_copyright=2026, tests")
    (book,) = (project / "out").glob("*.epub")
    with zipfile.ZipFile(book) as packed:
        names = packed.namelist()
        manifest = packed.read("content.opf").decode("utf-8")
        page = packed.read("reads_a.xhtml").decode("utf-8")
    assert "_static/dftable.css" in names
    assert 'href="_static/dftable.css"' in manifest and 'href="_static/dftable.css"' in page
    # The epub theme links no scripts (and Sphinx packs none): the table is plain there.
    assert "dftable.js" not in page
