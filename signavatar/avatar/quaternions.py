"""Unit quaternions (w, x, y, z) as numpy arrays (..., 4); all functions broadcast over leading axes."""

from __future__ import annotations

import numpy as np

from signavatar.typed import FloatArray


def quat_normalize(q: FloatArray) -> FloatArray:
    q = np.asarray(q, dtype=np.float64)
    unit: FloatArray = q / np.linalg.norm(q, axis=-1, keepdims=True)
    return unit


def quat_mul(a: FloatArray, b: FloatArray) -> FloatArray:
    aw, ax, ay, az = np.moveaxis(np.asarray(a, dtype=np.float64), -1, 0)
    bw, bx, by, bz = np.moveaxis(np.asarray(b, dtype=np.float64), -1, 0)
    return np.stack(
        [
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ],
        axis=-1,
    )


def quat_conj(q: FloatArray) -> FloatArray:
    conj: FloatArray = np.asarray(q, dtype=np.float64) * np.array([1.0, -1.0, -1.0, -1.0])
    return conj


def quat_from_axis_angle(axis: FloatArray, angle: FloatArray | float) -> FloatArray:
    """Rotation by `angle` radians about `axis` (..., 3), normalised here."""
    axis = np.asarray(axis, dtype=np.float64)
    axis = axis / np.linalg.norm(axis, axis=-1, keepdims=True)
    half = np.asarray(angle, dtype=np.float64)[..., None] / 2.0
    return np.concatenate([np.cos(half), np.sin(half) * axis], axis=-1)


def quat_to_matrix(q: FloatArray) -> FloatArray:
    """(..., 4) -> (..., 3, 3)."""
    w, x, y, z = np.moveaxis(quat_normalize(q), -1, 0)
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], axis=-1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], axis=-1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], axis=-1),
        ],
        axis=-2,
    )


def quat_from_matrix(m: FloatArray) -> FloatArray:
    """(..., 3, 3) rotation matrices -> (..., 4) quaternions with w >= 0."""
    m = np.asarray(m, dtype=np.float64)
    t = m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]
    q = np.stack(
        [
            np.sqrt(np.maximum(0.0, 1 + t)) / 2,
            np.sqrt(np.maximum(0.0, 1 + m[..., 0, 0] - m[..., 1, 1] - m[..., 2, 2])) / 2,
            np.sqrt(np.maximum(0.0, 1 - m[..., 0, 0] + m[..., 1, 1] - m[..., 2, 2])) / 2,
            np.sqrt(np.maximum(0.0, 1 - m[..., 0, 0] - m[..., 1, 1] + m[..., 2, 2])) / 2,
        ],
        axis=-1,
    )
    q[..., 1] = np.copysign(q[..., 1], m[..., 2, 1] - m[..., 1, 2])
    q[..., 2] = np.copysign(q[..., 2], m[..., 0, 2] - m[..., 2, 0])
    q[..., 3] = np.copysign(q[..., 3], m[..., 1, 0] - m[..., 0, 1])
    return quat_normalize(q)


def quat_between(a: FloatArray, b: FloatArray) -> FloatArray:
    """The shortest rotation taking direction a (..., 3) to direction b (..., 3)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    w = 1.0 + np.sum(a * b, axis=-1, keepdims=True)
    xyz = np.cross(a, b)
    # opposite vectors: rotate 180 degrees about any axis perpendicular to a
    opposite = w[..., 0] < 1e-8
    if np.any(opposite):
        perp = np.cross(a, np.array([1.0, 0.0, 0.0]))
        small = np.linalg.norm(perp, axis=-1) < 1e-6
        perp = np.where(small[..., None], np.cross(a, np.array([0.0, 1.0, 0.0])), perp)
        xyz = np.where(opposite[..., None], perp, xyz)
        w = np.where(opposite[..., None], 0.0, w)
    return quat_normalize(np.concatenate([w, xyz], axis=-1))


def quat_slerp(a: FloatArray, b: FloatArray, t: FloatArray | float) -> FloatArray:
    """Spherical interpolation from a to b; t broadcasts against the leading axes."""
    a = quat_normalize(a)
    b = quat_normalize(b)
    t = np.asarray(t, dtype=np.float64)[..., None]
    dot = np.sum(a * b, axis=-1, keepdims=True)
    b = np.where(dot < 0, -b, b)
    dot = np.abs(dot)
    theta = np.arccos(np.clip(dot, -1.0, 1.0))
    sin = np.sin(theta)
    near = sin < 1e-6
    wa = np.where(near, 1.0 - t, np.sin((1.0 - t) * theta) / np.where(near, 1.0, sin))
    wb = np.where(near, t, np.sin(t * theta) / np.where(near, 1.0, sin))
    return quat_normalize(wa * a + wb * b)


def quat_angle(q: FloatArray) -> FloatArray:
    """Rotation angle in radians, in [0, pi]."""
    w = np.abs(quat_normalize(q)[..., 0])
    angle: FloatArray = 2.0 * np.arccos(np.clip(w, -1.0, 1.0))
    return angle
