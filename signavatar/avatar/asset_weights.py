"""Skin weights smoothed over the shoulders, so a raised arm bends the skin instead of creasing it.

MakeHuman's weights change from the trunk's bones to the arm's within one or two rings of quads over
the shoulder; with linear blend skinning a raised arm then folds the skin along that line (a sharp
notch between the shoulder and the neck, a crease down the back of the armpit). A few rounds of
Laplacian smoothing of the weights over the mesh, faded in around each shoulder, spread the change
over a hand's breadth; the weights stay <= 4 bones per vertex and sum to 1.
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.skeleton import JOINTS
from signavatar.typed import Float32Array, FloatArray, IntArray

_NAMES = [n for n, _ in JOINTS]
ROUNDS = 80
STEP = 0.5  # of the way to the neighbours' mean per round
CORE = 0.08  # metres from the shoulder's bone segment (shoulder01 to upperarm01): smoothed at full strength
REACH = 0.16  # metres: no smoothing beyond


def smooth_shoulder_weights(
    verts: FloatArray, faces: IntArray, bone_idx: IntArray, bone_w: FloatArray, joints: FloatArray
) -> tuple[IntArray, Float32Array]:
    """Skin weights (idx (V, 4), w (V, 4)) smoothed around both shoulders over the mesh faces (F, 3)
    (vertices (V, 3) m, rest joints (J, 3) m); vertices that no face uses keep theirs."""
    dense = np.zeros((len(verts), len(JOINTS)))
    np.add.at(dense, (np.repeat(np.arange(len(verts)), bone_idx.shape[1]), bone_idx.ravel()), bone_w.ravel())
    strength = np.zeros(len(verts))
    for side in ("L", "R"):
        start = joints[_NAMES.index("shoulder01." + side)]
        end = joints[_NAMES.index("upperarm01." + side)]
        d = _distance_to_segment(verts, start, end)
        fade = np.clip((REACH - d) / (REACH - CORE), 0.0, 1.0)
        strength = np.maximum(strength, fade * fade * (3.0 - 2.0 * fade))
    edges = np.unique(np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1), axis=0)
    degree = np.zeros(len(verts))
    np.add.at(degree, edges.ravel(), 1.0)
    rate = (STEP * strength * (degree > 0))[:, None]
    for _ in range(ROUNDS):
        total = np.zeros_like(dense)
        np.add.at(total, edges[:, 0], dense[edges[:, 1]])
        np.add.at(total, edges[:, 1], dense[edges[:, 0]])
        mean = total / np.maximum(degree, 1.0)[:, None]
        dense += rate * (mean - dense)
    # stable order among equal weights keeps the build deterministic
    top = np.argsort(-dense, axis=1, kind="stable")[:, :4]
    w = np.take_along_axis(dense, top, axis=1)
    w /= w.sum(axis=1, keepdims=True)
    return top.astype(np.int32), w.astype(np.float32)


def _distance_to_segment(points: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    ab = b - a
    t = np.clip((points - a) @ ab / (ab @ ab), 0.0, 1.0)
    dist: FloatArray = np.linalg.norm(points - (a + t[:, None] * ab), axis=1)
    return dist
