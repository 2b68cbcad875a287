"""The one-pass HTML of the compact body equals Sphinx's HTML of the standard tbody."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_dftable import builders


def build_html(make_app, rootdir: Path, tmp_path: Path, root: str, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(rootdir / f"test-{root}", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    app.cleanup()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


@pytest.mark.parametrize("root", ["seed", "options", "parallel"])
def test_fast_html_equals_standard_html(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str
) -> None:
    fast = build_html(make_app, rootdir, tmp_path, root, "fast")
    # The same build with the body expanded to standard nodes, as for other builders.
    monkeypatch.setattr(builders, "format_of", lambda env: "standard-nodes")
    standard = build_html(make_app, rootdir, tmp_path, root, "standard")
    pages = sorted(p.relative_to(fast) for p in fast.glob("*.html"))
    assert pages
    for page in pages:
        assert (fast / page).read_text(encoding="utf-8") == (standard / page).read_text(
            encoding="utf-8"
        ), page
