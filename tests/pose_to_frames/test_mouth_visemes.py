"""Each viseme reads on the rendered face: MediaPipe Face Mesh on a 512x512 frame of the whole avatar
(the signing camera) finds the lips touching for closed, wide apart for open, and apart for the rest."""

import numpy as np
import pytest

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.gloss_to_pose.mouth_track import VISEME_WEIGHTS
from signavatar.gloss_to_pose.mouthing import Viseme
from signavatar.pose_to_frames.renderer import OffscreenRenderer

UPPER_INNER_LIP, LOWER_INNER_LIP, FOREHEAD, CHIN = 13, 14, 10, 152  # Face Mesh landmark indices


@pytest.fixture(scope="module")
def lip_gaps(avatar) -> dict[str, float]:
    """The inner-lip gap as % of the face's height (forehead to chin), per viseme and at rest."""
    import mediapipe as mp

    sk = avatar.skeleton
    rot, pos = sk.forward(sk.identity(1)[0])
    gaps: dict[str, float] = {}
    with OffscreenRenderer(avatar, 512, 512) as r, mp.solutions.face_mesh.FaceMesh(
        static_image_mode=True, max_num_faces=1, refine_landmarks=True
    ) as mesh:
        for name, weights in [("rest", {})] + [(v.value, VISEME_WEIGHTS[v]) for v in Viseme]:
            face = np.array([weights.get(c, 0.0) for c in FACE_CHANNELS])
            found = mesh.process(r.render(*avatar.deform(rot, pos, face))).multi_face_landmarks
            assert found, f"{name}: Face Mesh finds no face"
            p = np.array([(q.x, q.y) for q in found[0].landmark]) * 512
            gaps[name] = float(np.linalg.norm(p[UPPER_INNER_LIP] - p[LOWER_INNER_LIP])
                               / np.linalg.norm(p[FOREHEAD] - p[CHIN]) * 100)
    return gaps


def test_closed_lips_touch(lip_gaps) -> None:
    assert lip_gaps["closed"] < 0.5 and lip_gaps["puffed"] < 0.5 and lip_gaps["rest"] < 0.5


def test_open_vowel_opens_the_mouth_wide(lip_gaps) -> None:
    assert lip_gaps["open"] > 10.0
    assert lip_gaps["open"] > 2 * max(g for v, g in lip_gaps.items() if v != "open")


@pytest.mark.parametrize("viseme", ["lip_teeth", "rounded", "spread", "tongue_teeth", "neutral"])
def test_other_visemes_part_the_lips(lip_gaps, viseme) -> None:
    assert lip_gaps[viseme] > 2.0, lip_gaps
