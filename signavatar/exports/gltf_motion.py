"""A PoseTrack as a small binary glTF (.glb) animation for the avatar file of gltf_avatar.py.

The file holds what the animation needs and no more: under a root node "avatar", one node per joint
that moves (named as in the avatar file, without its rest pose: a player applies the animation to the
avatar file's nodes by name), a node "avatar_body" with a one-triangle mesh carrying the 9 morph
targets (so that the face weights channel is valid glTF), and one animation "clip":
  - a rotation channel per joint that leaves the rest pose at some frame (LINEAR: slerp), keys as
    normalized quaternions (x, y, z, w): SHORT, or BYTE for joints so near the mesh's end (finger
    joints) that 8 bits move no vertex more than SNORM8_M;
  - the root node's translation, when the root leaves its rest position at some frame;
  - the morph weights (normalized UNSIGNED_BYTE), when a face weight is not 0 at some frame.
Keys are frame times (frame / fps), reduced: a key is left out where interpolating its neighbours
gives the same pose within a tolerance. The tolerance is a distance on the mesh (`tolerance_m`):
a joint's angular tolerance is that distance over its lever arm (how far the vertices it moves
reach from it), so a finger gets a coarser angle than the spine. The JSON is most of a short
clip's bytes, hence no nodes for joints that do not move. See docs/formats/gltf.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pygltflib

from signavatar.avatar.face_channels import BLEND_CHANNELS
from signavatar.avatar.quaternions import quat_slerp
from signavatar.avatar.rig import Avatar
from signavatar.exports.gltf_build import (
    ANIMATION,
    BODY_NODE,
    BYTE,
    FLOAT,
    ROOT_NODE,
    SHORT,
    UNSIGNED_BYTE,
    GltfWriter,
    node_name,
    quantise_snorm,
    quantise_unorm,
)
from signavatar.fingerspelling import viewer_gloss
from signavatar.frames_to_video.atomic import write_bytes_atomic
from signavatar.typed import FloatArray
from signavatar.types import PoseTrack

#: the default key-reduction tolerance: a distance on the mesh, metres (chosen by measuring the
#: exported motion against Avatar.deform, benchmarks/gltf_sizes.py)
TOLERANCE_M = 0.0005
#: a joint whose rotation stays within this angle (radians) of the rest pose gets no channel
REST_ANGLE = 1e-5
#: a joint's keys are 8-bit when 8-bit rounding (at most SNORM8_ANGLE) moves no vertex farther than this
SNORM8_M = 0.001
#: the largest rotation (radians) by which rounding a unit quaternion's 4 components to 1/127 can move it
SNORM8_ANGLE = 2.0 * float(np.arcsin(np.sqrt(4.0) * 0.5 / 127.0))


def motion_glb(
    track: PoseTrack, avatar: Avatar, *, extras: dict[str, Any] | None = None, tolerance_m: float = TOLERANCE_M
) -> bytes:
    """`track` as .glb bytes for `avatar` (its skeleton; the lever arms and morph sizes set the
    key reduction). extras: more JSON values for asset.extras.signavatar."""
    sk = avatar.skeleton
    if not tolerance_m > 0.0:
        raise ValueError(f"tolerance_m must be positive, got {tolerance_m}")
    if track.joint_names != sk.names:
        raise ValueError(f"track skeleton {track.skeleton_id!r} does not match the avatar's {sk.skeleton_id!r}")
    writer = GltfWriter()
    gltf = writer.gltf
    keyed = _keyed(_channel_groups(track, avatar, tolerance_m))
    moving = sorted({node for group, _ in keyed for node, _ in group.targets if node >= 0})
    gltf.nodes.append(pygltflib.Node(name=ROOT_NODE, children=[]))
    joints: dict[int, int] = {}
    for j in moving:
        joints[j] = len(gltf.nodes)
        gltf.nodes.append(pygltflib.Node(name=node_name(sk.names[j])))
    body = _add_morph_carrier(writer)
    gltf.nodes[0].children = [*joints.values(), body]
    gltf.scenes = [pygltflib.Scene(name="motion", nodes=[0])]
    gltf.scene = 0

    animation = pygltflib.Animation(name=ANIMATION)
    times = (np.arange(track.num_frames, dtype=np.float64) / track.fps).astype(np.float32)
    for group, keys in keyed:
        key_times = writer.add_accessor(times[keys], FLOAT, bounds=True)  # one input per group
        for k, (node, path) in enumerate(group.targets):
            output = group.output(writer, keys, k)
            animation.samplers.append(pygltflib.AnimationSampler(input=key_times, output=output, interpolation=None))
            animation.channels.append(pygltflib.AnimationChannel(
                sampler=len(animation.samplers) - 1,
                target=pygltflib.AnimationChannelTarget(node=joints[node] if node >= 0 else body, path=path),
            ))
    if animation.channels:
        gltf.animations = [animation]
    return writer.glb_bytes({**motion_extras(track, avatar), **(extras or {})})


@dataclass(frozen=True)
class _Group:
    """Channels that share their key times: values (T, G, k) of G channels, each with its tolerance.

    targets: (joint index, or -1 for the body node; path) per channel."""

    kind: str  # "rotation", "translation" or "weights"
    targets: tuple[tuple[int, str], ...]
    values: FloatArray
    tolerance: FloatArray  # (G,) radians (rotation), metres (translation), weight units (weights)
    coarse: tuple[bool, ...]  # per channel: 8-bit keys are exact enough (rotations near the mesh's end)

    def error(self, a: FloatArray, b: FloatArray, inner: FloatArray, u: FloatArray) -> FloatArray:
        """Per inner frame, the largest error of interpolating a -> b at u over the channels, in
        tolerances (<= 1 is good enough)."""
        if self.kind == "rotation":
            err = _angle(quat_slerp(a[None], b[None], u[:, None]), inner)  # (N, G)
        else:
            err = np.abs(a[None] + u[:, None, None] * (b - a)[None] - inner).max(axis=2)
        worst: FloatArray = (err / self.tolerance[None]).max(axis=1)
        return worst

    def key_bytes(self) -> int:
        """Output bytes of one key over the group's channels (the 4 bytes of its time not counted)."""
        if self.kind == "rotation":
            return sum(4 if c else 8 for c in self.coarse)
        return 12 if self.kind == "translation" else 9

    def subset(self, channels: list[int]) -> _Group:
        return _Group(self.kind, tuple(self.targets[k] for k in channels), self.values[:, channels],
                      self.tolerance[channels], tuple(self.coarse[k] for k in channels))

    def output(self, writer: GltfWriter, keys: np.ndarray[Any, Any], k: int) -> int:
        """The output accessor of channel k at frames `keys`."""
        v = self.values[keys, k]
        if self.kind == "rotation" and self.coarse[k]:
            return writer.add_accessor(quantise_snorm(v[:, [1, 2, 3, 0]], BYTE), BYTE, normalized=True)
        if self.kind == "rotation":
            return writer.add_accessor(quantise_snorm(v[:, [1, 2, 3, 0]], SHORT), SHORT, normalized=True)
        if self.kind == "translation":
            return writer.add_accessor(v.astype(np.float32), FLOAT)
        return writer.add_accessor(quantise_unorm(v.reshape(-1), UNSIGNED_BYTE), UNSIGNED_BYTE, normalized=True)


def _channel_groups(track: PoseTrack, avatar: Avatar, tolerance_m: float) -> list[_Group]:
    """The animated channels, grouped by body part (spine and head, each arm, each hand, the
    face): joints of one part move together, so a shared key set costs few extra keys and saves an
    input accessor per joint. Joints that stay in the rest pose get no channel."""
    sk = avatar.skeleton
    levers = joint_levers(avatar)
    rotations = continuous_quaternions(track.rotations)  # (T, J, 4) w, x, y, z
    parts: dict[str, list[int]] = {}
    for j, name in enumerate(sk.names):
        if np.any(_angle(rotations[:, j], np.array([1.0, 0.0, 0.0, 0.0])) > REST_ANGLE):
            parts.setdefault(_body_part(name), []).append(j)
    groups = [
        _Group("rotation", tuple((j, "rotation") for j in js), rotations[:, js], tolerance_m / levers[js],
               tuple(bool(levers[j] * SNORM8_ANGLE <= SNORM8_M) for j in js))
        for js in parts.values()
    ]
    if np.any(track.root != 0.0):  # off the rest position at some frame (held there counts)
        root_t = (avatar.skeleton.rest[0] + track.root)[:, None]
        groups.append(_Group("translation", ((0, "translation"),), root_t, np.array([tolerance_m]), (False,)))
    face = _blend_weights(track)
    if np.any(face > 0.0):
        reach = np.linalg.norm(avatar.channel_deltas, axis=2).max(axis=1)  # (C,) metres at weight 1
        tolerance = np.array([tolerance_m / max(float(reach.max()), 1e-6)])
        groups.append(_Group("weights", ((-1, "weights"),), face[:, None], tolerance, (False,)))
    return groups


#: JSON bytes of one more input accessor (its entry, min and max); a key costs 4 bytes of input and
#: 8 bytes of output per channel
_INPUT_COST = 110


def _keyed(groups: list[_Group]) -> list[tuple[_Group, np.ndarray[Any, np.dtype[np.int64]]]]:
    """Each group with its key frames; a group whose slow joints (the clavicle while the hand
    signs) would carry many keys they do not need is split, again and again, while that saves bytes."""
    out = []
    for group in groups:
        own = [len(reduce_keys(group.values[:, [k]], group.subset([k]).error)) for k in range(len(group.targets))]
        out += _split(group, reduce_keys(group.values, group.error), own)
    return out


def _split(
    group: _Group, keys: np.ndarray[Any, np.dtype[np.int64]], own: list[int]
) -> list[tuple[_Group, np.ndarray[Any, np.dtype[np.int64]]]]:
    """own: the key count each channel of the group would need alone."""
    n = len(group.targets)
    slow = [k for k in range(n) if own[k] <= len(keys) // 2]
    fast = [k for k in range(n) if k not in slow]
    if slow and fast:
        parts = [(group.subset(ks), ks) for ks in (fast, slow)]
        split = [(g, reduce_keys(g.values, g.error), ks) for g, ks in parts]
        cost = sum(_INPUT_COST + len(k) * (4 + g.key_bytes()) for g, k, _ in split)
        if cost < _INPUT_COST + len(keys) * (4 + group.key_bytes()):
            return [part for g, k, ks in split for part in _split(g, k, [own[i] for i in ks])]
    return [(group, keys)]


def _body_part(joint: str) -> str:
    side = joint.rsplit(".", 1)[1] if "." in joint else ""
    if joint.startswith(("metacarpal", "finger")):
        return "hand." + side
    if joint.startswith(("clavicle", "shoulder", "upperarm", "lowerarm", "wrist")):
        return "arm." + side
    return "axial"


def motion_extras(track: PoseTrack, avatar: Avatar) -> dict[str, Any]:
    """asset.extras.signavatar of a motion file: timing, and the glosses as spans of seconds."""
    return {
        "avatar_version": avatar.version,
        "fps": track.fps,
        "frames": track.num_frames,
        "duration": track.duration,
        "machine_generated": True,
        "glosses": [
            {"start": start, "end": end, "gloss": gloss, "text": viewer_gloss(gloss)}
            for start, end, gloss in gloss_spans(track)
        ],
    }


def gloss_spans(track: PoseTrack) -> list[tuple[float, float, str]]:
    """(start s, end s, gloss) for each run of equal non-empty labels (end exclusive)."""
    spans = []
    start = 0
    labels = track.labels
    for t in range(1, len(labels) + 1):
        if t == len(labels) or labels[t] != labels[start]:
            if labels[start]:
                spans.append((round(start / track.fps, 4), round(t / track.fps, 4), labels[start]))
            start = t
    return spans


def _blend_weights(track: PoseTrack) -> FloatArray:
    """(T, 9) the blend channels' weights in BLEND_CHANNELS order (head_nod/head_shake are already
    head rotations); a channel the track lacks is 0."""
    out = np.zeros((track.num_frames, len(BLEND_CHANNELS)))
    for c, name in enumerate(BLEND_CHANNELS):
        if name in track.face_channels:
            out[:, c] = track.face[:, track.face_channels.index(name)]
    clipped: FloatArray = np.clip(out, 0.0, 1.0)
    return clipped


def _add_morph_carrier(writer: GltfWriter) -> int:
    """The "avatar_body" node: a 1 mm triangle with 9 empty morph targets (the weights channel's
    target must be a node whose mesh has them); its index."""
    tri = np.array([[0.0, 0.0, 0.0], [0.001, 0.0, 0.0], [0.0, 0.001, 0.0]], np.float32)
    position = writer.add_accessor(tri, FLOAT, target=pygltflib.ARRAY_BUFFER, bounds=True)
    zero = writer.add_accessor(np.zeros((3, 3), np.float32), FLOAT, target=pygltflib.ARRAY_BUFFER, bounds=True)
    targets = [pygltflib.Attributes(POSITION=zero) for _ in BLEND_CHANNELS]
    writer.gltf.meshes.append(pygltflib.Mesh(
        name=BODY_NODE, primitives=[pygltflib.Primitive(attributes=pygltflib.Attributes(POSITION=position),
                                                        targets=targets)],
        weights=[0.0] * len(BLEND_CHANNELS), extras={"targetNames": list(BLEND_CHANNELS)},
    ))
    writer.gltf.nodes.append(pygltflib.Node(name=BODY_NODE, mesh=len(writer.gltf.meshes) - 1))
    return len(writer.gltf.nodes) - 1


def continuous_quaternions(q: FloatArray) -> FloatArray:
    """Unit quaternions (T, J, 4), each frame's sign flipped where needed so that neighbouring frames
    have a non-negative dot product (q and -q are one rotation; slerp between keys then takes the
    short way whether or not a player checks the sign)."""
    out: FloatArray = np.asarray(q, dtype=np.float64) / np.linalg.norm(q, axis=-1, keepdims=True)
    for t in range(1, len(out)):
        flip = np.sum(out[t] * out[t - 1], axis=-1) < 0.0
        out[t, flip] *= -1.0
    return out


def reduce_keys(values: FloatArray, error: Callable[..., FloatArray]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Indices of the frames to keep as keys (first and last always): greedily from the start, each
    segment between kept keys is made long (galloping, then bisecting) while interpolating its ends
    stays within tolerance (error <= 1) at every frame in it; only checked segments are kept.
    error(a, b, inner, u): per inner frame, the error of the interpolation at u in (0, 1)."""
    n = len(values)

    def within(a: int, b: int) -> bool:
        if b - a < 2:
            return True
        u = np.arange(1, b - a) / (b - a)
        return bool(np.max(error(values[a], values[b], values[a + 1 : b], u)) <= 1.0)

    keys = [0]
    a = 0
    while a < n - 1:
        good, bad, step = a + 1, n, 1  # segment a..good is within tolerance; a..bad is not (or past the end)
        while good < n - 1 and bad == n:
            probe = min(good + step, n - 1)
            if within(a, probe):
                good, step = probe, step * 2
            else:
                bad = probe
        while bad - good > 1 and bad < n:
            mid = (good + bad) // 2
            good, bad = (mid, bad) if within(a, mid) else (good, mid)
        keys.append(good)
        a = good
    return np.asarray(keys if n > 1 else [0], dtype=np.int64)


def _angle(q: FloatArray, ref: FloatArray) -> FloatArray:
    """Rotation angle (radians) between unit quaternions q (..., 4) and ref (..., 4)."""
    dot = np.abs(np.sum(q * ref, axis=-1))
    angle: FloatArray = 2.0 * np.arccos(np.clip(dot, 0.0, 1.0))
    return angle


def joint_levers(avatar: Avatar) -> FloatArray:
    """(J,) metres: for each joint, the farthest rest vertex that it or a joint below it moves (at
    least 1 cm), how far an angular error at that joint carries on the mesh."""
    cached = _LEVERS.get(avatar.version)
    if cached is not None:
        return cached
    sk = avatar.skeleton
    moved = avatar.skin_weight > 0
    reach = np.full(sk.num_joints, 0.01)
    for j in range(sk.num_joints):
        verts = np.any(moved & (avatar.skin_index == j), axis=1)
        if verts.any():
            reach[j] = max(reach[j], float(np.linalg.norm(avatar.vertices[verts] - sk.rest[j], axis=1).max()))
    # a parent carries its children's vertices: their reach plus the bone between them
    for j in range(sk.num_joints - 1, 0, -1):
        p = int(sk.parents[j])
        reach[p] = max(reach[p], reach[j] + float(np.linalg.norm(sk.rest[j] - sk.rest[p])))
    _LEVERS[avatar.version] = reach
    return reach


_LEVERS: dict[str, FloatArray] = {}  # by avatar version (a content hash)


def write_motion(track: PoseTrack, avatar: Avatar, path: Path, *, extras: dict[str, Any] | None = None) -> Path:
    """motion_glb written atomically to `path` (a reader never sees half a file)."""
    write_bytes_atomic(path, motion_glb(track, avatar, extras=extras))
    return path
