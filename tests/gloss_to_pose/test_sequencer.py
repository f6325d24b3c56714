"""Gloss sequences -> continuous PoseTracks."""

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul
from signavatar.errors import UnknownGlossError
from signavatar.gloss_to_pose.motion_checks import JOINT_SPEED_LIMITS_DEG_S, joint_group
from signavatar.gloss_to_pose.sequencer import number_signs
from signavatar.types import GlossSequence, GlossToken


def _seq(*glosses: str, kind: str = "lexicon", nonmanual: tuple[str, ...] = ()) -> GlossSequence:
    return GlossSequence(tokens=tuple(GlossToken(g, kind=kind, nonmanual=nonmanual) for g in glosses))


def test_numbers_compose_up_to_9999_and_longer_ones_go_digit_by_digit() -> None:
    assert number_signs("7") == ["NUM-7"]
    assert number_signs("10") == ["NUM-10"]
    assert number_signs("115") == ["NUM-100", "NUM-5", "NUM-10"]
    assert number_signs("2025") == ["NUM-2", "NUM-1000", "NUM-5", "NUM-20"]
    assert number_signs("0049") == ["NUM-0", "NUM-0", "NUM-4", "NUM-9"]
    assert number_signs("12345") == ["NUM-1", "NUM-2", "NUM-3", "NUM-4", "NUM-5"]


def test_every_number_up_to_9999_has_its_signs(sequencer) -> None:
    for n in [*range(0, 130), *range(130, 10000, 97), 1000, 2000, 9999]:
        entries = sequencer.entries_for(GlossToken(str(n), kind="number"))
        assert entries and all(e.is_number for e in entries), n


def test_track_starts_and_ends_at_rest_and_labels_follow_the_glosses(sequencer) -> None:
    track = sequencer.track(_seq("ICH", "TERMIN", "BRAUCHEN"), fps=25)
    assert track.rotations.shape == (track.num_frames, sequencer.skeleton.num_joints, 4)
    names = sequencer.skeleton.names
    hands = [j for j, n in enumerate(names) if n.startswith(("upperarm", "lowerarm", "wrist", "metacarpal", "finger"))]
    assert np.allclose(track.rotations[0, hands], track.rotations[-1, hands], atol=1e-6)
    # the body breathes and sways (body_motion.py), so the trunk is near, not at, where it started
    ends = quat_mul(quat_conj(track.rotations[0].astype(np.float64)), track.rotations[-1].astype(np.float64))
    assert np.degrees(quat_angle(ends)).max() < 3.0
    order = [g for i, g in enumerate(track.labels) if g and (i == 0 or track.labels[i - 1] != g)]
    assert order == ["ICH", "TERMIN", "BRAUCHEN"]
    assert track.labels[0] == "" and track.labels[-1] == ""
    assert 2.0 < track.duration < 8.0


def test_motion_is_continuous_without_jumps(sequencer) -> None:
    track = sequencer.track(_seq("WO", "BÜRGERAMT", "fs-MEIER", "7"), fps=25)
    q = track.rotations.astype(np.float64)
    step = np.degrees(quat_angle(quat_mul(quat_conj(q[:-1]), q[1:])))  # (T-1, J)
    # the sequencer plans within motion_checks.JOINT_SPEED_LIMITS_DEG_S (measured: fingers 1814 deg/s, upper
    # arm 323): with easing and in-sign movement no joint may step further between frames at 25 fps than
    # its group's limit allows
    limits = np.array([JOINT_SPEED_LIMITS_DEG_S[joint_group(n)] for n in track.joint_names]) / 25.0
    assert (step < limits).all()


def test_speed_factor_scales_duration(sequencer) -> None:
    slow = sequencer.track(_seq("TERMIN", "KOMMEN"), fps=25, speed=0.5)
    fast = sequencer.track(_seq("TERMIN", "KOMMEN"), fps=25, speed=2.0)
    # 4x the tempo would take joints past the measured speed limits: where it would, moves take longer
    assert slow.duration > 2.5 * fast.duration


def test_fingerspelling_signs_one_letter_after_another(sequencer) -> None:
    short = sequencer.track(_seq("fs-AB", kind="fingerspell"), fps=25)
    long = sequencer.track(_seq("fs-ABCDEF", kind="fingerspell"), fps=25)
    # each further letter adds at least the shortest letter cycle (less one frame of rounding at 25 fps)
    from signavatar.gloss_to_pose.fingerspelling_motion import CYCLE_MIN

    assert long.duration - short.duration >= 4 * CYCLE_MIN - 0.04


def test_negation_shakes_the_head_and_questions_move_the_brows(sequencer) -> None:
    neg = sequencer.track(_seq("KOMMEN", "NICHT", nonmanual=("negation",)), fps=25)
    channels = list(neg.face_channels)
    assert neg.face[:, channels.index("head_shake")].max() > 0.9
    head = sequencer.skeleton.index("head")
    assert np.degrees(quat_angle(neg.rotations[:, head])).max() > 5.0
    wh = sequencer.track(_seq("BÜRGERAMT", "WO", nonmanual=("question-wh",)), fps=25)
    assert wh.face[:, channels.index("brows_down")].max() > 0.8
    yn = sequencer.track(_seq("DU", "TERMIN", "HABEN", nonmanual=("question-yn",)), fps=25)
    assert yn.face[:, channels.index("brows_up")].max() > 0.8


def test_unknown_gloss_names_the_gloss_and_how_to_fingerspell_it(sequencer) -> None:
    with pytest.raises(UnknownGlossError, match="fs-QUATSCHWORT"):
        sequencer.track(_seq("QUATSCHWORT"), fps=25)


def test_a_recording_that_ends_or_starts_mid_movement_loses_that_frame() -> None:
    """A last (or first) frame that moves far faster than the one next to it is the hand already
    leaving for the next sign: the transition does that move (FS-Y's pinky, 16 deg after 5)."""
    from signavatar.avatar.quaternions import quat_from_axis_angle
    from signavatar.gloss_to_pose.sequencer import recorded_span

    def track(degrees: list[float]) -> np.ndarray:
        angles = np.radians(np.cumsum([0.0, *degrees]))
        return np.stack([quat_from_axis_angle(np.array([1.0, 0.0, 0.0]), a) for a in angles])[:, None, :]

    assert recorded_span(track([2, 2, 2, 2, 2])) == (0, 5)  # steady: all frames
    assert recorded_span(track([2, 2, 2, 5, 16])) == (0, 4)  # a burst at the end
    assert recorded_span(track([14, 2, 2, 2, 2])) == (1, 5)  # and at the start
    assert recorded_span(track([6, 8, 9, 8, 12])) == (0, 5)  # fast all along: kept


def test_a_sign_ends_in_a_stop_even_if_its_last_keyframe_says_through(sequencer) -> None:
    """There is no hold after a sign (SIGN_HOLD = 0), so its last key itself must be a stop."""
    from dataclasses import replace

    entry = sequencer.lexicon.entries["TERMIN"]
    frames = (*entry.keyframes[:-1], replace(entry.keyframes[-1], through=True))
    keys, _ = sequencer.sign_keys(replace(entry, keyframes=frames))
    assert not keys[-1].through
    assert keys[1].through == entry.keyframes[1].through  # inner keys keep what the file says


def test_the_plan_lists_every_fingerspelled_letter_in_order_inside_its_word(sequencer) -> None:
    seq = GlossSequence(tokens=(GlossToken("HALLO"), GlossToken("fs-OTTO", kind="fingerspell")))
    plan = sequencer.plan(seq, 1.0)
    assert [g for _, _, g, _ in plan.letters] == ["FS-O", "FS-T", "FS-T", "FS-O"]
    assert all(i == 1 for *_, i in plan.letters)
    start, end, _ = plan.spans[1]
    times = [t for a, b, *_ in plan.letters for t in (a, b)]
    assert times == sorted(times) and start <= times[0] and times[-1] <= end + 1e-9
