"""Mouth pictures over a sampled track: each sign silently articulates its German word.

For every token's span (start, end, token) the word or gesture `chosen_mouthing` picks becomes viseme
keys (mouthing.py: `mouth_picture`, `mouth_gesture`), and the keys become the mouth channels of the
face (face_channels.py) by `VISEME_WEIGHTS`:

============  ===============================================  =========================================
viseme        channel weights                                  what the face does (rig.py CHANNEL_TARGETS)
============  ===============================================  =========================================
closed        lips_closed 1                                    jaw shut, lips pressed together (m b p)
lip_teeth     lip_teeth 1                                      lower lip tucked under the bared upper teeth
rounded       mouth_round 1                                    lips rounded forward, a small jaw opening
spread        mouth_spread 1                                   lips drawn back and parted, teeth visible
open          mouth_open 1                                     jaw clearly open (a)
tongue_teeth  mouth_spread 0.5, mouth_open 0.2                 teeth nearly together and visible
neutral       mouth_open 0.3                                   relaxed, the lips slightly parted
puffed        cheeks_puff 1                                    cheeks blown out behind pressed lips
============  ===============================================  =========================================

The rest mouth (all weights 0) is closed with relaxed lips; every viseme except closed and puffed parts
the lips, so a sign whose word has no m/b/p keeps them apart.

Co-articulation: the weights move linearly from one viseme to the next over `BLEND_S` (70 ms), centred
on the key time, and from the rest mouth at the span's start / back to it at its end over the same, all
inside the span: at and outside its start and end the mouthing adds nothing. A key shorter than a blend
is only touched in passing (undershoot, as in fast speech). No weight changes faster than 1 / BLEND_S
per second, so at 25 fps no channel moves more than 0.04 / 0.07 = 0.57 between two frames (a full lip
closure takes at least two frame steps); a key that would need faster is left out. Linear and not
eased: at 25 fps a blend spans under two frames, where an eased curve would only make the middle step
bigger. Bilabials, open vowels and the puff (`PRIORITY`) are held for at least one sampled frame at full
weight: when their plateau falls between two frames, it is widened to the frame nearest its middle
(a blend or more after the previous one; if need be a little into the next key's time), and
neighbours that would then move too fast are left out.

A lexicon keyframe's own mouth channel value stays as a floor (the maximum of both is kept), except
that closed lips (closed, puffed) scale the floor down by their weight: a bilabial closes the lips
whatever opening the sign's face holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.gloss_to_pose.mouthing import (
    MOUTH_GESTURES,
    Viseme,
    VisemeKey,
    chosen_mouthing,
    mouth_gesture,
    mouth_picture,
)
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray
from signavatar.types import GlossToken

MOUTH_CHANNELS: tuple[str, ...] = (
    "mouth_open", "mouth_round", "mouth_spread", "lips_closed", "lip_teeth", "cheeks_puff",
)
"""The face channels the mouthing writes (the rest of FACE_CHANNELS are brows, eyes and head)."""

VISEME_WEIGHTS: dict[Viseme, dict[str, float]] = {
    Viseme.CLOSED: {"lips_closed": 1.0},
    Viseme.LIP_TEETH: {"lip_teeth": 1.0},
    Viseme.ROUNDED: {"mouth_round": 1.0},
    Viseme.SPREAD: {"mouth_spread": 1.0},
    Viseme.OPEN: {"mouth_open": 1.0},
    Viseme.TONGUE_TEETH: {"mouth_spread": 0.5, "mouth_open": 0.2},
    Viseme.NEUTRAL: {"mouth_open": 0.3},
    Viseme.PUFFED: {"cheeks_puff": 1.0},
}
"""Each viseme as mouth channel weights (the table in the module docstring)."""

BLEND_S = 0.07
"""Seconds from one viseme to the next (lips close or open in about 60-80 ms in speech)."""
PRIORITY = frozenset({Viseme.CLOSED, Viseme.OPEN, Viseme.PUFFED})
"""Visemes that must be seen: held at full weight for at least one sampled frame."""
_EPS = 1e-6
_SEALED = [MOUTH_CHANNELS.index("lips_closed"), MOUTH_CHANNELS.index("cheeks_puff")]


def viseme_vector(v: Viseme) -> FloatArray:
    """The weights (len(MOUTH_CHANNELS),) of one viseme."""
    return np.array([VISEME_WEIGHTS[v].get(c, 0.0) for c in MOUTH_CHANNELS])


def mouth_keys(token: GlossToken, lexicon: Lexicon, start_s: float, end_s: float) -> tuple[VisemeKey, ...]:
    """The viseme keys `token` shows over its span: its `chosen_mouthing` as a gesture or a word."""
    entry = lexicon.get(token.gloss)
    what = chosen_mouthing(token, entry.mouthing if entry is not None else None)
    if what in MOUTH_GESTURES:
        return mouth_gesture(what, start_s, end_s)
    return mouth_picture(what, start_s, end_s)


def apply_mouthing(
    spans: Sequence[tuple[float, float, GlossToken]], lexicon: Lexicon, ts: FloatArray, face: FloatArray
) -> None:
    """Write the mouth pictures of `spans` into the mouth channels of `face` (T, len(FACE_CHANNELS))
    sampled at times `ts` (T,) in seconds, in place (the maximum with what the keyframes put there,
    module docstring). Raises G2PToolMissingError without espeak-ng."""
    cols = np.array([FACE_CHANNELS.index(c) for c in MOUTH_CHANNELS])
    for start, end, token in spans:
        if not end > start:
            continue
        inside = (ts > start) & (ts < end)
        if not inside.any():
            continue
        w = viseme_weights(mouth_keys(token, lexicon, start, end), start, end, ts[inside])
        # lips that close (a bilabial, the puff) close whatever opening the sign's keyframes hold
        seal = np.clip(w[:, _SEALED].sum(axis=1), 0.0, 1.0)[:, None]
        face[np.ix_(inside, cols)] = np.maximum(face[np.ix_(inside, cols)] * (1.0 - seal), w)


def viseme_weights(keys: Sequence[VisemeKey], start_s: float, end_s: float, ts: FloatArray) -> FloatArray:
    """Mouth channel weights (len(ts), len(MOUTH_CHANNELS)) of `keys` over [start_s, end_s) at times
    `ts` (seconds): the rest mouth (zeros) at and outside start and end, each key's viseme held from
    its time to the next key's, linear blends between (module docstring).

    No weight changes faster than 1 / blend per second, blend = BLEND_S (or half the span, if that is
    shorter): where keys come faster than that, a viseme is only touched in passing, and where even
    that would be too fast, it is left out (a priority viseme last)."""
    out = np.zeros((len(ts), len(MOUTH_CHANNELS)))
    if not keys:
        return out
    blend = min(BLEND_S, 0.5 * (end_s - start_s))
    bounds = [start_s] + [k.time_s for k in keys[1:]] + [end_s]
    n = len(keys)
    # plateaus: each key's segment less half a (centred) blend each side, a whole blend at the span's edges
    lo = [bounds[i] + (blend if i == 0 else 0.5 * blend) for i in range(n)]
    hi = [bounds[i + 1] - (blend if i == n - 1 else 0.5 * blend) for i in range(n)]
    for i in range(n):
        if lo[i] > hi[i]:  # shorter than a blend: touched at the middle of its segment
            lo[i] = hi[i] = float(np.clip(0.5 * (bounds[i] + bounds[i + 1]), start_s + blend, end_s - blend))
    frames = np.asarray(ts, dtype=np.float64)
    priority = [k.viseme in PRIORITY for k in keys]
    _hold_priority_on_a_frame(priority, bounds, lo, hi, frames, blend)
    points: list[tuple[float, FloatArray, int]] = [(start_s, np.zeros(len(MOUTH_CHANNELS)), 2)]
    for i in range(n):
        vec, rank = viseme_vector(keys[i].viseme), int(priority[i])
        points += [(lo[i], vec, rank)] + ([(hi[i], vec, rank)] if hi[i] > lo[i] else [])
    points.append((end_s, np.zeros(len(MOUTH_CHANNELS)), 2))
    points = _within_rate(sorted(points, key=lambda p: (p[0], -p[2])), 1.0 / blend)
    x = np.array([p[0] for p in points])
    w = np.array([p[1] for p in points])
    for c in range(len(MOUTH_CHANNELS)):
        out[:, c] = np.interp(ts, x, w[:, c], left=0.0, right=0.0)
    return out


def _hold_priority_on_a_frame(
    priority: list[bool], bounds: list[float], lo: list[float], hi: list[float], frames: FloatArray, blend: float
) -> None:
    """Put a sampled frame (its anchor) on each priority plateau [lo, hi], in place: the plateau starts a
    blend or more after the previous priority's anchor (whose plateau then ends a blend before it);
    one that holds no frame is widened to the frame nearest its middle that is a blend or more from the
    previous anchor and the span's edges, in its segment or else up to the middle of the next one (a
    short first key has a whole blend from the span's start to fit in); a key too near the span's end
    for that (a word-final m or p in a short sign) takes the last frame a blend before the end, a
    little before its phoneme. Without such a frame it stays as it is."""
    start, end = bounds[0], bounds[-1]
    previous: int | None = None
    anchor = -np.inf
    for i, must in enumerate(priority):
        if not must:
            continue
        lo[i] = max(lo[i], anchor + blend)
        mid = 0.5 * (lo[i] + hi[i])
        held = frames[(frames >= lo[i] - _EPS) & (frames <= hi[i] + _EPS)]
        if lo[i] <= hi[i] and len(held):
            c = float(held[np.argmin(np.abs(held - mid))])
        else:
            low = max(bounds[i], anchor + blend, start + blend) - _EPS
            high = min(0.5 * (bounds[i + 1] + bounds[min(i + 2, len(bounds) - 1)]), end - blend) + _EPS
            pool = frames[(frames >= low) & (frames <= high)]
            if not len(pool):  # a closure at a short span's very end: take the last frame it can reach
                late = frames[(frames >= max(anchor + blend, start + blend) - _EPS) & (frames <= high)]
                if not len(late):
                    lo[i] = min(lo[i], hi[i])
                    continue
                pool = late[-1:]
            c = float(pool[np.argmin(np.abs(pool - mid))])
            lo[i], hi[i] = (min(lo[i], c), max(hi[i], c)) if lo[i] <= hi[i] else (c, c)
        if previous is not None:
            hi[previous] = min(hi[previous], lo[i] - blend)
            lo[previous] = min(lo[previous], hi[previous])
        previous, anchor = i, c


def _within_rate(
    points: list[tuple[float, FloatArray, int]], rate: float
) -> list[tuple[float, FloatArray, int]]:
    """Drop control points (time, weights, rank) until no weight changes faster than `rate` per second
    between neighbours: of a pair that does, the one of lower rank goes (0 a viseme, 1 a priority
    viseme, 2 the rest mouth at the span's edges, never dropped), the later one on a tie."""
    pts = list(points)
    while True:
        for a in range(len(pts) - 1):
            (ta, wa, ra), (tb, wb, rb) = pts[a], pts[a + 1]
            change = float(np.abs(wb - wa).max())
            if change > _EPS and change > rate * (tb - ta) * (1 + 1e-9):
                if ra == rb == 2:
                    return pts
                pts.pop(a if ra < rb else a + 1)
                break
        else:
            return pts
