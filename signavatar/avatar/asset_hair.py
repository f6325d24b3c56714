"""A short haircut grown from the scalp: a copy of the scalp's faces, lifted along the skin normals.

MakeHuman's `helper-hair` is a fitting hull of 16 separate, overlapping panels that float up to 2.5 cm
above the scalp; cut down to a short haircut it left see-through slits between the panels and between
its edge and the temples. A lifted copy of the scalp is one connected sheet: thick on the crown,
thinning to a fraction of a millimetre at the hairline, where it lies on the skin, so there is no gap
to see through from any side. The scalp below it is painted hair-coloured (asset_colors.py).
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.skeleton import JOINTS
from signavatar.typed import AnyArray, FloatArray, IntArray

_NAMES = [n for n, _ in JOINTS]
THICKNESS = 0.009  # metres of hair on the crown
EDGE_LIFT = 0.0006  # metres at the hairline: on the skin, yet in front of it in the depth buffer
FADE = 0.02  # metres (in height above the hairline) over which the hair thickens to THICKNESS
#: hairline height above the eyes (metres) by azimuth around the head (degrees, 0 = the face,
#: 90 = above the ear, 180 = the back of the head): forehead, temples, over the ears, nape
_HAIRLINE = (
    (0.0, 0.048), (45.0, 0.045), (68.0, 0.032), (80.0, 0.058), (118.0, 0.058), (140.0, 0.010), (180.0, -0.020),
)


def hairline_height(verts: FloatArray, joints: FloatArray) -> FloatArray:
    """(V,) height of each vertex above the hairline in metres (negative below: face, ears, neck)."""
    eyes = joints[[_NAMES.index("eye.L"), _NAMES.index("eye.R")]]
    head = joints[_NAMES.index("head")]
    centre_z = 0.5 * (head[2] + eyes[:, 2].mean())
    azimuth = np.degrees(np.arctan2(np.abs(verts[:, 0]), verts[:, 2] - centre_z))
    angles, heights = zip(*_HAIRLINE)
    line = eyes[:, 1].mean() + np.interp(azimuth, angles, heights)
    above: FloatArray = verts[:, 1] - line
    return above


def scalp_faces(verts: FloatArray, faces: IntArray, joints: FloatArray) -> IntArray:
    """(S,) indices of the body faces (F, 3) that lie wholly above the hairline."""
    above = hairline_height(verts, joints)
    inside: IntArray = np.flatnonzero((above[faces] > 0).all(axis=1))
    return inside


def hair_cap(verts: FloatArray, faces: IntArray, joints: FloatArray) -> tuple[IntArray, FloatArray, IntArray]:
    """The hair sheet over the scalp of a body mesh (vertices (V, 3) m, faces (F, 3)).

    Returns (source (H,) the scalp vertex each hair vertex copies, positions (H, 3), faces (Fh, 3)
    indexing the hair vertices, wound like the body so their normals point outward).
    """
    scalp = faces[scalp_faces(verts, faces, joints)]
    source = np.unique(scalp)
    local = -np.ones(len(verts), dtype=np.int64)
    local[source] = np.arange(len(source))
    normals = _vertex_normals(verts, faces)[source]
    # the sheet thickens with the distance from its own edge (in rings), so it lies on the skin
    # exactly where it ends, whatever the hairline's height there
    rings = _rings_from_edge(local[scalp], len(source))
    above = np.clip(rings / 3.0, 0.0, 1.0)
    above = above * above * (3.0 - 2.0 * above)  # smoothstep
    lift = EDGE_LIFT + (THICKNESS - EDGE_LIFT) * above
    positions: FloatArray = verts[source] + normals * lift[:, None]
    hair_faces: IntArray = local[scalp]
    return source, positions, hair_faces


def copy_targets(targets: dict[str, AnyArray], source: IntArray, first: int) -> dict[str, AnyArray]:
    """Face targets with the moves of each copied vertex repeated on its copy (copies numbered from
    `first`), so a raised brow lifts the hairline with the forehead instead of through it."""
    offsets = targets["target_offsets"]
    copy_of = {int(v): first + i for i, v in enumerate(source)}
    vidx: list[IntArray] = []
    delta: list[AnyArray] = []
    new_offsets = [0]
    for k in range(len(offsets) - 1):
        idx = targets["target_vidx"][offsets[k] : offsets[k + 1]]
        d = targets["target_delta"][offsets[k] : offsets[k + 1]]
        copied = np.asarray([v in copy_of for v in idx.tolist()], dtype=bool)
        extra = np.asarray([copy_of[v] for v in idx[copied].tolist()], dtype=idx.dtype)
        vidx.append(np.concatenate([idx, extra]))
        delta.append(np.concatenate([d, d[copied]]))
        new_offsets.append(new_offsets[-1] + len(vidx[-1]))
    return {
        **targets,
        "target_offsets": np.asarray(new_offsets, dtype=offsets.dtype),
        "target_vidx": np.concatenate(vidx),
        "target_delta": np.concatenate(delta),
    }


def _rings_from_edge(faces: IntArray, num_verts: int) -> FloatArray:
    """(V,) edge hops from each vertex of a sheet (faces (F, 3)) to its open boundary (0 on it)."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    hops = np.full(num_verts, np.inf)
    hops[np.unique(unique[counts == 1])] = 0.0
    for _ in range(num_verts):
        nearer = np.minimum(hops[unique[:, 0]], hops[unique[:, 1]]) + 1.0
        new = hops.copy()
        np.minimum.at(new, unique[:, 0], nearer)
        np.minimum.at(new, unique[:, 1], nearer)
        if np.array_equal(new, hops):
            break
        hops = new
    return hops


def _vertex_normals(verts: FloatArray, faces: IntArray) -> FloatArray:
    tri = verts[faces]
    fn = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    vn = np.zeros_like(verts, dtype=np.float64)
    for k in range(3):
        np.add.at(vn, faces[:, k], fn)
    unit: FloatArray = vn / (np.linalg.norm(vn, axis=1, keepdims=True) + 1e-12)
    return unit
