"""What ``df-table`` and ``df-chart`` share: running the snippet and reporting on it.

Both directives run the same snippet with the same path rules, dependencies, read cache
and exact warning locations; they differ only in what they make of the DataFrame.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.statemachine import StateMachine
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_dftable.config import DfTableConfig, settings
from sphinx_dftable.options import SNIPPET_OPTIONS, Option
from sphinx_dftable.warnings_ import Subtype, warn

if TYPE_CHECKING:
    # pandas is imported when a snippet runs, not when the extension is loaded: a build
    # that re-reads no page never pays for it.
    import pandas as pd

    from sphinx_dftable.comparison.baseline import Baseline
    from sphinx_dftable.comparison.changes import Comparison
    from sphinx_dftable.comparison.spec import BaselineSpec, Metric
    from sphinx_dftable.snippet.datatemplates import Rendering
    from sphinx_dftable.snippet.execute import SnippetError, SnippetResult

logger = logging.getLogger(__name__)


class DfTableError(SphinxError):
    category = "df-table error"


class SnippetDirective(SphinxDirective):
    """A directive whose body is a pandas snippet that leaves a DataFrame behind."""

    has_content = True
    optional_arguments = 1  # a title (the table's caption, the chart's title)
    final_argument_whitespace = True
    #: The options every snippet directive takes (``:df-arg:`` is the original's spelling).
    snippet_options: ClassVar[tuple[Option, ...]] = SNIPPET_OPTIONS

    @property
    def settings(self) -> DfTableConfig:
        return settings(self.config)

    def frame_or_none(self) -> pd.DataFrame | None:
        """Run the snippet; the DataFrame it left, or None after warning why not."""
        from sphinx_dftable.snippet.execute import SnippetError

        if not self.settings.execute:
            self.warn("snippet not run: dftable_execute is False", None, Subtype.DISABLED)
            return None
        try:
            result = self._run_snippet(self.settings)
        except SnippetError as error:
            self._note_dependencies(error.dependencies)
            self._report(error, self.settings)
            return None
        self._note_dependencies(result.dependencies)
        self.read_files = tuple(result.dependencies)
        self._report_python_warnings(result)
        frame = result.frame
        if frame.shape[1] == 0 or frame.shape[0] == 0:
            self.warn(
                f"the DataFrame is empty ({frame.shape[0]} rows x {frame.shape[1]} columns); "
                f"no {self.renders} rendered",
                None,
                Subtype.EMPTY,
            )
            return None
        return frame

    #: What the directive makes of the DataFrame, for messages.
    renders = "table"

    #: The files the snippet read, once it ran (``:sources:`` lists them).
    read_files: tuple[Path, ...] = ()

    def sources_note(self) -> list[nodes.Node]:
        """``:sources:``: the files the snippet read, to put under the table or chart."""
        from sphinx_dftable.snippet.sources import sources_note

        return sources_note(self, self.read_files)

    @property
    def snippet_file_path(self) -> str | None:
        """The ``:file:`` snippet's path, once the snippet has run."""
        return self._snippet_file

    def baseline_frame_or_none(self) -> tuple[pd.DataFrame, Baseline] | None:
        """With ``:compare:``, the snippet run again on the earlier files; None after warning.

        Every problem is reported at the ``:compare:`` line: what is wrong is the earlier
        state (a revision, a file missing in it, a snippet that no longer fits it), not
        the snippet as the reader sees it.
        """
        from sphinx_dftable.comparison.baseline import Baseline, BaselineError
        from sphinx_dftable.snippet.baselines import note as note_baseline
        from sphinx_dftable.snippet.execute import SnippetError

        spec: BaselineSpec | None = self.options.get("compare")
        if spec is None or not self.settings.execute:
            return None
        where = self.option_location("compare")
        try:
            baseline = Baseline(spec, self._base_dir())
            result = self._run_snippet(self.settings, baseline)
        except BaselineError as error:
            self.warn(f"cannot compare with {spec}: {error}", where, Subtype.COMPARE)
            return None
        except SnippetError as error:
            self._note_dependencies(error.dependencies)
            cause = error.__cause__
            message = str(cause) if isinstance(cause, BaselineError) else error.message
            self.warn(f"cannot compare with {spec}: {message}", where, Subtype.COMPARE)
            return None
        self._note_dependencies(result.dependencies)
        revision = baseline.revision
        if revision is not None:  # a branch that moves makes the page outdated
            note_baseline(self.env, revision.root, revision.name, revision.commit)
        if result.frame.shape[0] == 0:
            self.warn(f"the snippet gives no rows at {baseline}", where, Subtype.COMPARE)
            return None
        return result.frame, baseline

    def comparison_or_none(
        self, frame: pd.DataFrame, metrics: Sequence[Metric]
    ) -> tuple[Comparison, Baseline] | None:
        """``frame`` compared with the baseline on ``:keys:`` and ``:noise:``; None after
        warning (at the line of the option to fix) when it cannot be."""
        from sphinx_dftable.comparison.changes import ComparisonError, compare_frames
        from sphinx_dftable.comparison.spec import DEFAULT_NOISE_PERCENT

        found = self.baseline_frame_or_none()
        if found is None:
            return None
        before, baseline = found
        keys = self.options.get("keys")
        noise = self.options.get("noise", DEFAULT_NOISE_PERCENT)
        name = "the table" if self.renders == "table" else f"the {self.renders}'s data"
        try:
            comparison = compare_frames(frame, before, metrics, keys, noise, current_name=name)
        except ComparisonError as error:
            where = self.option_location(error.option)
            self.warn(f"cannot compare with {baseline.spec}: {error}", where, Subtype.COMPARE)
            return None
        return comparison, baseline

    # -- running ----------------------------------------------------------------------

    def _base_dir(self) -> Path:
        """The directory the snippet's relative paths start from."""
        source, _line = self.get_source_info()
        if self.rendering is not None or not source:
            # generated text names the data file as its source: paths are the page's
            return Path(self.env.doc2path(self.env.docname)).parent
        return absolute(source).parent

    def _run_snippet(
        self, settings: DfTableConfig, baseline: Baseline | None = None
    ) -> SnippetResult:
        from sphinx_dftable.snippet.execute import CodePart, SnippetError, SnippetRunner
        from sphinx_dftable.snippet.names import SNIPPET_NAMES
        from sphinx_dftable.snippet.read_cache import READ_CACHE

        base_dir = self._base_dir()
        parts: list[CodePart] = []
        if self.content:
            locations = self._content_locations()
            parts.append(
                CodePart(
                    "\n".join(self.content),
                    self._body_label,
                    locations,
                )
            )
        if "file" in self.options:
            path = Path(os.path.normpath(base_dir / self.options["file"]))
            self._snippet_file = str(path)
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
        cache = READ_CACHE if settings.cache_size > 0 else None  # sized at config-inited
        runner = SnippetRunner(
            timeout=settings.timeout or None, cache=cache, extra_names=SNIPPET_NAMES
        )
        df_var = self.options.get("df-var") or self.options.get("df-arg") or "df"
        return runner.run(
            parts,
            base_dir=base_dir,
            df_var=df_var,
            params=self.options.get("params"),
            baseline=baseline,
        )

    @property
    def _body_label(self) -> str:
        return f"<{self.name} {self.env.docname}:{self.lineno}>"

    #: The ``:file:`` snippet's path, once the snippet has run.
    _snippet_file: str | None = None

    @property
    def rendering(self) -> Rendering | None:
        """The datatemplates rendering this directive's text was generated by, if any."""
        if "_rendering" not in self.__dict__:
            from sphinx_dftable.snippet.datatemplates import rendering_for

            source = self.get_source_info()[0]
            found = None
            if isinstance(self.state_machine, StateMachine):
                # Generated lines all say "line 1", but the state machine still counts
                # them: the directive is at generated line ``lineno``.
                texts = list(self.content) or [self.block_text.splitlines()[0]]
                first = self.content_offset if self.content else self.lineno - 1
                found = rendering_for(self.env, source, first, texts)
            self.__dict__["_rendering"] = found
        rendering: Rendering | None = self.__dict__["_rendering"]
        return rendering

    def _content_locations(self) -> list[tuple[str, int]]:
        """(file, line) of each body line, also inside ``.. include::`` and in MyST."""
        if self.rendering is not None:
            first = self.content_offset
            return [self.rendering.location(first + i) for i in range(len(self.content))]
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
                if self.rendering is not None:
                    return self.rendering.location(self.lineno - 1 + offset)
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
            location = self._directive_location()
            if location is None:
                return self.get_location()
        source, line = location
        # docutils gives included files' paths relative to the working directory.
        return f"{absolute(source)}:{line}"

    def _directive_location(self) -> tuple[str, int] | None:
        if self.rendering is not None:
            return self.rendering.location(self.lineno - 1)
        source, line = self.get_source_info()
        if not source or not line:
            return None
        return source, line + self._lines_cut(source)

    def _ran_from(self, location: tuple[str, int] | None) -> str:
        """`` (run by page.rst:40 with dataset='x')``: what ran the snippet, when a warning
        is in a file that other pages run too (a ``:file:``, a template); else ``""``."""
        clauses = []
        if location is not None and location[0] == self._snippet_file:
            directive = self._directive_location()
            ran_by = f"run by {self._shown(directive)}" if directive else "run"
            params = self.options.get("params") or {}
            if params:
                ran_by += " with " + ", ".join(f"{k}={v!r}" for k, v in params.items())
            clauses.append(ran_by)
        rendering = self.rendering
        if rendering is not None:
            path = rendering.data_path
            data = f" with {self._shown((str(path), 0))}" if path else ""
            clauses.append(f"rendered by {self._shown(rendering.page)}{data}")
        return f" ({', '.join(clauses)})" if clauses else ""

    def _shown(self, location: tuple[str, int]) -> str:
        """A location as a reader finds it: relative to the project, ``:line`` if known."""
        path = absolute(location[0])
        with contextlib.suppress(ValueError):
            path = path.relative_to(absolute(str(self.env.srcdir)))
        return f"{path.as_posix()}:{location[1]}" if location[1] else path.as_posix()

    def warn(
        self,
        message: str,
        location: tuple[str, int] | None,
        subtype: Subtype = Subtype.EXEC,
    ) -> None:
        """A build warning at ``location`` (a snippet line), or at the directive."""
        self._emit(subtype, self._location(location), message, self._ran_from(location))

    def _emit(self, subtype: Subtype, where: str, message: str, context: str) -> None:
        rendering = self.rendering
        if rendering is not None:
            # A template renders the same snippet once per data block: one warning will do.
            if (where, message) in rendering.reported:
                return
            rendering.reported.add((where, message))
        warn("%s: %s%s", subtype, where, self.name, message, context)

    def _report(self, error: SnippetError, settings: DfTableConfig) -> None:
        message = error.message
        where, context = self._location(error.location), self._ran_from(error.location)
        blamed = self._blamed_data(error)
        if blamed is not None:
            where, context = blamed
        if settings.show_traceback and error.traceback_text:
            message = f"{message}\n{error.traceback_text.rstrip()}"
        if settings.raise_on_error:
            raise DfTableError(f"{where}: {self.name}: {message}{context}")
        self._emit(Subtype.EXEC, where, message, context)

    def _blamed_data(self, error: SnippetError) -> tuple[str, str] | None:
        """(where, context) in the data file, when data put into the snippet caused ``error``.

        That is a KeyError (or a missing column) for a key that the data put into this
        snippet lacks though the data file has it elsewhere.
        """
        from sphinx_dftable.snippet.columns import missing_columns
        from sphinx_dftable.snippet.datatemplates import data_block, data_line

        rendering = self.rendering
        cause = error.__cause__
        if rendering is None or rendering.data_path is None or not isinstance(cause, KeyError):
            return None
        found = missing_columns(cause)
        missing = found[1] if found else list(cause.args[:1])
        indexes = [self.content_offset + i for i in range(len(self.content))]
        block = data_block(rendering, indexes, missing)
        if block is None:
            return None
        line = data_line(rendering, block)
        where = f"{absolute(str(rendering.data_path))}{f':{line}' if line else ''}"
        snippet = error.location or self._directive_location()
        into = f" into the snippet at {self._shown(snippet)}" if snippet else ""
        return where, f" (rendered by {self._shown(rendering.page)}{into})"

    def _report_python_warnings(self, result: SnippetResult) -> None:
        from sphinx_dftable.snippet.execute import DataWarning

        for found in result.warnings:
            text = f"{found.category.__name__}: {found.message}"
            if issubclass(found.category, DataWarning):
                self.warn(text, found.location, Subtype.DATA)
            elif issubclass(
                found.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
            ):
                # Pages written for the original directive use APIs pandas has since
                # deprecated; say so without failing their -W builds.
                logger.info("%s: %s", self.name, text, location=self._location(found.location))
            else:
                self.warn(text, found.location, Subtype.PYWARNING)


def absolute(path: str) -> Path:
    """An absolute, normalised path without resolving links (as Sphinx prints sources)."""
    return Path(os.path.normpath(Path(path).absolute()))
