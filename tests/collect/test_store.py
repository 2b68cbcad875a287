"""Upsert semantics: keyed rows, exact text of untouched rows, header checks."""

from __future__ import annotations

import csv
import errno
import io
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_dftable import atomic_write
from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.store import key_part, lock_path, plan_upsert, upsert

COLUMNS = ["Model", "Inst. Type", "Concurrency", "TTFT P50 (ms)"]
KEYS = ["Model", "Inst. Type", "Concurrency"]


def _row(model: str, concurrency: str, ttft: str, inst: str = "Inf2.48xlarge") -> dict[str, str]:
    return {"Model": model, "Inst. Type": inst, "Concurrency": concurrency, "TTFT P50 (ms)": ttft}


def _upsert(path: Path, rows: list[dict[str, str]], **options: bool) -> object:
    return upsert(path, allowed=COLUMNS, written=COLUMNS, keys=KEYS, rows=rows, **options)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_creates_table_then_updates_in_place_and_appends(tmp_path: Path) -> None:
    table = tmp_path / "sweep.csv"
    _upsert(table, [_row("llama", "1", "100"), _row("llama", "4", "300")])
    assert _read(table) == [_row("llama", "1", "100"), _row("llama", "4", "300")]
    plan = upsert(
        table,
        allowed=COLUMNS,
        written=COLUMNS,
        keys=KEYS,
        rows=[_row("llama", "4", "290"), _row("llama", "16", "900")],
    )
    assert _read(table) == [
        _row("llama", "1", "100"),
        _row("llama", "4", "290"),
        _row("llama", "16", "900"),
    ]
    assert len(plan.added) == 1 and len(plan.changed) == 1 and plan.unchanged == 1


def test_untouched_rows_keep_their_exact_text(tmp_path: Path) -> None:
    table = tmp_path / "sweep.csv"
    original = (
        "\ufeffModel,Inst. Type,Concurrency,TTFT P50 (ms)\r\n"
        '"llama, chat",Inf2.48xlarge,1,100.50\r\n'
        '"multi\r\nline",Inf2.xlarge,2,7\r\n'
        "mistral,Inf2.48xlarge,4,1e2\r\n"
        "\r\n"
        "qwen,Trn1.32xlarge,8,42"  # no newline at the end
    )
    table.write_bytes(original.encode())
    _upsert(table, [_row("mistral", "4", "99"), _row("phi", "1", "12")])
    text = table.read_bytes().decode()
    lines = original.split("\r\n")
    assert text.startswith("\r\n".join(lines[:4]) + "\r\n")  # BOM, header, quoted rows intact
    assert "mistral,Inf2.48xlarge,4,99\r\n" in text
    assert text.endswith("qwen,Trn1.32xlarge,8,42\r\nphi,Inf2.48xlarge,1,12\r\n")


def test_equal_numbers_in_other_spelling_are_not_a_change(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("Model,Inst. Type,Concurrency,TTFT P50 (ms)\nllama,inf2.48xlarge,1.0,100.50\n")
    before = table.read_bytes()
    plan = _upsert(table, [_row("LLAMA", "1", "100.5", inst="Inf2.48xlarge")])
    assert table.read_bytes() == before
    assert not plan.has_changes  # type: ignore[attr-defined]


def test_dry_run_writes_nothing_and_takes_no_lock(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    plan = upsert(
        table, allowed=COLUMNS, written=COLUMNS, keys=KEYS, rows=[_row("a", "1", "2")], dry_run=True
    )
    assert plan.added == [_row("a", "1", "2")]
    assert not table.exists() and not lock_path(table).exists()


def test_header_missing_columns_refused_unless_asked(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("Model,Inst. Type,Concurrency\nllama,Inf2.48xlarge,1\n")
    before = table.read_bytes()
    with pytest.raises(CollectError, match=r"lacks column\(s\) 'TTFT P50 \(ms\)'.*--add-columns"):
        _upsert(table, [_row("llama", "1", "5")])
    assert table.read_bytes() == before
    _upsert(table, [_row("llama", "4", "5")], add_columns=True)
    assert table.read_text() == (
        "Model,Inst. Type,Concurrency,TTFT P50 (ms)\nllama,Inf2.48xlarge,1,\n"
        "llama,Inf2.48xlarge,4,5\n"
    )


def test_header_with_unknown_columns_refused(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("Model,Inst. Type,Concurrency,TTFT P50 (ms),Notes\n")
    with pytest.raises(CollectError, match="'Notes'") as caught:
        _upsert(table, [_row("llama", "1", "5")], add_columns=True)
    assert caught.value.path == table


def test_ambiguous_keys_are_refused(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "Model,Inst. Type,Concurrency,TTFT P50 (ms)\n"
        "llama,Inf2.48xlarge,1,5\n"
        "llama,Inf2.48xlarge,1,6\n"
    )
    with pytest.raises(CollectError, match="2 rows with the key"):
        _upsert(table, [_row("llama", "1", "7")])
    with pytest.raises(CollectError, match="same key"):
        _upsert(tmp_path / "new.csv", [_row("a", "1", "7"), _row("a", "1.0", "8")])


def test_missing_directory_and_malformed_table(tmp_path: Path) -> None:
    with pytest.raises(CollectError, match="directory does not exist"):
        _upsert(tmp_path / "nope" / "t.csv", [_row("a", "1", "2")])
    table = tmp_path / "t.csv"
    table.write_bytes(b"Model,\xff\n")
    with pytest.raises(CollectError, match="not UTF-8"):
        _upsert(table, [_row("a", "1", "2")])


def test_a_failed_directory_flush_says_the_table_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "t.csv"
    _upsert(table, [_row("a", "1", "2")])

    def refuse(directory: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(atomic_write, "sync_directory", refuse)
    with pytest.raises(CollectError, match="replaced, but flushing its directory failed"):
        _upsert(table, [_row("a", "1", "3")])
    assert _read(table) == [_row("a", "1", "3")]


def test_columns_outside_the_written_set_are_kept(tmp_path: Path) -> None:
    table = tmp_path / "prices.csv"
    table.write_text(
        "Inst. Type,On-Demand hourly rate,RI-Effective hourly rate\nInf2.xlarge,0.7,0.45\n"
    )
    upsert(
        table,
        allowed=["Inst. Type", "On-Demand hourly rate", "RI-Effective hourly rate"],
        written=["Inst. Type", "On-Demand hourly rate"],
        keys=["Inst. Type"],
        rows=[{"Inst. Type": "Inf2.xlarge", "On-Demand hourly rate": "0.7582"}],
    )
    assert _read(table) == [
        {
            "Inst. Type": "Inf2.xlarge",
            "On-Demand hourly rate": "0.7582",
            "RI-Effective hourly rate": "0.45",
        }
    ]


# Python 3.10's csv module can neither write nor read a NUL character; 3.11's can.
_NUL = "\x00" if sys.version_info < (3, 11) else ""
cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters=_NUL),
    max_size=8,
)
# Keys mix text and numbers so "1" / "1.0" style matches are exercised.
key = cell | st.integers(-3, 3).map(str) | st.sampled_from(["1.0", "2.50", " 3 "])


@settings(max_examples=60, deadline=None)
@given(
    existing=st.lists(st.tuples(key, cell, cell), max_size=6, unique_by=lambda r: key_part(r[0])),
    updates=st.lists(st.tuples(key, cell, cell), max_size=4, unique_by=lambda r: key_part(r[0])),
    crlf=st.booleans(),
)
def test_upsert_properties(
    existing: list[tuple[str, str, str]], updates: list[tuple[str, str, str]], crlf: bool
) -> None:
    """Any rows: untouched ones keep their text; the result parses to the merged table."""
    columns = ["k", "a", "b"]
    buffer = io.StringIO()
    # With "\n" endings the csv module leaves a lone "\r" unquoted, so quote every cell then.
    writer = csv.writer(
        buffer,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_MINIMAL if crlf else csv.QUOTE_ALL,
    )
    writer.writerows([columns, *existing])
    text = buffer.getvalue()
    if len({key_part(r[0]) for r in existing}) != len(existing) or len(
        {key_part(u[0]) for u in updates}
    ) != len(updates):
        return  # keys equal after normalisation are a refusal, tested above
    rows = [dict(zip(columns, u, strict=True)) for u in updates]
    plan = plan_upsert(text, Path("t.csv"), allowed=columns, written=columns, keys=["k"], rows=rows)
    result = list(csv.reader(io.StringIO(plan.text, newline="")))
    assert result[0] == columns
    updated_keys = {key_part(u[0]) for u in updates}
    body = [r for r in result[1:] if r]
    for old in existing:
        if key_part(old[0]) not in updated_keys:
            assert list(old) in body
            # ...and its exact text, quoting and line ending included.
            own = io.StringIO()
            csv.writer(own, dialect=writer.dialect).writerow(old)
            assert own.getvalue() in plan.text
    for new in updates:
        [match] = [r for r in body if key_part(r[0]) == key_part(new[0])]
        # A cell equal to the new one after normalisation keeps its old spelling.
        assert [key_part(x) for x in match[1:]] == [key_part(x) for x in new[1:]]
