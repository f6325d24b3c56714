"""Inventory handshapes fitted to the picture of a hand: the right shape, the right orientation, and
no shape forced on a hand that looks like none of them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from signavatar.capture.hand_fit import HandFitter, fit_hands, fit_orientation
from signavatar.capture.retarget import HolisticFrames, Retargeter
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="module")
def fitter(pipeline: Pipeline) -> HandFitter:
    return HandFitter(pipeline.avatar.skeleton, pipeline.lexicon, "R")


def _angle(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip((np.trace(a.T @ b) - 1) / 2, -1, 1))))


def _picture(fitter: HandFitter, shape: str, rot: np.ndarray, depth_noise: float = 0.0,
             seed: int = 0) -> np.ndarray:
    """The 21 landmarks a camera would give for `shape` turned by `rot`: pixels, our axes, wrist at
    (300, -200), depth (z) as unreliable as asked (noise in palm lengths)."""
    points = fitter.points[fitter.names.index(shape)] @ rot.T * 2500.0 + np.array([300.0, -200.0, 0.0])
    palm = np.linalg.norm(points[9] - points[0])
    points[:, 2] += np.random.default_rng(seed).normal(scale=depth_noise * palm, size=21)
    return points


TURNS = [Rotation.from_euler("xyz", e, degrees=True).as_matrix()
         for e in ((0, 0, 0), (30, -20, 10), (-60, 40, 0), (10, 80, -30), (100, 0, 20))]


@pytest.mark.parametrize("turn", range(len(TURNS)))
def test_the_orientation_comes_back_from_the_picture_even_with_bad_depth(fitter: HandFitter, turn: int) -> None:
    truth = TURNS[turn]
    seen = _picture(fitter, "V", truth, depth_noise=0.3, seed=turn)
    start = Rotation.from_rotvec([0.3, -0.2, 0.25]).as_matrix() @ truth  # ~23 deg off
    found, residual = fit_orientation(fitter.points[fitter.names.index("V")], seen, start)
    assert residual < 0.02
    assert _angle(found, truth) < 5.0


@pytest.mark.parametrize("shape", ["B", "V", "Y", "1", "A", "C"])
def test_the_shape_that_made_the_picture_is_chosen(pipeline: Pipeline, fitter: HandFitter, shape: str) -> None:
    truth = TURNS[1]
    seen = _picture(fitter, shape, truth, depth_noise=0.05)
    hands = np.repeat(seen[None], 5, axis=0)
    fit = fitter.fit(hands, Retargeter(pipeline.avatar.skeleton, pipeline.lexicon))
    assert set(fit.shapes) == {shape}
    assert max(_angle(r, truth) for r in fit.rotations) < 8.0


def test_a_hand_like_no_shape_keeps_its_fingers_and_unseen_frames_stay_unknown(pipeline: Pipeline,
                                                                            fitter: HandFitter) -> None:
    seen = _picture(fitter, "B", TURNS[0])
    rng = np.random.default_rng(3)
    scrambled = seen.copy()
    scrambled[1:] = seen[0] + rng.permutation(seen[1:] - seen[0]) * 1.3  # every joint in the wrong place
    hands = np.stack([scrambled] * 3 + [np.full((21, 3), np.nan)])
    fit = fitter.fit(hands, Retargeter(pipeline.avatar.skeleton, pipeline.lexicon))
    assert fit.shapes == ("", "", "", "")
    assert np.isfinite(fit.rotations[:3]).all() and np.isnan(fit.rotations[3]).all()


def test_the_retargeter_takes_the_fitted_orientation(pipeline: Pipeline, fitter: HandFitter) -> None:
    """Where a fit is given the avatar's hand turns by exactly it; elsewhere the palm triangle rules."""
    skeleton, lexicon = pipeline.avatar.skeleton, pipeline.lexicon
    truth = TURNS[2]
    n = 4
    hand = _picture(fitter, "B", truth) / 2500.0  # metres now
    body = np.full((n, 33, 3), np.nan)
    body[:, 11], body[:, 12] = (0.18, 0.5, 0.0), (-0.18, 0.5, 0.0)  # shoulders (signer's left, right)
    body[:, 14], body[:, 16] = (-0.22, 0.25, 0.05), (-0.15, 0.2, 0.3)  # right elbow, wrist
    right = np.repeat((hand - hand[0] + body[0, 16])[None], n, axis=0)
    frames = HolisticFrames(fps=25.0, body=body, left_hand=np.full((n, 21, 3), np.nan), right_hand=right, face=None)
    given = np.full((n, 3, 3), np.nan)
    given[:2] = TURNS[3]
    track = Retargeter(skeleton, lexicon).track(frames, skeleton.skeleton_id, {"R": given})
    world_r, _ = skeleton.forward(track.rotations.astype(np.float64))
    wrist = skeleton.index("wrist.R")
    assert all(_angle(world_r[t, wrist], TURNS[3]) < 0.5 for t in range(2))
    assert all(_angle(world_r[t, wrist], truth) < 5.0 for t in range(2, n))  # read from the landmarks
    both = fit_hands(right, frames.left_hand, skeleton, lexicon, Retargeter(skeleton, lexicon))
    assert set(both["R"].shapes) == {"B"} and set(both["L"].shapes) == {""}


def test_the_uncertain_share_counts_seen_frames_that_fit_no_shape() -> None:
    from signavatar.capture.hand_fit import MAX_SCORE, HandFit, uncertain_share

    scores = np.array([1.0, MAX_SCORE + 1, np.inf, MAX_SCORE + 2, 1.5, MAX_SCORE + 3])
    fit = HandFit(("B", "", "", "", "B", ""), np.full((6, 3, 3), np.nan), scores)
    assert uncertain_share(fit, 0, 4) == pytest.approx(2 / 4)  # frame 2 unseen
    assert uncertain_share(fit, 2, 2) == 0.0
    assert uncertain_share(fit, 0, 5) == pytest.approx(3 / 5)
