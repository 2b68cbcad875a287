"""parallel_read_safe and parallel_write_safe hold: -j 2 gives the same output as -j 1."""

from __future__ import annotations

import shutil
from pathlib import Path

from html_tables import dftables


def build(make_app, rootdir: Path, tmp_path: Path, name: str, parallel: int) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(rootdir / "test-parallel", srcdir)
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    app.cleanup()  # the next build in this test registers the extension again
    assert app.warning.getvalue() == ""
    if parallel > 1:
        assert app.is_parallel_allowed("read") and app.is_parallel_allowed("write")
    return Path(app.outdir)


def test_parallel_build_equals_serial_build(make_app, rootdir: Path, tmp_path: Path) -> None:
    serial = build(make_app, rootdir, tmp_path, "serial", 1)
    parallel = build(make_app, rootdir, tmp_path, "parallel", 2)
    pages = sorted(p.name for p in serial.glob("page*.html"))
    assert len(pages) == 8
    for page in pages:
        one = (serial / page).read_text(encoding="utf-8")
        two = (parallel / page).read_text(encoding="utf-8")
        assert one == two, page
        tables = dftables(serial / page)
        assert len(tables) == 2
        assert len(tables[0].body) == 4
    # numbered references resolved across pages in both builds
    assert "Table 1" in (serial / "page1.html").read_text(encoding="utf-8")
