"""A snippet's own ``raise KeyboardInterrupt`` is a warning; a real Ctrl-C stops the build.

The two are told apart by a SIGINT handler installed while a snippet runs (see
``sphinx_dftable/snippet/interrupts.py``), so the tests send real signals: to this process
for the runner, and to a real ``sphinx-build`` subprocess for the build.
"""

from __future__ import annotations

import linecache
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinx_dftable.snippet.execute import CodePart, SnippetError, SnippetRunner


def part(code: str) -> CodePart:
    n = code.count("\n") + 1
    return CodePart(code, "<interrupt>", [("page.rst", 10 + i) for i in range(n)])


@pytest.fixture
def handlers() -> Iterator[None]:
    """Each test leaves SIGINT and SIGALRM as it found them, and no alarm set."""
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM)
    yield
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM)) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert "<interrupt>" not in linecache.cache


SEND_SIGINT = "import os, signal, time\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(5)"


def test_a_raised_keyboard_interrupt_is_the_snippets_failure(
    tmp_path: Path, handlers: None
) -> None:
    runner = SnippetRunner(timeout=30, cache=None)
    with pytest.raises(SnippetError) as info:
        runner.run(
            [part("df = pd.DataFrame({'a': [1]})\nraise KeyboardInterrupt")], base_dir=tmp_path
        )
    assert info.value.message == "KeyboardInterrupt"
    assert info.value.location == ("page.rst", 11)


def test_a_real_sigint_stops_the_run(tmp_path: Path, handlers: None) -> None:
    runner = SnippetRunner(timeout=30, cache=None)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        runner.run([part(SEND_SIGINT)], base_dir=tmp_path)
    assert time.monotonic() - started < 4  # the sleep was interrupted


def test_a_real_sigint_the_snippet_catches_still_stops_the_run(
    tmp_path: Path, handlers: None
) -> None:
    code = f"try:\n{_indent(SEND_SIGINT)}\nexcept KeyboardInterrupt:\n    pass\ndf = pd.DataFrame()"
    with pytest.raises(KeyboardInterrupt):
        SnippetRunner(cache=None).run([part(code)], base_dir=tmp_path)


def test_an_ignored_sigint_stays_ignored(tmp_path: Path, handlers: None) -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = (
            "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\ndf = pd.DataFrame({'a': [1]})"
        )
        result = SnippetRunner(cache=None).run([part(code)], base_dir=tmp_path)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.frame["a"].tolist() == [1]


def test_the_previous_sigint_handler_runs(tmp_path: Path, handlers: None) -> None:
    calls: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        code = "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\ndf = pd.DataFrame()"
        # the handler before ours chose not to stop: the run still ends, Ctrl-C was pressed
        with pytest.raises(KeyboardInterrupt):
            SnippetRunner(cache=None).run([part(code)], base_dir=tmp_path)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert calls == [signal.SIGINT]


def test_the_time_limit_still_works_beside_the_sigint_handler(
    tmp_path: Path, handlers: None
) -> None:
    with pytest.raises(SnippetError, match=r"ran longer than 0\.2 s"):
        SnippetRunner(timeout=0.2, cache=None).run(
            [part("import time\ntime.sleep(5)")], base_dir=tmp_path
        )


def test_outside_the_main_thread_a_keyboard_interrupt_is_the_snippets(tmp_path: Path) -> None:
    # Python runs signal handlers in the main thread only: no SIGINT can reach this one.
    errors: list[BaseException] = []

    def run() -> None:
        try:
            SnippetRunner(cache=None).run([part("raise KeyboardInterrupt")], base_dir=tmp_path)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    (error,) = errors
    assert isinstance(error, SnippetError)
    assert error.message == "KeyboardInterrupt"


def _indent(code: str) -> str:
    return "\n".join("    " + line for line in code.splitlines())


# -- real builds ----------------------------------------------------------------------------


def _project(tmp_path: Path, snippet: str) -> Path:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_dftable"]\ndftable_timeout = 120\n', encoding="utf-8"
    )
    body = "\n".join("   " + line for line in snippet.splitlines())
    (srcdir / "index.rst").write_text(
        "Interrupt\n=========\n\n.. df-table::\n\n"
        f"{body}\n\n"
        "Text after the snippet.\n\n"
        ".. df-table:: After\n\n   df = pd.DataFrame({'a': [7]})\n",
        encoding="utf-8",
    )
    return srcdir


def _sphinx_build(srcdir: Path, outdir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-E", "-b", "html", str(srcdir), str(outdir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_a_build_whose_snippet_raises_keyboard_interrupt_goes_on(tmp_path: Path) -> None:
    srcdir = _project(tmp_path, "df = pd.DataFrame({'a': [1]})\nraise KeyboardInterrupt")
    build = _sphinx_build(srcdir, tmp_path / "out")
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    assert warnings == [
        f"{srcdir / 'index.rst'}:7: WARNING: df-table: KeyboardInterrupt [dftable.exec]"
    ]
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Text after the snippet." in html
    assert "<td><p>7</p></td>" in html  # the table after it is built


def test_ctrl_c_during_a_snippet_stops_the_build(tmp_path: Path) -> None:
    marker = tmp_path / "inside-the-snippet"
    srcdir = _project(
        tmp_path,
        f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(60)\n"
        "df = pd.DataFrame({'a': [1]})",
    )
    build = _sphinx_build(srcdir, tmp_path / "out")
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert build.poll() is None, build.communicate()
            assert time.monotonic() < deadline, "the snippet never started"
            time.sleep(0.05)
        os.kill(build.pid, signal.SIGINT)
        _out, err = build.communicate(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()
            build.communicate()
    assert build.returncode != 0
    assert "Interrupted!" in err
    assert "WARNING" not in err  # not taken for the snippet's own failure
    assert not (tmp_path / "out" / "index.html").exists()
