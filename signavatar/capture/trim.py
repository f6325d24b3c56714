"""Finding the sign in a retargeted recording: cut the rest pose and the raise/lower of the arms.

Works on the avatar's own motion (a PoseTrack, forward kinematics in metres), so it does not care
which camera or landmark space the recording came from. Per hand, per frame:
  away  = distance (x, y: in the picture plane) of the wrist from its rest position, in arm lengths.
          Depth is left out because the retargeter keeps wrists in front of the body even at rest.
  speed = speed of the wrist and the middle finger's last joint (m/s), lightly smoothed.
The active part is from the first to the last frame where a hand is `away` (raised or out to the
side). Within it, the raise ends where the hand arrives: the first local speed minimum, or earlier
the first frame slower than a share of the raise's peak speed, followed down toward a stop; the
lower starts, in the same way, scanning backwards. A recording that starts (ends) with the hand
already in signing space has no raise (lower) to cut. The sequencer eases every key-to-key movement to rest
(minimum jerk), so on our own renders the arrival is the first keyframe of the sign.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import InvalidInputError
from signavatar.typed import FloatArray
from signavatar.types import PoseTrack

#: a wrist this far from its rest position (arm lengths, x/y) is signing, not resting
AWAY = 0.25
#: below this share of the recording's peak hand speed a hand counts as still
STILL_SHARE = 0.25
#: ... and always below this speed (m/s): the hold of a real recording jitters a little
STILL_MIN = 0.05
#: the arrival is followed down to this share of the still speed (a stop, not a slowing down)
STOP_SHARE = 0.4
#: a span edge this far from rest (share of the sign's median distance) has no raise to cut
RAISED_SHARE = 0.85


class NoSignFoundError(InvalidInputError):
    """The hands never leave the rest pose in the recording."""


@dataclass(frozen=True)
class SignSpan:
    """Frames start..end (inclusive) of a track hold the sign; sides: the active hands ("R", "L")."""

    start: int
    end: int
    sides: tuple[str, ...]

    @property
    def num_frames(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class HandMotion:
    """away: (T, 2) wrist distance from rest in arm lengths; speed: (T, 2) m/s; columns R, L."""

    away: FloatArray
    speed: FloatArray


def hand_motion(track: PoseTrack, skeleton: Skeleton, rest: FloatArray) -> HandMotion:
    """How far each hand is from rest and how fast it moves, per frame; rest: (J, 4) quaternions."""
    _, pos = skeleton.forward(track.rotations.astype(np.float64))
    _, rest_pos = skeleton.forward(rest)
    away = np.empty((track.num_frames, 2))
    speed = np.empty((track.num_frames, 2))
    for k, side in enumerate(("R", "L")):
        wrist, tip = skeleton.index(f"wrist.{side}"), skeleton.index(f"finger3-3.{side}")
        arm = float(np.linalg.norm(rest_pos[wrist] - rest_pos[skeleton.index(f"upperarm01.{side}")]))
        away[:, k] = np.linalg.norm((pos[:, wrist] - rest_pos[wrist])[:, :2], axis=1) / arm
        if track.num_frames < 2:
            speed[:, k] = 0.0
            continue
        v = np.gradient(pos[:, [wrist, tip]], axis=0) * track.fps  # (T, 2, 3) m/s
        s = np.linalg.norm(v, axis=2).mean(axis=1)
        speed[:, k] = np.convolve(np.pad(s, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    return HandMotion(away, speed)


def _edge(speed: FloatArray, away: FloatArray, frames: list[int], typical_away: float, still_share: float) -> int:
    """Where the raise ends, scanning `frames` from the span's edge inward (or, given the frames
    backwards, where the lower starts). No raise when the edge frame is already as far from rest as
    the sign is (the recording starts mid-sign). Otherwise the raise ends at the earlier of: the
    first local speed minimum, or the first frame slower than `still_share` of the raise's peak,
    followed on while the speed keeps falling toward a stop."""
    if away[frames[0]] >= RAISED_SHARE * typical_away or len(frames) < 3:
        return frames[0]
    s = speed[frames]
    # past the raise's speed peak first: an edge frame that is still speeding up is not a minimum
    falling = next((n for n in range(len(s) - 1) if s[n + 1] < s[n]), len(s) - 1)
    local_min = next((n for n in range(falling + 1, len(s) - 1) if s[n] <= s[n + 1]), len(s) - 1)
    still = max(still_share * float(s[: local_min + 1].max()), STILL_MIN)
    floor = max(STOP_SHARE * still, STILL_MIN)
    n = next((n for n in range(len(s)) if s[n] <= still), len(s) - 1)
    while n + 1 < len(s) and s[n + 1] < s[n] and s[n] > floor:
        n += 1
    return frames[min(n, local_min)]


def find_sign(track: PoseTrack, skeleton: Skeleton, rest: FloatArray, away: float = AWAY,
              still_share: float = STILL_SHARE) -> SignSpan:
    """The sign's frames in `track` without rest, raise and lower; NoSignFoundError if the hands
    never leave rest."""
    m = hand_motion(track, skeleton, rest)
    out = m.away > away  # (T, 2)
    active = out.any(axis=1)
    if not active.any():
        raise NoSignFoundError("no sign found: the hands never leave the rest pose")
    a = int(np.argmax(active))
    b = int(len(active) - 1 - np.argmax(active[::-1]))
    sides_k = [k for k in (0, 1) if out[a:b + 1, k].mean() >= 0.25] or [int(np.argmax(out[a:b + 1].sum(axis=0)))]
    speed = m.speed[:, sides_k].max(axis=1)
    dist = m.away[:, sides_k].max(axis=1)
    typical = float(np.median(dist[a:b + 1]))
    start = _edge(speed, dist, list(range(a, b + 1)), typical, still_share)
    end = _edge(speed, dist, list(range(b, a - 1, -1)), typical, still_share)
    if end - start < 1:
        start, end = a, b
    if end - start < 1:  # one frame: take its neighbour so the entry has two
        start, end = (start - 1, end) if start > 0 else (start, min(end + 1, track.num_frames - 1))
    return SignSpan(start, end, tuple(("R", "L")[k] for k in sides_k))


def shorten_holds(track: PoseTrack, span: SignSpan, skeleton: Skeleton, rest: FloatArray,
                  max_hold: float, still_share: float = STILL_SHARE) -> list[int]:
    """Frame indices of the span with every still stretch longer than `max_hold` seconds cut to
    max_hold (its first and last halves kept): a held letter becomes a short hold, a moving one
    keeps its movement."""
    m = hand_motion(track, skeleton, rest)
    sides = [("R", "L").index(s) for s in span.sides]
    speed = m.speed[:, sides].max(axis=1)
    frames = list(range(span.start, span.end + 1))
    still_at = max(still_share * float(speed[frames].max()), STILL_MIN)
    keep_n = max(2, int(round(max_hold * track.fps)))
    out: list[int] = []
    run: list[int] = []
    for t in frames + [-1]:
        if t >= 0 and speed[t] <= still_at:
            run.append(t)
            continue
        if len(run) > keep_n:
            run = run[: keep_n - keep_n // 2] + run[len(run) - keep_n // 2:]
        out.extend(run)
        run = []
        if t >= 0:
            out.append(t)
    return out
