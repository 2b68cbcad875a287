"""The files a chart is drawn as, and drawing one: in the build's process or in a worker.

No Sphinx here, and matplotlib only inside :func:`draw_files`, so that a worker process
(see :mod:`sphinx_dftable.chart.painter`) imports nothing it does not need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_dftable.atomic_write import write_atomic
from sphinx_dftable.chart.compare_data import load
from sphinx_dftable.chart.data import Rendition
from sphinx_dftable.chart.spec import ImageFormat

#: Where drawn files are kept, inside the doctree directory.
CACHE_DIR = "dftable-charts"


@dataclass(frozen=True)
class Drawing:
    """One file of one chart."""

    digest: str
    image_format: ImageFormat
    rendition: Rendition = "wide"

    @property
    def stem(self) -> str:
        suffix = "-narrow" if self.rendition == "narrow" else ""
        return f"dftable-chart-{self.digest}{suffix}"

    @property
    def file_name(self) -> str:
        return f"{self.stem}.{self.image_format}"

    def cache_path(self, doctreedir: str | Path) -> Path:
        # Not named .svg or .pdf: when the doctrees sit inside the output directory, the
        # epub builder would pack anything with a known media type into the book.
        return Path(doctreedir) / CACHE_DIR / f"{self.file_name}.cache"


def drawings_for(builder_format: str, digest: str, chart: dict[str, Any]) -> list[Drawing]:
    """The files a builder of ``builder_format`` shows for a chart (none: text only)."""
    if builder_format == "html":
        found = [Drawing(digest, "svg")]
        if load(chart).has_narrow():
            found.append(Drawing(digest, "svg", "narrow"))
        return found
    if builder_format == "latex":
        return [Drawing(digest, "pdf")]
    return []


def draw_files(chart: dict[str, Any], drawings: Sequence[Drawing], paths: Sequence[str]) -> None:
    """Draw ``chart`` as each of ``drawings`` (of one format) into ``paths`` (atomically).

    One job for all of a chart's files: its renditions are drawn from one figure.
    """
    # Imported here: only a process that draws pays for importing matplotlib.
    from sphinx_dftable.chart import draw

    formats = {d.image_format for d in drawings}
    if len(formats) != 1:
        raise ValueError(f"one image format at a time, not {sorted(formats)}")
    drawn = draw.render_all(load(chart), formats.pop(), [d.rendition for d in drawings])
    for drawing, path in zip(drawings, paths, strict=True):
        write_atomic(Path(path), drawn[drawing.rendition], durable=False)
