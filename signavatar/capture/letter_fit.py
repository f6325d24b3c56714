"""Letters of the manual alphabet as real 3D hands: an inventory handshape fitted to a recording.

The DGS alphabet recordings (alphabet.py) are MediaPipe Holistic landmarks without depth: every
hand point's z is 0. Lifted point by point into 3D (the Retargeter), a fist comes out flat, its
curled fingers folded back in the picture plane: A, M, N and S look like claws, and MediaPipe reads
them in 3D as an open O. Here the letter's hand is the avatar's own hand model instead
(kinematics/hand_model.py: 4 angles per finger, each a rotation about the finger's anatomical
axes), so every finger bends in 3D as a finger does, and its angles (and the hand's orientation)
are fitted so the hand seen from the front lies on the recording's picture of the letter:

  residual = for each of the recording's frames around its middle (FIT_FRAMES): the 21 model points,
             turned by the hand's rotation, scaled and shifted in the picture plane (per frame),
             minus the recorded points, in palm lengths (x, y only: the recording has no depth)
           + (angles - the inventory shape's angles) / widths, weighted PRIOR_WEIGHT (widths: PRIOR_DEG,
             SPREAD_PRIOR_DEG for the fingers' spread)
           + per finger (index to little), (DIP - DIP_PER_PIP * PIP) / COUPLING_DEG, weighted PRIOR_WEIGHT:
             the last joint of a finger bends with the middle one (about 2/3 of it, the tendons
             couple them; Rijpkema & Girard 1991), which a front picture cannot show; without it
             the fit left the fists' last joints almost straight (A: 12-17 deg behind PIP 82-95) or
             at their limit, hands MediaPipe's 3D model does not read as the letter

The prior is the inventory shape of the letter's name (glosses/handshapes.json) or of the letter it
is a movement of (PRIOR_OF: J is I moved, Ä is A moved ...): what the picture cannot say (how far a
finger points at the camera) comes from the shape a DGS signer makes; what the picture says (which
fingers are out, where the thumb lies, how the hand is turned) comes from the recording. Angles
stay within the inventory's range plus a margin (BOUNDS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares
from scipy.spatial.transform import Rotation

from signavatar.avatar.quaternions import quat_from_matrix
from signavatar.avatar.skeleton import Skeleton
from signavatar.capture.retarget import HolisticFrames
from signavatar.kinematics.hand_model import HandModel
from signavatar.lexicon import Handshape
from signavatar.typed import FloatArray
from signavatar.types import PoseTrack

#: recorded frames fitted together: the middle seen frame and this many on each side
FIT_FRAMES = 2
PRIOR_DEG = 30.0  # an angle this far from the prior costs as much as ...
#: ... except a finger's spread, which a picture barely shows (perspective and the reader's noise fan
#: the fingers of a fist apart) and which, fanned, turns a fist into a claw
SPREAD_PRIOR_DEG = 8.0
PRIOR_WEIGHT = 0.04  # ... a point this many palm lengths off in one frame
#: letters without an inventory shape of their own: the letter whose shape they hold
PRIOR_OF = {"J": "I", "Z": "1", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "S"}
FINGER_ORDER = ("thumb", "index", "middle", "ring", "pinky")
#: a finger's DIP bends this share of its PIP (tendon coupling), within COUPLING_DEG at the cost of a
#: point PRIOR_WEIGHT palm lengths off
DIP_PER_PIP, COUPLING_DEG = 2.0 / 3.0, 4.0
#: positions of the fingers' PIP and DIP angles in angles_of order (index to little)
PIP_INDEX = np.array([4 * k + 2 for k in range(1, 5)])
DIP_INDEX = PIP_INDEX + 1
#: (low, high) degrees per angle: thumb (opposition, abduction, mcp, ip), fingers (spread, mcp, pip, dip)
THUMB_BOUNDS = ((0.0, 100.0), (-10.0, 90.0), (-10.0, 80.0), (-10.0, 80.0))
FINGER_BOUNDS = ((-20.0, 25.0), (-15.0, 100.0), (0.0, 110.0), (0.0, 90.0))


@dataclass(frozen=True)
class LetterFit:
    """One letter's fitted hand: the handshape, the hand's world rotation relative to its rest
    orientation (3, 3), the RMS picture residual in palm lengths, the prior's name, the frames fitted."""

    letter: str
    shape: Handshape
    rotation: FloatArray
    residual: float
    prior: str
    frames: tuple[int, ...]


def angles_of(shape: Handshape) -> FloatArray:
    return np.array([a for f in FINGER_ORDER for a in getattr(shape, f)], dtype=np.float64)


def shape_of(angles: FloatArray, name: str, description: str, decimals: int | None = None) -> Handshape:
    a = [tuple(float(v if decimals is None else round(v, decimals)) for v in angles[4 * k: 4 * k + 4])
         for k in range(5)]
    return Handshape(name, description, a[0], a[1], a[2], a[3], a[4])  # type: ignore[arg-type]


def bounds() -> tuple[FloatArray, FloatArray]:
    rows = list(THUMB_BOUNDS) + list(FINGER_BOUNDS) * 4
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows])


def prior_widths() -> FloatArray:
    """(20,) degrees per angle, in angles_of order: a spread is held closer to the prior."""
    return np.array([PRIOR_DEG] * 4 + [SPREAD_PRIOR_DEG, PRIOR_DEG, PRIOR_DEG, PRIOR_DEG] * 4)


def coupling(angles: FloatArray) -> FloatArray:
    """(4,) the fit's residual for the fingers' DIP/PIP coupling (index to little), PRIOR_WEIGHT units."""
    out: FloatArray = PRIOR_WEIGHT * (angles[DIP_INDEX] - DIP_PER_PIP * angles[PIP_INDEX]) / COUPLING_DEG
    return out


def fit_frames(seen: list[int], count: int = FIT_FRAMES) -> tuple[int, ...]:
    """The middle seen frame and `count` seen frames on each side of it."""
    mid = len(seen) // 2
    return tuple(seen[max(0, mid - count): mid + count + 1])


class LetterFitter:
    """Fits handshapes of the right hand of one skeleton to recorded pictures."""

    def __init__(self, skeleton: Skeleton) -> None:
        self.skeleton = skeleton
        self.model = HandModel(skeleton, "R")
        self.wrist = self.model.frame.wrist

    def points(self, angles: FloatArray) -> FloatArray:
        """The 21 hand points (21, 3) of the hand at rest orientation, the wrist at the origin."""
        p: FloatArray = self.model.points(shape_of(angles, "fit", "")) - self.wrist
        return p

    def fit(self, letter: str, prior: Handshape, pictures: FloatArray, start: FloatArray,
            frames: tuple[int, ...] = ()) -> LetterFit:
        """pictures: (F, 21, 2) recorded points (our axes: x, y up), start: (3, 3) a first guess of
        the hand's rotation relative to rest."""
        pictures = np.asarray(pictures, dtype=np.float64)
        n = len(pictures)
        palm = np.linalg.norm(pictures[:, 9] - pictures[:, 0], axis=1) + 1e-9  # (F,)
        a0 = angles_of(prior)
        lo, hi = bounds()
        lo, hi = np.minimum(lo, a0), np.maximum(hi, a0)
        rest_size = float(np.linalg.norm(self.points(a0)[9]))
        widths = prior_widths()

        def unpack(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
            rot = Rotation.from_rotvec(x[20:23]).as_matrix() @ start
            scale = np.exp(x[23: 23 + n])
            shift = x[23 + n:].reshape(n, 2)
            return x[:20], rot, scale, shift

        def residual(x: FloatArray) -> FloatArray:
            angles, rot, scale, shift = unpack(x)
            seen = (self.points(angles) @ rot.T)[:, :2]  # (21, 2)
            fit = scale[:, None, None] * seen[None] + shift[:, None, :]
            picture = ((fit - pictures) / palm[:, None, None]).ravel()
            prior_term = PRIOR_WEIGHT * (angles - a0) / widths
            return np.concatenate([picture, prior_term, coupling(angles)])

        x0 = np.concatenate([a0, np.zeros(3), np.log(palm / rest_size), pictures[:, 0, :].ravel()])
        big = np.full(3 + 3 * n, np.inf)
        done = least_squares(residual, x0, bounds=(np.concatenate([lo, -big]), np.concatenate([hi, big])),
                             x_scale=np.concatenate([np.full(20, 10.0), np.full(3, 0.1), np.full(n, 0.1),
                                                     np.repeat(palm, 2) * 0.1]))
        angles, rot, _, _ = unpack(done.x)
        flat = done.fun[: n * 42].reshape(-1, 2)
        rms = float(np.sqrt((flat ** 2).sum(axis=1).mean()))
        return LetterFit(letter, shape_of(angles, f"FS-{letter}", prior.description, 1), rot, rms,
                         prior.name, frames)


def seen_frames(hand: FloatArray) -> list[int]:
    """The frames of a recorded hand (T, 21, 3) where it is seen (no NaN)."""
    return [t for t in range(len(hand)) if np.isfinite(hand[t]).all()]


def rest_wrist_rotation(skeleton: Skeleton) -> FloatArray:
    """The right wrist's world rotation (3, 3) in the rest pose."""
    rot: FloatArray = skeleton.forward(skeleton.identity(1))[0][0, skeleton.index("wrist.R")]
    return rot


def fit_recording(fitter: LetterFitter, letter: str, frames: HolisticFrames, track: PoseTrack,
                  handshapes: Mapping[str, Handshape]) -> LetterFit:
    """Fit one alphabet recording (its right hand's frames around the middle seen one); `track` is the
    recording retargeted (the Retargeter), whose hand orientation at the middle frame is the start."""
    sk = fitter.skeleton
    seen = seen_frames(frames.right_hand)
    chosen = fit_frames(seen)
    mid = seen[len(seen) // 2]
    world = sk.forward(track.rotations[mid: mid + 1].astype(np.float64))[0][0, sk.index("wrist.R")]
    start = world @ rest_wrist_rotation(sk).T
    prior = handshapes[PRIOR_OF.get(letter, letter)]
    return fitter.fit(letter, prior, frames.right_hand[list(chosen)][:, :, :2], start, chosen)


def fitted_points(fitter: LetterFitter, fit: LetterFit) -> FloatArray:
    """The fitted hand's 21 points (21, 3), our axes, the wrist at the origin, turned as fitted."""
    out: FloatArray = fitter.points(angles_of(fit.shape)) @ fit.rotation.T
    return out


def with_hand(skeleton: Skeleton, quats: FloatArray, shape: Handshape, goals: FloatArray) -> FloatArray:
    """Whole-skeleton local quaternions (K, J, 4) with the right hand's fingers in `shape` (metacarpals
    at rest) and the wrist turned so its world rotation is goals[k] (K, 3, 3) in frame k."""
    out = np.array(quats, dtype=np.float64, copy=True)
    wrist = skeleton.index("wrist.R")
    parent = int(skeleton.parents[wrist])
    for j, r in HandModel(skeleton, "R").rotations(shape).items():
        out[:, j] = r
    for j, name in enumerate(skeleton.names):
        if name.startswith("metacarpal") and name.endswith(".R"):
            out[:, j] = np.array([1.0, 0.0, 0.0, 0.0])
    world = skeleton.forward(out)[0]  # the parents above the wrist are not changed below
    for k in range(len(out)):
        out[k, wrist] = quat_from_matrix(world[k, parent].T @ goals[k])
    return out


def turned_hand(skeleton: Skeleton, quats: FloatArray, shape: Handshape, turn: FloatArray) -> FloatArray:
    """with_hand where every frame's hand keeps its world rotation, turned by `turn` (3, 3)."""
    world = skeleton.forward(quats)[0][:, skeleton.index("wrist.R")]
    return with_hand(skeleton, quats, shape, np.einsum("ij,kjl->kil", turn, world))
