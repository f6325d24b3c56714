"""The 30 recorded letters of the DGS manual alphabet as references for reading letters back.

Per letter, two references of the recording's middle seen frame:
  image - the recording's right hand as the picture shows it (hand_features: joint and spread angles,
          the hand's direction, the fingertips' places), compared with a reading's image points
  world - the same frame lifted into 3D by the anatomical fit (letter_fit.py: a hand whose fingers
          bend as fingers do, the letter's inventory shape as prior), compared with a reading's 3D
          world points (world_features); the recording itself has no depth
Both are computed from the recordings, never read from the lexicon's letter entries, so an edit of
the letters' data is judged against the recordings.

A still frame cannot tell a letter from its twin that is the same hand with a movement (A and Ä);
a viewer sees the movement. MOVING_LETTERS are the letters of the DGS manual alphabet that move
through space: J and Z are drawn in the air, ß moves down (in the recordings its wrist travels about
1.5 palm lengths in the middle third of the letter), the umlauts are shaken (2-3 times).
`nearest(..., moving=)` compares a reading only with the letters of its kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.capture.alphabet import alphabet_recordings
from signavatar.capture.legibility import bend_angles, hand_features, world_features
from signavatar.capture.letter_fit import LetterFitter, fit_recording, fitted_points, seen_frames
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import Retargeter
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray


def to_image(points: FloatArray) -> FloatArray:
    """Our axes (y up, z toward the viewer) to a picture's (y down, z away)."""
    out: FloatArray = np.asarray(points) * np.array([1.0, -1.0, -1.0])
    return out


#: the letters whose sign moves the hand through space (DGS manual alphabet)
MOVING_LETTERS = frozenset("JZÄÖÜß")


@dataclass(frozen=True)
class LetterReferences:
    """Per letter: image-plane features and bend angles of the recording's middle frame, and the same
    of its 3D lift."""

    image: dict[str, FloatArray]
    image_angles: dict[str, FloatArray]
    world: dict[str, FloatArray]
    world_angles: dict[str, FloatArray]

    def distances(self, features: FloatArray, plane: str) -> dict[str, float]:
        """Mean absolute feature difference to every letter's reference in `plane` ("image" or "world")."""
        refs = self.image if plane == "image" else self.world
        return {k: float(np.abs(v - features).mean()) for k, v in refs.items()}

    def nearest(self, features: FloatArray, plane: str, moving: bool | None = None) -> str:
        """The letter whose reference is nearest; with `moving` given, only among the letters that
        move (True) or hold still (False)."""
        d = self.distances(features, plane)
        if moving is not None:
            d = {k: v for k, v in d.items() if (k in MOVING_LETTERS) == moving}
        return min(d, key=lambda k: d[k])


def middle_seen(hand: FloatArray) -> int:
    """The middle one of the frames (T, 21, 3) where the hand is seen."""
    seen = seen_frames(hand)
    return seen[len(seen) // 2]


def letter_references(skeleton: Skeleton, lexicon: Lexicon) -> LetterReferences:
    retarget = Retargeter(skeleton, lexicon)
    fitter = LetterFitter(skeleton)
    image, image_angles, world, world_angles = {}, {}, {}, {}
    for letter, path in alphabet_recordings().items():
        frames = read_holistic(path)
        rec = to_image(frames.right_hand[middle_seen(frames.right_hand)])
        image[letter], image_angles[letter] = hand_features(rec), bend_angles(rec[:, :2])
        fit = fit_recording(fitter, letter, frames, retarget.track(frames, skeleton.skeleton_id), lexicon.handshapes)
        lifted = to_image(fitted_points(fitter, fit))
        world[letter], world_angles[letter] = world_features(lifted), bend_angles(lifted)
    return LetterReferences(image, image_angles, world, world_angles)
