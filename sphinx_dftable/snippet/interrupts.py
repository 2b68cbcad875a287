"""Telling a real Ctrl-C apart from a snippet's own ``raise KeyboardInterrupt``.

Both arrive as ``KeyboardInterrupt``. A real one comes from SIGINT, so while a snippet
runs a SIGINT handler notes that the signal came, then does what the handler before it
would have done (Python's own raises ``KeyboardInterrupt``). A ``KeyboardInterrupt`` with
no signal noted was raised by the snippet: it is the snippet's failure, a warning. One
with the signal noted stops the build, as the person who pressed Ctrl-C wants.

Python runs signal handlers in the main thread only, so a snippet run in another thread
cannot receive SIGINT: a ``KeyboardInterrupt`` there always comes from the snippet.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class SigintWatch:
    #: A SIGINT arrived while the snippet ran.
    received: bool = False


@contextlib.contextmanager
def watch_sigint() -> Iterator[SigintWatch]:
    """Note any SIGINT while the block runs; the previous handler is restored after."""
    watch = SigintWatch()
    if threading.current_thread() is not threading.main_thread():
        yield watch
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:
        # A handler not set from Python: it cannot be restored, and SIGINT does not
        # reach Python code as KeyboardInterrupt while it is in place.
        yield watch
        return

    def on_sigint(signum: int, frame: types.FrameType | None) -> None:
        if previous == signal.SIG_IGN:
            return
        watch.received = True
        if callable(previous):
            previous(signum, frame)
        else:  # SIG_DFL: stop, as Python's own handler would
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)
    try:
        yield watch
    finally:
        signal.signal(signal.SIGINT, previous)
