"""``:filters:`` and ``dftable_filters``: which columns the table script makes filters for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.errors import ConfigError
from sphinx.util.console import strip_colors

from sphinx_dftable.table.filters import FACET, RANGE, filters_option, plan_filters


def tables(html: str) -> dict[str, dict[str, object]]:
    """Per table id: the classes of its body and of its header cells."""
    found = {}
    for match in re.finditer(r'<table class="[^"]*" id="([^"]+)">(.*?)</table>', html, re.S):
        body = re.search(r'<tbody class="([^"]*)"', match[2])
        heads = re.findall(r'<th class="head([^"]*)"><p>([^<]*)</p>', match[2])
        found[match[1]] = {
            "body": (body[1] if body else "").split(),
            "heads": {name: classes.split() for classes, name in heads},
        }
    return found


@pytest.mark.sphinx("html", testroot="filters", freshenv=True)
def test_filters_are_chosen_from_the_data_and_the_option(app) -> None:
    app.build()
    found = tables((Path(app.outdir) / "index.html").read_text(encoding="utf-8"))
    auto = found["auto"]
    assert "dftable-filterable" in auto["body"]
    assert "dftable-num-3" in auto["body"] and "dftable-num-4" in auto["body"]
    heads = auto["heads"]
    assert FACET in heads["Model"] and FACET in heads["TP Degree"]  # few distinct values
    assert RANGE in heads["Throughput"]  # a number of many values
    assert FACET not in heads["Note"] and RANGE not in heads["Note"]  # text: the search box
    # auto leaves small tables alone; :filters: on does not
    assert "dftable-filterable" not in found["small"]["body"]
    assert "dftable-num-2" in found["small"]["body"]  # right-aligned all the same
    assert "dftable-filterable" in found["forced"]["body"]
    assert FACET in found["forced"]["heads"]["Model"]
    named = found["named"]["heads"]
    assert FACET in named["Note"] and RANGE in named["Throughput"]
    assert FACET not in named["Model"] and FACET not in named["TP Degree"]
    assert "dftable-filterable" not in found["off"]["body"]
    page = Path(app.srcdir) / "index.rst"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:21: WARNING: df-table: filter for column 'Nonexistent' not added:"
        " no such column [dftable.filter]"
    ]


@pytest.mark.sphinx(
    "html", testroot="filters", freshenv=True, confoverrides={"dftable_filters": "off"}
)
def test_site_wide_default(app) -> None:
    app.build()
    found = tables((Path(app.outdir) / "index.html").read_text(encoding="utf-8"))
    assert "dftable-filterable" not in found["auto"]["body"]
    assert "dftable-filterable" in found["forced"]["body"]  # the directive's own choice wins


def test_bad_site_wide_default_is_refused(make_app, rootdir: Path) -> None:
    with pytest.raises(ConfigError, match="dftable_filters must be 'auto', 'on' or 'off'"):
        make_app("html", srcdir=rootdir / "test-filters", confoverrides={"dftable_filters": "some"})


def test_option_values() -> None:
    assert filters_option(" Off ") == "off"
    assert filters_option("Model, Inst. Type") == ("Model", "Inst. Type")
    assert filters_option("A, B\nC") == ("A, B", "C")  # one per line: names with commas
    with pytest.raises(ValueError):
        filters_option("")


def test_plan_rules() -> None:
    names = ["Model", "Unique", "Throughput"]
    rows = [[m, f"u{i}", str(i)] for i, m in enumerate(["x", "y"] * 10)]
    plan = plan_filters(names, rows, [False, False, True], "auto")
    assert plan.kinds == [FACET, None, RANGE]
    assert plan_filters(names, rows[:9], [False, False, True], "auto").enabled is False
    one_value = [["x", "u", "1"]] * 12
    assert plan_filters(names, one_value, [False, False, True], "on").kinds == [None, None, None]
