"""A figure printed as SVG bytes, as matplotlib's SVG canvas prints it, with less waste.

``FigureCanvasSVG.print_svg`` does the same steps (the figure at 72 dpi, a
``MixedModeRenderer`` around a ``RendererSVG``, draw, finalize), with two costs that a
build drawing many charts pays again and again:

- Text metrics are cached per renderer, and each file gets a new renderer, so every
  tick label, axis label and title of every file is measured again (the narrow
  rendition's texts are the wide one's). Here they are kept for the process, keyed as
  matplotlib keys its own cache (the text and a copy of its font properties). They do
  not depend on the renderer: the SVG renderer measures with a ``TextToPath``, in points.
- Into a bytes buffer, each of the writer's thousands of small writes is encoded on its
  own; here the text is written to a text buffer and encoded once.

The bytes are the same as ``print_svg``'s (``tests/test_svg_print.py`` compares them).
"""

from __future__ import annotations

import functools
import io
from typing import Any

from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path


def print_svg(figure: Figure, metadata: dict[str, Any]) -> bytes:
    """``figure`` as an SVG file's bytes (``metadata`` as for ``print_svg``)."""
    text = io.StringIO()
    image_dpi = figure.dpi
    figure.dpi = 72  # SVG's own unit: what print_svg does too
    width, height = figure.get_size_inches()
    svg = _Renderer(width * 72, height * 72, text, image_dpi=image_dpi, metadata=metadata)  # type: ignore[no-untyped-call]
    # It stands in for the SVG renderer (it passes on what it does not do itself).
    renderer: Any = MixedModeRenderer(figure, width, height, image_dpi, svg)  # type: ignore[no-untyped-call]
    figure.draw(renderer)
    renderer.finalize()
    return text.getvalue().encode("utf-8")


class _Renderer(RendererSVG):
    """matplotlib's SVG renderer, its text metrics kept from one file to the next."""

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        if ismath:  # mathtext and TeX: as matplotlib measures them
            return super().get_text_width_height_descent(s, prop, ismath)  # type: ignore[no-untyped-call,no-any-return]
        # A copy: the caller may change its font properties in place later.
        return _measured(s, prop.copy())


@functools.lru_cache(maxsize=8192)
def _measured(s: str, prop: FontProperties) -> tuple[float, float, float]:
    return text_to_path.get_text_width_height_descent(s, prop, ismath=False)
