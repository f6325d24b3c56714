"""Readers for the two schema-2 alternatives to hand-written keyframes: a phonological
`definition` and a `recording` of joint rotations (see glosses/SCHEMA.md). Failures raise
FieldError naming the field path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from signavatar.lexicon import fields as f
from signavatar.lexicon.fields import FieldError
from signavatar.lexicon.model import (
    CIRCLE_PLANES,
    DIRECTIONS,
    LEFT_MODES,
    LOCATIONS,
    MOVEMENT_TYPES,
    SIZES,
    SPEEDS,
    Definition,
    FrozenMap,
    HandPose,
    Movement,
    Recording,
    Vec3,
)

DIRECTION_VECTORS: dict[str, Vec3] = {
    "up": (0.0, 1.0, 0.0), "down": (0.0, -1.0, 0.0), "forward": (0.0, 0.0, 1.0),
    "back": (0.0, 0.0, -1.0), "out": (1.0, 0.0, 0.0), "in": (-1.0, 0.0, 0.0),
}
MAX_RECORDING_FRAMES = 750  # 30 s at 25 fps
OFFSET_LIMIT = 0.35
SEGMENT_FIELDS = ("type", "direction", "size", "repeat", "speed", "angle", "plane", "bulge", "location",
                  "offset", "return", "time")
NEEDS: dict[str, tuple[str, ...]] = {
    "straight": ("direction",), "arc": ("direction",), "zigzag": ("direction",), "to": ("location",),
}
ALLOWED: dict[str, tuple[str, ...]] = {
    "straight": ("direction", "size", "repeat", "speed", "return"),
    "arc": ("direction", "size", "repeat", "speed", "bulge"),
    "circle": ("size", "repeat", "speed", "plane"),
    "zigzag": ("direction", "size", "repeat", "speed"),
    "twist": ("angle", "repeat", "speed", "return"),
    "wiggle": ("repeat", "speed"),
    "to": ("location", "offset", "speed"),
    "hold": ("time",),
}


def direction_vector(value: Any, field: str) -> Vec3:
    """A direction word, or words joined by '+' for a diagonal ("up+out"), as a unit vector."""
    if not isinstance(value, str) or not value:
        raise FieldError(field, f"expected a direction such as 'up' or 'forward+out', got {value!r}")
    total = np.zeros(3)
    for word in value.split("+"):
        if word not in DIRECTION_VECTORS:
            raise FieldError(field, f"unknown direction {word!r} (known: {', '.join(DIRECTIONS)}, joined by '+')")
        total += DIRECTION_VECTORS[word]
    norm = float(np.linalg.norm(total))
    if norm < 1e-9:
        raise FieldError(field, f"{value!r} cancels out")
    x, y, z = (float(v) for v in total / norm)
    return (x, y, z)


def _size(value: Any, field: str) -> float:
    if isinstance(value, str):
        return SIZES[f.choice(value, field, SIZES, "size")]
    return f.number(value, field, 0.005, 0.4)


def _speed(value: Any, field: str) -> float:
    return SPEEDS[f.choice(value, field, SPEEDS, "speed")]


def read_offset(value: Any, field: str) -> Vec3:
    """An offset [out, up, forward] in metres, each within ±OFFSET_LIMIT."""
    x, y, z = f.numbers(value, field, [(-OFFSET_LIMIT, OFFSET_LIMIT)] * 3)
    return (x, y, z)


def parse_segment(raw: Any, field: str) -> Movement:
    f.obj(raw, field, ("type",), SEGMENT_FIELDS[1:])
    kind = f.choice(raw["type"], f"{field}.type", MOVEMENT_TYPES, "movement type")
    for key in raw:
        if key != "type" and key not in ALLOWED[kind]:
            allowed = ", ".join(ALLOWED[kind]) or "none"
            raise FieldError(f"{field}.{key}", f"not used by a {kind!r} movement (its fields: {allowed})")
    for key in NEEDS.get(kind, ()):
        if key not in raw:
            raise FieldError(f"{field}.{key}", f"missing (a {kind!r} movement needs it)")
    values: dict[str, Any] = {"type": kind}
    readers: dict[str, Callable[[Any, str], Any]] = {
        "direction": direction_vector,
        "bulge": direction_vector,
        "size": _size,
        "speed": _speed,
        "repeat": _repeat,
        "angle": lambda v, fl: f.number(v, fl, -180.0, 180.0),
        "plane": lambda v, fl: f.choice(v, fl, CIRCLE_PLANES, "circle plane"),
        "return": f.boolean,
        "time": lambda v, fl: f.number(v, fl, 0.02, 2.0),
    }
    for key, read in readers.items():
        if key in raw:
            values["ret" if key == "return" else key] = read(raw[key], f"{field}.{key}")
    if kind == "to":
        location = f.choice(raw["location"], f"{field}.location", LOCATIONS, "location")
        offset = read_offset(raw["offset"], f"{field}.offset") if "offset" in raw else (0.0, 0.0, 0.0)
        values["target"] = (location, offset)
    return Movement(**values)


def _repeat(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(field, f"expected a whole number 1..6, got {value!r}")
    return int(f.number(value, field, 1, 6))


HandReader = Callable[[Any, str], HandPose]


def parse_definition(raw: Any, hands: str, read_hand: HandReader,
                     read_face: Callable[[Any, str], dict[str, float]]) -> Definition:
    field = "definition"
    f.obj(raw, field, ("hand",), ("left", "movement", "end", "face"))
    hand = read_hand(raw["hand"], f"{field}.hand")
    left: HandPose | str | None = None
    if hands == "two":
        if "left" not in raw:
            raise FieldError(f"{field}.left", "missing (a two-handed sign says what the left hand does: "
                             f"{', '.join(LEFT_MODES)}, or a hand for a held base hand)")
        value = raw["left"]
        left = f.choice(value, f"{field}.left", LEFT_MODES, "left-hand mode") if isinstance(value, str) \
            else read_hand(value, f"{field}.left")
    elif "left" in raw:
        raise FieldError(f"{field}.left", "a one-handed sign (hands: one) has no left hand")
    movement_raw = raw.get("movement", [])
    if not isinstance(movement_raw, list):
        raise FieldError(f"{field}.movement", f"expected a list of movement segments, got {f.type_name(movement_raw)}")
    movement = tuple(parse_segment(seg, f"{field}.movement[{i}]") for i, seg in enumerate(movement_raw))
    end: dict[str, object] = {}
    if "end" in raw:
        end_raw = f.obj(raw["end"], f"{field}.end", (), ("handshape", "palm", "fingers", "twist"))
        merged = {"handshape": hand.handshape, "location": hand.location, "palm": hand.palm,
                  "fingers": hand.fingers}
        merged.update({k: v for k, v in end_raw.items() if k != "twist"})
        if "twist" in end_raw:
            merged["twist"] = end_raw["twist"]
        checked = read_hand(merged, f"{field}.end")  # same checks as a hand (known shape, right angles)
        end = {k: getattr(checked, k) for k in end_raw}
    face = read_face(raw["face"], f"{field}.face") if "face" in raw else {}
    return Definition(hand=hand, left=left, movement=movement, end=FrozenMap(end), face=FrozenMap(face))


def parse_recording(raw: Any, joint_names: tuple[str, ...] | None) -> Recording:
    """A recording; `joint_names` (the avatar skeleton's) checks the joint list when given."""
    field = "recording"
    f.obj(raw, field, ("fps", "skeleton", "joints", "frames"))
    fps = f.number(raw["fps"], f"{field}.fps", 5.0, 120.0)
    skeleton = f.string(raw["skeleton"], f"{field}.skeleton")
    joints_raw = raw["joints"]
    if not isinstance(joints_raw, list) or not joints_raw:
        raise FieldError(f"{field}.joints", "expected a non-empty list of joint names")
    joints = tuple(f.string(j, f"{field}.joints[{i}]") for i, j in enumerate(joints_raw))
    if len(set(joints)) != len(joints):
        raise FieldError(f"{field}.joints", "a joint is listed twice")
    if joint_names is not None:
        for i, j in enumerate(joints):
            if j not in joint_names:
                raise FieldError(f"{field}.joints[{i}]", f"{j!r} is not a joint of the avatar skeleton")
    frames = raw["frames"]
    if not isinstance(frames, list) or not 2 <= len(frames) <= MAX_RECORDING_FRAMES:
        raise FieldError(f"{field}.frames", f"expected a list of 2..{MAX_RECORDING_FRAMES} frames")
    width = 4 * len(joints)
    for i, frame in enumerate(frames):
        if not isinstance(frame, list) or len(frame) != width:
            raise FieldError(f"{field}.frames[{i}]", f"expected {width} numbers (4 per joint)")
    try:
        rot = np.asarray(frames, dtype=np.float64).reshape(len(frames), len(joints), 4)
    except (TypeError, ValueError):
        raise FieldError(f"{field}.frames", "every value must be a number") from None
    if not np.isfinite(rot).all():
        raise FieldError(f"{field}.frames", "non-finite value")
    norms = np.linalg.norm(rot, axis=-1)
    bad = np.argwhere(np.abs(norms - 1.0) > 0.01)
    if len(bad):
        t, k = bad[0]
        raise FieldError(f"{field}.frames[{t}]", f"joint {joints[k]!r}: quaternion length {norms[t, k]:.3f}, not 1")
    rot = rot / norms[..., None]
    rot.setflags(write=False)
    return Recording(fps=fps, skeleton=skeleton, joints=joints, rotations=rot)
