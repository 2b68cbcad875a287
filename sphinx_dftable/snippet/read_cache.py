"""Parsed data files kept between snippets of one build, so a CSV read by many is parsed once.

No pandas import here (frames are only copied), so that registering the extension and
sizing the cache at ``config-inited`` cost nothing on a build that runs no snippet.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


class ReadCache:
    """Parsed results of ``pd.read_*`` calls, keyed by file identity and call arguments.

    A CSV read by several directives in one build is parsed once. Keys include the file's
    size and modification time, so an edited file is read again. Callers get a copy, so a
    snippet that mutates its frame cannot change what the next snippet reads.
    """

    def __init__(self, max_entries: int = 64) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> pd.DataFrame | None:
        with self._lock:
            frame = self._entries.get(key)
            if frame is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return frame.copy()

    def put(self, key: tuple[Any, ...], frame: pd.DataFrame) -> None:
        with self._lock:
            self._entries[key] = frame.copy()
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


#: One cache per process: Sphinx's parallel reads fork, so workers never share it.
READ_CACHE = ReadCache()
