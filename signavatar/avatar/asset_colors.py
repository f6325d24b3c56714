"""Per-vertex albedo of the avatar: skin-tone hands and face on a dark long-sleeved shirt.

Legibility first (DESIGN.md): the hands must stand out against the clothing, so everything that
is not hand, head or neck is the shirt; brows are darkened so their movement reads at 512 px.
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.asset_hair import hairline_height
from signavatar.avatar.skeleton import JOINTS
from signavatar.typed import Float32Array, FloatArray, IntArray, StrArray

SKIN = np.array([0.87, 0.67, 0.55])
SHIRT = np.array([0.10, 0.13, 0.20])
HAIR = np.array([0.20, 0.13, 0.08])
BROW = np.array([0.25, 0.16, 0.10])
SCLERA = np.array([0.95, 0.95, 0.93])
IRIS = np.array([0.30, 0.20, 0.12])
PUPIL = np.array([0.03, 0.03, 0.03])
TEETH = np.array([0.93, 0.91, 0.85])
TONGUE = np.array([0.62, 0.25, 0.25])
CUFF_REACH = 0.06  # metres from the wrist joint: the hand's skin weights that place the cuff
CUFF_BLEND = 0.006  # metres: a little under one ring of the forearm's quads: a crisp edge, nearly linear in each face
HAIRLINE_BLEND = 0.012  # metres: about one quad of the head, so the blend is linear in each face

_NAMES = [n for n, _ in JOINTS]
_FOREARM_AND_HAND = ("lowerarm", "wrist", "metacarpal", "finger")
_SKIN_BONES = {
    i
    for i, n in enumerate(_NAMES)
    if n in ("head", "jaw", "neck02", "neck03")
    or n.startswith(("wrist", "metacarpal", "finger", "eye"))
}


def vertex_albedo(
    verts: FloatArray,
    groups: StrArray,
    bone_idx: IntArray,
    bone_w: FloatArray,
    joints: FloatArray,
) -> Float32Array:
    """(V, 3) float32 colours in [0, 1] for vertices (V, 3) with their mesh group names (V,)."""
    skin_weight = np.zeros(len(verts))
    for k in range(bone_idx.shape[1]):
        skin_weight += np.where(np.isin(bone_idx[:, k], list(_SKIN_BONES)), bone_w[:, k], 0.0)
    neck_y = joints[_NAMES.index("neck01"), 1]
    is_skin = (skin_weight > 0.5) & (verts[:, 1] > neck_y - 0.005) | (skin_weight > 0.5) & (
        verts[:, 1] < neck_y - 0.15
    )
    colors = np.where(is_skin[:, None], SKIN, SHIRT)
    for side in ("L", "R"):
        colors = _sleeve(colors, verts, skin_weight, bone_idx, bone_w, joints, side)

    for side in ("L", "R"):
        eye = joints[_NAMES.index("eye." + side)]
        on_eye = groups == ("helper-l-eye" if side == "L" else "helper-r-eye")
        d = verts - eye
        d /= np.linalg.norm(d, axis=1, keepdims=True) + 1e-9
        forward = d[:, 2]
        eye_col = np.where((forward > 0.93)[:, None], PUPIL, np.where((forward > 0.80)[:, None], IRIS, SCLERA))
        colors = np.where(on_eye[:, None], eye_col, colors)
        # brows: a band of body skin above each eye
        rel = verts - eye
        brow = (
            (groups == "body")
            & (rel[:, 1] > 0.014)
            & (rel[:, 1] < 0.026 - 0.25 * np.abs(rel[:, 0] - np.sign(eye[0]) * 0.004))
            & (np.abs(rel[:, 0]) < 0.028)
            & (rel[:, 2] > -0.005)
        )
        colors = np.where(brow[:, None], BROW, colors)

    # the scalp, whose colour the hair sheet over it copies (asset_hair.py): a blend over
    # HAIRLINE_BLEND metres across the hairline: the colour edge is the smooth hairline, not the
    # sheet's edge, which follows the mesh's quads and lies on the skin
    hair = np.clip(0.5 + hairline_height(verts, joints) / HAIRLINE_BLEND, 0.0, 1.0)
    hair = np.where(groups == "body", hair, 0.0)
    colors = colors * (1.0 - hair[:, None]) + HAIR * hair[:, None]
    # an open mouth must read as open: light teeth and a dark red tongue inside
    colors = np.where(np.isin(groups, ["helper-upper-teeth", "helper-lower-teeth"])[:, None], TEETH, colors)
    colors = np.where((groups == "helper-tongue")[:, None], TONGUE, colors)
    return colors.astype(np.float32)


def _sleeve(
    colors: FloatArray, verts: FloatArray, skin_weight: FloatArray, bone_idx: IntArray, bone_w: FloatArray,
    joints: FloatArray, side: str,
) -> FloatArray:
    """Colours with one forearm and hand recoloured: shirt up to a cuff plane across the wrist, skin
    beyond. The hand's skin weights pass 0.5 in a zigzag over the quads; the cuff is the plane that
    fits where they do (near the wrist joint, at the same slant), so it stays where the hand's skin
    always began, as a clean ring. A blend over CUFF_BLEND puts the colour edge on the plane inside
    each face. skin_weight (V,) is each vertex's weight on the skin-coloured bones."""
    bones = [i for i, n in enumerate(_NAMES) if n.endswith("." + side) and n.startswith(_FOREARM_AND_HAND)]
    arm = np.where(np.isin(bone_idx, bones), bone_w, 0.0).sum(axis=1) > 0.5
    wrist = joints[_NAMES.index("wrist." + side)]
    elbow = joints[_NAMES.index("lowerarm01." + side)]
    axis = (wrist - elbow) / np.linalg.norm(wrist - elbow)
    edge = arm & (np.abs(skin_weight - 0.5) < 0.25) & (np.linalg.norm(verts - wrist, axis=1) < CUFF_REACH)
    centre = verts[edge].mean(axis=0)
    normal = np.linalg.svd(verts[edge] - centre)[2][2]
    normal *= np.sign(normal @ axis)  # toward the hand
    skin = np.clip(0.5 + ((verts - centre) @ normal) / CUFF_BLEND, 0.0, 1.0)[:, None]
    recoloured: FloatArray = np.where(arm[:, None], SHIRT * (1.0 - skin) + SKIN * skin, colors)
    return recoloured
