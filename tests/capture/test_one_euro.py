"""The One-Euro filter: less jitter on a still or slow signal, little lag on a fast one, NaN gaps."""

import numpy as np
import pytest

from signavatar.capture.one_euro import OneEuro, one_euro

FPS = 25.0


def _noise(t: int, sigma: float, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, sigma, size=(t, 4, 3))


def test_jitter_on_a_hold_is_more_than_halved() -> None:
    clean = np.ones((100, 4, 3))
    noisy = clean + _noise(100, 0.01)
    out = one_euro(noisy, FPS)
    before = np.abs(noisy - clean)[10:].mean()
    after = np.abs(out - clean)[10:].mean()
    assert after < before / 2, (before, after)


def test_a_fast_ramp_lags_little_and_jitter_still_drops() -> None:
    t = np.arange(60) / FPS
    clean = np.broadcast_to((2.0 * t)[:, None, None], (60, 4, 3)).copy()  # 2 units/s
    noisy = clean + _noise(60, 0.005, seed=1)
    out = one_euro(noisy, FPS)
    lag = (clean - out)[10:].mean()  # units behind the true position
    assert 0.0 <= lag < 0.03, lag  # under a frame of travel (0.08 units) behind
    plain = one_euro(noisy, FPS, OneEuro(beta=0.0))  # without the speed term: a plain low-pass lags
    assert (clean - plain)[10:].mean() > 3 * lag


def test_a_step_is_followed_within_a_few_frames() -> None:
    x = np.zeros((50, 1, 1))
    x[20:] = 1.0
    out = one_euro(x, FPS)
    assert out[19, 0, 0] == 0.0
    assert out[24, 0, 0] > 0.9  # 0.2 s after the step


def test_nan_gaps_stay_gaps_and_restart_the_filter() -> None:
    x = np.zeros((30, 2, 3))
    x[10:15, 0] = np.nan
    x[15:, 0] = 5.0  # reappears elsewhere: no dragging from the old position
    out = one_euro(x, FPS)
    assert np.isnan(out[10:15, 0]).all() and np.isfinite(out[:, 1]).all()
    assert np.allclose(out[15:, 0], 5.0)


def test_scale_makes_units_irrelevant() -> None:
    noisy = np.cumsum(_noise(40, 0.02, seed=2), axis=0)
    a = one_euro(noisy, FPS, scale=1.0)
    b = one_euro(noisy * 100.0, FPS, scale=100.0)
    assert np.allclose(a * 100.0, b)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        OneEuro(min_cutoff=0.0)
    with pytest.raises(ValueError):
        one_euro(np.zeros((3, 1)), fps=0.0)
