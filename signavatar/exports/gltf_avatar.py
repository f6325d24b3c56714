"""The avatar as a binary glTF (.glb): skinned mesh, skeleton in the rest pose, the 9 face blend
channels as morph targets, and what a player needs to light and frame it like our videos (extras).

Layout and conventions: docs/formats/gltf.md. The motion of a clip is a separate, small file
(gltf_motion.py) whose nodes have the same names.
"""

from __future__ import annotations

import numpy as np
import pygltflib

from signavatar.avatar.face_channels import BLEND_CHANNELS
from signavatar.avatar.rig import Avatar
from signavatar.exports.gltf_build import (
    BODY_NODE,
    BYTE,
    FLOAT,
    FORMAT,
    SHORT,
    UNSIGNED_BYTE,
    UNSIGNED_SHORT,
    GltfWriter,
    add_skeleton_nodes,
    quantise_snorm,
    quantise_unorm,
    quantise_weights,
)
from signavatar.pose_to_frames.renderer import AMBIENT, LIGHTS, Camera
from signavatar.typed import FloatArray

BACKGROUND = (236, 239, 243)  #: the videos' background colour, sRGB 0..255 (types.RenderOptions)
ZNEAR, ZFAR = 0.05, 6.0  #: the render camera's clip planes (renderer.OffscreenRenderer)
ROUGHNESS = 0.8
#: positions, normals and morph offsets as normalized integers (glTF's KHR_mesh_quantization)
QUANTIZATION = "KHR_mesh_quantization"


def avatar_glb(avatar: Avatar) -> bytes:
    """The avatar as .glb bytes (deterministic for one avatar)."""
    if avatar.channel_deltas.shape[0] != len(BLEND_CHANNELS):
        raise ValueError(f"avatar has {avatar.channel_deltas.shape[0]} face channels, expected {len(BLEND_CHANNELS)}")
    writer = GltfWriter()
    gltf = writer.gltf
    root, joints = add_skeleton_nodes(writer, avatar.skeleton)
    scale, offset = position_quantisation(avatar.vertices)
    attributes = _vertex_attributes(writer, avatar, scale, offset)
    targets = [pygltflib.Attributes(POSITION=_morph_accessor(writer, delta / scale)) for delta in avatar.channel_deltas]
    index_type = UNSIGNED_SHORT if len(avatar.vertices) <= 0xFFFF else pygltflib.UNSIGNED_INT
    gltf.materials = [_material("skin", double_sided=False), _material("hair", double_sided=True)]
    primitives = []
    for material, faces in enumerate((avatar.faces[~avatar.open_faces], avatar.faces[avatar.open_faces])):
        if not len(faces):
            continue
        indices = writer.add_accessor(
            faces.reshape(-1), index_type, target=pygltflib.ELEMENT_ARRAY_BUFFER, bounds=False
        )
        primitives.append(pygltflib.Primitive(
            attributes=attributes, indices=indices, material=material, targets=targets
        ))
    gltf.meshes = [pygltflib.Mesh(
        name=BODY_NODE, primitives=primitives, weights=[0.0] * len(BLEND_CHANNELS),
        extras={"targetNames": list(BLEND_CHANNELS)},
    )]
    # The mesh stores positions quantised (p = scale * q + offset); glTF ignores the skinned mesh
    # node's transform, so the dequantisation goes into each inverse bind matrix: translation(-rest_j)
    # @ (scale, offset) = (scale, offset - rest_j). Morph offsets are in q's units (offset / scale).
    ibm = np.tile(np.eye(4, dtype=np.float32), (len(joints), 1, 1)) * np.float32(scale)
    ibm[:, 3, 3] = 1.0
    ibm[:, 3, :3] = offset - avatar.skeleton.rest  # column-major: the translation is the 4th column, stored last
    gltf.skins = [pygltflib.Skin(
        name="avatar_skin", joints=joints, skeleton=joints[0],
        inverseBindMatrices=writer.add_accessor(ibm.reshape(len(joints), 16), FLOAT),
    )]
    # the skinned mesh's node at the scene's root, beside the skeleton: glTF ignores that node's own
    # transform for skinning, so it belongs where no transform can be mistaken for one
    gltf.nodes.append(pygltflib.Node(name=BODY_NODE, mesh=0, skin=0))
    gltf.scenes = [pygltflib.Scene(name="avatar", nodes=[root, len(gltf.nodes) - 1])]
    gltf.scene = 0
    gltf.extensionsUsed = gltf.extensionsRequired = [QUANTIZATION]
    return writer.glb_bytes(avatar_extras(avatar))


def avatar_extras(avatar: Avatar) -> dict[str, object]:
    """asset.extras.signavatar of the avatar file: how our videos frame and light it."""
    camera = Camera()
    return {
        "avatar_version": avatar.version,
        "format": FORMAT,
        "camera": {
            "target": list(camera.target), "distance": camera.distance, "yfov_deg": camera.yfov_deg,
            "znear": ZNEAR, "zfar": ZFAR,
        },
        "lights": [[list(direction), intensity] for direction, intensity in LIGHTS],
        "ambient": AMBIENT,
        "background": list(BACKGROUND),
        "morph_targets": list(BLEND_CHANNELS),
        "licence": avatar.licence,
    }


def srgb_to_linear(srgb: FloatArray) -> FloatArray:
    """sRGB colour components in [0, 1] -> linear (IEC 61966-2-1)."""
    c = np.clip(np.asarray(srgb, dtype=np.float64), 0.0, 1.0)
    linear: FloatArray = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear


def position_quantisation(vertices: FloatArray) -> tuple[float, FloatArray]:
    """(scale, offset (3,)) with which every vertex is offset + scale * q for q in [-1, 1]^3: one
    scale for all axes (a uniform scale keeps the skinned normals' directions), the box's centre."""
    lo, hi = np.asarray(vertices, np.float64).min(axis=0), np.asarray(vertices, np.float64).max(axis=0)
    offset: FloatArray = (lo + hi) / 2.0
    return float((hi - lo).max() / 2.0), offset


def _vertex_attributes(writer: GltfWriter, avatar: Avatar, scale: float, offset: FloatArray) -> pygltflib.Attributes:
    vertex = pygltflib.ARRAY_BUFFER
    joints_type = UNSIGNED_BYTE if avatar.skeleton.num_joints <= 0xFF else UNSIGNED_SHORT
    weights = quantise_weights(np.clip(avatar.skin_weight, 0.0, None), UNSIGNED_SHORT)
    skin_index = np.where(weights > 0, avatar.skin_index, 0)  # glTF: a joint with weight 0 is joint 0
    return pygltflib.Attributes(
        POSITION=writer.add_accessor(
            quantise_snorm((avatar.vertices - offset) / scale, SHORT), SHORT, normalized=True, target=vertex,
            bounds=True,
        ),
        NORMAL=writer.add_accessor(quantise_snorm(avatar.rest_normals, BYTE), BYTE, normalized=True, target=vertex),
        COLOR_0=writer.add_accessor(
            quantise_unorm(srgb_to_linear(avatar.albedo), UNSIGNED_SHORT), UNSIGNED_SHORT, normalized=True,
            target=vertex,
        ),
        JOINTS_0=writer.add_accessor(skin_index, joints_type, target=vertex),
        WEIGHTS_0=writer.add_accessor(
            weights, UNSIGNED_SHORT, normalized=True, target=vertex
        ),
    )


def _morph_accessor(writer: GltfWriter, delta: FloatArray) -> int:
    """A morph target's offsets (V, 3) in the quantised positions' units, as normalized SHORT:
    sparse (index + offset of each moved vertex) where that is smaller than all V offsets, which it
    is for every face channel (1,200-2,800 of 10,942 vertices)."""
    q = quantise_snorm(delta, SHORT)
    moved = int(np.any(q != 0, axis=1).sum())
    index_bytes = 2 if len(delta) <= 0xFFFF else 4
    if moved * (index_bytes + 6) < len(delta) * 8:
        return writer.add_sparse_accessor(q, component=SHORT, normalized=True)
    return writer.add_accessor(q, SHORT, normalized=True, target=pygltflib.ARRAY_BUFFER, bounds=True)


def _material(name: str, *, double_sided: bool) -> pygltflib.Material:
    return pygltflib.Material(
        name=name, doubleSided=double_sided or None, alphaMode=None,
        pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
            baseColorFactor=[1.0, 1.0, 1.0, 1.0], metallicFactor=0.0, roughnessFactor=ROUGHNESS
        ),
    )
