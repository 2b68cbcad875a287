"""Comparing a table with an earlier state of its own data.

Shared by ``df-table``, ``df-chart`` and ``dftable-collect diff``: what a comparison asks
for (:mod:`.spec`), where the earlier files come from (:mod:`.baseline`, :mod:`.git`), and
what changed (:mod:`.changes`). Nothing here imports Sphinx.
"""
