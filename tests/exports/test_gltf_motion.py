"""The glTF files evaluated the glTF way (tests/exports/gltf_eval.py, numpy, no browser) against
Avatar.deform of the same PoseTrack frames: what a three.js player shows is what our video shows."""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import pytest

from gltf_eval import Animated, accessor, load, node_index
from signavatar.avatar.face_channels import BLEND_CHANNELS
from signavatar.avatar.rig import Avatar
from signavatar.exports.gltf_avatar import avatar_glb
from signavatar.exports.gltf_build import node_name
from signavatar.exports.gltf_motion import gloss_spans, motion_glb
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import Lexicon
from signavatar.text_to_gloss import parse_gloss_string
from signavatar.types import PoseTrack

#: the bound the tests hold the export to (the key reduction's tolerance is 0.5 mm on the mesh;
#: measured max 0.77 mm on these clips, benchmarks/gltf_sizes.py)
MAX_ERROR_M = 0.0012
MEAN_ERROR_M = 0.0004


def make_track(avatar: Avatar, lexicon: Lexicon, glosses: str) -> PoseTrack:
    sk = avatar.skeleton
    return Sequencer(sk, lexicon, sk.skeleton_id).track(parse_gloss_string(glosses, lexicon), fps=25, speed=1.0)


@pytest.fixture(scope="module")
def avatar_file(avatar: Avatar) -> tuple[Any, bytes]:
    return load(avatar_glb(avatar))


@pytest.fixture(scope="module", params=["TERMIN ICH BRAUCHEN", "fs-MEIER"])
def clip(request: pytest.FixtureRequest, avatar: Avatar, lexicon: Lexicon) -> tuple[PoseTrack, bytes]:
    track = make_track(avatar, lexicon, request.param)
    return track, motion_glb(track, avatar)


def vertex_errors(avatar: Avatar, animated: Animated, track: PoseTrack) -> np.ndarray[Any, Any]:
    """(T, V) metres between the glTF evaluation and Avatar.deform at each frame time."""
    world_r, world_p = avatar.skeleton.forward(track.rotations, track.root)
    out = []
    for f in range(track.num_frames):
        want, _ = avatar.deform(world_r[f], world_p[f], track.face[f])
        got = animated.skinned(float(np.float32(f / track.fps)))
        out.append(np.linalg.norm(got - want, axis=1))
    return np.asarray(out)


def test_the_avatar_file_at_rest_is_the_rest_mesh(avatar: Avatar, avatar_file: tuple[Any, bytes]) -> None:
    gltf, blob = avatar_file
    got = Animated(gltf, blob).skinned(0.0)
    world_r, world_p = avatar.skeleton.forward(avatar.skeleton.identity(1)[0])
    want, _ = avatar.deform(world_r, world_p)
    assert np.abs(got - want).max() < 2e-5  # 16-bit positions (KHR_mesh_quantization): ~14 µm at most
    prims = gltf.meshes[0].primitives
    assert [vars(p.attributes) for p in prims] == [vars(prims[0].attributes)] * len(prims)  # one vertex set
    normals = accessor(gltf, blob, prims[0].attributes.NORMAL)
    assert np.abs(normals - avatar.rest_normals).max() < 1 / 127  # 8-bit normals: half a step, renormalised


def test_every_frame_of_the_motion_matches_the_video(
    avatar: Avatar, avatar_file: tuple[Any, bytes], clip: tuple[PoseTrack, bytes]
) -> None:
    track, data = clip
    errors = vertex_errors(avatar, Animated(*avatar_file, *load(data)), track)
    assert errors.max() < MAX_ERROR_M, f"max {errors.max() * 1000:.2f} mm"
    assert errors.mean() < MEAN_ERROR_M, f"mean {errors.mean() * 1000:.3f} mm"


def test_a_wrong_quaternion_order_is_caught(
    avatar: Avatar, avatar_file: tuple[Any, bytes], clip: tuple[PoseTrack, bytes]
) -> None:
    """The comparison can fail: the same file with its rotation keys read as (w, x, y, z)."""
    track, data = clip
    gltf, blob = load(data)
    wrong = bytearray(blob)
    for sampler, ch in zip(gltf.animations[0].samplers, gltf.animations[0].channels, strict=True):
        if ch.target.path != "rotation":
            continue
        acc = gltf.accessors[sampler.output]
        start = gltf.bufferViews[acc.bufferView].byteOffset + acc.byteOffset
        dtype = np.int16 if acc.componentType == 5122 else np.int8  # 8-bit keys for the outer finger joints
        q = np.frombuffer(blob, dtype, count=4 * acc.count, offset=start).reshape(-1, 4)
        size = 4 * acc.count * np.dtype(dtype).itemsize
        wrong[start : start + size] = q[:, [3, 0, 1, 2]].tobytes()
    errors = vertex_errors(avatar, Animated(*avatar_file, gltf, bytes(wrong)), track)
    assert errors.max() > 0.05


@pytest.mark.parametrize("path", ["weights", "translation"])
def test_face_weights_and_root_motion_are_animated(
    avatar: Avatar, avatar_file: tuple[Any, bytes], mouth_and_sway: tuple[PoseTrack, bytes], path: str
) -> None:
    """A track that opens the mouth and sways the root: the weights channel of avatar_body and the
    translation channel of root carry them (without either, the mesh is off by millimetres)."""
    track, data = mouth_and_sway
    gltf, blob = load(data)
    animated = Animated(*avatar_file, gltf, blob)
    assert vertex_errors(avatar, animated, track).max() < MAX_ERROR_M
    (channel,) = [c for c in animated.channels() if c[1] == path]
    assert channel[0] == {"weights": "avatar_body", "translation": "root"}[path]
    assert channel[4].shape[1] == {"weights": len(BLEND_CHANNELS), "translation": 3}[path]
    animation = gltf.animations[0]
    animation.channels = [c for c in animation.channels if c.target.path != path]
    assert vertex_errors(avatar, animated, track).max() > 0.003


@pytest.fixture(scope="module")
def mouth_and_sway(avatar: Avatar, lexicon: Lexicon) -> tuple[PoseTrack, bytes]:
    track = make_track(avatar, lexicon, "TERMIN ICH BRAUCHEN")
    wave = np.sin(np.linspace(0, np.pi, track.num_frames)) ** 2
    face = track.face.copy()
    face[:, BLEND_CHANNELS.index("mouth_open")] = wave
    root = np.stack([0.03 * wave, 0.01 * np.sin(np.linspace(0, 6, track.num_frames)), -0.02 * wave], axis=1)
    track = PoseTrack(**{**track.__dict__, "face": face, "root": root})
    return track, motion_glb(track, avatar)


@pytest.mark.parametrize("frames", [1, 2])
def test_very_short_tracks(avatar: Avatar, avatar_file: tuple[Any, bytes], lexicon: Lexicon, frames: int) -> None:
    """One or two frames (a still): one or two keys per channel, still the same pose; no glosses."""
    full = make_track(avatar, lexicon, "ICH")
    mid = full.num_frames // 2
    track = PoseTrack(**{
        **full.__dict__, "rotations": full.rotations[mid : mid + frames],
        "face": full.face[mid : mid + frames], "labels": ("",) * frames,
        "root": np.full((frames, 3), 0.01),  # held off the rest position: still a translation channel
    })
    gltf, blob = load(motion_glb(track, avatar))
    assert vertex_errors(avatar, Animated(*avatar_file, gltf, blob), track).max() < MAX_ERROR_M
    channels = Animated(*avatar_file, gltf, blob).channels()
    assert {len(times) for _, _, _, times, _ in channels} == {frames}
    assert ("root", "translation") in {(name, path) for name, path, *_ in channels}
    assert gltf.asset.extras["signavatar"]["glosses"] == []


def test_nodes_channels_and_extras(avatar: Avatar, clip: tuple[PoseTrack, bytes]) -> None:
    track, data = clip
    gltf, blob = load(data)
    sk = avatar.skeleton
    assert [a.name for a in gltf.animations] == ["clip"]
    animated = {(gltf.nodes[c.target.node].name, c.target.path) for c in gltf.animations[0].channels}
    q = track.rotations
    at_rest = np.all(np.abs(np.abs(q[..., 0]) - 1.0) < 1e-12, axis=0)
    moving = [node_name(j) for j, r in zip(sk.names, at_rest) if not r]
    assert {n for n, p in animated if p == "rotation"} == set(moving)
    # only the nodes the animation needs (by name, in skeleton order), flat under "avatar"
    assert [n.name for n in gltf.nodes] == ["avatar", *moving, "avatar_body"]
    assert gltf.nodes[0].children == list(range(1, len(gltf.nodes)))
    assert "finger1-1_R" in moving and not any("." in n.name for n in gltf.nodes)
    assert all(n.translation is None and n.rotation is None for n in gltf.nodes)
    # 8-bit keys exactly for the finger joints far enough out (not the knuckles of index and middle)
    kinds = {gltf.nodes[c.target.node].name: gltf.accessors[gltf.animations[0].samplers[c.sampler].output]
             for c in gltf.animations[0].channels}
    assert kinds["finger3-3_R"].componentType == 5120 and kinds["finger2-1_R"].componentType == 5122
    assert kinds["wrist_R"].componentType == 5122
    assert ("root", "translation") not in animated  # the sequencer keeps the root at rest
    extras = gltf.asset.extras["signavatar"]
    assert extras["avatar_version"] == avatar.version and extras["machine_generated"] is True
    assert (extras["fps"], extras["frames"]) == (25.0, track.num_frames)
    assert extras["duration"] == pytest.approx(track.num_frames / 25)
    assert [g["gloss"] for g in extras["glosses"]] == [g for _, _, g in gloss_spans(track)]
    if extras["glosses"][0]["gloss"] == "fs-MEIER":
        assert extras["glosses"][0]["text"] == "M-E-I-E-R"
    for sampler in gltf.animations[0].samplers:
        times = accessor(gltf, blob, sampler.input)[:, 0]
        assert times[0] == 0.0 and times[-1] == pytest.approx((track.num_frames - 1) / 25)
        assert np.all(np.diff(times) > 0)


def test_a_joint_held_away_from_rest_keeps_its_channel(avatar: Avatar, lexicon: Lexicon) -> None:
    """Dropping only joints that never leave the rest pose: a joint held bent all clip long (the
    left arm at its side during fingerspelling) must still be in the file."""
    track = make_track(avatar, lexicon, "fs-MEIER")
    j = avatar.skeleton.index("lowerarm01.L")
    assert np.ptp(track.rotations[:, j], axis=0).max() == 0.0 and track.rotations[0, j, 0] < 0.9999
    gltf, blob = load(motion_glb(track, avatar))
    node = node_index(gltf, "lowerarm01_L")
    (sampler,) = [gltf.animations[0].samplers[c.sampler] for c in gltf.animations[0].channels if c.target.node == node]
    xyzw = accessor(gltf, blob, sampler.output)
    assert np.abs(xyzw - track.rotations[0, j, [1, 2, 3, 0]]).max() < 1e-4


def test_a_track_of_another_skeleton_is_refused(avatar: Avatar, lexicon: Lexicon) -> None:
    track = make_track(avatar, lexicon, "ICH")
    other = PoseTrack(**{**track.__dict__, "joint_names": tuple(reversed(track.joint_names))})
    with pytest.raises(ValueError, match="does not match"):
        motion_glb(other, avatar)


def test_key_reduction_keeps_a_5_s_clip_small(avatar: Avatar, lexicon: Lexicon) -> None:
    """Published in BENCHMARKS.md (issue 24): 28,824 bytes for this 4.92 s clip, 41,804 with a key
    at every frame (a tolerance far below the int16 quantisation)."""
    track = make_track(avatar, lexicon, "MORGEN ARZT TERMIN BRAUCHEN")
    reduced, dense = len(motion_glb(track, avatar)), len(motion_glb(track, avatar, tolerance_m=1e-9))
    assert 4.5 < track.duration < 5.5 and reduced <= 30_000 and reduced < 0.75 * dense
    with pytest.raises(ValueError, match="positive"):
        motion_glb(track, avatar, tolerance_m=0.0)


def test_the_glb_container_is_well_formed(clip: tuple[PoseTrack, bytes]) -> None:
    _, data = clip
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert (magic, version, length) == (b"glTF", 2, len(data)) and len(data) % 4 == 0
