"""``python -m sphinx_dftable.collect``: the same entry point as ``dftable-collect``."""

from __future__ import annotations

import sys

from sphinx_dftable.collect.cli import main

if __name__ == "__main__":
    sys.exit(main())
