"""What the two glTF files (gltf_avatar.py, gltf_motion.py) share: node names, the skeleton's nodes,
accessor packing into one binary buffer, quantisation to glTF's normalized integers, the GLB bytes.

The format is described in docs/formats/gltf.md.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
import pygltflib

import signavatar
from signavatar.avatar.skeleton import Skeleton
from signavatar.typed import FloatArray

FORMAT = 2  #: asset.extras.signavatar.format: bump when the files change incompatibly
ROOT_NODE = "avatar"
BODY_NODE = "avatar_body"
ANIMATION = "clip"
GENERATOR = f"signavatar {signavatar.__version__} (pygltflib)"

FLOAT = pygltflib.FLOAT
SHORT = pygltflib.SHORT
BYTE = pygltflib.BYTE
UNSIGNED_BYTE = pygltflib.UNSIGNED_BYTE
UNSIGNED_SHORT = pygltflib.UNSIGNED_SHORT
UNSIGNED_INT = pygltflib.UNSIGNED_INT
_COMPONENT = {FLOAT: np.float32, BYTE: np.int8, SHORT: np.int16, UNSIGNED_BYTE: np.uint8, UNSIGNED_SHORT: np.uint16,
              UNSIGNED_INT: np.uint32}
_UNORM_MAX = {UNSIGNED_BYTE: 255, UNSIGNED_SHORT: 65535}
_SNORM_MAX = {BYTE: 127, SHORT: 32767}
_TYPE = {1: "SCALAR", 2: "VEC2", 3: "VEC3", 4: "VEC4", 16: "MAT4"}


def node_name(joint: str) -> str:
    """A rig joint's glTF node name: "." becomes "_" (three.js strips "." from node names)."""
    return joint.replace(".", "_")


class GltfWriter:
    """One glTF document with one binary buffer, built accessor by accessor, written as GLB bytes.

    Vertex data gets a bufferView of its own (with the vertex-buffer target); everything else
    (indices aside) goes into one shared bufferView, so a motion file's many small keyframe accessors
    cost no bufferView each.
    """

    def __init__(self) -> None:
        self.gltf = pygltflib.GLTF2(asset=pygltflib.Asset(generator=GENERATOR, version="2.0"))
        self._blob = bytearray()
        self._shared = bytearray()
        self._shared_view: int | None = None

    def add_view(self, data: bytes, *, target: int | None = None, stride: int | None = None) -> int:
        """A bufferView of its own for `data`; its index."""
        self._blob.extend(b"\0" * (-len(self._blob) % 4))
        view = pygltflib.BufferView(
            buffer=0, byteOffset=len(self._blob), byteLength=len(data), byteStride=stride, target=target
        )
        self._blob.extend(data)
        self.gltf.bufferViews.append(view)
        return len(self.gltf.bufferViews) - 1

    def add_accessor(
        self, values: np.ndarray[Any, Any], component: int, *, normalized: bool = False, bounds: bool = False,
        target: int | None = None, shared: bool = True,
    ) -> int:
        """An accessor for `values` (N,) or (N, k) already in the component's dtype (see quantise_*).

        target: ARRAY_BUFFER / ELEMENT_ARRAY_BUFFER gives it a bufferView of its own (vertex
        attributes with 3-component 16-bit values get a stride of 8, as glTF's 4-byte alignment
        asks); otherwise it is packed into the shared view. bounds: write min and max (positions and
        animation inputs must have them)."""
        array = np.ascontiguousarray(values, dtype=_COMPONENT[component])
        width = 1 if array.ndim == 1 else array.shape[1]
        count = array.shape[0]
        data = array.tobytes()
        offset: int | None = None
        if target is not None:
            stride = None
            item = array.itemsize * width
            if target == pygltflib.ARRAY_BUFFER and item % 4:
                stride = item + (-item % 4)
                padded = np.zeros((count, stride), np.uint8)
                padded[:, :item] = array.view(np.uint8).reshape(count, item)
                data = padded.tobytes()
            view = self.add_view(data, target=target, stride=stride)
        else:
            view = self._shared_view_index()
            self._shared.extend(b"\0" * (-len(self._shared) % 4))
            offset = len(self._shared)
            self._shared.extend(data)
        accessor = pygltflib.Accessor(
            bufferView=view, byteOffset=offset, componentType=component, normalized=normalized or None,
            count=count, type=_TYPE[width],
        )
        if bounds:
            accessor.min, accessor.max = _bounds(array.reshape(count, width))
        self.gltf.accessors.append(accessor)
        return len(self.gltf.accessors) - 1

    def add_sparse_accessor(
        self, dense: np.ndarray[Any, Any], *, bounds: bool = True, component: int = FLOAT, normalized: bool = False
    ) -> int:
        """An accessor (N, k) stored as its non-zero rows only (a sparse accessor on zeros); `dense`
        already in the component's dtype (float32, or quantised: see quantise_*)."""
        dense = np.ascontiguousarray(dense, dtype=_COMPONENT[component])
        count, width = dense.shape
        rows = np.flatnonzero(np.any(dense != 0, axis=1))
        index_type = UNSIGNED_SHORT if count <= 0xFFFF else UNSIGNED_INT
        indices = rows.astype(_COMPONENT[index_type])
        sparse = pygltflib.Sparse(
            count=len(rows),
            indices=pygltflib.AccessorSparseIndices(
                bufferView=self.add_view(indices.tobytes()), componentType=index_type
            ),
            values=pygltflib.AccessorSparseValues(bufferView=self.add_view(dense[rows].tobytes())),
        )
        accessor = pygltflib.Accessor(
            byteOffset=None, componentType=component, normalized=normalized or None, count=count, type=_TYPE[width],
            sparse=sparse,
        )
        if bounds:
            accessor.min, accessor.max = _bounds(dense)
        self.gltf.accessors.append(accessor)
        return len(self.gltf.accessors) - 1

    def _shared_view_index(self) -> int:
        if self._shared_view is None:
            self.gltf.bufferViews.append(pygltflib.BufferView(buffer=0))  # placed by glb_bytes
            self._shared_view = len(self.gltf.bufferViews) - 1
        return self._shared_view

    def glb_bytes(self, extras: dict[str, Any] | None = None) -> bytes:
        """The document as one .glb (JSON chunk + binary chunk); `extras` becomes
        asset.extras.signavatar, written as given (pygltflib's own writer drops empty lists and
        strings everywhere, which would take `"glosses": []` out of a clip without signs)."""
        blob = bytearray(self._blob)
        if self._shared_view is not None:
            blob.extend(b"\0" * (-len(blob) % 4))
            view = self.gltf.bufferViews[self._shared_view]
            view.byteOffset, view.byteLength = len(blob), len(self._shared)
            blob.extend(self._shared)
        blob.extend(b"\0" * (-len(blob) % 4))
        self.gltf.buffers = [pygltflib.Buffer(byteLength=len(blob))]
        document = json.loads(self.gltf.to_json())
        if extras is not None:
            document["asset"]["extras"] = {"signavatar": extras}
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        text += b" " * (-len(text) % 4)
        chunks = struct.pack("<I4s", len(text), b"JSON") + text + struct.pack("<I4s", len(blob), b"BIN\0") + blob
        return struct.pack("<4sII", b"glTF", 2, 12 + len(chunks)) + chunks


def _bounds(array: np.ndarray[Any, Any]) -> tuple[list[float], list[float]]:
    cast = _short_float if array.dtype.kind == "f" else int
    return [cast(v) for v in array.min(axis=0)], [cast(v) for v in array.max(axis=0)]


def _short_float(value: np.floating[Any]) -> float:
    """A float32 as the shortest decimal that reads back as the same float32 (3.72, not
    3.7200000286102295): shorter JSON, and glTF readers compare min/max in float32."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


def add_skeleton_nodes(writer: GltfWriter, skeleton: Skeleton) -> tuple[int, list[int]]:
    """The root node "avatar" and one node per joint in the rest pose (translation = rest offset from
    the parent, rotation identity); returns (the root node's index, the joints' node indices in
    skeleton order). Both files make exactly these nodes, so their names and rest TRS agree."""
    gltf = writer.gltf
    base = len(gltf.nodes)
    gltf.nodes.append(pygltflib.Node(name=ROOT_NODE, children=[base + 1]))
    joints = [base + 1 + j for j in range(skeleton.num_joints)]
    for j, name in enumerate(skeleton.names):
        gltf.nodes.append(pygltflib.Node(name=node_name(name), translation=rest_translation(skeleton, j)))
    for j, parent in enumerate(skeleton.parents):
        if parent >= 0:
            gltf.nodes[joints[int(parent)]].children.append(joints[j])
        elif j != 0:
            raise ValueError(f"joint {skeleton.names[j]!r} is a second root; glTF export expects one root joint first")
    return base, joints


def rest_translation(skeleton: Skeleton, j: int) -> list[float]:
    """Node j's rest translation in metres (rounded to a micrometre, which keeps the JSON short)."""
    parent = int(skeleton.parents[j])
    offset = skeleton.rest[j] - (skeleton.rest[parent] if parent >= 0 else 0.0)
    return [round(float(v), 6) + 0.0 for v in offset]


def quantise_snorm(values: FloatArray, component: int) -> np.ndarray[Any, Any]:
    """Values in [-1, 1] as glTF normalized BYTE or SHORT (decoded as max(c / max, -1))."""
    scaled = np.round(np.clip(values, -1.0, 1.0) * _SNORM_MAX[component])
    out: np.ndarray[Any, Any] = scaled.astype(_COMPONENT[component])
    return out


def quantise_unorm(values: FloatArray, component: int) -> np.ndarray[Any, Any]:
    """Values in [0, 1] as glTF normalized UNSIGNED_BYTE or UNSIGNED_SHORT (decoded as c / max)."""
    scaled = np.round(np.clip(values, 0.0, 1.0) * _UNORM_MAX[component])
    out: np.ndarray[Any, Any] = scaled.astype(_COMPONENT[component])
    return out


def quantise_weights(weights: FloatArray, component: int) -> np.ndarray[Any, Any]:
    """Skin weights (V, 4) summing to 1 as normalized integers whose sum is exactly the maximum
    (largest remainder rounding: glTF asks that the decoded weights sum to 1)."""
    top = _UNORM_MAX[component]
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum(axis=1, keepdims=True) * top
    out = np.floor(w).astype(np.int64)
    short = top - out.sum(axis=1)
    order = np.argsort(-(w - out), axis=1, kind="stable")
    for k in range(w.shape[1]):
        add = short > k
        out[add, order[add, k]] += 1
    quantised: np.ndarray[Any, Any] = out.astype(_COMPONENT[component])
    return quantised
