"""Exporting a PoseTrack as a MediaPipe-Holistic .pose file, read back by pose-format and retargeted."""

from pathlib import Path

import numpy as np
import pytest
from pose_format import Pose

from signavatar.avatar.rig import load_avatar
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import MIN_FORWARD, Retargeter
from signavatar.exports.pose_file import BODY_LIMBS, BODY_POINTS, write_pose
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.kinematics.hand_points import HAND_LIMBS, HAND_POINTS, hand_points
from signavatar.lexicon import load_lexicon
from signavatar.pose_to_frames.renderer import Camera
from signavatar.text_to_gloss import parse_gloss_string
from signavatar.types import PoseTrack


@pytest.fixture(scope="module")
def setup():
    avatar, lexicon = load_avatar(), load_lexicon()
    sk = avatar.skeleton
    seq = parse_gloss_string("TERMIN ICH BRAUCHEN", lexicon)
    track = Sequencer(sk, lexicon, sk.skeleton_id).track(seq, fps=25, speed=1.0)
    return sk, lexicon, track


@pytest.fixture(scope="module")
def exported(setup, tmp_path_factory) -> Path:
    sk, _, track = setup
    return write_pose(track, sk, tmp_path_factory.mktemp("pose") / "clip.pose", width=640, height=480)


def test_pose_format_reads_it_with_the_holistic_layout(setup, exported) -> None:
    _, _, track = setup
    pose = Pose.read(exported.read_bytes())
    header = pose.header
    assert [(c.name, len(c.points), c.format) for c in header.components] == [
        ("POSE_LANDMARKS", 33, "XYZC"), ("LEFT_HAND_LANDMARKS", 21, "XYZC"), ("RIGHT_HAND_LANDMARKS", 21, "XYZC"),
        ("POSE_WORLD_LANDMARKS", 33, "XYZC"),
    ]
    assert (header.dimensions.width, header.dimensions.height) == (640, 480)
    assert pose.body.data.shape == (track.num_frames, 1, 108, 3)  # (frames, people, points, dims)
    assert pose.body.confidence.shape == (track.num_frames, 1, 108)
    assert pose.body.fps == track.fps
    # the legs are not in our upper-body rig: masked, everything else placed
    conf = pose.body.confidence[0, 0]
    legs = [BODY_POINTS.index(n) for n in BODY_POINTS if n.split("_")[-1] in ("KNEE", "ANKLE", "HEEL") or "FOOT" in n]
    assert len(legs) == 8 and (conf[legs] == 0).all() and (conf[33 + np.array(legs) + 42] == 0).all()
    assert conf.sum() == 2 * (33 - 8) + 42
    assert pose.body.data.mask[0, 0, legs].all() and not pose.body.data.mask[0, 0, 33:75].any()


def test_names_and_limbs_are_mediapipes() -> None:
    from pose_format.utils import holistic  # imports mediapipe: only here, to check our copies

    assert list(BODY_POINTS) == holistic.BODY_POINTS and list(HAND_POINTS) == holistic.HAND_POINTS
    assert set(BODY_LIMBS) == set(holistic.BODY_LIMBS) and set(HAND_LIMBS) == set(holistic.HAND_LIMBS)


def _elbow_angles(sk, pos: np.ndarray, side: str) -> np.ndarray:
    s, e, w = (pos[:, sk.index(f"{j}.{side}")] for j in ("upperarm01", "lowerarm01", "wrist"))
    u, f = e - s, w - e
    cos = (u * f).sum(1) / np.linalg.norm(u, axis=1) / np.linalg.norm(f, axis=1)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def test_retargeting_the_export_gives_back_the_motion(setup, exported) -> None:
    sk, lexicon, track = setup
    frames = read_holistic(exported)
    assert frames.fps == track.fps and frames.body.shape == (track.num_frames, 33, 3)
    back = Retargeter(sk, lexicon).track(frames, sk.skeleton_id)
    rot0, pos0 = sk.forward(track.rotations)
    rot1, pos1 = sk.forward(back.rotations)
    shoulder_z = 0.5 * (sk.rest[sk.index("upperarm01.L"), 2] + sk.rest[sk.index("upperarm01.R"), 2])
    for side in ("R", "L"):
        h0, h1 = hand_points(sk, rot0, pos0, side), hand_points(sk, rot1, pos1, side)
        for f in range(5):
            chain = [0, *range(1 + 4 * f, 5 + 4 * f)]
            for a, b in zip(chain[1:-1], chain[2:]):  # every finger bone points the same way
                u, v = h0[:, b] - h0[:, a], h1[:, b] - h1[:, a]
                cos = (u * v).sum(1) / np.linalg.norm(u, axis=1) / np.linalg.norm(v, axis=1)
                assert np.degrees(np.arccos(np.clip(cos, -1, 1))).max() < 1.0, (side, a, b)
        # the retargeter puts wrists at least MIN_FORWARD in front of the shoulders, which the resting
        # hand is just short of (it moves < 3 cm); where the hands sign, the arm angles come back
        signing = pos0[:, sk.index(f"wrist.{side}"), 2] > shoulder_z + MIN_FORWARD + 0.005
        assert signing.sum() > 20, side
        elbow_error = np.abs(_elbow_angles(sk, pos0, side) - _elbow_angles(sk, pos1, side))
        # 3 degrees, not 2: the retargeter solves each arm from the rest skeleton's shoulder, while the
        # exported shoulders breathe and move with the trunk (gloss_to_pose/body_motion.py, a few mm
        # here), which changes the shoulder-to-wrist reach its IK bends the elbow for
        assert elbow_error[signing].max() < 3.0, side
        for joint in ("wrist", "lowerarm01"):
            j = sk.index(f"{joint}.{side}")
            assert np.linalg.norm(pos0[:, j] - pos1[:, j], axis=1).max() < 0.03, (side, joint)


def test_the_signers_left_hand_is_on_the_image_right_and_pixels_overlay_the_render(setup, exported) -> None:
    sk, _, track = setup
    pose = Pose.read(exported.read_bytes())
    data = np.asarray(pose.body.data.filled(np.nan))[:, 0]
    left_wrist = data[:, BODY_POINTS.index("LEFT_WRIST")]
    assert np.allclose(data[:, 33], left_wrist, atol=1e-3)  # LEFT_HAND_LANDMARKS' wrist
    assert np.allclose(data[:, 54], data[:, BODY_POINTS.index("RIGHT_WRIST")], atol=1e-3)
    assert (data[:, BODY_POINTS.index("LEFT_SHOULDER"), 0] > 320).all()
    assert (data[:, BODY_POINTS.index("NOSE"), 1] < data[:, BODY_POINTS.index("LEFT_SHOULDER"), 1]).all()  # y down
    # the weak-perspective pixels stay close to where the perspective render draws the hands
    rot, pos = sk.forward(track.rotations)
    for side, start in (("L", 33), ("R", 54)):
        drawn = Camera().project(hand_points(sk, rot, pos, side).reshape(-1, 3), 640, 480)
        off = np.abs(drawn - data[:, start:start + 21, :2].reshape(-1, 2)).max(axis=1)
        # the weak perspective is off the more, the further from the picture's centre: 15 px where the
        # hands sign, as much as for the hips (27 px) in the bottom quarter, where the resting left hand
        # hangs beside the hip and passes on its way up (exports/pose_file.py)
        upper = drawn[:, 1] < 0.75 * 480
        assert upper.sum() >= 21 * 10, side  # TERMIN brings the left hand up for ten frames or more
        assert off[upper].max() < 15.0, side
        assert off.max() < 27.0, side


def test_world_landmarks_are_metres_around_the_hips(setup, exported) -> None:
    sk, _, track = setup
    world = np.asarray(Pose.read(exported.read_bytes()).body.data.filled(np.nan))[:, 0, 75:]
    shoulders = world[:, [BODY_POINTS.index("LEFT_SHOULDER"), BODY_POINTS.index("RIGHT_SHOULDER")]]
    # the shoulder width of each frame (the clavicles breathe and lift, body_motion.py), in metres
    _, pos = sk.forward(track.rotations)
    width = np.linalg.norm(pos[:, sk.index("upperarm01.L")] - pos[:, sk.index("upperarm01.R")], axis=1)
    assert np.allclose(np.linalg.norm(shoulders[:, 0] - shoulders[:, 1], axis=1), width, atol=1e-4)
    hips = world[:, [BODY_POINTS.index("LEFT_HIP"), BODY_POINTS.index("RIGHT_HIP")]].mean(axis=1)
    assert np.allclose(hips, 0.0, atol=1e-5)
    assert (shoulders[:, :, 1] < 0).all()  # above the hips: y down


def test_a_track_of_another_skeleton_is_refused(setup, tmp_path) -> None:
    sk, _, track = setup
    other = PoseTrack(fps=25.0, skeleton_id="x", joint_names=("a",), rotations=np.array([[[1.0, 0, 0, 0]]]),
                      root=np.zeros((1, 3)), face=np.zeros((1, 0)), face_channels=(), labels=("",))
    with pytest.raises(ValueError, match="do not match"):
        write_pose(other, sk, tmp_path / "x.pose")
    assert not (tmp_path / "x.pose").exists()
