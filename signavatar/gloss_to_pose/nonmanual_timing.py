"""When non-manual markers hold: runs of signs that carry a marker, and smooth weights over time.

Shared by nonmanuals.py (brows, head), blinks.py and gaze.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from signavatar.typed import FloatArray
from signavatar.types import GlossToken

Span = tuple[float, float, GlossToken]  # (start, end) seconds of one sign in the track, and its token

RAMP_S = 0.2  # seconds a marker takes to ease in before its first sign and out after its last


def smoothstep(u: FloatArray) -> FloatArray:
    """0 below 0, 1 above 1, 3u^2 - 2u^3 between (zero slope at both ends)."""
    u = np.clip(u, 0.0, 1.0)
    out: FloatArray = u * u * (3.0 - 2.0 * u)
    return out


def runs(spans: Sequence[Span], carries: Callable[[GlossToken], bool]) -> list[tuple[float, float]]:
    """(start, end) seconds of each run of consecutive spans whose token `carries` the marker; a
    run includes the transitions between its signs, so the marker does not dip between them."""
    out: list[tuple[float, float]] = []
    previous = False
    for start, end, token in spans:
        has = carries(token)
        if has and previous:
            out[-1] = (out[-1][0], end)
        elif has:
            out.append((start, end))
        previous = has
    return out


def marker_runs(spans: Sequence[Span], marker: str) -> list[tuple[float, float]]:
    """runs() of the spans whose token's nonmanual markers include `marker`."""
    return runs(spans, lambda token: marker in token.nonmanual)


def envelope(ts: FloatArray, spans_runs: Sequence[tuple[float, float]], ramp: float = RAMP_S) -> FloatArray:
    """(T,) weight in [0, 1] at times `ts` (T,): 1 inside each run, easing to 0 over `ramp` seconds
    either side."""
    w = np.zeros(len(ts))
    for start, end in spans_runs:
        w = np.maximum(w, smoothstep(np.minimum(ts - (start - ramp), (end + ramp) - ts) / ramp))
    return w
