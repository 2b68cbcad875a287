"""What ``df-table`` and ``df-chart`` share: running the snippet and reporting on it.

Both directives run the same snippet with the same path rules, dependencies, read cache
and exact warning locations; they differ only in what they make of the DataFrame.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from docutils.parsers.rst import directives
from docutils.statemachine import StateMachine
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_dftable.config import DfTableConfig
from sphinx_dftable.data_access import READ_CACHE
from sphinx_dftable.execute import (
    CodePart,
    DataWarning,
    SnippetError,
    SnippetResult,
    SnippetRunner,
)
from sphinx_dftable.helpers import SNIPPET_NAMES

logger = logging.getLogger(__name__)

WARNING_TYPE = "dftable"


class DfTableError(SphinxError):
    category = "df-table error"


def identifier(argument: str) -> str:
    value = directives.unchanged_required(argument).strip()
    if not value.isidentifier():
        raise ValueError(f"{value!r} is not a Python identifier")
    return value


def keyword_params(argument: str) -> dict[str, Any]:
    """``a=1, name='x'``: keyword arguments with literal values."""
    text = directives.unchanged_required(argument)
    try:
        call = ast.parse(f"f({text})", mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"not keyword arguments: {text!r}") from exc
    if not isinstance(call, ast.Call) or call.args:
        raise ValueError(f"not keyword arguments: {text!r}")
    params = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError("**mappings are not accepted in :params:")
        try:
            params[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError as exc:
            raise ValueError(f"the value of {keyword.arg!r} is not a Python literal") from exc
    return params


#: Help for the options every snippet directive has, for the reference page.
SNIPPET_OPTION_HELP: dict[str, str] = {
    "df-var": "The variable that holds the DataFrame (default ``df``).",
    "df-arg": "The original directive's spelling of ``:df-var:``.",
    "file": "Run this Python file after the body (path relative to the page); the page "
    "is rebuilt when it changes.",
    "params": "Names for the snippet, as Python keyword arguments with literal values: "
    "``csv='x.csv', n=3``.",
}


class SnippetDirective(SphinxDirective):
    """A directive whose body is a pandas snippet that leaves a DataFrame behind."""

    has_content = True
    snippet_option_spec: ClassVar[dict[str, Any]] = {
        "df-var": identifier,
        "df-arg": identifier,  # the original directive's spelling, kept as an alias
        "file": directives.path,
        "params": keyword_params,
    }

    def frame_or_none(self) -> pd.DataFrame | None:
        """Run the snippet; the DataFrame it left, or None after warning why not."""
        settings = DfTableConfig.from_sphinx(self.config)
        if not settings.execute:
            self.warn("snippet not run: dftable_execute is False", None, subtype="disabled")
            return None
        try:
            result = self._run_snippet(settings)
        except SnippetError as error:
            self._note_dependencies(error.dependencies)
            self._report(error, settings)
            return None
        self._note_dependencies(result.dependencies)
        self._report_python_warnings(result)
        frame = result.frame
        if frame.shape[1] == 0 or frame.shape[0] == 0:
            self.warn(
                f"the DataFrame is empty ({frame.shape[0]} rows x {frame.shape[1]} columns); "
                f"no {self.renders} rendered",
                None,
                subtype="empty",
            )
            return None
        return frame

    #: What the directive makes of the DataFrame, for messages.
    renders = "table"

    # -- running ----------------------------------------------------------------------

    def _run_snippet(self, settings: DfTableConfig) -> SnippetResult:
        source, _line = self.get_source_info()
        base_dir = absolute(source).parent if source else Path(self.env.srcdir)
        parts: list[CodePart] = []
        if self.content:
            locations = self._content_locations()
            parts.append(
                CodePart(
                    "\n".join(self.content),
                    f"<{self.name} {self.env.docname}:{self.lineno}>",
                    locations,
                )
            )
        if "file" in self.options:
            path = Path(os.path.normpath(base_dir / self.options["file"]))
            # A dependency even when unreadable: the page is re-read once it is fixed.
            self._note_dependencies([path])
            try:
                code = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SnippetError(f"cannot read snippet file {path}: {exc}") from exc
            n_lines = max(code.count("\n") + 1, 1)
            parts.append(CodePart(code, str(path), [(str(path), i + 1) for i in range(n_lines)]))
        if all(not part.code.strip() for part in parts):
            raise SnippetError("no snippet: the directive has no body and no :file:")
        if settings.setup_code.strip():
            parts.insert(0, CodePart(settings.setup_code, "<dftable_setup_code>"))
        cache = READ_CACHE if settings.cache_size > 0 else None
        if cache is not None:
            cache.max_entries = settings.cache_size
        runner = SnippetRunner(
            timeout=settings.timeout or None, cache=cache, extra_names=SNIPPET_NAMES
        )
        df_var = self.options.get("df-var") or self.options.get("df-arg") or "df"
        return runner.run(
            parts, base_dir=base_dir, df_var=df_var, params=self.options.get("params")
        )

    def _content_locations(self) -> list[tuple[str, int]]:
        """(file, line) of each body line, also inside ``.. include::`` and in MyST."""
        if isinstance(self.state_machine, StateMachine):
            # reST: content_offset is the 0-based input offset of the first body line;
            # get_source_and_line takes 1-based input line numbers.
            first = self.content_offset + 1
        else:
            # MyST's mock state machine: the offset counts from the directive's own line.
            first = self.lineno + self.content_offset + 1
        get = self.state_machine.get_source_and_line
        located = (get(first + i) for i in range(len(self.content)))
        return [(str(src), int(line or 0) + self._lines_cut(src)) for src, line in located]

    def _lines_cut(self, source: object) -> int:
        """Lines an ``.. include::`` with ``:start-line:`` cut from the top of ``source``.

        docutils numbers included lines from the first one it kept (a known docutils TODO).
        The include log holds the inclusions in progress, innermost last.
        """
        for included, clip in reversed(getattr(self.state.document, "include_log", [])):
            if str(included) == str(source):
                return int(clip[0] or 0)
        return 0

    def _note_dependencies(self, paths: list[Path]) -> None:
        for path in paths:
            self.env.note_dependency(str(path))

    # -- reporting --------------------------------------------------------------------

    def option_location(self, option: str) -> tuple[str, int] | None:
        """Where ``:option:`` is written, for warnings about its value (None: not found)."""
        source, line = self.get_source_info()
        if not source or not line:
            return None
        marker = f":{option}:"
        for offset, text in enumerate(self.block_text.splitlines()):
            if text.strip().startswith(marker):
                return source, line + offset + self._lines_cut(source)
        if not isinstance(self.state_machine, StateMachine):
            # MyST-Parser < 2 passes the body alone as block_text: the options are in the
            # source, between the directive's own line and its body.
            try:
                lines = Path(source).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                return None
            first = line + self._lines_cut(source)
            for offset, text in enumerate(lines[first - 1 : first + self.content_offset]):
                if text.strip().startswith(marker):
                    return source, first + offset
        return None

    def _location(self, location: tuple[str, int] | None) -> str:
        if location is None:
            source, line = self.get_source_info()
            if not source or not line:
                return self.get_location()
            location = (source, line + self._lines_cut(source))
        source, line = location
        # docutils gives included files' paths relative to the working directory.
        return f"{absolute(source)}:{line}"

    def warn(
        self,
        message: str,
        location: tuple[str, int] | None,
        *,
        subtype: str = "exec",
    ) -> None:
        logger.warning(
            "%s: %s",
            self.name,
            message,
            location=self._location(location),
            type=WARNING_TYPE,
            subtype=subtype,
        )

    def _report(self, error: SnippetError, settings: DfTableConfig) -> None:
        message = error.message
        if settings.show_traceback and error.traceback_text:
            message = f"{message}\n{error.traceback_text.rstrip()}"
        if settings.raise_on_error:
            raise DfTableError(f"{self._location(error.location)}: {self.name}: {message}")
        self.warn(message, error.location)

    def _report_python_warnings(self, result: SnippetResult) -> None:
        for found in result.warnings:
            text = f"{found.category.__name__}: {found.message}"
            if issubclass(found.category, DataWarning):
                self.warn(text, found.location, subtype="data")
            elif issubclass(
                found.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
            ):
                # Pages written for the original directive use APIs pandas has since
                # deprecated; say so without failing their -W builds.
                logger.info("%s: %s", self.name, text, location=self._location(found.location))
            else:
                self.warn(text, found.location, subtype="pywarning")


def absolute(path: str) -> Path:
    """An absolute, normalised path without resolving links (as Sphinx prints sources)."""
    return Path(os.path.normpath(Path(path).absolute()))
