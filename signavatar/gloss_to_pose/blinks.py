"""Eye blinks: at prosodic phrase boundaries, and now and then to keep the face alive.

Signers blink at the ends of intonational phrases: after a sentence, a clause, a topic or a
conditional clause (Wilbur 1994 for ASL; Herrmann 2010 for DGS). A GlossSequence has no phrase
brackets, so the boundary is read off the translator's DGS order (text_to_gloss/ordering.py),
where every clause ends with its verb complex or its question word: a boundary follows a sign
made by the rules verb-last, modal-after-verb or negation, or one with the question-wh marker,
unless the next sign belongs to the same verb complex or question; and a boundary is where a
clause-wide marker (question-yn, question-wh, condition, topic) starts or stops.

Blinks fall in the transition between two signs, never inside a sign: at every boundary, and, where
NATURAL_S seconds have passed without one, in the next transition (or the rest at the end).
Hand-written glosses carry no rules: they get only the natural blinks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.gloss_to_pose.nonmanual_timing import Span, smoothstep
from signavatar.typed import FloatArray
from signavatar.types import GlossToken

CLOSE_S, OPEN_S = 0.08, 0.16  # lids close fast and open more slowly
CLOSED_S = 0.04  # and stay shut a moment: one frame at 25 fps, so every blink shows fully closed
NATURAL_S = 3.0  # a natural blink in the first transition this long after the last blink
CLAUSE_END_RULES = frozenset({"verb-last", "modal-after-verb", "negation"})
CLAUSE_MARKERS = frozenset({"question-yn", "question-wh", "condition", "topic"})


def phrase_boundary(before: GlossToken, after: GlossToken) -> bool:
    """True if a prosodic phrase ends between the two consecutive signs."""
    if set(before.nonmanual) & CLAUSE_MARKERS != set(after.nonmanual) & CLAUSE_MARKERS:
        return True
    if after.rule in ("modal-after-verb", "negation") or "question-wh" in after.nonmanual:
        return False  # the verb complex or the question goes on
    return before.rule in CLAUSE_END_RULES or "question-wh" in before.nonmanual


def blink_times(spans: Sequence[Span], duration: float) -> list[float]:
    """Seconds at which the lids are fully closed, for signs at `spans` in a clip of `duration` s."""
    # gaps between signs: (start, end, a boundary); the rest before the first and after the last sign
    gaps = [(0.0, spans[0][0] if spans else duration, False)]
    gaps += [(a[1], b[0], phrase_boundary(a[2], b[2])) for a, b in zip(spans, spans[1:])]
    if spans:
        gaps.append((spans[-1][1], duration, True))  # the end of the last sentence
    times: list[float] = []
    last = 0.0  # as if the signer had just blinked when the clip starts
    for start, end, boundary in gaps:
        mid = (start + end) / 2
        if end > start and (boundary or mid - last >= NATURAL_S):
            times.append(mid)
            last = mid
    return times


def blink_curve(spans: Sequence[Span], ts: FloatArray) -> FloatArray:
    """(T,) eyes_closed weight at times `ts` (T,): one smooth close, hold and open per blink_times(),
    shut over [t - CLOSED_S / 2, t + CLOSED_S / 2]."""
    w = np.zeros(len(ts))
    half = CLOSED_S / 2
    for t in blink_times(spans, float(ts[-1]) if len(ts) else 0.0):
        closing = smoothstep((ts - (t - half - CLOSE_S)) / CLOSE_S)
        opening = smoothstep(((t + half + OPEN_S) - ts) / OPEN_S)
        w = np.maximum(w, np.where(ts <= t, closing, opening))
    return w
