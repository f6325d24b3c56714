"""Captured hands snap to the nearest inventory handshape, and only when they are near one."""

from __future__ import annotations

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_from_axis_angle, quat_mul
from signavatar.avatar.skeleton import FINGERS, finger_joints
from signavatar.capture.handshape_snap import UNMARKED, passive_prior, snap_handshapes, two_hand_shapes
from signavatar.kinematics.hand_model import HandModel
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import GlossSequence, GlossToken, RenderOptions


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))


def _track_with_shape(pipeline: Pipeline, shape: str, noise_deg: float, seed: int = 0):
    """A short real track whose right fingers hold `shape`, each finger joint turned by noise."""
    track = pipeline.motion(GlossSequence(tokens=(GlossToken("ICH"),)), RenderOptions(width=64, height=64))
    skeleton = pipeline.avatar.skeleton
    model = HandModel(skeleton, "R")
    target = model.rotations(pipeline.lexicon.handshapes[shape])
    rng = np.random.default_rng(seed)
    rot = track.rotations.astype(np.float64).copy()
    joints = [skeleton.index(n) for f in FINGERS for n in finger_joints("R", f)]
    for j in joints:
        axis = rng.normal(size=3)
        wobble = quat_from_axis_angle(axis / np.linalg.norm(axis), np.radians(noise_deg))
        rot[:, j] = quat_mul(target[j], wobble)
    return track.__class__(**{**track.__dict__, "rotations": rot.astype(np.float32)}), joints, target


def test_a_noisy_reading_of_a_shape_snaps_back_to_it(pipeline: Pipeline) -> None:
    track, joints, target = _track_with_shape(pipeline, "V", noise_deg=12.0)
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",))
    assert set(snapped.shapes["R"]) == {"V"}
    assert np.allclose(snapped.track.rotations[:, joints], np.stack([target[j] for j in joints]), atol=1e-5)


def test_a_hand_far_from_every_shape_keeps_its_fingers(pipeline: Pipeline) -> None:
    track, joints, _ = _track_with_shape(pipeline, "V", noise_deg=80.0, seed=1)
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",), max_deg=10.0)
    assert set(snapped.shapes["R"]) == {""}
    assert np.allclose(snapped.track.rotations[:, joints], track.rotations[:, joints])


def test_only_the_active_sides_are_snapped(pipeline: Pipeline) -> None:
    track, _, _ = _track_with_shape(pipeline, "B", noise_deg=5.0)
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",))
    left = [pipeline.avatar.skeleton.index(n) for f in FINGERS for n in finger_joints("L", f)]
    assert "L" not in snapped.shapes
    assert np.array_equal(snapped.track.rotations[:, left], track.rotations[:, left])


def _scores(pipeline: Pipeline, n: int, best: str, others: float = 8.0) -> np.ndarray:
    """(n, S) bank scores that fit `best` exactly and every other shape at `others`."""
    names = sorted(pipeline.lexicon.handshapes)
    res = np.full((n, len(names)), others)
    res[:, names.index(best)] = 0.0
    return res


def test_the_bank_outweighs_a_misread_finger_angle(pipeline: Pipeline) -> None:
    # the fingers read as a noisy V, but the hand's landmarks match the bank's readings of Y
    track, joints, _ = _track_with_shape(pipeline, "V", noise_deg=12.0)
    res = _scores(pipeline, track.num_frames, "Y")
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",), bank_scores={"R": res})
    assert set(snapped.shapes["R"]) == {"Y"}
    target = HandModel(pipeline.avatar.skeleton, "R").rotations(pipeline.lexicon.handshapes["Y"])
    assert np.allclose(snapped.track.rotations[:, joints], np.stack([target[j] for j in joints]), atol=1e-5)
    assert snapped.uncertain_share("R", 0, track.num_frames - 1, above=4.0) == 0.0
    # without the bank the angles decide
    assert set(snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",)).shapes["R"]) == {"V"}


def test_a_lost_hand_keeps_the_shape_it_was_last_seen_in_and_one_odd_frame_is_outvoted(pipeline: Pipeline) -> None:
    track, _, _ = _track_with_shape(pipeline, "V", noise_deg=12.0)
    n = track.num_frames
    res = _scores(pipeline, n, "Y")
    res[n // 2] = _scores(pipeline, 1, "B")[0]  # one frame looks like B
    res[:4] = np.nan  # MediaPipe lost the hand in the first frames
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",), bank_scores={"R": res})
    assert set(snapped.shapes["R"]) == {"Y"}
    assert np.isnan(snapped.scores["R"][:4]).all() and np.isfinite(snapped.scores["R"][4:]).all()
    # scores above the line count as uncertain; unseen frames do not count
    assert snapped.uncertain_share("R", 0, n - 1, above=-1.0) == 1.0
    assert snapped.uncertain_share("R", 0, 3, above=-1.0) == 0.0
    assert snapped.uncertain_share("L", 0, n - 1, above=4.0) is None


def test_the_lexicon_s_still_hands_are_mostly_flat(pipeline: Pipeline) -> None:
    prior = passive_prior(pipeline.lexicon)
    assert set(prior) == set(UNMARKED) and abs(sum(prior.values()) - 1.0) < 1e-9
    # TERMIN, BÜRGERAMT, BIS, KOSTEN ...: a flat hand under the moving one; no unmarked shape is ruled out
    assert max(prior, key=prior.get) == "B" and prior["B"] > 0.4
    assert min(prior.values()) > 0.0


def _two_hands(pipeline: Pipeline, right: str, left_fit: dict[str, float], n: int = 10):
    names = tuple(sorted(pipeline.lexicon.handshapes))
    r = _scores(pipeline, n, right, others=6.0)
    left = np.full((n, len(names)), 6.0)
    for shape, score in left_fit.items():
        left[:, names.index(shape)] = score
    return names, r, left


def test_a_still_left_hand_takes_an_unmarked_shape(pipeline: Pipeline) -> None:
    # the right hand is clearly an index (UHR, BIS); the left hand is read badly, a little nearer 3 and U
    # than B: the dominance condition keeps it to the unmarked shapes, and the lexicon's still hands to B
    names, right, left = _two_hands(pipeline, "1", {"3": 4.6, "U": 4.7, "B": 4.9, "A": 5.0})
    r, lh = two_hand_shapes(right, left, names, ["1"] * 10, passive_prior(pipeline.lexicon))
    assert set(r) == {"1"} and set(lh) == {"B"}
    # a left hand read clearly as a fist stays a fist (UHR's left S), the prior does not overrule it
    names, right, left = _two_hands(pipeline, "1", {"S": 1.0, "B": 5.0})
    assert set(two_hand_shapes(right, left, names, ["1"] * 10, passive_prior(pipeline.lexicon))[1]) == {"S"}


def test_hands_that_fit_the_same_shape_take_it_together(pipeline: Pipeline) -> None:
    # both hands read best as bent-B (UMZIEHEN): symmetry fits both better than any still left hand
    names, right, left = _two_hands(pipeline, "bent-B", {"bent-B": 1.5, "B": 3.0})
    r, lh = two_hand_shapes(right, left, names, ["bent-B"] * 10, passive_prior(pipeline.lexicon))
    assert set(r) == set(lh) == {"bent-B"}
    # the right hand's own choice yields to the pair where the left hand fits a shape much better: the
    # right reads W a little better than V, the left reads V far better than W
    names, right, left = _two_hands(pipeline, "W", {"V": 1.0, "W": 5.0})
    right[:, names.index("V")] = 0.5
    r, lh = two_hand_shapes(right, left, names, ["W"] * 10, passive_prior(pipeline.lexicon))
    assert set(r) == set(lh) == {"V"}


def test_a_left_hand_never_seen_follows_the_right(pipeline: Pipeline) -> None:
    names, right, left = _two_hands(pipeline, "S", {})
    left[:] = np.nan
    r, lh = two_hand_shapes(right, left, names, ["S"] * 10, passive_prior(pipeline.lexicon))
    assert r == lh == ["S"] * 10


def test_snap_applies_the_two_hand_conditions_inside_the_sign_only(pipeline: Pipeline) -> None:
    track, _, _ = _track_with_shape(pipeline, "B", noise_deg=5.0)
    n = track.num_frames
    names, right, left = _two_hands(pipeline, "1", {"3": 4.6, "B": 4.9}, n)
    scores = {"R": right, "L": left}
    sides = ("R", "L")
    free = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, sides, bank_scores=scores)
    assert set(free.shapes["L"]) == {"3"}
    a, b = n // 4, n - n // 4
    bound = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, sides, bank_scores=scores, span=(a, b))
    assert set(bound.shapes["L"][a + 2:b - 1]) == {"B"}  # the running mode may move the edges by a frame or two
    assert bound.shapes["L"][0] == "3" and bound.shapes["L"][-1] == "3"
