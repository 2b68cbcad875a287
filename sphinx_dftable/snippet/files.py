"""What a snippet sees as ``pd`` and ``open``: paths resolved against its page, reads recorded.

A snippet reads data files with relative paths (``pd.read_csv('x.csv')``). They must resolve
against the directory of the file that holds the directive, without ``os.chdir`` (it is
process-wide), also when the snippet does its own ``import pandas as pd``. So each snippet
runs with its own ``__import__`` that hands out a proxy of pandas whose ``read_*`` functions
resolve paths, record them as dependencies of the page, and serve repeated reads of an
unchanged file from a small per-process cache.
"""

from __future__ import annotations

import builtins
import io
import os
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sphinx_dftable.snippet.read_cache import READ_CACHE, ReadCache

if TYPE_CHECKING:
    from sphinx_dftable.comparison.baseline import Baseline

# The pandas readers whose first argument is a path (or a buffer, or a URL).
_PATH_ARGUMENT_NAMES = ("filepath_or_buffer", "path_or_buf", "io", "path", "filepath")
_URL_PREFIXES = ("http://", "https://", "ftp://", "s3://", "gs://", "file://", "az://")


def _is_url(value: str) -> bool:
    return value.lower().startswith(_URL_PREFIXES)


def _hashable(value: Any) -> Any:
    """A cache-key form of a call argument, or raise TypeError if it has none."""
    if isinstance(value, (str, int, float, bool, type(None), bytes)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, type):
        return value
    raise TypeError(f"unhashable argument {type(value).__name__}")


class DataAccess:
    """Path resolution, dependency recording and cached reads for one snippet run."""

    def __init__(
        self,
        base_dir: Path,
        cache: ReadCache | None = READ_CACHE,
        baseline: Baseline | None = None,
    ) -> None:
        self.base_dir = base_dir
        self.cache = cache
        #: Set for a comparison's second run: every file is read as it was then.
        self.baseline = baseline
        #: Absolute paths of every local file the snippet opened or tried to open.
        self.dependencies: list[Path] = []

    def resolve(self, path: str | os.PathLike[str]) -> Path:
        """An absolute path for ``path``, relative paths taken from the page's directory."""
        candidate = Path(os.fspath(path)).expanduser()
        if not candidate.is_absolute():
            candidate = self.base_dir / candidate
        resolved = Path(os.path.normpath(candidate))
        if resolved not in self.dependencies:
            self.dependencies.append(resolved)
        return resolved

    def wrap_reader(self, name: str, reader: Callable[..., Any]) -> Callable[..., Any]:
        """``reader`` with its path argument resolved and its result cached."""

        def read(*args: Any, **kwargs: Any) -> Any:
            args_list = list(args)
            key_name = next((k for k in _PATH_ARGUMENT_NAMES if k in kwargs), None)
            target = args_list[0] if args_list else (kwargs[key_name] if key_name else None)
            resolved: Path | None = None
            if isinstance(target, (str, os.PathLike)) and not (
                isinstance(target, str) and _is_url(target)
            ):
                resolved = self.resolve(target)
                given: Any = str(resolved)
                if self.baseline is not None:
                    given, resolved = self._earlier(resolved)
                if args_list:
                    args_list[0] = given
                elif key_name:
                    kwargs[key_name] = given
            key = self._cache_key(name, resolved, args_list[1:], kwargs)
            if key is not None and self.cache is not None:
                cached = self.cache.get(key)
                if cached is not None:
                    return cached
            result = reader(*args_list, **kwargs)
            if key is not None and self.cache is not None and isinstance(result, pd.DataFrame):
                self.cache.put(key, result)
            return result

        read.__name__ = name
        read.__doc__ = reader.__doc__
        return read

    def _cache_key(
        self, name: str, path: Path | None, args: list[Any], kwargs: dict[str, Any]
    ) -> tuple[Any, ...] | None:
        if path is None:
            return None
        try:
            stat = path.stat()
            return (
                name,
                str(path),
                stat.st_size,
                stat.st_mtime_ns,
                _hashable(args),
                _hashable({k: v for k, v in kwargs.items() if k not in _PATH_ARGUMENT_NAMES}),
            )
        except (OSError, TypeError):
            # A missing file raises its own clear error in the reader; a callable or
            # buffer argument simply bypasses the cache.
            return None

    def _earlier(self, current: Path) -> tuple[Any, Path | None]:
        """What a reader is given for the baseline's version of ``current``, and its path.

        A file on disk is given by path (cached, and a dependency of the page); bytes from
        git as a buffer (never cached: the cache is keyed on files' times).
        """
        assert self.baseline is not None
        earlier = self.baseline.locate(current)
        if earlier.path is not None:
            if earlier.path not in self.dependencies:
                self.dependencies.append(earlier.path)
            return str(earlier.path), earlier.path
        return io.BytesIO(earlier.data or b""), None

    def open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        """``open`` for snippets: relative paths are the page's."""
        if not isinstance(file, (str, os.PathLike)):
            return builtins.open(file, mode, *args, **kwargs)  # noqa: PTH123 - a descriptor
        resolved = self.resolve(file)
        if self.baseline is None or any(c in mode for c in "wax+"):
            return resolved.open(mode, *args, **kwargs)
        given, path = self._earlier(resolved)
        if path is not None:
            return path.open(mode, *args, **kwargs)
        if "b" in mode:
            return given
        return io.TextIOWrapper(
            given, encoding=kwargs.get("encoding") or "utf-8", newline=kwargs.get("newline")
        )

    def pandas_proxy(self) -> types.ModuleType:
        return _PandasProxy(self)

    def make_import(self, proxy: types.ModuleType) -> Callable[..., Any]:
        """``__import__`` that hands the snippet the pandas proxy instead of pandas."""
        real_import = builtins.__import__

        def snippet_import(
            name: str,
            globals: Mapping[str, object] | None = None,
            locals: Mapping[str, object] | None = None,
            fromlist: tuple[str, ...] | list[str] = (),
            level: int = 0,
        ) -> Any:
            module = real_import(name, globals, locals, fromlist, level)
            if level == 0 and name == "pandas":
                return proxy
            if level == 0 and name.startswith("pandas.") and not fromlist:
                return proxy  # ``import pandas.x`` binds the top-level name
            return module

        return snippet_import

    def builtins_for_snippet(self, proxy: types.ModuleType) -> dict[str, Any]:
        namespace = dict(vars(builtins))
        namespace["__import__"] = self.make_import(proxy)
        namespace["open"] = self.open
        return namespace


class _PandasProxy(types.ModuleType):
    """The pandas module as a snippet sees it: the same, but ``read_*`` are the page's."""

    def __init__(self, access: DataAccess) -> None:
        super().__init__("pandas", pd.__doc__)
        self.__dict__["_access"] = access
        self.__dict__["__file__"] = getattr(pd, "__file__", None)
        self.__dict__["__version__"] = pd.__version__

    def __getattr__(self, name: str) -> Any:
        value = getattr(pd, name)
        if name.startswith("read_") and callable(value):
            access: DataAccess = self.__dict__["_access"]
            value = access.wrap_reader(name, value)
            self.__dict__[name] = value  # wrap once per snippet
        return value

    def __dir__(self) -> list[str]:
        return dir(pd)
