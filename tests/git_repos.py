"""Real git repositories for tests: one way to run git with a fixed author and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, date: str | None = None) -> str:
    """Run ``git *args`` in ``repo`` as a fixed author; ``date`` fixes the commit's dates."""
    environment = dict(os.environ)
    if date is not None:
        environment["GIT_COMMITTER_DATE"] = environment["GIT_AUTHOR_DATE"] = date
    done = subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    return done.stdout.strip()
