"""dftable-collect: turn benchmark result files into rows of the CSV tables df-table reads.

Nothing here imports Sphinx or pandas, so the collector starts fast on a benchmark host.
"""

from __future__ import annotations

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.record import Record

__all__ = ["CollectError", "Record"]
