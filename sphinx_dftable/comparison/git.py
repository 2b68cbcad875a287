"""Files as they were at a git revision of the repository that holds them.

Runs the ``git`` command (no library: it is what every docs host has, and it reads every
repository format, worktrees and packed refs included). Blobs are cached by commit and
path, which never change; a revision name is resolved afresh each time, since a branch moves.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Said when a revision or a file is missing in a clone without the history.
SHALLOW_HINT = (
    "this is a shallow clone without that history: fetch it with "
    "'git fetch --unshallow --tags' (on Read the Docs, add it to build.jobs.post_checkout "
    "in .readthedocs.yaml)"
)


class GitError(Exception):
    """A revision or a file that git cannot give, with a message for the reader."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, env=env, check=False, timeout=60
        )
    except FileNotFoundError:
        raise GitError("git is not installed (it is needed for a git: baseline)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} did not finish within 60 s") from None


@dataclass(frozen=True)
class GitRevision:
    """A resolved revision of one repository."""

    root: Path
    #: The revision as written (``v2.20``).
    name: str
    commit: str
    shallow: bool

    @property
    def short(self) -> str:
        return self.commit[:10]

    def relative(self, path: Path) -> str:
        """``path`` as git names it at the revision: relative to the root, with slashes."""
        return relative_to_root(path, self.root)

    def read(self, path: Path) -> bytes:
        """The bytes of ``path`` (an absolute path in the work tree) at this revision."""
        return _blob(self.root, self.commit, self.relative(path), self.name, self.shallow)


def relative_to_root(path: Path, root: Path) -> str:
    """``path`` as git names it in the repository at ``root``: relative, with slashes."""
    # Compared as written first, then resolved: a link in one of the two paths.
    for candidate, top in ((Path(os.path.normpath(path)), root), (path.resolve(), root.resolve())):
        if candidate.is_relative_to(top):
            return candidate.relative_to(top).as_posix()
    raise GitError(f"{path} is outside the git repository {root}")


def last_change(path: Path) -> tuple[str, str] | None:
    """(commit, ISO date) of the last commit that changed ``path`` in the work tree that
    holds it; None outside git or before the file's first commit."""
    try:
        root = repository_root(path.parent)
        return last_commit(root, relative_to_root(path, root))
    except GitError:
        return None


def repository_root(start: Path) -> Path:
    """The top of the work tree that holds ``start`` (a directory)."""
    result = _git(start, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise GitError(f"{start} is not inside a git repository")
    return Path(os.path.normpath(result.stdout.decode().strip()))


def resolve(start: Path, name: str) -> GitRevision:
    """The revision ``name`` (tag, branch, commit) of the repository that holds ``start``."""
    root = repository_root(start)
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    result = _git(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}"
    )
    if result.returncode != 0:
        hint = f"; {SHALLOW_HINT}" if shallow else ""
        raise GitError(f"unknown git revision {name!r} in {root}{hint}")
    return GitRevision(root, name, result.stdout.decode().strip(), shallow)


@functools.lru_cache(maxsize=256)
def _blob(root: Path, commit: str, relative: str, name: str, shallow: bool) -> bytes:
    result = _git(root, "cat-file", "blob", f"{commit}:{relative}")
    if result.returncode != 0:
        hint = f"; {SHALLOW_HINT}" if shallow else ""
        raise GitError(f"{relative} does not exist at git:{name} (commit {commit[:10]}){hint}")
    return result.stdout


def last_commit(root: Path, relative: str, revision: str = "HEAD") -> tuple[str, str] | None:
    """(commit, ISO 8601 committer date) of the last commit that changed ``relative``.

    None when git has no commit for it (not tracked, or not committed yet).
    """
    result = _git(root, "log", "-1", "--format=%H %cI", revision, "--", relative)
    text = result.stdout.decode().strip()
    if result.returncode != 0 or not text:
        return None
    commit, _, date = text.partition(" ")
    return commit, date
