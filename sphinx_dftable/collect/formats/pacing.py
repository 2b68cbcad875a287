"""How a run was paced, in the words a Mode cell uses, and whether it had a fixed concurrency.

Shared by every reader of a serving benchmark. A run has a concurrency only when it kept a
fixed number of requests in flight (``synchronous`` keeps one, ``concurrent`` its streams);
a rate-paced run has none, and a cap on concurrency (``max_concurrency``) is a limit the
run may never have reached, not the run's concurrency.
"""

from __future__ import annotations

from sphinx_dftable.collect.values import request_rate_text

#: Pacings that keep a fixed number of requests in flight.
FIXED_CONCURRENCY = frozenset({"synchronous", "concurrent", "concurrency"})


def mode_text(kind: str, rate: float | None = None) -> str:
    """``synchronous``, ``concurrent``, ``throughput``, or a paced rate: ``poisson@2.5``."""
    if rate is None or kind in FIXED_CONCURRENCY or kind == "throughput":
        return kind
    return f"{kind}@{request_rate_text(rate)}"


def fixed_concurrency(kind: str, streams: int | None) -> int | None:
    """The run's concurrency: 1 when synchronous, ``streams`` when concurrent, else None."""
    if kind == "synchronous":
        return 1
    if kind in FIXED_CONCURRENCY:
        return streams
    return None
