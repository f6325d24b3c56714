"""A body that lives (gloss_to_pose/body_motion.py) and the left hand's rest (poser.LEFT_REST).

Angles are measured on the world rotations of Skeleton.forward, so they are what the renderer shows.
"""

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_from_matrix, quat_mul
from signavatar.gloss_to_pose import sequencer as sequencer_module
from signavatar.gloss_to_pose.body_motion import apply_body_motion
from signavatar.gloss_to_pose.motion_checks import bone_length_error, jumps, penetrations, speed_violations
from signavatar.gloss_to_pose.sequencer import REST_HOLD, Sequencer
from signavatar.kinematics.hand_points import hand_points
from signavatar.types import GlossSequence, GlossToken

FPS = 25
TRUNK = ("spine05", "spine04", "spine03", "spine02", "spine01")
#: one-handed signs: neutral space (ICH, TERMIN: chest, neutral), the forehead (DEUTSCHLAND), the ear
#: (TELEFON), the side (KIND), far forward (GEHEN)
ONE_HANDED = ("ICH", "DEUTSCHLAND", "TELEFON", "KIND", "GEHEN")
SEEN = ("head", "upperarm01.R", "upperarm01.L")  # joints whose drift the viewer sees at rest


def _seq(*glosses: str) -> GlossSequence:
    return GlossSequence(tokens=tuple(GlossToken(g) for g in glosses))


def _world_rotvec_deg(world: np.ndarray) -> np.ndarray:
    """(..., 3, 3) world rotations -> (..., 3) rotation vectors in degrees (x forward lean, y turn
    toward the signer's left, z lean toward the signer's right)."""
    q = quat_from_matrix(world)
    angle = 2.0 * np.arccos(np.clip(q[..., 0], -1.0, 1.0))
    axis = q[..., 1:] / np.maximum(np.sin(angle / 2.0), 1e-12)[..., None]
    return np.degrees(axis * angle[..., None])


def _frames(track, gloss: str) -> np.ndarray:
    return np.array([i for i, label in enumerate(track.labels) if label == gloss])


@pytest.fixture(scope="module")
def still(sequencer):
    """20 s of the rest pose, frozen, and the same after apply_body_motion: (skeleton, frozen, alive)."""
    skeleton = sequencer.skeleton
    frozen = np.repeat(sequencer.poser.rest_rotations()[None], 20 * FPS, axis=0)
    alive = frozen.copy()
    apply_body_motion(alive, np.arange(len(alive)) / FPS, skeleton, FPS)
    return skeleton, frozen, alive


def test_a_long_rest_breathes_and_sways_without_wobbling(still) -> None:
    skeleton, _, alive = still
    for name in ("spine02", "spine01", "clavicle.R", "clavicle.L"):
        j = skeleton.index(name)
        swing = np.degrees(quat_angle(quat_mul(quat_conj(alive[:1, j]), alive[:, j])))
        # each joint moves, a few degrees at most (breathing 1-2, sway under 1)
        assert 0.5 < swing.max() < 3.0, (name, swing.max())
    # what the camera sees: the head and shoulders drift by 3-20 mm over 20 s (2-12 px at 512x512,
    # 1.7 mm a pixel at the head): alive, but no wobble
    _, pos = skeleton.forward(alive)
    seen = pos[:, [skeleton.index(n) for n in SEEN]]  # (T, 3 points, 3)
    extent = np.linalg.norm(seen.max(axis=0) - seen.min(axis=0), axis=1)
    assert (extent > 0.003).all() and (extent < 0.02).all(), extent
    # and they never stop: within any second something moves by 0.3 mm or more
    moved = np.linalg.norm(seen[FPS:] - seen[:-FPS], axis=2).max(axis=1)
    assert moved.min() > 0.0003, moved.min()


def test_breathing_rises_at_a_quarter_hertz(still) -> None:
    skeleton, _, alive = still
    clavicle = skeleton.index("clavicle.L")
    lift = np.degrees(quat_angle(alive[:, clavicle]))  # the rest clavicle is the identity
    spectrum = np.abs(np.fft.rfft(lift - lift.mean()))
    freqs = np.fft.rfftfreq(len(lift), 1.0 / FPS)
    assert abs(freqs[np.argmax(spectrum)] - 0.25) < 0.06
    assert 0.5 < lift.max() - lift.min() < 2.5


def test_the_body_motion_is_smooth_and_leaves_the_arms_and_head_alone(still) -> None:
    skeleton, frozen, alive = still
    names = skeleton.names
    moved = {names[j] for j in np.flatnonzero(np.abs(alive - frozen).max(axis=(0, 2)) > 1e-9)}
    assert {"spine02", "spine01", "clavicle.R", "clavicle.L"} <= moved
    assert moved <= {*TRUNK, "clavicle.R", "clavicle.L", "shoulder01.R", "shoulder01.L"}
    # the arm keeps its world direction: shoulder01 undoes the clavicle's turn
    world_frozen, _ = skeleton.forward(frozen)
    world_alive, _ = skeleton.forward(alive)
    for side in ("R", "L"):
        j = skeleton.index(f"shoulder01.{side}")
        spine = skeleton.index("spine01")
        rel_alive = np.einsum("tba,tbc->tac", world_alive[:, spine], world_alive[:, j])
        rel_frozen = np.einsum("tba,tbc->tac", world_frozen[:, spine], world_frozen[:, j])
        assert np.abs(rel_alive - rel_frozen).max() < 1e-9


def test_rest_holds_of_a_clip_are_not_frozen(sequencer) -> None:
    track = sequencer.track(_seq("ICH"), fps=FPS)
    hold = int(REST_HOLD * FPS)
    skeleton = sequencer.skeleton
    _, pos = skeleton.forward(track.rotations)
    seen = pos[:, [skeleton.index(n) for n in SEEN]]
    for frames in (np.arange(hold), np.arange(track.num_frames - hold, track.num_frames)):
        drift = np.linalg.norm(seen[frames] - seen[frames[0]], axis=2).max()
        assert 0.0003 < drift < 0.005, drift


def _trunk_turn(sequencer, *glosses: str) -> tuple[np.ndarray, object]:
    track = sequencer.track(_seq(*glosses), fps=FPS)
    world, _ = sequencer.skeleton.forward(track.rotations)
    return _world_rotvec_deg(world[:, sequencer.skeleton.index("spine01")]), track


def test_the_trunk_turns_and_leans_toward_a_sign_at_the_side(sequencer) -> None:
    side, track = _trunk_turn(sequencer, "KIND")  # the flat hand out at the right side
    at_side = side[_frames(track, "KIND")]
    neutral, ntrack = _trunk_turn(sequencer, "ICH", "TERMIN", "BRAUCHEN")
    signing = neutral[np.array([label != "" for label in ntrack.labels])]
    # toward the right hand: a negative turn about Y and a lean toward the right (positive about Z)
    assert at_side[:, 1].min() < -3.0
    assert at_side[:, 1].min() < 2.0 * -np.abs(signing[:, 1]).max()
    assert at_side[:, 2].max() > np.abs(signing[:, 2]).max() + 1.0
    # a few degrees, not a bow
    assert np.abs(side).max() < 8.0


def test_the_trunk_leans_into_a_sign_far_forward(sequencer) -> None:
    far, track = _trunk_turn(sequencer, "GEHEN")
    neutral, ntrack = _trunk_turn(sequencer, "ICH")
    assert far[_frames(track, "GEHEN"), 0].max() > neutral[_frames(ntrack, "ICH"), 0].max() + 0.8


def test_a_symmetric_two_handed_sign_does_not_turn_the_trunk(sequencer) -> None:
    both, track = _trunk_turn(sequencer, "HAUS")
    assert np.abs(both[_frames(track, "HAUS"), 1]).max() < 1.0  # sway alone turns up to 0.7


def test_the_shoulder_lifts_when_the_arm_is_raised(sequencer) -> None:
    clavicle = sequencer.skeleton.index("clavicle.R")

    def lift(gloss: str) -> float:
        track = sequencer.track(_seq(gloss), fps=FPS)
        return float(np.degrees(quat_angle(track.rotations[_frames(track, gloss), clavicle])).max())

    # hand at the ear (upper arm ~110 degrees up) against hand at the chest (~45): breathing alone is 1.5
    assert lift("TELEFON") > lift("ICH") + 3.0
    assert lift("TELEFON") < 10.0


def test_the_left_hand_rests_beside_the_hip_not_in_front_of_the_belly(sequencer) -> None:
    """In one-handed signs no point of the left hand (wrist, knuckles, fingertips) is in front of the
    belly: the box |x| < 0.135 m (the belly's half width, motion_checks.BODY_VOLUMES), 0 < y < 0.35 m
    (hips to chest), z > 0 (in front of the spine). The old rest (hand across the lower belly,
    fingers toward the midline) had its fingertips at x ~ 0.05."""
    skeleton = sequencer.skeleton
    for gloss in ONE_HANDED:
        track = sequencer.track(_seq(gloss), fps=FPS)
        world, pos = skeleton.forward(track.rotations)
        pts = hand_points(skeleton, world, pos, "L")  # (T, 21, 3)
        in_front = (np.abs(pts[..., 0]) < 0.135) & (pts[..., 1] > 0.0) & (pts[..., 1] < 0.35) & (pts[..., 2] > 0.0)
        assert not in_front.any(), gloss
        # and it stays put: only the body's sway and turn carry it (a few centimetres)
        wrist = pos[:, skeleton.index("wrist.L")]
        assert np.linalg.norm(wrist - wrist[0], axis=1).max() < 0.05, gloss


def test_the_left_hand_joins_two_handed_signs_smoothly(sequencer) -> None:
    skeleton = sequencer.skeleton
    track = sequencer.track(_seq("ICH", "HAUS", "KIND", "WOHNUNG", "DEUTSCHLAND"), fps=FPS)
    _, pos = skeleton.forward(track.rotations)
    wrist = pos[:, skeleton.index("wrist.L")]
    # it comes up for HAUS (both hands at chest height) and goes down again for KIND
    assert wrist[_frames(track, "HAUS"), 1].max() > wrist[_frames(track, "KIND"), 1].max() + 0.15
    left = [j for j, n in enumerate(track.joint_names) if n.endswith(".L")]
    assert not [p for p in jumps(track) if p.split(":")[0] in {track.joint_names[j] for j in left}]
    assert not speed_violations(track, skeleton)
    # hand speed like a signer's (peaks of 2-3 m/s), and no frame where it leaps
    step = np.linalg.norm(np.diff(wrist, axis=0), axis=1)
    assert step.max() * FPS < 3.5
    assert (step[1:-1] < 3.0 * np.maximum(step[:-2], step[2:]) + 0.004).all()


def test_clips_with_a_living_body_pass_every_motion_check(sequencer) -> None:
    skeleton = sequencer.skeleton
    for glosses in (("ICH", "HAUS", "KIND", "TELEFON", "WARUM", "GEHEN"), ("DEUTSCHLAND", "KOMMEN", "STUNDE")):
        track = sequencer.track(_seq(*glosses), fps=FPS)
        assert not speed_violations(track, skeleton), glosses
        assert not jumps(track), glosses
        assert not penetrations(track, skeleton), glosses
        assert bone_length_error(track, skeleton) < 1e-6


def test_clips_stay_reproducible(sequencer) -> None:
    a = sequencer.track(_seq("KIND", "HAUS"), fps=FPS)
    b = Sequencer(sequencer.skeleton, sequencer.lexicon, sequencer.skeleton_id).track(_seq("KIND", "HAUS"), fps=FPS)
    assert np.array_equal(a.rotations, b.rotations)



def test_the_body_motion_keeps_the_hands_together_where_they_touch(sequencer, monkeypatch) -> None:
    """Trunk turns carry both arms alike and the clavicles lift each arm by a few millimetres, so
    where the hands are close (a tap on the palm, a roof of fingertips) they stay where the sign put
    them relative to each other: the hand-to-hand vector changes by less than 5 mm."""
    skeleton = sequencer.skeleton
    seq = _seq("TERMIN", "HAUS", "ARBEIT", "FAMILIE")
    alive = sequencer.track(seq, fps=FPS)
    monkeypatch.setattr(sequencer_module, "apply_body_motion", lambda *args: None)
    plain = sequencer.track(seq, fps=FPS)
    right, left = skeleton.index("wrist.R"), skeleton.index("wrist.L")
    _, a = skeleton.forward(alive.rotations)
    _, b = skeleton.forward(plain.rotations)
    between_alive, between_plain = a[:, right] - a[:, left], b[:, right] - b[:, left]
    close = np.linalg.norm(between_plain, axis=1) < 0.15
    assert close.sum() > 20
    assert np.linalg.norm(between_alive - between_plain, axis=1)[close].max() < 0.005
    # and the body motion did move the hands in the world (the comparison is not of two equal tracks)
    assert np.linalg.norm(a[:, right] - b[:, right], axis=1).max() > 0.003
