"""The avatar .glb read back with pygltflib: what the video's renderer uses is in it, as the format
(docs/formats/gltf.md) says: colours, skin, morph targets, materials, framing and lights."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gltf_eval import accessor, load
from signavatar.avatar.face_channels import BLEND_CHANNELS
from signavatar.avatar.rig import Avatar
from signavatar.exports.gltf_avatar import _morph_accessor, avatar_glb, position_quantisation
from signavatar.exports.gltf_build import GltfWriter, node_name
from signavatar.pose_to_frames.renderer import AMBIENT, LIGHTS, Camera
from signavatar.types import RenderOptions


@pytest.fixture(scope="module")
def exported(avatar: Avatar) -> tuple[Any, bytes]:
    return load(avatar_glb(avatar))


def test_colours_skin_and_morphs(avatar: Avatar, exported: tuple[Any, bytes]) -> None:
    gltf, blob = exported
    (mesh,) = gltf.meshes
    attrs = mesh.primitives[0].attributes
    linear = accessor(gltf, blob, attrs.COLOR_0)
    srgb = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    assert np.abs(srgb - avatar.albedo).max() < 2e-3  # 16-bit linear keeps 8-bit sRGB exactly
    assert gltf.accessors[attrs.COLOR_0].normalized and gltf.accessors[attrs.WEIGHTS_0].normalized
    weights = accessor(gltf, blob, attrs.WEIGHTS_0)
    raw = np.round(weights * 65535).astype(np.int64)
    assert (raw.sum(axis=1) == 65535).all() and np.abs(weights - avatar.skin_weight).max() < 1e-4
    joints = accessor(gltf, blob, attrs.JOINTS_0).astype(np.int64)
    assert (joints[raw == 0] == 0).all() and (joints[raw > 0] == avatar.skin_index[raw > 0]).all()
    assert mesh.extras["targetNames"] == list(BLEND_CHANNELS) and mesh.weights == [0.0] * len(BLEND_CHANNELS)
    scale, _ = position_quantisation(avatar.vertices)
    assert gltf.extensionsRequired == ["KHR_mesh_quantization"] == gltf.extensionsUsed
    for c, target in enumerate(mesh.primitives[0].targets):
        index = target["POSITION"]
        acc = gltf.accessors[index]
        assert acc.sparse is not None  # each face channel moves a fifth of the vertices
        assert (acc.componentType, acc.normalized) == (5122, True)  # 16 bits, in the positions' units
        # rounded to 1/32767 of the positions' scale (~27 µm): half a step at most
        assert np.abs(accessor(gltf, blob, index) * scale - avatar.channel_deltas[c]).max() <= scale / 32767 / 2 + 1e-9
        assert "NORMAL" not in target  # morphs keep the rest normals, as the server does
    normals = accessor(gltf, blob, attrs.NORMAL)
    assert gltf.accessors[attrs.NORMAL].componentType == 5120  # 8-bit: within 0.5° of the rest normals
    cos = np.sum(normals * avatar.rest_normals, axis=1) / np.linalg.norm(normals, axis=1)
    assert np.degrees(np.arccos(np.clip(cos, -1, 1))).max() < 0.6


def test_materials_primitives_and_skin(avatar: Avatar, exported: tuple[Any, bytes]) -> None:
    gltf, blob = exported
    skin, hair = gltf.meshes[0].primitives
    assert [gltf.materials[p.material].name for p in (skin, hair)] == ["skin", "hair"]
    assert not gltf.materials[skin.material].doubleSided and gltf.materials[hair.material].doubleSided
    for material in gltf.materials:
        pbr = material.pbrMetallicRoughness
        assert (pbr.baseColorFactor, pbr.metallicFactor, pbr.roughnessFactor) == ([1, 1, 1, 1], 0, 0.8)
    faces = [accessor(gltf, blob, p.indices).astype(np.int64).reshape(-1, 3) for p in (skin, hair)]
    assert (faces[0] == avatar.faces[~avatar.open_faces]).all() and (faces[1] == avatar.faces[avatar.open_faces]).all()
    (skin_def,) = gltf.skins
    assert [gltf.nodes[j].name for j in skin_def.joints] == [node_name(n) for n in avatar.skeleton.names]
    ibm = accessor(gltf, blob, skin_def.inverseBindMatrices).reshape(-1, 4, 4).transpose(0, 2, 1)
    # translation(-rest_j) after the positions' dequantisation (p = scale * q + offset)
    scale, offset = position_quantisation(avatar.vertices)
    assert np.abs(ibm[:, :3, 3] - (offset - avatar.skeleton.rest)).max() < 1e-6
    assert np.abs(ibm[:, :3, :3] - scale * np.eye(3)).max() < 1e-6 and (ibm[:, 3] == [0, 0, 0, 1]).all()
    body = gltf.nodes[[n.name for n in gltf.nodes].index("avatar_body")]
    assert (body.mesh, body.skin) == (0, 0)
    names = [n.name for n in gltf.nodes]
    # the skinned mesh's node is a root of the scene, beside the skeleton (no NODE_SKINNED_MESH_NON_ROOT)
    assert gltf.scenes[gltf.scene].nodes == [names.index("avatar"), names.index("avatar_body")]
    assert not any(names.index("avatar_body") in (n.children or []) for n in gltf.nodes)


def test_extras_frame_and_light_it_like_the_video(avatar: Avatar, exported: tuple[Any, bytes]) -> None:
    gltf, _ = exported
    extras = gltf.asset.extras["signavatar"]
    camera = Camera()
    assert extras["avatar_version"] == avatar.version and extras["format"] == 2
    assert extras["camera"] == {"target": list(camera.target), "distance": camera.distance,
                                "yfov_deg": camera.yfov_deg, "znear": 0.05, "zfar": 6.0}
    assert extras["lights"] == [[list(d), i] for d, i in LIGHTS] and extras["ambient"] == AMBIENT
    assert extras["background"] == list(RenderOptions().background or ())
    assert extras["morph_targets"] == list(BLEND_CHANNELS) and extras["licence"] == avatar.licence


def test_a_morph_target_moving_most_vertices_is_stored_dense() -> None:
    """Dense costs 8 bytes a vertex (16-bit VEC3, stride 8), sparse 8 per moved one (index + value)."""
    writer = GltfWriter()
    most, few = np.zeros((100, 3), np.float32), np.zeros((100, 3), np.float32)
    most[:], few[5] = 0.01, 1.0
    assert writer.gltf.accessors[_morph_accessor(writer, most)].sparse is None
    assert writer.gltf.accessors[_morph_accessor(writer, few)].sparse is not None
