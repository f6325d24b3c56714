"""A small glTF 2.0 evaluator in numpy, written from the specification (not from our exporter), to
check the exported .glb files without a browser: accessors decoded (byte strides, sparse,
normalized integers), animation samplers (LINEAR with the spec's shortest-path slerp for rotations,
STEP, clamped outside the key range), the node TRS hierarchy, and skinning with inverse bind
matrices and morph targets. Used by tests/exports/test_gltf_*.py and benchmarks/gltf_sizes.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pygltflib

Arr = np.ndarray[Any, Any]
_DTYPES = {5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16, 5125: np.uint32, 5126: np.float32}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}


def load(data: bytes) -> tuple[pygltflib.GLTF2, bytes]:
    gltf = pygltflib.GLTF2.load_from_bytes(data)
    return gltf, gltf.binary_blob()


def accessor(gltf: pygltflib.GLTF2, blob: bytes, index: int) -> Arr:
    """Accessor `index` as float64 (count, width) (normalized integers decoded, sparse applied)."""
    acc = gltf.accessors[index]
    dtype = np.dtype(_DTYPES[acc.componentType])
    width = _WIDTH[acc.type]
    if acc.bufferView is None:
        out = np.zeros((acc.count, width), dtype)
    else:
        out = _view_elements(gltf, blob, acc.bufferView, acc.byteOffset or 0, dtype, width, acc.count)
    if acc.sparse is not None:
        sp = acc.sparse
        idx = _view_elements(gltf, blob, sp.indices.bufferView, sp.indices.byteOffset or 0,
                             np.dtype(_DTYPES[sp.indices.componentType]), 1, sp.count)[:, 0]
        out = out.copy()
        out[idx] = _view_elements(gltf, blob, sp.values.bufferView, sp.values.byteOffset or 0, dtype, width, sp.count)
    values = out.astype(np.float64)
    if acc.normalized:
        top = float(np.iinfo(dtype).max)
        values = np.maximum(values / top, -1.0)
    return values


def _view_elements(
    gltf: pygltflib.GLTF2, blob: bytes, view_index: int, offset: int, dtype: np.dtype[Any], width: int, count: int
) -> Arr:
    view = gltf.bufferViews[view_index]
    item = dtype.itemsize * width
    stride = view.byteStride or item
    start = (view.byteOffset or 0) + offset
    assert start + stride * (count - 1) + item <= (view.byteOffset or 0) + view.byteLength, "accessor outside its view"
    if not count:
        return np.zeros((0, width), dtype)
    raw = np.frombuffer(blob, np.uint8, count=stride * (count - 1) + item, offset=start)
    rows = np.lib.stride_tricks.as_strided(raw, shape=(count, item), strides=(stride, 1))
    return np.ascontiguousarray(rows).view(dtype).reshape(count, width)


def node_index(gltf: pygltflib.GLTF2, name: str) -> int:
    names = [n.name for n in gltf.nodes]
    assert names.count(name) == 1, f"node {name!r} appears {names.count(name)} times"
    return names.index(name)


def slerp(a: Arr, b: Arr, t: float) -> Arr:
    """glTF 2.0 spec, Appendix 'Interpolation': shortest-path slerp of quaternions (x, y, z, w)."""
    d = float(np.dot(a, b))
    angle = np.arccos(min(abs(d), 1.0))
    s = 1.0 if d >= 0 else -1.0
    if angle < 1e-9:
        out = (1 - t) * a + s * t * b
    else:
        out = np.sin(angle * (1 - t)) / np.sin(angle) * a + s * np.sin(angle * t) / np.sin(angle) * b
    normed: Arr = out / np.linalg.norm(out)
    return normed


def sample(times: Arr, values: Arr, t: float, kind: str, path: str) -> Arr:
    """One sampler at time t: `values` (keys, k) for rotation/translation, (keys, targets) for weights."""
    if t <= times[0]:
        return values[0]
    if t >= times[-1]:
        return values[-1]
    k = int(np.searchsorted(times, t, side="right")) - 1
    if kind == "STEP":
        return values[k]
    assert kind == "LINEAR", kind
    u = (t - times[k]) / (times[k + 1] - times[k])
    if path == "rotation":
        return slerp(values[k], values[k + 1], u)
    interpolated: Arr = (1 - u) * values[k] + u * values[k + 1]
    return interpolated


@dataclass
class Animated:
    """An avatar file posed by a motion file's animation, matched by node name (as a player does)."""

    avatar: pygltflib.GLTF2
    avatar_blob: bytes
    motion: pygltflib.GLTF2 | None = None
    motion_blob: bytes = b""

    def channels(self) -> list[tuple[str, str, str, Arr, Arr]]:
        """(node name, path, interpolation, times (K,), values (K, k))"""
        if self.motion is None or not self.motion.animations:
            return []
        out = []
        for ch in self.motion.animations[0].channels:
            sampler = self.motion.animations[0].samplers[ch.sampler]
            times = accessor(self.motion, self.motion_blob, sampler.input)[:, 0]
            values = accessor(self.motion, self.motion_blob, sampler.output)
            name = self.motion.nodes[ch.target.node].name
            if ch.target.path == "weights":
                values = values.reshape(len(times), -1)
            out.append((name, ch.target.path, sampler.interpolation or "LINEAR", times, values))
        return out

    def skinned(self, t: float) -> Arr:
        """(V, 3) skinned vertex positions of the avatar's mesh at time t of the motion."""
        gltf, blob = self.avatar, self.avatar_blob
        trs = {i: _node_trs(n) for i, n in enumerate(gltf.nodes)}
        body = node_index(gltf, "avatar_body")
        mesh = gltf.meshes[gltf.nodes[body].mesh]
        weights = np.asarray(mesh.weights or [0.0] * len(mesh.primitives[0].targets), dtype=np.float64)
        for name, path, kind, times, values in self.channels():
            value = sample(times, values, t, kind, path)
            if path == "weights":
                weights = value
            else:
                i = node_index(gltf, name)
                trs[i] = {**trs[i], path: value}
        world = _world_matrices(gltf, trs)
        prim = mesh.primitives[0]
        pos = accessor(gltf, blob, prim.attributes.POSITION)
        for w, target in zip(weights, prim.targets, strict=True):
            pos = pos + w * accessor(gltf, blob, _target_position(target))
        skin = gltf.skins[gltf.nodes[body].skin]
        ibm = accessor(gltf, blob, skin.inverseBindMatrices).reshape(-1, 4, 4).transpose(0, 2, 1)  # column-major
        joint_m = np.linalg.inv(world[body]) @ np.stack([world[j] for j in skin.joints]) @ ibm
        joints = accessor(gltf, blob, prim.attributes.JOINTS_0).astype(np.int64)
        wts = accessor(gltf, blob, prim.attributes.WEIGHTS_0)
        m = np.einsum("vk,vkab->vab", wts, joint_m[joints])
        out: Arr = np.einsum("vab,vb->va", m[:, :3, :3], pos) + m[:, :3, 3]
        return out


def _target_position(target: Any) -> int:
    # pygltflib reads morph targets as plain dicts, builds them as Attributes
    index = target["POSITION"] if isinstance(target, dict) else target.POSITION
    assert isinstance(index, int)
    return index


def _node_trs(node: pygltflib.Node) -> dict[str, Arr]:
    assert node.matrix is None, "evaluator expects TRS nodes"
    return {
        "translation": np.asarray(node.translation or [0.0, 0.0, 0.0], dtype=np.float64),
        "rotation": np.asarray(node.rotation or [0.0, 0.0, 0.0, 1.0], dtype=np.float64),
        "scale": np.asarray(node.scale or [1.0, 1.0, 1.0], dtype=np.float64),
    }


def _matrix(trs: dict[str, Arr]) -> Arr:
    x, y, z, w = trs["rotation"] / np.linalg.norm(trs["rotation"])
    r = np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ])
    m = np.eye(4)
    m[:3, :3] = r * trs["scale"][None, :]
    m[:3, 3] = trs["translation"]
    return m


def _world_matrices(gltf: pygltflib.GLTF2, trs: dict[int, dict[str, Arr]]) -> dict[int, Arr]:
    world: dict[int, Arr] = {}
    roots = gltf.scenes[gltf.scene or 0].nodes

    def visit(i: int, parent: Arr) -> None:
        world[i] = parent @ _matrix(trs[i])
        for c in gltf.nodes[i].children or []:
            visit(c, world[i])

    for r in roots:
        visit(r, np.eye(4))
    return world
