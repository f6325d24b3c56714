"""Inverse kinematics and handshapes, checked through forward kinematics of the real rig."""

import numpy as np
import pytest

from signavatar.gloss_to_pose.body_space import LOCATION_POINTS, direction, location_point
from signavatar.kinematics.hand_model import hand_frame
from signavatar.lexicon import HandPose


def _apply(sk, rotations):
    q = sk.identity(1)[0]
    for j, r in rotations.items():
        q[j] = r
    return sk.forward(q)


@pytest.mark.parametrize("location", sorted(LOCATION_POINTS))
@pytest.mark.parametrize("side", ["R", "L"])
def test_palm_centre_reaches_every_location(sequencer, location, side) -> None:
    poser, sk = sequencer.poser, sequencer.skeleton
    pose = HandPose("B", location, (0.0, 0.0, 0.0), "back" if location != "side" else "in", "up")
    world_r, world_p = _apply(sk, poser.pose(pose, side))
    frame = hand_frame(sk, side)
    wrist = sk.index(f"wrist.{side}")
    palm_centre = world_p[wrist] + world_r[wrist] @ (0.045 * frame.fingers)
    target = location_point(location, side)
    reach = poser.arms[side].reach
    shoulder = sk.rest[sk.index(f"upperarm01.{side}")]
    if np.linalg.norm(target - shoulder) < reach - 0.1:
        assert np.linalg.norm(palm_centre - target) < 0.02, location


@pytest.mark.parametrize("palm,fingers", [
    ("forward", "up"), ("down", "forward"), ("in", "up"), ("back", "in"), ("up", "out")])
def test_hand_orientation_follows_palm_and_fingers(sequencer, palm, fingers) -> None:
    poser, sk = sequencer.poser, sequencer.skeleton
    world_r, _ = _apply(sk, poser.pose(HandPose("B", "neutral", (0, 0, 0), palm, fingers), "R"))
    frame = hand_frame(sk, "R")
    r = world_r[sk.index("wrist.R")]
    assert np.degrees(np.arccos(np.clip((r @ frame.fingers) @ direction(fingers, "R"), -1, 1))) < 10
    assert np.degrees(np.arccos(np.clip((r @ frame.palm) @ direction(palm, "R"), -1, 1))) < 10


def test_bones_keep_their_length_under_ik(sequencer) -> None:
    poser, sk = sequencer.poser, sequencer.skeleton
    _, pos = _apply(sk, poser.pose(HandPose("A", "forehead", (0, 0, 0), "back", "up"), "R"))
    rest_len = np.linalg.norm(sk.rest[1:] - sk.rest[sk.parents[1:]], axis=1)
    assert np.allclose(np.linalg.norm(pos[1:] - pos[sk.parents[1:]], axis=1), rest_len, atol=1e-9)


def _tip_distance(sequencer, shape: str, finger: int) -> float:
    poser, sk = sequencer.poser, sequencer.skeleton
    world_r, world_p = _apply(sk, poser.pose(HandPose(shape, "neutral", (0, 0, 0), "forward", "up"), "R"))
    j3 = sk.index(f"finger{finger}-3.R")
    j2 = sk.index(f"finger{finger}-2.R")
    tip = world_p[j3] + world_r[j3] @ (sk.rest[j3] - sk.rest[j2]) * 0.8
    return float(np.linalg.norm(tip - world_p[sk.index("wrist.R")]))


def test_fist_curls_fingers_toward_the_palm_and_flat_hand_extends_them(sequencer) -> None:
    for finger in (2, 3, 4, 5):
        assert _tip_distance(sequencer, "A", finger) < 0.75 * _tip_distance(sequencer, "B", finger)


def test_index_handshape_extends_only_the_index(sequencer) -> None:
    assert _tip_distance(sequencer, "1", 2) > 1.3 * _tip_distance(sequencer, "1", 3)
