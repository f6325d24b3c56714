"""The One-Euro filter (Casiez, Roussel, Vogel, CHI 2012) over landmark tracks.

A first-order low-pass filter whose cutoff rises with speed: while a hand holds still the cutoff is
low (jitter is removed), while it moves the cutoff is high (little lag). Per sample:

    dx      = low-pass(derivative of x, cutoff d_cutoff)
    cutoff  = min_cutoff + beta * |dx| / scale
    x_hat   = low-pass(x, cutoff),   with alpha = 1 / (1 + fps / (2 pi cutoff))

Parameters (defaults tuned on captures of our own renders, benchmarks/roundtrip.py):
  min_cutoff: Hz, the cutoff at rest: lower = smoother holds, more lag when a movement starts.
  beta: Hz per (scale unit / s): how fast the cutoff grows with speed; 0 = a plain low-pass.
  d_cutoff: Hz, cutoff of the speed estimate itself.
  scale: the size of one unit of motion in the data's units (e.g. the signer's shoulder width in
      pixels), so beta means the same for pixels and metres.
Each coordinate is filtered on its own. A NaN sample (landmark not seen) stays NaN and restarts the
filter for that coordinate at the next seen sample, so gaps never drag old positions along.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.capture.retarget import HolisticFrames
from signavatar.typed import FloatArray


@dataclass(frozen=True)
class OneEuro:
    """Filter settings; see the module docstring for units."""

    min_cutoff: float = 1.0
    beta: float = 5.0
    d_cutoff: float = 1.0

    def __post_init__(self) -> None:
        if self.min_cutoff <= 0 or self.d_cutoff <= 0 or self.beta < 0:
            raise ValueError("One-Euro: min_cutoff and d_cutoff must be positive and beta >= 0")


def _alpha(cutoff: FloatArray | float, fps: float) -> FloatArray:
    tau = 1.0 / (2.0 * np.pi * np.asarray(cutoff, dtype=np.float64))
    return 1.0 / (1.0 + tau * fps)


def one_euro(x: FloatArray, fps: float, settings: OneEuro = OneEuro(), scale: float = 1.0) -> FloatArray:
    """Filtered copy of x (T, ...) sampled at `fps` Hz along axis 0 (e.g. (T, N, 3) landmarks)."""
    if fps <= 0 or scale <= 0:
        raise ValueError("One-Euro: fps and scale must be positive")
    x = np.asarray(x, dtype=np.float64)
    out = np.full_like(x, np.nan)
    if x.shape[0] == 0:
        return out
    prev = np.full(x.shape[1:], np.nan)  # last filtered value, NaN = filter (re)starts here
    dprev = np.zeros(x.shape[1:])
    a_d = _alpha(settings.d_cutoff, fps)
    for t in range(x.shape[0]):
        cur = x[t]
        seen = np.isfinite(cur)
        fresh = seen & ~np.isfinite(prev)
        running = seen & ~fresh
        # derivative of the raw signal against the previous filtered value, low-passed
        d = np.where(running, (cur - np.where(running, prev, 0.0)) * fps, 0.0)
        d_hat = np.where(running, a_d * d + (1 - a_d) * dprev, 0.0)
        cutoff = settings.min_cutoff + settings.beta * np.abs(d_hat) / scale
        a = _alpha(cutoff, fps)
        filtered = np.where(running, a * cur + (1 - a) * np.where(running, prev, 0.0), cur)
        out[t] = np.where(seen, filtered, np.nan)
        prev = np.where(seen, filtered, np.nan)
        dprev = np.where(seen, d_hat, 0.0)
    return out


def _median_length(points: FloatArray, a: int, b: int) -> float:
    """Median distance (x, y) between landmarks a and b over the frames that see both; 1 if none."""
    d = np.linalg.norm(points[:, a, :2] - points[:, b, :2], axis=-1)
    d = d[np.isfinite(d) & (d > 0)]
    return float(np.median(d)) if len(d) else 1.0


#: shoulder widths per palm length (wrist to middle knuckle) and per outer-eye distance, roughly, so
#: hands and face are filtered in about the same units as the body
PALMS_PER_SHOULDER = 4.0
EYES_PER_SHOULDER = 4.0


def smooth_holistic(frames: HolisticFrames, settings: OneEuro = OneEuro()) -> HolisticFrames:
    """Every landmark track of `frames` One-Euro filtered, speeds measured in shoulder widths / s."""
    body = one_euro(frames.body, frames.fps, settings, _median_length(frames.body, 11, 12))
    hands = [one_euro(h, frames.fps, settings, PALMS_PER_SHOULDER * _median_length(h, 0, 9))
             for h in (frames.left_hand, frames.right_hand)]
    face = None
    if frames.face is not None:
        face = one_euro(frames.face, frames.fps, settings, EYES_PER_SHOULDER * _median_length(frames.face, 33, 263))
    return HolisticFrames(fps=frames.fps, body=body, left_hand=hands[0], right_hand=hands[1], face=face)
