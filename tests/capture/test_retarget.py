"""Retargeting MediaPipe Holistic landmarks onto the avatar."""

import numpy as np
import pytest

from signavatar.avatar.lift import CHAINS, FINGER_DEPTH, is_flat, lift_hand, rig_hand_points
from signavatar.avatar.rig import load_avatar
from signavatar.avatar.skeleton import finger_joints
from signavatar.capture.alphabet import alphabet_recordings
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import HolisticFrames, Retargeter
from signavatar.errors import InvalidInputError
from signavatar.gloss_to_pose.poser import Poser
from signavatar.lexicon import HandPose, load_lexicon


@pytest.fixture(scope="module")
def rig():
    avatar = load_avatar()
    lexicon = load_lexicon()
    return avatar.skeleton, Poser(avatar.skeleton, lexicon), Retargeter(avatar.skeleton, lexicon)


def _hand_points(sk, world_r, world_p, side="R") -> np.ndarray:
    """The 21 MediaPipe hand points of a posed skeleton (tips extrapolated along the last bone)."""
    pts = np.zeros((21, 3))
    pts[0] = world_p[sk.index(f"wrist.{side}")]
    for f, finger in enumerate(("thumb", "index", "middle", "ring", "pinky")):
        js = [sk.index(n) for n in finger_joints(side, finger)]
        for k in range(3):
            pts[CHAINS[f][k + 1]] = world_p[js[k]]
        pts[CHAINS[f][4]] = world_p[js[2]] + world_r[js[2]] @ (sk.rest[js[2]] - sk.rest[js[1]]) * 0.85
    return pts


def _synthetic_frames(sk, poser, pose: HandPose) -> tuple[HolisticFrames, np.ndarray, np.ndarray]:
    """Landmarks (with real depth) of the avatar itself holding `pose` with the right hand."""
    q = sk.identity(1)[0]
    for j, r in poser.pose(pose, "R").items():
        q[j] = r
    world_r, world_p = sk.forward(q)
    body = np.full((1, 33, 3), np.nan)
    for mp_id, joint in ((11, "upperarm01.L"), (12, "upperarm01.R"), (13, "lowerarm01.L"), (14, "lowerarm01.R"),
                         (15, "wrist.L"), (16, "wrist.R")):
        body[0, mp_id] = world_p[sk.index(joint)]
    hand = _hand_points(sk, world_r, world_p)[None]
    frames = HolisticFrames(fps=25.0, body=body, left_hand=np.full((1, 21, 3), np.nan), right_hand=hand, face=None)
    return frames, world_r, world_p


@pytest.mark.parametrize("shape,palm,fingers", [("L", "forward", "up"), ("A", "back", "up"), ("V", "down", "forward"),
                                                ("C", "in", "up")])
def test_round_trip_of_the_avatars_own_landmarks(rig, shape, palm, fingers) -> None:
    sk, poser, retarget = rig
    frames, _, world_p = _synthetic_frames(sk, poser, HandPose(shape, "neutral", (0.0, 0.0, 0.0), palm, fingers))
    track = retarget.track(frames, sk.skeleton_id)
    got_r, got_p = sk.forward(track.rotations[0].astype(np.float64))
    got = _hand_points(sk, got_r, got_p)
    ref = frames.right_hand[0]
    # every finger bone points the same way (within 3 degrees)
    for chain in CHAINS:
        for a, b in zip(chain[1:-1], chain[2:]):
            u, v = got[b] - got[a], ref[b] - ref[a]
            angle = np.degrees(np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v), -1, 1)))
            assert angle < 3.0, (shape, a, b, angle)
    # and the wrist is where it was (same body, so the same place)
    assert np.linalg.norm(got_p[sk.index("wrist.R")] - world_p[sk.index("wrist.R")]) < 0.02


def test_lifting_a_flattened_hand_restores_depth_and_keeps_the_picture(rig) -> None:
    sk, poser, _ = rig
    frames, world_r, world_p = _synthetic_frames(sk, poser, HandPose("A", "neutral", (0.0, 0.0, 0.0), "forward", "up"))
    hand = frames.right_hand[0]
    flat = hand.copy()
    flat[:, 2] = 0.3
    assert is_flat(flat) and not is_flat(hand)
    lifted = lift_hand(flat, rig_hand_points(sk, "R"), "R")
    assert np.allclose(lifted[:, :2], hand[:, :2])  # what the camera saw is kept
    # the fist's middle knuckles come toward the camera (the palm faces it), as in the original,
    # with the finger depth compressed by FINGER_DEPTH (see lift.py)
    for pip, knuckle in ((6, 5), (10, 9), (14, 13), (18, 17)):
        true = hand[pip, 2] - hand[knuckle, 2]
        assert true > 0.01
        assert 0.5 * FINGER_DEPTH * true < lifted[pip, 2] - lifted[knuckle, 2] < 1.5 * FINGER_DEPTH * true


def test_every_dgs_alphabet_recording_retargets_to_a_finite_track(rig) -> None:
    sk, _, retarget = rig
    recordings = alphabet_recordings()
    assert len(recordings) == 30 and {"A", "Ä", "Ö", "Ü", "ß", "Z"} <= set(recordings)
    rest_len = np.linalg.norm(sk.rest[1:] - sk.rest[sk.parents[1:]], axis=1)
    for letter, path in recordings.items():
        frames = read_holistic(path)
        track = retarget.track(frames, sk.skeleton_id)
        assert np.isfinite(track.rotations).all(), letter
        _, pos = sk.forward(track.rotations[track.num_frames // 2].astype(np.float64))
        assert np.allclose(np.linalg.norm(pos[1:] - pos[sk.parents[1:]], axis=1), rest_len, atol=1e-6)
        # the signing (right) hand is raised in front of the body, as in fingerspelling
        wrist = pos[sk.index("wrist.R")]
        assert wrist[2] > 0.15, letter


def test_a_file_that_is_not_a_pose_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "x.pose"
    bad.write_bytes(b"\x00\x01garbage")
    with pytest.raises(InvalidInputError, match="x.pose"):
        read_holistic(bad)
    with pytest.raises(InvalidInputError, match="no such"):
        read_holistic(tmp_path / "missing.pose")


def test_an_edge_on_hand_keeps_one_palm_facing_over_the_recording(rig) -> None:
    # FS-T is signed with the hand seen edge-on: per frame the palm's facing sign follows the
    # landmark noise, decided over neighbouring frames it stays put while the letter is held
    from signavatar.avatar.lift import palm_facing
    from signavatar.capture.retarget import facing_signs

    hand = read_holistic(alphabet_recordings()["T"]).right_hand
    held = range(6, 27)
    per_frame = np.sign([palm_facing(hand[t], "R") for t in held])
    assert len(set(per_frame)) == 2  # flips frame by frame
    decided = facing_signs(hand, "R")
    assert set(decided[list(held)]) == {-1.0}
    assert palm_facing(hand[0], "R") > 0.5 and palm_facing(hand[0], "L") < -0.5  # the mirror for a left hand
