"""Fingerspelling in one place: a spelled word's letters as hand-internal motion in front of the
dominant shoulder, at a fingerspelling tempo.

The hand, not the arm, spells. Each letter takes from its lexicon sign (a recording of a real DGS
signer, or hand-authored keyframes) only what happens inside the hand: the finger and metacarpal
rotations and the hand's orientation in the world (so the palm faces the viewer as it did in the
recording). Where the recording's arm put the hand (beside the head, the elbow raised) is dropped:
the arm's IK (kinematics/arm_ik.py) puts the wrist at SPELLING_PLACE, in front of the right
shoulder at chest height, the elbow low, and the hand drifts outward by DRIFT per letter as the word
proceeds (up to DRIFT_MAX). Between letters the fingers and wrist move, the arm stays where it is.

Two kinds of letter movement the speller draws itself (DRAWN), because the letter data keep little
of them (recorded at 30 fps, filtered, resampled; the speller's low-pass and keys flatten them
further): the umlauts Ä, Ö and Ü are their hand shaken (the DGS recordings shake 2-3 times, about two
palm lengths from top to bottom, at 5-6 Hz; here SHAKE_CYCLES times SHAKE_HEIGHT, about 0.7 palm
lengths, up from the place and back, never below it: a hand that drops between letters looks like
one going back to rest), and Z is drawn with the index finger (the recording's fingertip draws a Z as
the signer sees it, 1.5-3 palm lengths wide, in a quarter of a second; here Z_WIDTH by Z_HEIGHT:
along the top toward the signer's right, diagonally down to the left, along the bottom to the
right). The hand keeps the letter's held shape and turn, stops at each point of the figure, each
stroke eased on its own, and a stroke takes its length over STROKE_SPEED, never less than
MIN_STROKE (3 frames at 25 fps: a faster stroke pops or is lost between the frames), longer with a
slower speed, never shorter. Other letters whose sign moves (the recorded wrist travels more than
MOVING_LETTER m: J and ß in the DGS recordings; FS-SCH is hand-authored and still) keep that
movement relative to the place: the wrist's offset from the first frame scaled by MOVE_SCALE, the
hand's orientation as recorded, both low-passed (smoothed()); keys every MOVE_STEP-th frame, eased
as one movement, timed along the path (each key's share of the time is its share of the turn) and
lasting the recording's time over MOVE_PACE. The handshape is the held frame's throughout (the
recordings' fingers jitter while the hand moves). A still letter shows its held frame: the calmest
frame of the middle third of its recording (least hand-joint motion to its neighbours), the
recordings' hold.

A double letter (OTTO's TT) is the same handshape again, shifted DOUBLE_SHIFT outward, as DGS shows
it (inward where the hand is already OFFSET_MAX out). Tempo: a letter takes cycle(n) seconds from
arriving at it to arriving at the next one, transition included, a little less in long words; the
first and last letters and the second of a double letter hold longer. Transitions are never faster
than the joint speed limits allow (the sequencer's `within_limits`), nor shorter than MIN_TRANSITION,
and a letter's hold is never shorter than MIN_HOLD: a tight limit lengthens the letter, it is not
squeezed. `speed` scales every duration (a moving letter's up to MOVE_SPEED_MAX).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul
from signavatar.avatar.skeleton import Skeleton
from signavatar.kinematics.arm_ik import ArmIK
from signavatar.typed import FloatArray

#: where the wrist spells, from the right shoulder joint (metres: outward, up, forward): in front of
#: the shoulder, a little to the right, wrist at chest height so the hand is at the shoulder's
SPELLING_PLACE = (0.03, -0.07, 0.27)
DRIFT, DRIFT_MAX = 0.012, 0.08  # outward drift per letter and in all (m)
DOUBLE_SHIFT = 0.04  # a double letter's second is shown this much further out (m)
OFFSET_MAX = 0.12  # the hand goes no further out than this from the place, drift and doubles together (m)
#: seconds from one letter's arrival to the next one's at speed 1: CYCLE for words up to
#: CYCLE_FROM letters, CYCLE_STEP less per further letter, never under CYCLE_MIN
CYCLE, CYCLE_FROM, CYCLE_STEP, CYCLE_MIN = 0.32, 4, 0.005, 0.26
LETTER_TRANSITION = 0.16  # planned hand-internal transition between letters at speed 1 (s)
#: and never shorter, whatever the speed: 4 frames at 25 fps (a 20 degree finger move in less pops
#: at 25 fps, motion_checks.jumps)
MIN_TRANSITION = 0.16
MIN_HOLD = 0.08  # shortest hold of a letter's handshape (s)
FIRST_HOLD, LAST_HOLD, DOUBLE_HOLD = 0.06, 0.08, 0.06  # extra hold of the first, last, doubled letter (s)
MOVING_LETTER = 0.025  # a letter whose recorded wrist travels further (m) keeps its movement
MOVE_SCALE = 0.6  # a moving letter's wrist path, scaled to the compact spelling space
MOVE_PACE = 1.6  # a moving letter's recording is played this much faster
#: a moving letter's movement follows the speed option up to this factor: faster, its turns pop
#: at 25-30 fps (motion_checks.jumps: JÄGER's forearm at speed 2.0, 30 fps)
MOVE_SPEED_MAX = 1.5
SMOOTH_PASSES = 2  # a moving letter's recorded path is low-passed this many times (smoothed())
MOVE_STEP = 3  # every this many recorded frames of a moving letter is a key of its movement
MIN_JERK_PEAK = 1.875  # peak speed of a minimum-jerk move over its mean speed
SHAKEN = frozenset({"FS-Ä", "FS-Ö", "FS-Ü"})  # letter signs shown as their hand shaken up and down
SHAKE_CYCLES, SHAKE_HEIGHT = 2, 0.07  # the shake: cycles, metres from the bottom (the place) to the top
Z_WIDTH, Z_HEIGHT = 0.08, 0.07  # the Z drawn in the air (metres)
#: the points a drawn letter's hand goes through, (outward: toward the signer's right, up) in metres
#: from the spelling place; the hand arrives at the first
SHAKE_FIGURE = tuple((0.0, SHAKE_HEIGHT * (k % 2)) for k in range(2 * SHAKE_CYCLES + 1))
Z_FIGURE = ((-Z_WIDTH / 2, Z_HEIGHT), (Z_WIDTH / 2, Z_HEIGHT), (-Z_WIDTH / 2, 0.0), (Z_WIDTH / 2, 0.0))
DRAWN: dict[str, tuple[tuple[float, float], ...]] = {**{g: SHAKE_FIGURE for g in SHAKEN}, "FS-Z": Z_FIGURE}
STROKE_SPEED = SHAKE_HEIGHT / 0.12  # m/s at speed 1 and faster: a shake's stroke in 0.12 s
MIN_STROKE = 0.12  # s

_HAND_JOINTS = ("metacarpal", "finger")  # the joints inside the hand, whose local rotations a letter sets


@dataclass(frozen=True)
class LetterFrames:
    """A letter sign's poses as the lexicon gives them: seconds from its start (K,) and
    whole-skeleton local quaternions (K, J, 4)."""

    gloss: str
    times: FloatArray
    quats: FloatArray


@dataclass(frozen=True)
class SpelledKey:
    """A key pose of a spelled word: seconds from the first letter's arrival, local quaternions
    (J, 4); through and linear as the sequencer's keys (a moving letter's recorded frames)."""

    t: float
    quats: FloatArray
    through: bool = False
    linear: bool = False


@dataclass(frozen=True)
class SpelledWord:
    keys: list[SpelledKey]
    #: (start, end, letter sign id) per letter, seconds from the first letter's arrival: from the
    #: hand's arrival at the letter to the end of its hold
    letters: list[tuple[float, float, str]]
    end: float


def cycle(letters: int) -> float:
    """Seconds per letter, transition included, at speed 1, for a word of `letters` letters."""
    return max(CYCLE_MIN, CYCLE - CYCLE_STEP * max(0, letters - CYCLE_FROM))


def smoothed(quats: FloatArray, passes: int = SMOOTH_PASSES) -> FloatArray:
    """(K, J, 4) quaternion frames low-passed over time: `passes` times a [1, 2, 1] / 4 kernel
    (neighbours sign-aligned, renormalised; the end frames repeat)."""
    q = np.asarray(quats, dtype=np.float64).copy()
    for _ in range(passes):
        padded = np.concatenate([q[:1], q, q[-1:]])
        before, after = padded[:-2], padded[2:]
        before = before * np.sign(np.sum(before * q, axis=-1, keepdims=True) + 1e-12)
        after = after * np.sign(np.sum(after * q, axis=-1, keepdims=True) + 1e-12)
        mixed = before + 2 * q + after
        q = mixed / np.linalg.norm(mixed, axis=-1, keepdims=True)
    return q


class FingerspellingModel:
    """Spells words with the right hand of one skeleton.

    rest: (J, 4) the avatar's rest pose (the joints a letter does not set keep it); limits: (J,)
    rad/s each joint may turn; within_limits(a, b, gap): `gap` lengthened where a minimum-jerk move
    from pose a to pose b would be too fast (the sequencer's rule)."""

    def __init__(self, skeleton: Skeleton, rest: FloatArray, limits: FloatArray,
                 within_limits: Callable[[FloatArray, FloatArray, float], float]) -> None:
        self.skeleton = skeleton
        self.rest = rest
        self.limits = limits
        self.within_limits = within_limits
        self.arm = ArmIK(skeleton, "R")
        self._wrist = skeleton.index("wrist.R")
        self._hand = np.array([i for i, n in enumerate(skeleton.names)
                               if n.endswith(".R") and n.startswith(_HAND_JOINTS)])
        self._hand_and_wrist = np.append(self._hand, self._wrist)
        self.out = np.array([-1.0, 0.0, 0.0])  # outward for the right hand (+X is the signer's left)
        dx, dy, dz = SPELLING_PLACE
        self.place = self.arm.shoulder + np.array([-dx, dy, dz])

    def is_moving(self, letter: LetterFrames) -> bool:
        """True for a letter whose sign moves the hand through space (J, Z, umlauts)."""
        wrist = self.skeleton.forward(letter.quats)[1][:, self._wrist]
        return bool(np.linalg.norm(wrist - wrist[0], axis=1).max() > MOVING_LETTER)

    def held_frame(self, letter: LetterFrames) -> int:
        """The calmest frame of the middle third of a still letter's frames: its hold."""
        q = letter.quats[:, self._hand_and_wrist]
        k = len(q)
        if k < 3:
            return k // 2
        steps = quat_angle(quat_mul(quat_conj(q[:-1]), q[1:])).sum(axis=1)  # (K-1,)
        motion = np.concatenate([[steps[0]], steps]) + np.concatenate([steps, [steps[-1]]])
        lo, hi = k // 3, max(k // 3 + 1, (2 * k + 2) // 3)
        return int(lo + np.argmin(motion[lo:hi]))

    def pose(self, quats: FloatArray, wrist_target: FloatArray) -> FloatArray:
        """(J, 4): the rest pose with the hand of `quats` (fingers, metacarpals and the hand's world
        orientation) and the wrist at `wrist_target` by the arm's IK."""
        hand_rotation = self.skeleton.forward(quats)[0][self._wrist]
        out = self.rest.copy()
        for j, q in self.arm.solve(wrist_target, hand_rotation).items():
            out[j] = q
        out[self._hand] = quats[self._hand]
        return out

    def word(self, letters: list[LetterFrames], speed: float = 1.0) -> SpelledWord:
        """The key poses and letter spans of a spelled word, seconds from the first letter's
        arrival (the sequencer times the transition into it, from the sign before)."""
        n = len(letters)
        per = cycle(n) / speed
        keys: list[SpelledKey] = []
        spans: list[tuple[float, float, str]] = []
        t = 0.0
        shift = offset = 0.0
        for i, letter in enumerate(letters):
            doubled = i > 0 and letter.gloss == letters[i - 1].gloss
            shift += DOUBLE_SHIFT if doubled else 0.0
            previous, offset = offset, min(min(DRIFT * i, DRIFT_MAX) + shift, OFFSET_MAX)
            if doubled and offset - previous < DOUBLE_SHIFT / 2:  # far out already (AAAA…): step back in
                offset = previous - DOUBLE_SHIFT
            anchor = self.place + self.out * offset
            frames = self._frames(letter, anchor, speed)
            if keys:
                planned = max(LETTER_TRANSITION / speed, MIN_TRANSITION)
                transition = self.within_limits(keys[-1].quats, frames[0].quats, planned)
            else:
                transition = LETTER_TRANSITION / speed  # arrival from the sign before, timed by the sequencer
            t += transition if keys else 0.0
            start = t
            keys.extend(SpelledKey(t + f.t, f.quats, f.through, f.linear) for f in frames)
            moving = frames[-1].t
            extra = (FIRST_HOLD if i == 0 else 0.0) + (LAST_HOLD if i == n - 1 else 0.0)
            extra += DOUBLE_HOLD if doubled else 0.0
            hold = max(per - transition - moving, MIN_HOLD / speed) + extra / speed
            end = start + moving + hold
            keys.append(SpelledKey(end, frames[-1].quats))
            spans.append((start, end, letter.gloss))
            t = end
        return SpelledWord(keys, spans, t)

    def letter_keys(self, letter: LetterFrames, offset: float = 0.0, speed: float = 1.0) -> list[SpelledKey]:
        """A letter's key poses spelled `offset` metres outward of the spelling place, seconds from
        its arrival (one key for a still letter, its path for a moving one)."""
        return self._frames(letter, self.place + self.out * offset, speed)

    def _frames(self, letter: LetterFrames, anchor: FloatArray, speed: float) -> list[SpelledKey]:
        """A letter's key poses at `anchor`, seconds from its arrival: the held frame of a still
        letter, the figure of a drawn one, the path of another moving one (within the speed limits)."""
        if letter.gloss in DRAWN:
            return self._drawn(letter, DRAWN[letter.gloss], anchor, speed)
        if not self.is_moving(letter):
            return [SpelledKey(0.0, self.pose(letter.quats[self.held_frame(letter)], anchor))]
        held = letter.quats[self.held_frame(letter)]
        wrist = self.skeleton.forward(letter.quats)[1][:, self._wrist]
        every = []
        for q, w in zip(letter.quats, wrist):
            q = q.copy()
            q[self._hand] = held[self._hand]  # the handshape holds; the hand moves and turns
            every.append(self.pose(q, anchor + MOVE_SCALE * (w - wrist[0])))
        picked = list(range(0, len(wrist) - 1, MOVE_STEP)) + [len(wrist) - 1]
        poses = list(smoothed(np.stack(every))[picked])
        # Timed by the path, not the recording's frames: each key's share of the movement's time is
        # its share of the turn (each joint's turn over its speed limit, the largest), so the eased
        # movement turns the joints evenly along the path (recorded bursts popped at 25 fps), and
        # the minimum-jerk peak stays within the limits
        need = [self._turn_need(a, b) for a, b in zip(poses, poses[1:])]
        path = np.concatenate([[0.0], np.cumsum(need)])
        seconds = (letter.times[-1] - letter.times[0]) / MOVE_PACE / min(speed, MOVE_SPEED_MAX)
        seconds = max(seconds, MIN_JERK_PEAK * float(path[-1]))
        share = path / path[-1] if path[-1] > 0 else np.linspace(0.0, 1.0, len(poses))
        last = len(poses) - 1
        return [SpelledKey(float(u) * seconds, q, through=0 < k < last) for k, (u, q) in enumerate(zip(share, poses))]

    def _turn_need(self, a: FloatArray, b: FloatArray) -> float:
        """Seconds the move from pose a to pose b (J, 4) needs at the joints' speed limits: each
        joint's turn over its limit, the largest."""
        return float((quat_angle(quat_mul(quat_conj(a), b)) / self.limits).max())

    def _drawn(self, letter: LetterFrames, figure: tuple[tuple[float, float], ...], anchor: FloatArray,
               speed: float) -> list[SpelledKey]:
        """A drawn letter's keys, seconds from its arrival at the figure's first point: its held hand
        at each point of `figure` (outward, up from `anchor`), every key a stop, no stroke faster than
        the speed limits."""
        held = letter.quats[self.held_frame(letter)]
        up = np.array([0.0, 1.0, 0.0])
        points = [anchor + self.out * u + up * h for u, h in figure]
        poses = [self.pose(held, p) for p in points]
        keys = [SpelledKey(0.0, poses[0])]
        t = 0.0
        for a, b, pa, pb in zip(poses, poses[1:], points, points[1:]):
            stroke = max(float(np.linalg.norm(pb - pa)) / STROKE_SPEED, MIN_STROKE) / min(speed, 1.0)
            t += max(stroke, MIN_JERK_PEAK * self._turn_need(a, b))
            keys.append(SpelledKey(t, b))
        return keys
