"""df-tables in pages that ``sphinxcontrib-datatemplates`` generates from a template and data.

A ``datatemplate:yaml`` directive renders a Jinja template with the data file and parses
the result as reST, every generated line claiming to be line 1 of the data file's name as
written in the directive. A warning in a generated df-table would then name a line of the
data file that says something else. So while a datatemplate directive runs, its template
is rendered with :func:`render_traced` (the same text, plus which template line each
generated line came from and which values were put into it), and the rendering is kept
on a stack in ``env.temp_data`` for the df-tables in it.

A warning is then placed where its author can fix it: at the template line for an error in
the template's code; at the data block in the data file when the data is the cause: a
key the snippet looks up is missing from the data put into it, though the data file has
it elsewhere (a model without the ``batch`` the others have).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dftable.snippet.template_trace import Origin, render_traced

if TYPE_CHECKING:
    from docutils.nodes import Node
    from docutils.parsers.rst import Directive
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: ``env.temp_data`` key of the renderings in progress, innermost last.
STACK_KEY = "dftable_datatemplate_renderings"
DOMAIN = "datatemplate"


@dataclass
class Rendering:
    """One datatemplate directive's rendering, as the df-tables in it need it."""

    #: What every generated line names as its source: the data source as written.
    source: str
    #: The data file (None for ``datatemplate:nodata`` and ``import-module``).
    data_path: Path | None
    #: The datatemplate directive in its page, and the directive's name.
    page: tuple[str, int]
    directive: str
    #: The template's name (``:template:``), or None when the directive's body is it.
    template: str | None
    #: Page locations of the lines of a template that is the directive's body.
    body_locations: list[tuple[str, int]] = field(default_factory=list)
    data: Any = None
    #: The generated lines and where each came from; None until rendered (or when the
    #: template bridge is not Jinja's and the rendering could not be traced).
    lines: list[str] | None = None
    origins: list[Origin] = field(default_factory=list)
    template_lines: dict[str, int] = field(default_factory=dict)
    #: (location, message) of the warnings given in it, each given once.
    reported: set[tuple[str, str]] = field(default_factory=set)

    def generated(self, first: int, texts: Sequence[str]) -> bool:
        """Whether ``texts`` are the generated lines from 0-based ``first`` on."""
        if self.lines is None or first < 0 or first + len(texts) > len(self.lines):
            return False
        return all(self.lines[first + i].strip() == text.strip() for i, text in enumerate(texts))

    def location(self, index: int) -> tuple[str, int]:
        """The template (or page) line that generated line ``index`` (0-based) came from."""
        if self.lines is None or not 0 <= index < len(self.origins):
            return self.page
        origin = self.origins[index]
        if origin.template is None:  # the directive's body is the template
            if not self.body_locations:
                return self.page
            return self.body_locations[min(max(origin.line, 1), len(self.body_locations)) - 1]
        last = self.template_lines.get(origin.template)
        line = min(max(origin.line, 1), last) if last else origin.line
        return origin.template, line

    def values(self, indexes: Sequence[int]) -> list[Any]:
        """The data put into the generated lines ``indexes``: each JSON value, decoded."""
        found: list[Any] = []
        for index in indexes:
            if not 0 <= index < len(self.origins):
                continue
            for text in self.origins[index].values:
                try:
                    value = json.loads(text)
                except ValueError:
                    continue
                if isinstance(value, (dict, list)) and value not in found:
                    found.append(value)
        return found


def renderings(env: BuildEnvironment) -> list[Rendering]:
    stack = env.temp_data.setdefault(STACK_KEY, [])
    assert isinstance(stack, list)
    return stack


def rendering_for(
    env: BuildEnvironment, source: object, first: int, texts: Sequence[str]
) -> Rendering | None:
    """The rendering that generated ``texts`` (from 0-based line ``first``), if any."""
    for rendering in reversed(renderings(env)):
        if str(source) == rendering.source and rendering.generated(first, texts):
            return rendering
    return None


# -- blaming the data ----------------------------------------------------------------------


def data_block(rendering: Rendering, indexes: Sequence[int], missing: Sequence[object]) -> Any:
    """The value put into lines ``indexes`` that lacks a key of ``missing`` the data has.

    None when no such value: the snippet's code asks for something the data never has.
    """
    keys = set(_keys(rendering.data))
    wanted = [key for key in missing if isinstance(key, str) and key in keys]
    for value in rendering.values(indexes):
        if any(key not in set(_keys(value)) for key in wanted):
            return value
    return None


def data_line(rendering: Rendering, value: Any) -> int | None:
    """The line of the data file where ``value`` is written (YAML files only)."""
    path = rendering.data_path
    if path is None or path.suffix.lower() not in {".yaml", ".yml"}:
        return None
    try:
        import yaml  # type: ignore[import-untyped]  # datatemplates requires PyYAML

        loader = yaml.SafeLoader(path.read_text(encoding="utf-8-sig"))
    except (ImportError, OSError, UnicodeDecodeError):
        return None
    try:
        while loader.check_node():
            for node in _nodes(loader.get_node()):
                if loader.construct_object(node, deep=True) == value:
                    return int(node.start_mark.line) + 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _keys(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _nodes(node: Any) -> Iterator[Any]:
    """A YAML node and those in it, outermost first, mappings and sequences only."""
    pending = [node]
    while pending:
        node = pending.pop(0)
        if node.id == "mapping":
            yield node
            pending.extend(item for pair in node.value for item in pair)
        elif node.id == "sequence":
            yield node
            pending.extend(node.value)


# -- tracing the datatemplate directives ---------------------------------------------------


def _traced_run(
    app: Sphinx, directive: Directive, run: Callable[[], Sequence[Node]]
) -> Sequence[Node]:
    """Run a datatemplate directive with its rendering traced and on the stack."""
    from sphinxcontrib.datatemplates import (  # type: ignore[import-untyped]
        directive as datatemplates,
    )

    state_machine = directive.state_machine
    env: BuildEnvironment = directive.state.document.settings.env
    options = directive.options
    source = options.get("source") or (directive.arguments[0] if directive.arguments else "")
    template = options.get("template")
    rendering = Rendering(
        source=str(source),
        data_path=Path(env.relfn2path(source)[1]) if source else None,
        page=_page_location(state_machine.get_source_and_line(directive.lineno)),
        directive=directive.name,
        template=str(template) if template else None,
    )
    if not template:
        first = directive.content_offset + 1
        rendering.body_locations = [
            _page_location(state_machine.get_source_and_line(first + i))
            for i in range(len(directive.content))
        ]
    templates = datatemplates._templates(app.builder)
    restore = _trace_renders(templates, rendering)
    stack = renderings(env)
    stack.append(rendering)
    try:
        return run()
    finally:
        stack.remove(rendering)
        restore()


def _trace_renders(templates: Any, rendering: Rendering) -> Callable[[], None]:
    """Make ``templates.render`` and ``render_string`` trace into ``rendering``, for now.

    Returns what undoes it. A template bridge without a Jinja environment is left as it is.
    """
    import jinja2

    environment = getattr(templates, "environment", None)
    if not isinstance(environment, jinja2.Environment):
        return lambda: None

    def traced(template: jinja2.Template, text: str, context: dict[str, Any]) -> str:
        output, origins = render_traced(template, context, text)
        rendering.data = context.get("data")
        rendering.lines = output.splitlines()
        rendering.origins = origins
        if template.filename:
            rendering.template_lines[template.filename] = max(len(text.splitlines()), 1)
        return output

    def render(name: str, context: dict[str, Any]) -> str:
        template = environment.get_template(name)
        loader = environment.loader
        text = loader.get_source(environment, name)[0] if loader else ""
        return traced(template, text, context)

    def render_string(text: str, context: dict[str, Any]) -> str:
        return traced(environment.from_string(text), text, context)

    own = vars(templates)
    saved = {name: own[name] for name in ("render", "render_string") if name in own}
    templates.render, templates.render_string = render, render_string

    def restore() -> None:
        for name in ("render", "render_string"):
            if name in saved:
                setattr(templates, name, saved[name])
            else:
                delattr(templates, name)

    return restore


def _page_location(found: tuple[object, object]) -> tuple[str, int]:
    source, line = found
    # docutils gives included files' paths relative to the working directory
    return os.path.normpath(Path(str(source)).absolute()), int(str(line or 1))


def _traced_class(app: Sphinx, directive_class: type[Directive]) -> type[Directive]:
    def run(self: Directive) -> Sequence[Node]:
        return _traced_run(app, self, lambda: directive_class.run(self))

    return type(
        directive_class.__name__,
        (directive_class,),
        {"run": run, "__doc__": directive_class.__doc__},
    )


def trace_datatemplates(app: Sphinx, config: Config) -> None:
    """Put traced subclasses in place of datatemplates' directives, if it is loaded."""
    domain = app.registry.domains.get(DOMAIN)
    if domain is None:
        return
    for name, directive_class in domain.directives.items():
        app.add_directive_to_domain(
            DOMAIN, name, _traced_class(app, directive_class), override=True
        )
    from docutils.parsers.rst import directives

    legacy = directives._directives.get(DOMAIN)  # type: ignore[attr-defined]  # the domain-less ``.. datatemplate::``
    if isinstance(legacy, type):
        app.add_directive(DOMAIN, _traced_class(app, legacy), override=True)
