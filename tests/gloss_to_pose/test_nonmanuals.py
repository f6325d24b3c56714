"""Non-manual grammar on the track: brows and head posture, headshake, nod, blinks, gaze."""

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_angle, quat_to_matrix
from signavatar.gloss_to_pose.blinks import blink_times, phrase_boundary
from signavatar.gloss_to_pose.gaze import VIEWER
from signavatar.gloss_to_pose.motion_checks import jumps, speed_violations
from signavatar.gloss_to_pose.nonmanual_timing import envelope, marker_runs
from signavatar.pose_to_frames.renderer import Camera
from signavatar.types import GlossSequence, GlossToken, PoseTrack

FPS = 25


def _tok(gloss: str, *markers: str, rule: str = "") -> GlossToken:
    return GlossToken(gloss, nonmanual=markers, rule=rule)


def _track(sequencer, *tokens: GlossToken) -> PoseTrack:
    return sequencer.track(GlossSequence(tokens=tokens), fps=FPS)


def _signed(track: PoseTrack, gloss: str, sequencer=None) -> np.ndarray:
    """(T,) frames inside the span of the sign `gloss` (from the motion plan when `sequencer` is
    given: the labels also name the second half of the transition into a sign)."""
    if sequencer is None:
        return np.array([label == gloss for label in track.labels])
    tokens = tuple(GlossToken(g) for g in dict.fromkeys(track.labels) if g)
    ts = np.arange(track.num_frames) / track.fps
    inside = np.zeros(track.num_frames, dtype=bool)
    for start, end, token in sequencer.plan(GlossSequence(tokens=tokens), 1.0).spans:
        if token.gloss == gloss:
            inside |= (ts >= start) & (ts <= end)
    return inside


def _channel(track: PoseTrack, name: str) -> np.ndarray:
    return track.face[:, track.face_channels.index(name)]


def _pitch(track: PoseTrack, sequencer, joint: str) -> np.ndarray:
    """Degrees each frame's local rotation of `joint` turns +Z toward -Y (forward lean / chin down)."""
    z = quat_to_matrix(track.rotations[:, sequencer.skeleton.index(joint)].astype(np.float64))[:, :, 2]
    return np.degrees(np.arcsin(np.clip(-z[:, 1], -1, 1)))


def test_runs_join_consecutive_signs_and_the_envelope_eases(sequencer) -> None:
    a, b, c = _tok("A", "question-yn"), _tok("B", "question-yn"), _tok("C")
    spans = [(0.5, 1.0, a), (1.2, 1.8, b), (2.0, 2.5, c)]
    assert marker_runs(spans, "question-yn") == [(0.5, 1.8)]
    ts = np.arange(0, 3, 0.04)
    w = envelope(ts, marker_runs(spans, "question-yn"))
    assert w[(ts > 0.5) & (ts < 1.8)].min() == 1.0  # no dip in the transition between A and B
    assert w[ts < 0.3].max() == 0.0 and w[ts > 2.0].max() == 0.0
    assert np.abs(np.diff(w)).max() < 0.3  # eased over several frames


def test_yes_no_question_raises_the_brows_and_leans_the_head_forward(sequencer) -> None:
    statement = _track(sequencer, _tok("DU"), _tok("TERMIN"), _tok("HABEN"))
    question = _track(sequencer, *(_tok(g, "question-yn") for g in ("DU", "TERMIN", "HABEN")))
    signed = _signed(question, "TERMIN")
    assert _channel(question, "brows_up")[signed].min() > 0.8
    assert _channel(statement, "brows_up").max() == 0.0
    assert _pitch(question, sequencer, "neck01")[signed].min() > 4.0
    assert np.abs(_pitch(statement, sequencer, "neck01")).max() < 0.1
    # rest at both ends: the face comes back to neutral
    assert _channel(question, "brows_up")[[0, -1]].max() == 0.0


def test_wh_question_lowers_the_brows(sequencer) -> None:
    track = _track(sequencer, _tok("BÜRGERAMT", "question-wh"), _tok("WO", "question-wh"))
    assert _channel(track, "brows_down")[_signed(track, "BÜRGERAMT", sequencer)].min() > 0.8
    assert _channel(track, "brows_up").max() == 0.0


def test_the_headshake_covers_every_negated_sign(sequencer) -> None:
    track = _track(sequencer, _tok("ICH"), _tok("KOMMEN", "negation", rule="verb-last"),
                   _tok("NICHT", "negation", rule="negation"))
    shake = _channel(track, "head_shake")
    assert shake[_signed(track, "KOMMEN", sequencer) | _signed(track, "NICHT", sequencer)].min() > 0.9
    assert shake[_signed(track, "ICH", sequencer)].max() < 0.5
    head = sequencer.skeleton.index("head")
    yaw = np.degrees(quat_angle(track.rotations[:, head].astype(np.float64)))
    assert yaw[_signed(track, "KOMMEN")].max() > 8.0 and yaw[_signed(track, "ICH")].max() < 3.0


def test_affirmation_nods(sequencer) -> None:
    track = _track(sequencer, _tok("RICHTIG", "affirmation"))
    pitch = _pitch(track, sequencer, "head")[_signed(track, "RICHTIG")]
    assert pitch.max() > 7.0 and pitch.min() < 2.0  # down and back up


def test_every_marker_moves_smoothly_within_the_speed_limits(sequencer) -> None:
    track = _track(
        sequencer, _tok("DU", "condition", rule="pronoun"), _tok("TERMIN", "condition"),
        _tok("HABEN", "negation", "condition", rule="verb-last"),
        _tok("KEIN", "negation", "condition", rule="negation"),
        _tok("DORT", "question-yn"), _tok("JA", "affirmation"), _tok("FORMULAR", "topic"),
        _tok("WO", "question-wh", rule="question-wh"),
    )
    assert jumps(track) == []
    assert speed_violations(track, sequencer.skeleton) == []


def test_blinks_fall_between_signs_at_phrase_ends(sequencer) -> None:
    tokens = (_tok("DU", "condition", rule="pronoun"), _tok("TERMIN", "condition"),
              _tok("HABEN", "condition", rule="verb-last"), _tok("DU", rule="pronoun"),
              _tok("WARTEN", rule="verb-last"))
    plan = sequencer.plan(GlossSequence(tokens=tokens), 1.0)
    times = blink_times(plan.spans, plan.keys[-1].time)
    boundary = (plan.spans[2][1] + plan.spans[3][0]) / 2  # after the condition clause
    assert any(abs(t - boundary) < 1e-9 for t in times)
    assert times[-1] > plan.spans[-1][1]  # and at the end of the sentence
    for t in times:
        assert not any(start < t < end for start, end, _ in plan.spans), t
    track = sequencer.track(GlossSequence(tokens=tokens), fps=FPS)
    closed = _channel(track, "eyes_closed")
    ts = np.arange(track.num_frames) / FPS
    assert closed[np.abs(ts - boundary) < 0.02].max() > 0.9


def test_phrase_boundaries_follow_the_dgs_order() -> None:
    verb, modal = _tok("KOMMEN", rule="verb-last"), _tok("KÖNNEN", rule="modal-after-verb")
    neg, nxt = _tok("NICHT", rule="negation"), _tok("ICH", rule="pronoun")
    assert not phrase_boundary(verb, modal) and not phrase_boundary(modal, neg)
    assert phrase_boundary(neg, nxt) and phrase_boundary(verb, nxt)
    assert not phrase_boundary(nxt, verb)
    assert phrase_boundary(_tok("DU", "topic"), _tok("ICH"))  # a marked part ends


def test_a_long_stretch_without_boundaries_still_blinks(sequencer) -> None:
    tokens = tuple(_tok(g) for g in ("TERMIN", "FORMULAR", "AUSWEIS", "FOTO", "BRIEF", "KARTE", "TERMIN", "GELD"))
    plan = sequencer.plan(GlossSequence(tokens=tokens), 1.0)
    times = [0.0, *blink_times(plan.spans, plan.keys[-1].time)]
    assert len(times) > 2 and max(np.diff(times)) < 4.5


def test_viewer_is_the_product_camera() -> None:
    camera = Camera()
    assert np.allclose(VIEWER, np.asarray(camera.target) + np.array([0.0, 0.0, camera.distance]))


def _gaze(track: PoseTrack, sequencer, eye: str) -> np.ndarray:
    """(T, 3) world direction the eye looks along (its +Z)."""
    world_r, _ = sequencer.skeleton.forward(track.rotations.astype(np.float64))
    return world_r[:, sequencer.skeleton.index(eye), :, 2]


@pytest.mark.parametrize("eye", ["eye.R", "eye.L"])
def test_the_eyes_look_at_the_viewer_through_a_headshake(sequencer, eye: str) -> None:
    track = _track(sequencer, _tok("ICH"), _tok("KOMMEN", "negation"), _tok("NICHT", "negation"))
    _, pos = sequencer.skeleton.forward(track.rotations.astype(np.float64))
    to_viewer = VIEWER - pos[:, sequencer.skeleton.index(eye)]
    to_viewer /= np.linalg.norm(to_viewer, axis=1, keepdims=True)
    off = np.degrees(np.arccos(np.clip((_gaze(track, sequencer, eye) * to_viewer).sum(1), -1, 1)))
    assert off.max() < 1.0


def test_the_eyes_follow_the_hand_on_a_pointing_sign(sequencer) -> None:
    track = _track(sequencer, _tok("ICH"), _tok("DORT"), _tok("WARTEN"))
    gaze = _gaze(track, sequencer, "eye.R")
    yaw = np.degrees(np.arctan2(gaze[:, 0], gaze[:, 2]))  # DORT points to the signer's right (-X)
    assert yaw[_signed(track, "DORT")].min() < -15.0
    assert np.abs(yaw[_signed(track, "ICH")]).max() < 3.0
