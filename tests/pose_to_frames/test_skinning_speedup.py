"""Avatar.deform (column-wise blended 3x4 matrices) against the plain per-vertex 3x3 formulation."""

import numpy as np

from signavatar.avatar.face_channels import BLEND_CHANNELS, FACE_CHANNELS
from signavatar.avatar.rig import load_avatar


def _reference(avatar, world_r, world_p, face):
    rest = avatar.vertices + np.tensordot(face[: len(BLEND_CHANNELS)].astype(np.float32), avatar.channel_deltas, axes=1)
    t = (world_p - np.einsum("jab,jb->ja", world_r, avatar.skeleton.rest)).astype(np.float32)
    w = avatar.skin_weight
    m = (world_r.astype(np.float32)[avatar.skin_index] * w[..., None, None]).sum(axis=1)
    pos = np.einsum("vab,vb->va", m, rest) + (t[avatar.skin_index] * w[..., None]).sum(axis=1)
    nrm = np.einsum("vab,vb->va", m, avatar.rest_normals)
    return pos, nrm / (np.linalg.norm(nrm, axis=1, keepdims=True) + 1e-9)


def test_deform_matches_the_reference_skinning() -> None:
    avatar = load_avatar()
    sk = avatar.skeleton
    rng = np.random.default_rng(3)
    q = sk.identity(1)[0]
    q[:, 1:] += rng.normal(0.0, 0.15, size=(len(q), 3))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    world_r, world_p = sk.forward(q, np.array([0.02, -0.01, 0.03]))
    face = np.zeros(len(FACE_CHANNELS), np.float32)  # every blend channel, and the head channels it ignores
    face[:] = np.linspace(0.1, 0.6, len(FACE_CHANNELS))
    pos, nrm = avatar.deform(world_r, world_p, face)
    ref_pos, ref_nrm = _reference(avatar, world_r, world_p, face)
    assert pos.dtype == np.float32 and pos.shape == ref_pos.shape
    np.testing.assert_allclose(pos, ref_pos, atol=1e-5)
    np.testing.assert_allclose(nrm, ref_nrm, atol=1e-5)
