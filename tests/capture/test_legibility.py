"""MediaPipe Hands (0.10.21, models in the wheel) reading our own renders back."""

import numpy as np
import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.capture.alphabet import alphabet_recordings
from signavatar.capture.legibility import HandReader, classify, hand_features, joint_angles
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import Retargeter
from signavatar.lexicon import load_lexicon
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer


def test_joint_angles_of_a_straight_and_a_bent_finger() -> None:
    hand = np.zeros((21, 3))
    for f, x in enumerate((-2.0, -1.0, 0.0, 1.0, 2.0)):
        for k in range(1, 5):
            hand[1 + 4 * f + k - 1] = (x * k, k, 0.0)  # each finger on a straight line from the wrist
    assert np.allclose(joint_angles(hand), 0.0, atol=1e-3)
    hand[8] = hand[7] + (1.0, 1.0, 0.0)  # the index runs along (-1, 1): its tip bent by 90 degrees
    assert np.isclose(joint_angles(hand)[5], 90.0)


def test_classify_picks_the_nearest_template() -> None:
    a, b = np.zeros(23), np.full(23, 50.0)
    assert classify(np.full(23, 10.0), {"A": a, "B": b}) == "A"
    assert classify(np.full(23, 40.0), {"A": a, "B": b}) == "B"


@pytest.fixture(scope="module")
def reader():
    r = HandReader()
    yield r
    r.close()


# letters the benchmark reads well (benchmarks/legibility.py lists all 30); E, Q, ß, Y, L are not yet
@pytest.mark.parametrize("letter", ["B", "D", "V"])
def test_rendered_letter_is_found_and_its_angles_read_back(reader, letter) -> None:
    avatar = load_avatar()
    sk = avatar.skeleton
    frames = read_holistic(alphabet_recordings()[letter])
    seen = [t for t in range(len(frames.right_hand)) if np.isfinite(frames.right_hand[t]).all()]
    mid = seen[len(seen) // 2]
    track = Retargeter(sk, load_lexicon()).track(frames, sk.skeleton_id)
    world_r, world_p = sk.forward(track.rotations[mid].astype(np.float64))
    camera = Camera()
    renderer = OffscreenRenderer(avatar, 512, 512, camera=camera)
    try:
        image = renderer.render(*avatar.deform(world_r, world_p, None))
    finally:
        renderer.close()
    wrist = camera.project(world_p[sk.index("wrist.R")][None], 512, 512)[0]
    hand = reader.nearest(image, wrist)
    assert hand is not None, f"MediaPipe found no hand for {letter}"
    assert np.linalg.norm(hand.points[0, :2] - wrist) < 40  # it is the signing hand
    recorded = frames.right_hand[mid] * np.array([1.0, -1.0, -1.0])
    error = np.abs(joint_angles(hand.points) - joint_angles(recorded)).mean()
    assert error < 20.0, f"{letter}: mean joint angle error {error:.1f} deg"
    assert np.isfinite(hand_features(hand.points)).all()


def test_spread_tells_a_v_from_a_u() -> None:
    from signavatar.capture.legibility import spread_angles

    hand = np.zeros((21, 3))
    for f, x in enumerate((-2.0, -1.0, 0.0, 1.0, 2.0)):
        for k in range(1, 5):
            hand[1 + 4 * f + k - 1] = (x * 0.2, k, 0.0)  # fingers nearly parallel: U-like
    u = spread_angles(hand)
    v = hand.copy()
    for k in range(2):
        v[6 + k] = v[5] + (k + 1) * np.array([-0.5, 1.0, 0.0])  # index fanned away from the middle
    assert abs(spread_angles(v)[1]) > abs(u[1]) + 15
