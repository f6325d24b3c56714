"""Letters tuned until a hand reader reads them as the recorded letter: analysis by synthesis.

The anatomical fit (letter_fit.py) makes the avatar's hand lie on the recording's picture, but a
picture of a rendered hand is not read like a picture of a real one: fingers bent toward the camera
read as straight (E as B), a fist whose thumb hides reads as its neighbour (S as M). Here each
letter's hand (its 20 finger angles and the hand's turn) is changed in small random steps, kept
where the letter reads better, for a few dozen tries ((1+1) evolution strategy, fixed seed):

  cost = over the letter's poses (a still letter's hold; a moving letter's second half), spelled at
         TUNE_OFFSETS from the spelling place and rendered at TUNE_SIZES with the product camera,
         each read by MediaPipe Hands (static mode, confidence TUNE_CONFIDENCE):
           not found, not even at FALLBACK_CONFIDENCE                  -> 1
           found only at FALLBACK_CONFIDENCE                           -> NOT_SURE + the terms below
           else, in the image plane and in 3D: max(0, own / other - MARGIN) + SLOPE * own / other
                                               + ANGLE_WEIGHT * max(0, angle - ANGLE_OK) / ANGLE_OK
             own: the feature distance to the letter's own reference (letter_references.py),
             other: to the nearest other letter's (strict: a movement twin counts as other),
             angle: the mean difference of the 15 finger bend angles from the reference's
       + PRIOR * mean((angle changes / widths)^2) + PRIOR * (turn / PRIOR_TURN)^2
         (widths: letter_fit.prior_widths, a finger's spread held closer)

A finger's last joint (DIP) is not changed on its own: it follows its middle joint's change by
letter_fit.DIP_PER_PIP, so the fit's coupling of the two (a finger bends as a finger does) survives
the tuning. The changes are bounded (MAX_CHANGE_DEG per angle, MAX_SPREAD_DEG per spread, MAX_TURN for the
hand), so a letter stays the
fitted handshape, only shown so it reads. The sizes, places and confidence differ from the
letter benchmark's (benchmarks/letters_readback.py), which is the check that the gain holds for
other pictures than the ones tuned on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.avatar.rig import Avatar
from signavatar.capture.legibility import HandReader, HandReading, hand_features, world_features
from signavatar.capture.letter_fit import (
    DIP_INDEX,
    DIP_PER_PIP,
    PIP_INDEX,
    PRIOR_DEG,
    angles_of,
    bounds,
    prior_widths,
    shape_of,
    turned_hand,
)
from signavatar.capture.letter_references import LetterReferences
from signavatar.gloss_to_pose.fingerspelling_motion import FingerspellingModel, LetterFrames
from signavatar.lexicon import Handshape
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.typed import FloatArray, UInt8Array

TUNE_SIZES = (480, 432, 352)
TUNE_OFFSETS = (0.0, 0.035, 0.07)  # metres outward of the spelling place (words drift up to 0.08)
TUNE_CONFIDENCE = 0.5
#: a hand not found at TUNE_CONFIDENCE is read again at this one: its reading still shows the way to
#: the letter (a letter never found at 0.5 could not be tuned at all), at a cost of NOT_SURE
FALLBACK_CONFIDENCE, NOT_SURE = 0.3, 0.5
MARGIN, SLOPE = 0.85, 0.05
ANGLE_OK, ANGLE_WEIGHT = 8.0, 0.3  # degrees of mean bend-angle difference that cost nothing; weight beyond
PRIOR, PRIOR_TURN = 0.1, 0.5
MAX_CHANGE_DEG, MAX_SPREAD_DEG, MAX_TURN = 30.0, 8.0, 0.45  # degrees per angle and spread; radians of the turn
STEP_DEG, STEP_TURN = 10.0, 0.12  # first step sizes (the 1/5 rule adapts them)
CHANGED = 5  # angles changed per try (and the turn, every other try)
#: the angles a try may change: all but the fingers' DIPs, which follow their PIPs
FREE = np.setdiff1d(np.arange(20), DIP_INDEX)
MOVING_SHARE = (0.5, 0.75, 1.0)
#: a hand counts as the signing hand when its wrist is this share of the picture's size from the right
#: wrist's projection (as in benchmarks/letters_readback.py)
WRIST_TOLERANCE = 0.12  # a moving letter's poses read: at these shares of its path


@dataclass(frozen=True)
class Tuned:
    """A letter's tuning: the handshape, the turn (3, 3) applied to the hand's world rotation, the
    cost before and after, how many tries, and the readings' summary after (right, of how many)."""

    shape: Handshape
    turn: FloatArray
    cost_before: float
    cost: float
    tries: int
    right: int
    readings: int


class LetterStage:
    """Renders a letter's poses as the speller spells it and reads them back."""

    def __init__(self, avatar: Avatar, speller: FingerspellingModel, gl_platform: str = "egl") -> None:
        self.avatar = avatar
        self.speller = speller
        self.camera = Camera()
        self.renderers = {s: OffscreenRenderer(avatar, s, s, camera=self.camera, platform=gl_platform)
                          for s in TUNE_SIZES}
        self.reader = HandReader(TUNE_CONFIDENCE)
        self.fallback = HandReader(FALLBACK_CONFIDENCE)
        self._wrist = avatar.skeleton.index("wrist.R")

    def poses(self, letter: LetterFrames) -> list[FloatArray]:
        out = []
        for offset in TUNE_OFFSETS:
            keys = self.speller.letter_keys(letter, offset)
            if len(keys) == 1:
                out.append(keys[0].quats)
            else:
                end = keys[-1].t
                out.extend(min(keys, key=lambda k: abs(k.t - share * end)).quats for share in MOVING_SHARE)
        return out

    def read(self, letter: LetterFrames) -> list[tuple[HandReading | None, bool]]:
        """Per pose and size: the reading (None: no hand near the wrist) and whether it was found at
        TUNE_CONFIDENCE (False: only at FALLBACK_CONFIDENCE, or not at all)."""
        sk = self.avatar.skeleton
        zero = np.zeros(len(FACE_CHANNELS))
        out: list[tuple[HandReading | None, bool]] = []
        for q in self.poses(letter):
            world_r, world_p = sk.forward(q)
            mesh = self.avatar.deform(world_r, world_p, zero)
            for size, renderer in self.renderers.items():
                image = renderer.render(*mesh)
                wrist = self.camera.project(world_p[self._wrist][None], size, size)[0]
                hand = self._near(self.reader, image, wrist, size)
                if hand is not None:
                    out.append((hand, True))
                else:
                    out.append((self._near(self.fallback, image, wrist, size), False))
        return out

    @staticmethod
    def _near(reader: HandReader, image: UInt8Array, wrist: FloatArray, size: int) -> HandReading | None:
        hand = reader.nearest(image, wrist)
        if hand is None or np.linalg.norm(hand.points[0, :2] - wrist) >= WRIST_TOLERANCE * size:
            return None
        return hand

    def close(self) -> None:
        self.reader.close()
        self.fallback.close()
        for r in self.renderers.values():
            r.close()


def reading_cost(name: str, hand: HandReading | None, refs: LetterReferences,
                 sure: bool = True) -> tuple[float, int, bool]:
    """(cost, planes read right, whether every plane reads it with the margin) of one reading of `name`;
    `sure`: found at TUNE_CONFIDENCE (else only at FALLBACK_CONFIDENCE)."""
    if hand is None or hand.world is None:
        return 1.0, 0, False
    cost, right, clear = (0.0, 0, True) if sure else (NOT_SURE, 0, False)
    for plane, feats in (("image", hand_features(hand.points)), ("world", world_features(hand.world))):
        d = refs.distances(feats, plane)
        own = d[name]
        other = min(v for k, v in d.items() if k != name)
        angles = refs.image_angles[name] if plane == "image" else refs.world_angles[name]
        angle = float(np.abs(feats[:15] - angles).mean())
        cost += max(0.0, own / other - MARGIN) + SLOPE * own / other
        cost += ANGLE_WEIGHT * max(0.0, angle - ANGLE_OK) / ANGLE_OK
        right += own < other
        clear = clear and own / other <= MARGIN and angle <= ANGLE_OK
    return cost, right, clear


class LetterTuner:
    def __init__(self, stage: LetterStage, refs: LetterReferences) -> None:
        self.stage = stage
        self.refs = refs

    def candidate(self, base: LetterFrames, angles: FloatArray, turn: FloatArray) -> LetterFrames:
        quats = turned_hand(self.stage.avatar.skeleton, base.quats, shape_of(angles, base.gloss, ""), turn)
        return LetterFrames(base.gloss, base.times, quats)

    def evaluate(self, name: str, letter: LetterFrames) -> tuple[float, int, int, bool]:
        """(mean reading cost, planes read right, planes read, all clear) of a letter."""
        readings = self.stage.read(letter)
        costs = [reading_cost(name, h, self.refs, sure) for h, sure in readings]
        return (float(np.mean([c for c, _, _ in costs])), sum(r for _, r, _ in costs), 2 * len(readings),
                all(c for _, _, c in costs))

    def tune(self, name: str, base: LetterFrames, shape: Handshape, tries: int, extra: int = 0, seed: int = 0,
             log: Callable[[str], None] | None = None) -> Tuned:
        """Tune letter `name` whose frames `base` hold `shape` (the fit): up to `tries` tries, and up to
        `extra` more while some reading is still wrong."""
        rng = np.random.default_rng(seed)
        a0 = angles_of(shape)
        lo, hi = bounds()
        widths = prior_widths()
        most = np.where(widths < PRIOR_DEG, MAX_SPREAD_DEG, MAX_CHANGE_DEG)
        lo = np.maximum(np.minimum(lo, a0), a0 - most)
        hi = np.minimum(np.maximum(hi, a0), a0 + most)

        def total(delta: FloatArray, rv: FloatArray) -> tuple[float, int, int, bool]:
            turn = Rotation.from_rotvec(rv).as_matrix()
            read, right, n, clear = self.evaluate(name, self.candidate(base, a0 + delta, turn))
            prior = PRIOR * (float(np.mean((delta / widths) ** 2)) + float((np.linalg.norm(rv) / PRIOR_TURN) ** 2))
            return read + prior, right, n, clear

        best_d, best_r = np.zeros(20), np.zeros(3)
        best, right, n, clear = total(best_d, best_r)
        before = best
        step_a, step_r = STEP_DEG, STEP_TURN
        done = 0
        for k in range(tries + extra):
            if clear or (k >= tries and right == n):  # every reading right (with the margin, the angles)
                break
            d, r = best_d.copy(), best_r.copy()
            pick = FREE[rng.choice(len(FREE), CHANGED, replace=False)]
            d[pick] += rng.normal(0.0, step_a, CHANGED)
            d[DIP_INDEX] = DIP_PER_PIP * d[PIP_INDEX]
            d = np.clip(a0 + d, lo, hi) - a0
            if k % 2:
                r = r + rng.normal(0.0, step_r, 3)
                if np.linalg.norm(r) > MAX_TURN:
                    r *= MAX_TURN / np.linalg.norm(r)
            cost, got, n, now_clear = total(d, r)
            done += 1
            if cost <= best:
                best_d, best_r, best, right, clear = d, r, cost, got, now_clear
                step_a, step_r = step_a * 1.5, step_r * 1.5
            else:
                step_a, step_r = max(step_a * 0.9, 2.0), max(step_r * 0.9, 0.02)
            if log:
                log(f"{name} try {k + 1}: cost {cost:.3f} best {best:.3f} right {right}/{n}")
        return Tuned(shape_of(a0 + best_d, shape.name, shape.description, 1), Rotation.from_rotvec(best_r).as_matrix(),
                     before, best, done, right, n)
