"""Render a Jinja template and say which template line each output line came from.

Jinja keeps no map from output to template lines, only one from its compiled Python code
to template lines (what it rewrites tracebacks with). A template renders as a generator
yielding one piece of text at a time; when a piece is yielded, the generator (or, for an
``{% include %}`` or a block, the innermost one it delegates to) is paused at the line of
compiled code that yielded it, and that line's template line is where the piece starts.
A piece of the template's own text runs on over its newlines, so its later lines are
counted from there; the output of an ``{{ expression }}`` stays on the expression's line
however many lines it has, and is kept as one of the values that fed that output line.
"""

from __future__ import annotations

import bisect
import inspect
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

#: How far below its compiled-code line a piece of template text may start (a tag that
#: runs over several lines, like ``{% set x = {...} %}``, maps to its first line).
_TAG_LINES = 20


@dataclass
class Origin:
    """Where an output line starts: a template (None: rendered from a string) and line."""

    template: str | None
    line: int
    #: Output of the ``{{ expressions }}`` on this line, as rendered.
    values: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Source:
    lines: list[str]
    text: str
    starts: list[int]  # offset of each line's first character

    @classmethod
    def of(cls, text: str) -> _Source:
        starts = [0]
        starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
        return cls(text.splitlines(), text, starts)

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def find(self, piece: str, line: int, cursor: int) -> int | None:
        """The offset where ``piece`` of template text starts, on or just below ``line``.

        Text after a closing tag (``{% endfor %}``) has no line of its own in Jinja's map
        and gets the line before the tag: so it is looked for first after ``cursor``, the
        end of the text placed last, then from ``line`` on.
        """
        begin = self.starts[min(max(line, 1), len(self.starts)) - 1]
        below = _TAG_LINES if "\n" in piece else 0
        for start in (cursor, begin) if cursor > begin else (begin,):
            found = self.text.find(piece, start)
            if found >= 0 and 0 <= self.line_at(found) - line <= below:
                return found
        return None


class _Tracer:
    """Collects the origin of each output line as the pieces of output arrive."""

    def __init__(self, environment: jinja2.Environment, main: jinja2.Template, text: str):
        self.environment = environment
        self.sources: dict[str | None, _Source | None] = {main.name: _Source.of(text)}
        self.origins: list[Origin] = []
        self.at_line_start = True
        #: Per template, the end of the text placed last.
        self.cursors: dict[str | None, int] = {}

    def source(self, template: jinja2.Template) -> _Source | None:
        if template.name not in self.sources:
            loader = self.environment.loader
            try:
                text = (
                    loader.get_source(self.environment, template.name)[0]
                    if loader and template.name
                    else None
                )
            except jinja2.TemplateNotFound:
                text = None
            self.sources[template.name] = _Source.of(text) if text is not None else None
        return self.sources[template.name]

    def add(self, piece: str, template: jinja2.Template | None, line: int) -> None:
        """Place ``piece``, yielded at template ``line``, one output line at a time."""
        # A template from a string (the directive's body) has no file: None.
        name = template.filename if template is not None and template.name else None
        key = template.name if template is not None else None
        source = self.source(template) if template is not None else None
        start = None
        if source is not None:
            start = source.find(piece, line, self.cursors.get(key, 0))
            if start is not None:
                self.cursors[key] = start + len(piece)
        offset = 0
        for segment in piece.splitlines(keepends=True):
            if start is None:  # an expression's output: it all stays on its line
                self._write(name, line, piece)
            else:
                assert source is not None
                self._write(name, source.line_at(start + offset), None)
            offset += len(segment)
            if len(segment.splitlines()[0]) != len(segment):  # the segment ends a line
                self.at_line_start = True

    def _write(self, name: str | None, line: int, value: str | None) -> None:
        if self.at_line_start:
            self.origins.append(Origin(name, line))
            self.at_line_start = False
        if value is not None:
            self.origins[-1].values.append(value)


def render_traced(
    template: jinja2.Template, context: Mapping[str, Any], text: str
) -> tuple[str, list[Origin]]:
    """``template.render(context)`` and the origin of each line of its ``splitlines()``.

    ``text`` is the template's source, which places its pieces of text.
    """
    environment = template.environment
    tracer = _Tracer(environment, template, text)
    pieces: list[str] = []
    render = template.root_render_func(template.new_context(dict(context)))
    try:
        for piece in render:
            frame = _yielding_frame(render, piece)
            source = frame.f_globals.get("__jinja_template__") if frame else None
            if frame is not None and isinstance(source, jinja2.Template):
                tracer.add(str(piece), source, source.get_corresponding_lineno(frame.f_lineno))
            else:
                tracer.add(str(piece), None, 1)
            pieces.append(piece)
    except Exception:
        environment.handle_exception()  # as Template.render does: template lines shown
    output: str = environment.concat(pieces)
    return output, tracer.origins


def _yielding_frame(generator: Any, piece: object) -> types.FrameType | None:
    """The frame of the innermost generator that ``generator`` passed ``piece`` on from.

    Blocks pass their output on with ``yield from``; an ``{% include %}`` with
    ``for event in gen: yield event``.
    """
    frame = None
    while generator is not None and generator.gi_frame is not None:
        frame = generator.gi_frame
        inner = generator.gi_yieldfrom
        if inner is None:
            names = frame.f_locals
            if names.get("event") is piece and inspect.isgenerator(names.get("gen")):
                inner = names["gen"]
        generator = inner
    return frame
