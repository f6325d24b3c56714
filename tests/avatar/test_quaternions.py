import numpy as np

from signavatar.avatar.quaternions import (
    quat_angle,
    quat_between,
    quat_from_axis_angle,
    quat_from_matrix,
    quat_mul,
    quat_slerp,
    quat_to_matrix,
)


def test_matrix_round_trip_for_random_rotations() -> None:
    rng = np.random.default_rng(1)
    q = rng.normal(size=(200, 4))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    back = quat_from_matrix(quat_to_matrix(q))
    # q and -q are the same rotation
    assert np.allclose(np.abs(np.sum(q * back, axis=1)), 1.0, atol=1e-9)


def test_axis_angle_rotates_x_to_y_about_z() -> None:
    q = quat_from_axis_angle(np.array([0.0, 0.0, 1.0]), np.pi / 2)
    assert np.allclose(quat_to_matrix(q) @ [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], atol=1e-12)


def test_between_maps_a_to_b_including_opposite_vectors() -> None:
    for a, b in [([1, 0, 0], [0, 1, 0]), ([0, 0, 1], [0, 0, -1]), ([1, 2, 3], [-3, 1, 0.5])]:
        a_, b_ = np.asarray(a, float), np.asarray(b, float)
        got = quat_to_matrix(quat_between(a_, b_)) @ (a_ / np.linalg.norm(a_))
        assert np.allclose(got, b_ / np.linalg.norm(b_), atol=1e-9)


def test_slerp_endpoints_and_constant_speed() -> None:
    a = quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), 0.0)
    b = quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), 1.2)
    assert np.allclose(quat_slerp(a, b, 0.0), a)
    assert np.allclose(quat_slerp(a, b, 1.0), b)
    assert np.isclose(quat_angle(quat_slerp(a, b, 0.25)), 0.3)
    assert np.isclose(quat_angle(quat_mul(b, a)), 1.2)
