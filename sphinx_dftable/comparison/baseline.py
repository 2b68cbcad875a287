"""Where a comparison's earlier files come from: a git revision or a directory.

A snippet reads its files with the paths it always uses; for the baseline run each path is
mapped to the same file at the revision (``git:v2.20``) or to the file of the same name in
a directory of earlier files (``releases/2.20/``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sphinx_dftable.comparison import git
from sphinx_dftable.comparison.spec import BaselineSpec


class BaselineError(Exception):
    """A baseline that cannot be read, with a message for the reader."""


@dataclass(frozen=True)
class BaselineFile:
    """One earlier file: its bytes come from git, or it is a file on disk."""

    #: How messages name it: ``data/x.csv at git:v2.20``, or its path.
    label: str
    #: On disk (a directory baseline): read it like any file, and depend on it.
    path: Path | None = None
    #: From git: the bytes at the revision.
    data: bytes | None = None


class Baseline:
    """Maps the files a snippet reads to their earlier versions."""

    def __init__(self, spec: BaselineSpec, page_dir: Path) -> None:
        self.spec = spec
        self.page_dir = page_dir
        self._revision: git.GitRevision | None = None
        if spec.kind == "git":
            try:
                self._revision = git.resolve(page_dir, spec.value)
            except git.GitError as exc:
                raise BaselineError(str(exc)) from None
        else:
            directory = Path(spec.value).expanduser()
            self.directory = Path(os.path.normpath(page_dir / directory))
            if not self.directory.is_dir():
                raise BaselineError(f"the baseline directory {self.directory} does not exist")

    @property
    def revision(self) -> git.GitRevision | None:
        """The resolved revision of a ``git:`` baseline (None for a directory)."""
        return self._revision

    def __str__(self) -> str:
        if self._revision is not None:
            return f"git:{self._revision.name} ({self._revision.short})"
        return str(self.spec)

    def locate(self, current: Path) -> BaselineFile:
        """The earlier version of ``current`` (an absolute path the snippet reads).

        A directory baseline holds files of the same names: a file under the page's
        directory keeps its relative path in the baseline directory, any other its name.
        """
        if self._revision is not None:
            try:
                relative = self._revision.relative(current)
                data = self._revision.read(current)
            except git.GitError as exc:
                raise BaselineError(str(exc)) from None
            return BaselineFile(f"{relative} at git:{self._revision.name}", data=data)
        try:
            inside = current.relative_to(self.page_dir)
        except ValueError:
            inside = Path(current.name)
        path = self.directory / inside
        if not path.is_file():
            raise BaselineError(f"{current.name} has no earlier version: {path} does not exist")
        return BaselineFile(str(path), path=path)
