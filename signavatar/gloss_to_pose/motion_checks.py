"""Checks that a PoseTrack is motion a human signer could make: speeds, jumps, bone lengths, contact.

Every check takes a finished PoseTrack (and the Skeleton it was made for) and returns what is wrong,
in words a sequencer author can act on (frame, time, joint, value, limit); an empty list is a pass.

Speed limits (JOINT_SPEED_LIMITS_DEG_S), measured on real signing, not chosen for the sequencer:
measured_speed_limits.json, written by benchmarks/motion_speed_limits.py (method there and in
BENCHMARKS.md). The 600 recorded manual-alphabet letters of spoken-to-signed 0.4.0 (30 DGS, 18 other
sign languages; MediaPipe Holistic, 24-30 fps) retargeted onto this avatar, low-passed at 6 Hz,
resampled to 25 fps, speeds by angular_speeds() below; a group's limit is the 95th percentile of
its fastest joint's per-frame speed over all frames (2026-12-07): fingers 1814, hand (wrist,
metacarpals) 766, forearm 801, upper arm 323 deg/s. Fingerspelling keeps the hand near one place,
so the upper-arm figure is low for lexical signs that cross the signing space: a strict limit, kept
strict. The recordings do not move the neck, shoulder girdle, trunk or face joints: those limits are
from the literature (neck) or an unsourced estimate, each saying so in the file (`basis`, `note`).
They apply to each rig joint's local rotation (relative to its parent): the rig splits the upper
arm and forearm into two bones each, as the measurement saw them.

Jumps. At 25 fps a smooth motion changes its per-frame step gradually, even a fast eased one
(a handshape change over 5 frames steps e.g. 1, 18, 34, 27, 6 degrees); a pop is one step much
larger than both its neighbours, a glitch one frame that goes somewhere and straight back (jumps()).

Body volumes (BODY_VOLUMES), for hand points against the torso, neck and head. Rest-pose metres,
our axes (Y up, +X signer's left, +Z toward the viewer), each carried by one joint; measured on the
avatar's rest mesh (models/build/avatar.npz: vertices skinned mostly to the spine, neck or head
joints) and drawn slightly inside it, so a point inside a volume is inside the body
(tests/gloss_to_pose/test_motion_checks.py checks both against the mesh):
  torso: three elliptic cylinders (vertical axis) - belly (spine04), chest (spine02), shoulder
      girdle (spine01) - with the mesh's half-width and depth at those heights;
  neck: a capsule (neck02); head: an ellipsoid (head) around skull and face; jaw: a smaller
      ellipsoid (jaw) for mouth and chin, where the face narrows.
The lexicon touches the body on purpose (hand at the chin, on the chest), so a point up to
CONTACT_TOLERANCE_M inside a volume is contact; deeper is a hand passing through the body. The
points checked are joint centres (wrist, finger joints) and fingertips, which sit 0.5-2.5 cm under
the skin, so contact of the skin leaves them outside the volume.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from signavatar.avatar.quaternions import quat_conj, quat_mul
from signavatar.avatar.skeleton import FINGERS, Skeleton
from signavatar.errors import SignavatarError
from signavatar.kinematics.hand_points import hand_points
from signavatar.typed import FloatArray
from signavatar.types import PoseTrack


class SpeedLimitsError(SignavatarError, ValueError):
    """measured_speed_limits.json is missing, malformed or incomplete."""


SPEED_LIMITS_FILE = Path(__file__).with_name("measured_speed_limits.json")
SPEED_GROUPS = ("finger", "hand", "forearm", "upper arm", "clavicle", "trunk", "neck", "face")
SPEED_BASES = ("measured", "literature", "estimate")


def load_speed_limits(path: Path) -> dict[str, float]:
    """deg/s per joint group (SPEED_GROUPS) from a measured_speed_limits.json, validated: a
    SpeedLimitsError names the file and the field."""
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpeedLimitsError(f"{where}: not readable as JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise SpeedLimitsError(f"{where}: version: expected 1")
    groups = data.get("groups")
    if not isinstance(groups, dict) or set(groups) != set(SPEED_GROUPS):
        raise SpeedLimitsError(f"{where}: groups: expected exactly {', '.join(SPEED_GROUPS)}")
    out: dict[str, float] = {}
    for name in SPEED_GROUPS:
        entry = groups[name]
        field = f"groups.{name}"
        if not isinstance(entry, dict):
            raise SpeedLimitsError(f"{where}: {field}: expected an object")
        limit = entry.get("limit_deg_s")
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not math.isfinite(limit) or limit <= 0:
            raise SpeedLimitsError(f"{where}: {field}.limit_deg_s: expected a positive number, got {limit!r}")
        if entry.get("basis") not in SPEED_BASES:
            raise SpeedLimitsError(f"{where}: {field}.basis: expected one of {', '.join(SPEED_BASES)}")
        if entry["basis"] != "measured" and not (isinstance(entry.get("note"), str) and entry["note"].strip()):
            raise SpeedLimitsError(f"{where}: {field}.note: a limit that is not measured must say what it is based on")
        out[name] = float(limit)
    return out


#: deg/s per joint group, measured (see the module docstring and SPEED_LIMITS_FILE)
JOINT_SPEED_LIMITS_DEG_S: dict[str, float] = load_speed_limits(SPEED_LIMITS_FILE)
JUMP_MIN_DEG = 10.0  # a step below this in one frame is never called a jump (jumps())
JUMP_RATIO = 3.0  # a pop is this many times larger than both neighbouring steps
REVERSAL_DEG = 150.0  # two big steps this far apart in direction: there and back
CONTACT_TOLERANCE_M = 0.02
BONE_TOLERANCE_M = 1e-5


def joint_group(name: str) -> str:
    """The speed-limit group of a rig joint name (JOINT_SPEED_LIMITS_DEG_S keys)."""
    base = name.split(".")[0]
    if base.startswith("finger"):
        return "finger"
    if base.startswith(("wrist", "metacarpal")):
        return "hand"
    if base.startswith("lowerarm"):
        return "forearm"
    if base.startswith(("upperarm", "shoulder")):
        return "upper arm"
    if base.startswith("clavicle"):
        return "clavicle"
    if base.startswith(("neck", "head")):
        return "neck"
    if base in ("jaw", "eye"):
        return "face"
    return "trunk"


def step_angles(track: PoseTrack) -> FloatArray:
    """(T-1, J) radians each joint's local rotation turns from one frame to the next."""
    q = np.asarray(track.rotations, dtype=np.float64)
    a, b = q[:-1], q[1:]
    sign = np.where((a * b).sum(-1, keepdims=True) < 0, -1.0, 1.0)  # q and -q are one rotation
    chord = np.linalg.norm(b - sign * a, axis=-1)
    angles: FloatArray = 4.0 * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    return angles


def angular_speeds(track: PoseTrack) -> FloatArray:
    """(T-1, J) rad/s of every joint's local rotation between consecutive frames."""
    return step_angles(track) * track.fps


def _check_joints(track: PoseTrack, skeleton: Skeleton) -> None:
    if track.joint_names != skeleton.names:
        raise ValueError(f"track joints ({track.skeleton_id}) do not match the skeleton ({skeleton.skeleton_id})")


def _at(track: PoseTrack, frame: int) -> str:
    label = track.labels[frame] if frame < track.num_frames else ""
    return f"frame {frame} ({frame / track.fps:.2f} s{', ' + label if label else ''})"


def speed_violations(track: PoseTrack, skeleton: Skeleton) -> list[str]:
    """One line per joint that turns faster than its group's limit: its fastest frame and the count."""
    _check_joints(track, skeleton)
    if track.num_frames < 2:
        return []
    speeds = np.degrees(angular_speeds(track))
    out = []
    for j, name in enumerate(track.joint_names):
        group = joint_group(name)
        limit = JOINT_SPEED_LIMITS_DEG_S[group]
        over = np.flatnonzero(speeds[:, j] > limit)
        if len(over):
            worst = int(over[np.argmax(speeds[over, j])])
            out.append(f"{name}: {speeds[worst, j]:.0f} deg/s at {_at(track, worst)}, limit {limit:.0f} ({group}); "
                       f"{len(over)} frame(s) over")
    return out


def step_vectors(track: PoseTrack) -> FloatArray:
    """(T-1, J, 3) rotation vectors (axis x angle, radians, in the parent's rest axes) of each
    joint's turn from one frame to the next: log(q[t+1] q[t]^-1)."""
    q = np.asarray(track.rotations, dtype=np.float64)
    d = quat_mul(q[1:], quat_conj(q[:-1]))
    d = np.where(d[..., :1] < 0, -d, d)  # the short way round
    s = np.linalg.norm(d[..., 1:], axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(s, d[..., :1])
    return np.where(s > 1e-12, d[..., 1:] / np.maximum(s, 1e-12) * angle, 2.0 * d[..., 1:])


def jumps(track: PoseTrack) -> list[str]:
    """Discontinuities that smooth motion sampled at 25 fps never needs, per joint:

    - a pop: a step of more than JUMP_MIN_DEG in one frame while both neighbouring steps are under
      1/JUMP_RATIO of it (a fast but eased movement ramps up and down over its frames instead);
    - a glitch frame: steps into and out of a frame both over JUMP_MIN_DEG and turning back (their
      axes more than REVERSAL_DEG apart): a pose that is wrong for one frame. Real reversals (taps)
      slow down at the turning point.
    """
    steps = np.degrees(step_angles(track))  # (T-1, J)
    vec = step_vectors(track)
    out = []
    n = steps.shape[0]
    for t, j in zip(*np.nonzero(steps > JUMP_MIN_DEG)):
        before = steps[t - 1, j] if t > 0 else 0.0
        after = steps[t + 1, j] if t + 1 < n else 0.0
        if steps[t, j] > JUMP_RATIO * max(before, after):
            out.append(f"{track.joint_names[j]}: pops {steps[t, j]:.1f} deg from {_at(track, int(t))} to the next "
                       f"(steps around it {before:.1f} and {after:.1f} deg)")
        if t > 0 and before > JUMP_MIN_DEG:
            a, b = vec[t - 1, j], vec[t, j]
            turn = np.degrees(np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1.0, 1.0)))
            if turn > REVERSAL_DEG:
                out.append(f"{track.joint_names[j]}: {_at(track, int(t))} is off by {before:.1f} deg and back "
                           f"{steps[t, j]:.1f} deg (a one-frame glitch)")
    return out


def bone_length_error(track: PoseTrack, skeleton: Skeleton) -> float:
    """Largest change of any bone's length over the track, metres (Skeleton.forward positions)."""
    _check_joints(track, skeleton)
    _, pos = skeleton.forward(track.rotations, track.root)
    child = np.flatnonzero(skeleton.parents >= 0)
    rest = np.linalg.norm(skeleton.rest[child] - skeleton.rest[skeleton.parents[child]], axis=-1)
    lengths = np.linalg.norm(pos[:, child] - pos[:, skeleton.parents[child]], axis=-1)  # (T, J-1)
    return float(np.abs(lengths - rest).max()) if lengths.size else 0.0


def bone_lengths_constant(track: PoseTrack, skeleton: Skeleton) -> bool:
    """True when no bone changes length by more than BONE_TOLERANCE_M."""
    return bone_length_error(track, skeleton) <= BONE_TOLERANCE_M


@dataclass(frozen=True)
class BodyVolume:
    """A solid carried by `joint`, in rest-pose metres.

    shape "ellipsoid": centre (3,), semi axes (3,); "cylinder": an elliptic cylinder along Y with
    centre (3,) (x, z of the axis; y unused), semi axes (a_x, ., a_z) and height range y; "capsule":
    the segment from `centre` to `end` with `radius`.
    """

    name: str
    joint: str
    shape: str
    centre: tuple[float, float, float]
    axes: tuple[float, float, float] = (0.0, 0.0, 0.0)
    y: tuple[float, float] = (0.0, 0.0)
    end: tuple[float, float, float] = (0.0, 0.0, 0.0)
    radius: float = 0.0

    def depth(self, points: FloatArray) -> FloatArray:
        """How far points (..., 3), in rest coordinates of the volume, lie inside it (metres; <= 0 outside).

        For ellipses the depth is (1 - normalised radius) x the smallest semi axis: exact along that
        axis, an underestimate elsewhere, so a reported depth is never larger than the true one."""
        c = np.asarray(self.centre)
        if self.shape == "ellipsoid":
            axes = np.asarray(self.axes)
            r = np.linalg.norm((points - c) / axes, axis=-1)
            ellipsoid: FloatArray = (1.0 - r) * axes.min()
            return ellipsoid
        if self.shape == "cylinder":
            ax, az = self.axes[0], self.axes[2]
            r = np.hypot((points[..., 0] - c[0]) / ax, (points[..., 2] - c[2]) / az)
            caps = np.minimum(points[..., 1] - self.y[0], self.y[1] - points[..., 1])
            return np.minimum((1.0 - r) * min(ax, az), caps)
        if self.shape == "capsule":
            e = np.asarray(self.end)
            seg = e - c
            s = np.clip(((points - c) @ seg) / (seg @ seg), 0.0, 1.0)
            capsule: FloatArray = self.radius - np.linalg.norm(points - (c + s[..., None] * seg), axis=-1)
            return capsule
        raise ValueError(f"unknown volume shape {self.shape!r}")


#: see the module docstring: measured on the rest mesh, slightly inside it
BODY_VOLUMES: tuple[BodyVolume, ...] = (
    BodyVolume("belly", "spine04", "cylinder", (0.0, 0.0, 0.035), (0.135, 0.0, 0.085), y=(0.0, 0.20)),
    BodyVolume("chest", "spine02", "cylinder", (0.0, 0.0, 0.06), (0.12, 0.0, 0.09), y=(0.20, 0.42)),
    BodyVolume("shoulders", "spine01", "cylinder", (0.0, 0.0, 0.025), (0.14, 0.0, 0.07), y=(0.42, 0.54)),
    BodyVolume("neck", "neck02", "capsule", (0.0, 0.55, 0.01), end=(0.0, 0.64, 0.02), radius=0.04),
    BodyVolume("head", "head", "ellipsoid", (0.0, 0.745, 0.055), (0.075, 0.10, 0.095)),
    BodyVolume("jaw", "jaw", "ellipsoid", (0.0, 0.66, 0.07), (0.05, 0.04, 0.06)),
)


class Penetration(NamedTuple):
    frame: int
    joint: str  # a rig joint name, or "finger{n}-tip.{side}" for a fingertip
    part: str  # a BodyVolume name
    depth_m: float


def hand_point_names(side: str) -> tuple[str, ...]:
    """Names of the 21 hand points of kinematics/hand_points.py (MediaPipe order)."""
    names = [f"wrist.{side}"]
    for f in range(1, len(FINGERS) + 1):
        names += [f"finger{f}-{k}.{side}" for k in (1, 2, 3)] + [f"finger{f}-tip.{side}"]
    return tuple(names)


def penetrations(track: PoseTrack, skeleton: Skeleton, tolerance: float = CONTACT_TOLERANCE_M) -> list[Penetration]:
    """Hand points deeper than `tolerance` inside a body volume: the deepest frame of each run per
    (point, part), so a hand resting in the chest for 20 frames is one entry."""
    _check_joints(track, skeleton)
    rot, pos = skeleton.forward(track.rotations, track.root)
    out: list[Penetration] = []
    for side in ("R", "L"):
        pts = hand_points(skeleton, rot, pos, side)  # (T, 21, 3) world metres
        names = hand_point_names(side)
        for volume in BODY_VOLUMES:
            j = skeleton.index(volume.joint)
            # world -> the volume's rest coordinates: undo the carrying joint's world transform
            local = np.einsum("tba,tpb->tpa", rot[:, j], pts - pos[:, j, None]) + skeleton.rest[j]
            depth = volume.depth(local)  # (T, 21)
            for p in np.flatnonzero((depth > tolerance).any(axis=0)):
                inside = depth[:, p] > tolerance
                starts = np.flatnonzero(inside & ~np.r_[False, inside[:-1]])
                ends = np.flatnonzero(inside & ~np.r_[inside[1:], False])
                for a, b in zip(starts, ends):
                    t = int(a + np.argmax(depth[a:b + 1, p]))
                    out.append(Penetration(t, names[p], volume.name, round(float(depth[t, p]), 4)))
    return sorted(out)
