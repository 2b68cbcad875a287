"""Read the tables of a built HTML page as text, for assertions (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Cell:
    tag: str
    text: str = ""
    html: str = ""
    attrs: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Table:
    attrs: dict[str, str | None]
    caption: str = ""
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)

    @property
    def header_texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.head]

    @property
    def body_texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.body]


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._stack: list[Table] = []
        self._section = ""
        self._cell: Cell | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            table = Table(dict(attrs))
            self.tables.append(table)
            self._stack.append(table)
        elif not self._stack:
            return
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            rows = self._stack[-1].head if self._section == "thead" else self._stack[-1].body
            rows.append([])
        elif tag in ("td", "th"):
            self._cell = Cell(tag, attrs=dict(attrs))
            table = self._stack[-1]
            (table.head if self._section == "thead" else table.body)[-1].append(self._cell)
        elif self._cell is not None:
            rendered = "".join(f' {k}="{v}"' for k, v in attrs)
            self._cell.html += f"<{tag}{rendered}>"

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._stack:
            self._stack.pop()
        elif tag in ("td", "th"):
            if self._cell is not None:
                self._cell.text = self._cell.text.strip()
            self._cell = None
        elif tag == "caption":
            self._in_caption = False
        elif self._cell is not None:
            self._cell.html += f"</{tag}>"

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
            self._cell.html += data
        elif self._in_caption and self._stack:
            self._stack[-1].caption += data


def tables(path: Path) -> list[Table]:
    parser = _TableParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def dftables(path: Path) -> list[Table]:
    return [t for t in tables(path) if "dftable" in (t.attrs.get("class") or "").split()]
