"""The avatar: mesh, skeleton, skin weights and face targets loaded from our avatar file.

`Avatar.deform` turns one frame of joint transforms and face weights into skinned vertex positions
and normals with linear blend skinning (<= 4 bones per vertex), all in numpy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from signavatar.avatar.face_channels import BLEND_CHANNELS
from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import AvatarAssetError
from signavatar.typed import BoolArray, Float32Array, FloatArray, IntArray

DEFAULT_ASSET = Path(__file__).resolve().parents[2] / "models" / "build" / "avatar.npz"

#: Blend channels of a PoseTrack (face_channels.py) -> weighted ARKit-style targets of the asset.
CHANNEL_TARGETS: dict[str, dict[str, float]] = {
    "brows_up": {
        "browInnerUp": 2.4, "browOuterUpLeft": 2.2, "browOuterUpRight": 2.2, "eyeWideLeft": 1.2, "eyeWideRight": 1.2,
    },
    "brows_down": {
        "browDownLeft": 2.0, "browDownRight": 2.0, "eyeSquintLeft": 0.7, "eyeSquintRight": 0.7,
        "noseSneerLeft": 0.4, "noseSneerRight": 0.4,
    },
    "mouth_open": {"jawOpen": 0.6, "mouthLowerDownLeft": 0.2, "mouthLowerDownRight": 0.2},
    "mouth_round": {"mouthFunnel": 0.7, "mouthPucker": 0.5, "jawOpen": 0.12},
    "mouth_spread": {
        "mouthStretchLeft": 0.4, "mouthStretchRight": 0.4, "mouthSmileLeft": 0.25, "mouthSmileRight": 0.25,
        "mouthUpperUpLeft": 0.3, "mouthUpperUpRight": 0.3, "mouthLowerDownLeft": 0.4, "mouthLowerDownRight": 0.4,
        "jawOpen": 0.1,
    },
    "eyes_closed": {"eyeBlinkLeft": 1.0, "eyeBlinkRight": 1.0},
    "lips_closed": {"mouthPressLeft": 0.5, "mouthPressRight": 0.5, "mouthRollUpper": 0.15, "mouthRollLower": 0.15},
    "lip_teeth": {"mouthRollLower": 0.8, "mouthUpperUpLeft": 0.7, "mouthUpperUpRight": 0.7, "jawOpen": 0.06},
    "cheeks_puff": {"cheekPuff": 1.0, "mouthPressLeft": 0.3, "mouthPressRight": 0.3},
}


@dataclass(frozen=True)
class Avatar:
    """vertices (V, 3) rest positions in metres; faces (F, 3); albedo (V, 3) in [0, 1];
    skin_index/skin_weight (V, 4); channel_deltas (C, V, 3) per BLEND_CHANNELS channel."""

    skeleton: Skeleton
    vertices: FloatArray
    faces: IntArray
    albedo: FloatArray
    skin_index: IntArray
    skin_weight: FloatArray
    channel_deltas: FloatArray
    rest_normals: FloatArray
    version: str
    licence: str
    open_faces: BoolArray  # (F,): one-sided sheets (the hair cap) to draw from both sides

    def deform(
        self, world_r: FloatArray, world_p: FloatArray, face: FloatArray | None = None
    ) -> tuple[Float32Array, Float32Array]:
        """Skinned (positions (V, 3), normals (V, 3)) for one frame.

        world_r (J, 3, 3), world_p (J, 3) from Skeleton.forward; face (C,) weights of face_channels.FACE_CHANNELS.
        """
        rest_t = self._rest_t
        if face is not None and self.channel_deltas.shape[0]:
            w = np.asarray(face[: self.channel_deltas.shape[0]], dtype=np.float32)
            if np.any(w > 1e-3):
                rest_t = rest_t + np.tensordot(w, self.channel_deltas, axes=1).T
        t = world_p - np.einsum("jab,jb->ja", world_r, self.skeleton.rest)
        # Blend the 3x4 bone matrices per vertex (rows of `m` are the 12 matrix entries, (12, V)),
        # then apply them column-wise: ~3x faster than gathering (V, 4, 3, 3) and two einsums.
        bone = np.concatenate([world_r, t[:, :, None]], axis=2).reshape(-1, 12).T.astype(np.float32)
        m = bone[:, self.skin_index[:, 0]] * self.skin_weight[:, 0]
        for k in range(1, self.skin_index.shape[1]):
            m += bone[:, self.skin_index[:, k]] * self.skin_weight[:, k]
        x, y, z = rest_t
        nx, ny, nz = self._rest_normals_t
        pos = np.empty((len(x), 3), np.float32)
        nrm = np.empty((len(x), 3), np.float32)
        for a in range(3):
            pos[:, a] = m[4 * a] * x + m[4 * a + 1] * y + m[4 * a + 2] * z + m[4 * a + 3]
            nrm[:, a] = m[4 * a] * nx + m[4 * a + 1] * ny + m[4 * a + 2] * nz
        nrm /= np.linalg.norm(nrm, axis=1, keepdims=True) + 1e-9
        return pos, nrm

    @cached_property
    def _rest_t(self) -> Float32Array:
        return np.ascontiguousarray(self.vertices.T, dtype=np.float32)  # (3, V)

    @cached_property
    def _rest_normals_t(self) -> Float32Array:
        return np.ascontiguousarray(self.rest_normals.T, dtype=np.float32)  # (3, V)


def vertex_normals(vertices: FloatArray, faces: IntArray) -> FloatArray:
    """Area-weighted vertex normals (V, 3)."""
    tri = vertices[faces]
    fn = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    vn = np.zeros_like(vertices)
    for k in range(3):
        np.add.at(vn, faces[:, k], fn)
    unit: FloatArray = vn / (np.linalg.norm(vn, axis=1, keepdims=True) + 1e-12)
    return unit


@lru_cache(maxsize=4)
def load_avatar(path: Path = DEFAULT_ASSET) -> Avatar:
    """Load and check the avatar file; AvatarAssetError says how to build it when missing."""
    if not path.is_file():
        raise AvatarAssetError(f"avatar asset not found at {path}: run `make setup` (scripts/setup.sh) to build it")
    try:
        data = np.load(path, allow_pickle=False)
        names = tuple(str(n) for n in data["joint_names"])
        skeleton = Skeleton(
            skeleton_id=str(data["skeleton_id"]),
            names=names,
            parents=data["joint_parents"].astype(np.int64),
            rest=data["joint_rest"].astype(np.float64),
        )
        vertices = data["vertices"].astype(np.float32)
        faces = data["faces"].astype(np.int32)
        deltas = _channel_deltas(data, len(vertices))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        avatar = Avatar(
            skeleton=skeleton,
            vertices=vertices,
            faces=faces,
            albedo=data["albedo"].astype(np.float32),
            skin_index=data["skin_index"].astype(np.int64),
            skin_weight=data["skin_weight"].astype(np.float32),
            channel_deltas=deltas,
            rest_normals=vertex_normals(vertices.astype(np.float64), faces).astype(np.float32),
            version=digest,
            licence=str(data["licence"]),
            open_faces=(data["vertex_group"][faces] == "helper-hair").any(axis=1),
        )
    except (KeyError, ValueError, OSError) as exc:
        raise AvatarAssetError(f"avatar asset {path} is broken ({exc}): rebuild it with `make setup`") from exc
    if faces.max() >= len(vertices) or avatar.skin_index.max() >= skeleton.num_joints:
        raise AvatarAssetError(f"avatar asset {path} has out-of-range indices: rebuild it with `make setup`")
    return avatar


def _channel_deltas(data: np.lib.npyio.NpzFile, num_vertices: int) -> Float32Array:
    names = [str(n) for n in data["target_names"]]
    offsets = data["target_offsets"]
    out = np.zeros((len(BLEND_CHANNELS), num_vertices, 3), dtype=np.float32)
    for c, channel in enumerate(BLEND_CHANNELS):
        for target, weight in CHANNEL_TARGETS[channel].items():
            k = names.index(target)
            idx = data["target_vidx"][offsets[k] : offsets[k + 1]]
            out[c, idx] += weight * data["target_delta"][offsets[k] : offsets[k + 1]]
    return out
