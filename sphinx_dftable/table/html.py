"""HTML for :class:`~sphinx_dftable.table.nodes.dftable_body`, written in one pass.

The markup equals what Sphinx's HTML5 translator writes for the standard ``tbody`` the
node stands for (a test builds both and compares), so themes style it the same; cells
whose shown text differs from their value (a display format, typographic quotes) also
carry the value as ``data-sort-value`` for the sortable-table script.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_dftable.atomic_write import write_atomic
from sphinx_dftable.table.marks_html import write_cell as write_marked_cell
from sphinx_dftable.table.nodes import dftable_body, dftable_download

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


def visit_dftable_body_html(self: HTML5Translator, node: dftable_body) -> None:
    tgroup = node.parent
    stubs: list[bool] = [bool(s) for s in getattr(tgroup, "stubs", [])]
    ncols = node.ncols
    stubs += [False] * (ncols - len(stubs))
    sortkeys: list[list[str | None] | None] = node.get("sortkeys") or [None] * ncols
    opening = []
    for c in range(ncols):
        tag = "th" if stubs[c] else "td"
        opening.append(f'<{tag} class="stub"' if stubs[c] else f"<{tag}")
    closing = ["</th>\n" if stub else "</td>\n" for stub in stubs]
    markup = node.markup_entries()
    marks = node.marks
    encode = self.encode
    out: list[str] = [self.starttag(node, "tbody")]
    row_index = self._table_row_indices
    for r, row in enumerate(node.rows):
        row_index[-1] += 1
        out.append('<tr class="row-even">' if row_index[-1] % 2 == 0 else '<tr class="row-odd">')
        base = r * ncols
        for c, text in enumerate(row):
            keys = sortkeys[c]
            key = None if keys is None else keys[r]
            attr = ">" if key is None else f' data-sort-value="{encode(key)}">'
            mark = marks.get(base + c) if marks else None
            if mark is not None:  # a comparison's change, a highlight: see marks_html
                entry, value = markup.get(base + c), text if key is None else key
                out = write_marked_cell(self, out, stubs[c], mark, value, text, entry)
                continue
            entry = markup.get(base + c)
            if entry is not None:
                out.append(opening[c] + attr)
                self.body.extend(out)
                out = []
                for child in entry.children:
                    child.walkabout(self)
                out.append(closing[c])
            elif text:
                out.append(f"{opening[c]}{attr}<p>{encode(text)}</p>{closing[c]}")
            else:
                out.append(f"{opening[c]}{attr}{closing[c]}")
        out.append("</tr>\n")
    out.append("</tbody>\n")
    self.body.extend(out)
    raise nodes.SkipNode


def depart_dftable_body_html(self: HTML5Translator, node: dftable_body) -> None:
    pass  # visit raises SkipNode


def visit_dftable_download_html(self: HTML5Translator, node: dftable_download) -> None:
    text: str = node["csv"]
    # Content-addressed, so parallel writers and rebuilds never clash or leave stale files.
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    relative = f"dftable/{digest}/{node['filename']}"
    target = Path(self.builder.outdir) / "_downloads" / relative
    if not target.exists():
        write_atomic(target, text, durable=False)
    href = posixpath.join(self.builder.dlpath, relative)
    name = self.encode(node["filename"])
    self.body.append(
        f'<p class="dftable-download"><a class="reference download" href="{self.encode(href)}"'
        f' download="{name}">Download the data ({name})</a></p>\n'
    )
    raise nodes.SkipNode


def depart_dftable_download_html(self: HTML5Translator, node: dftable_download) -> None:
    pass  # visit raises SkipNode
