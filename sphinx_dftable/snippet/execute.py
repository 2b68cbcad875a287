"""Run a df-table snippet and return the DataFrame it leaves. No Sphinx here.

A snippet is made of parts run in order in one fresh namespace: the project's setup code,
the directive body, and optionally a snippet file. Every failure becomes a
:class:`SnippetError` that knows the file and line of the failing statement, so the
directive can point the warning at it.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import re
import signal
import threading
import traceback
import types
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sphinx_dftable.snippet.assignments import last_assignment_line
from sphinx_dftable.snippet.columns import describe_missing_columns
from sphinx_dftable.snippet.files import DataAccess
from sphinx_dftable.snippet.interrupts import watch_sigint
from sphinx_dftable.snippet.read_cache import READ_CACHE, ReadCache

if TYPE_CHECKING:
    from sphinx_dftable.comparison.baseline import Baseline

#: Output a snippet may print before the rest is dropped (it is never shown on the page).
_MAX_CAPTURED_OUTPUT = 64 * 1024


@dataclass(frozen=True)
class CodePart:
    """One piece of snippet source and where its lines come from.

    ``locations[k]`` is the (file, line) of snippet line ``k + 1``; empty when the part
    has no file of its own (setup code from ``conf.py``).
    """

    code: str
    label: str
    locations: Sequence[tuple[str, int]] = ()

    def location(self, lineno: int | None) -> tuple[str, int] | None:
        if lineno is None or not self.locations:
            return None
        index = min(max(lineno, 1), len(self.locations)) - 1
        return self.locations[index]


class SnippetError(Exception):
    """A snippet failed; ``location`` is the (file, line) of the failing statement."""

    def __init__(
        self,
        message: str,
        location: tuple[str, int] | None = None,
        traceback_text: str = "",
        part_label: str | None = None,
        part_line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.traceback_text = traceback_text
        #: The part the failing statement is in, and its line within that part.
        self.part_label = part_label
        self.part_line = part_line
        #: Files the snippet read or tried to read before it failed.
        self.dependencies: list[Path] = []


class DataWarning(UserWarning):
    """Warned by snippet helpers about data a reader should know is missing or odd.

    The directive turns each into a build warning (``dftable.data``) at the snippet line
    that led to it.
    """


class SnippetTimeout(BaseException):
    """Raised inside a snippet that ran longer than its time limit."""


#: What a snippet may raise and still be only a warning; a KeyboardInterrupt only when
#: no SIGINT came (see :mod:`sphinx_dftable.snippet.interrupts`).
_SNIPPET_FAILURES = (Exception, SnippetTimeout, SystemExit, GeneratorExit, KeyboardInterrupt)


@dataclass
class SnippetWarning:
    """A Python warning a snippet raised, with the snippet location it came from."""

    category: type[Warning]
    message: str
    location: tuple[str, int] | None


@dataclass
class SnippetResult:
    frame: pd.DataFrame
    dependencies: list[Path]
    warnings: list[SnippetWarning] = field(default_factory=list)
    output: str = ""


class _CappedWriter(io.StringIO):
    def write(self, s: str) -> int:
        room = _MAX_CAPTURED_OUTPUT - self.tell()
        if room > 0:
            super().write(s[:room])
        return len(s)


@contextlib.contextmanager
def _pandas_options_restored() -> Iterator[None]:
    """Undo any ``pd.set_option`` / ``np.set_printoptions`` a snippet made."""
    keys = list(pd._config.config._registered_options)  # type: ignore[attr-defined]
    before = {}
    with _quiet_deprecated_options():
        for key in keys:
            with contextlib.suppress(Exception):
                before[key] = pd.get_option(key)
    np_before = np.get_printoptions()
    try:
        yield
    finally:
        with _quiet_deprecated_options():
            for key, value in before.items():
                with contextlib.suppress(Exception):
                    if pd.get_option(key) != value:
                        pd.set_option(key, value)
        np.set_printoptions(**np_before)


@contextlib.contextmanager
def _quiet_deprecated_options() -> Iterator[None]:
    # pandas 2 warns whenever a deprecated option (mode.use_inf_as_na, ...) is read.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        yield


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the snippet after ``seconds`` (main thread on POSIX only)."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: types.FrameType | None) -> None:
        raise SnippetTimeout(f"the snippet ran longer than {seconds:g} s (dftable_timeout)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"{type(exc).__name__}: {exc.msg}"
    if isinstance(exc, KeyError):
        columns = describe_missing_columns(exc)
        if columns is not None:
            return columns
    # pandas' ParserError ends in a newline, which would split the warning's line.
    text = str(exc).rstrip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# Python numbers this line within the snippet, not within the page.
_DETECTED_AT = re.compile(r"\(detected at line (\d+)\)")


def _describe_syntax_error(exc: SyntaxError, part: CodePart) -> str:
    def page_line(match: re.Match[str]) -> str:
        location = part.location(int(match.group(1)))
        return f"(detected at line {location[1]})" if location else ""

    return _DETECTED_AT.sub(page_line, _describe(exc)).rstrip()


def _failing_location(
    exc: BaseException, parts: Sequence[CodePart]
) -> tuple[CodePart | None, int | None]:
    """The part and line of the innermost snippet frame in ``exc``'s traceback."""
    by_label = {part.label: part for part in parts}
    found: tuple[CodePart | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        part = by_label.get(tb.tb_frame.f_code.co_filename)
        if part is not None:
            found = (part, tb.tb_lineno)
        tb = tb.tb_next
    return found


_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def _snippet_traceback(exc: BaseException, parts: Sequence[CodePart]) -> str:
    """The traceback from the first snippet frame on, without this package's own frames."""
    labels = {part.label for part in parts}
    summary = traceback.TracebackException.from_exception(exc)
    frames = list(summary.stack)
    first = next((i for i, f in enumerate(frames) if f.filename in labels), 0)
    kept = [f for f in frames[first:] if not f.filename.startswith(_PACKAGE_DIR)]
    summary.stack = traceback.StackSummary.from_list(kept)
    return "".join(summary.format())


class SnippetRunner:
    """Runs snippets in fresh namespaces with ``pd`` and ``np`` already imported."""

    def __init__(
        self,
        *,
        timeout: float | None = None,
        cache: ReadCache | None = READ_CACHE,
        extra_names: dict[str, Any] | None = None,
    ) -> None:
        self.timeout = timeout
        self.cache = cache
        self.extra_names = dict(extra_names or {})

    def run(
        self,
        parts: Sequence[CodePart],
        *,
        base_dir: Path,
        df_var: str = "df",
        params: dict[str, Any] | None = None,
        baseline: Baseline | None = None,
    ) -> SnippetResult:
        """Run ``parts``; with ``baseline``, every file they read is its earlier version."""
        access = DataAccess(base_dir, self.cache, baseline)
        proxy = access.pandas_proxy()
        namespace: dict[str, Any] = {
            "__name__": "__dftable__",
            "__builtins__": access.builtins_for_snippet(proxy),
            "pd": proxy,
            "np": np,
            "DOCDIR": base_dir,
            **self.extra_names,
            **(params or {}),
        }
        try:
            compiled = [self._compile(part) for part in parts]
        except SnippetError:
            for compiled_part in parts:  # _compile put their sources in linecache
                linecache.cache.pop(compiled_part.label, None)
            raise
        output = _CappedWriter()
        caught: list[warnings.WarningMessage] = []
        with watch_sigint() as sigint:
            try:
                with (
                    _pandas_options_restored(),
                    warnings.catch_warnings(record=True) as caught_now,
                    contextlib.redirect_stdout(output),
                    contextlib.redirect_stderr(output),
                    _time_limit(self.timeout),
                ):
                    warnings.simplefilter("always")
                    caught = caught_now
                    for code in compiled:
                        exec(code, namespace)
            except _SNIPPET_FAILURES as exc:
                if isinstance(exc, KeyboardInterrupt) and sigint.received:
                    raise  # Ctrl-C: the build stops
                part, line = _failing_location(exc, parts)
                error = SnippetError(
                    _describe(exc),
                    part.location(line) if part else None,
                    _snippet_traceback(exc, parts),
                    part.label if part else None,
                    line if part else None,
                )
                error.dependencies = access.dependencies
                raise error from exc
            finally:
                for part in parts:
                    linecache.cache.pop(part.label, None)
        if sigint.received:  # Ctrl-C that the snippet caught and went on from
            raise KeyboardInterrupt

        try:
            frame = self._result_frame(namespace, df_var, parts)
        except SnippetError as error:
            error.dependencies = access.dependencies
            raise
        by_label = {part.label: part for part in parts}
        found = [
            SnippetWarning(
                w.category,
                str(w.message),
                by_label[w.filename].location(w.lineno) if w.filename in by_label else None,
            )
            for w in caught
        ]
        return SnippetResult(frame, access.dependencies, found, output.getvalue())

    @staticmethod
    def _compile(part: CodePart) -> types.CodeType:
        # linecache makes tracebacks show the snippet's own lines.
        lines = part.code.splitlines(keepends=True)
        linecache.cache[part.label] = (len(part.code), None, lines, part.label)
        try:
            return compile(part.code, part.label, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise SnippetError(
                _describe_syntax_error(exc, part),
                part.location(exc.lineno),
                "".join(traceback.format_exception_only(type(exc), exc)),
                part.label,
                exc.lineno,
            ) from exc
        except ValueError as exc:  # null bytes in the source, before Python 3.11.x
            raise SnippetError(_describe(exc), None, "", part.label) from exc

    @staticmethod
    def _result_frame(
        namespace: dict[str, Any], df_var: str, parts: Sequence[CodePart]
    ) -> pd.DataFrame:
        if df_var not in namespace:
            raise SnippetError(f"the snippet did not assign {df_var!r}")
        value = namespace[df_var]
        if isinstance(value, pd.Series):
            return value.to_frame()
        if not isinstance(value, pd.DataFrame):
            error = SnippetError(
                f"{df_var!r} is a {type(value).__module__}.{type(value).__qualname__}, "
                "not a pandas DataFrame"
            )
            # at the line that assigned it last; at the directive if nothing did (:params:)
            for part in reversed(parts):
                line = last_assignment_line(part.code, df_var)
                if line is not None:
                    error.location = part.location(line)
                    error.part_label, error.part_line = part.label, line
                    break
            raise error
        return value
