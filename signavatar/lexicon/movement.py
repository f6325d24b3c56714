"""Phonological definitions -> keyframes: movement segments become paths of the hand's offset.

A definition (see glosses/SCHEMA.md, "definition") names where the dominant hand starts and how it
moves. Paths are computed in the location's (out, up, forward) offset space, so the same words
mirror between the hands; the poser's inverse kinematics then makes the hand reach each point in
the orientation asked. Points where the motion turns back or stops become stop keys (the
sequencer eases into them); points on circles, arcs and zigzags are pass-through keys.

Timing (seconds at speed "normal", before the segment's speed factor and repeats): see SEGMENT_TIME.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from signavatar.lexicon.model import Definition, FrozenMap, HandPose, Keyframe, Movement
from signavatar.typed import FloatArray

#: seconds for one pass of each segment type, as a function of its size (m)
SEGMENT_TIME: dict[str, Callable[[float], float]] = {
    "straight": lambda size: 0.16 + 1.2 * size,
    "to": lambda size: 0.18 + 1.0 * size,
    "arc": lambda size: 0.2 + 1.4 * size,
    "circle": lambda size: 0.3 + 2.0 * size,
    "zigzag": lambda size: 0.3 + 1.5 * size,
    "twist": lambda size: 0.22,
    "wiggle": lambda size: 0.4,
    "hold": lambda size: 0.0,  # a hold lasts its own `time`
}
START_HOLD = 0.06  # the start form registers before the movement begins
HELD_SIGN = 0.32  # seconds of a sign without movement
CIRCLE_POINTS = 12  # pass-through points per revolution
WIGGLE_BEND = 35.0  # degrees of extra flexion of the wiggling fingers
ZIGZAG_TEETH = 3


@dataclass
class _Sample:
    """The dominant hand at one moment: seconds, offset (out, up, forward), twist, bend, stop."""

    time: float
    offset: FloatArray
    twist: float
    bend: tuple[float, float, float, float]
    stop: bool
    target: tuple[str, FloatArray] | None = None  # a new location (after a "to" segment)


def _perpendicular(v: FloatArray, hint: FloatArray) -> FloatArray:
    p = hint - v * (hint @ v)
    if np.linalg.norm(p) < 1e-6:
        p = np.array([0.0, 1.0, 0.0]) if abs(v[1]) < 0.9 else np.array([0.0, 0.0, 1.0])
        p = p - v * (p @ v)
    return p / np.linalg.norm(p)


CIRCLE_AXES = {  # (first, second) axes of each plane in (out, up, forward) space
    "front": (np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])),
    "flat": (np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])),
    "side": (np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])),
}


def _segment(seg: Movement, last: _Sample) -> list[_Sample]:
    """Samples after `last` for one segment (all repeats)."""
    one = SEGMENT_TIME[seg.type](seg.size) * seg.speed
    out: list[_Sample] = []
    t, pos, twist = last.time, last.offset.copy(), last.twist
    flat = (0.0, 0.0, 0.0, 0.0)

    def add(dt: float, p: FloatArray, stop: bool, tw: float | None = None,
            bend: tuple[float, float, float, float] = flat) -> None:
        nonlocal t
        t += dt
        out.append(_Sample(t, p.copy(), twist if tw is None else tw, bend, stop))

    if seg.type == "hold":
        add(seg.time * seg.speed, pos, True)
    elif seg.type == "straight":
        d = np.asarray(seg.direction) * seg.size
        if seg.ret or seg.repeat > 1:
            # a tap or a repeated movement: out and back
            start, far = pos, pos + d
            for r in range(seg.repeat):
                add(one * 0.6, far, True)
                if seg.ret or r < seg.repeat - 1:
                    add(one * 0.6, start, True)
        else:
            add(one, pos + d, True)
    elif seg.type == "arc":
        d = np.asarray(seg.direction) * seg.size
        bulge = _perpendicular(np.asarray(seg.direction), np.asarray(seg.bulge)) * 0.35 * seg.size
        ends = [pos, pos + d]
        for r in range(seg.repeat):
            a, b = ends[r % 2], ends[(r + 1) % 2]
            for k in range(1, 7):
                u = k / 6
                add(one / 6, a + (b - a) * u + bulge * np.sin(np.pi * u), k == 6)
    elif seg.type == "circle":
        e1, e2 = CIRCLE_AXES[seg.plane]
        radius = seg.size / 2
        centre = pos - e2 * radius  # start at the top of the circle
        start_angle = np.pi / 2
        n = CIRCLE_POINTS * seg.repeat
        for k in range(1, n + 1):
            angle = start_angle - 2 * np.pi * k / CIRCLE_POINTS  # outward first, seen from the signer
            add(one / CIRCLE_POINTS, centre + radius * (np.cos(angle) * e1 + np.sin(angle) * e2), k == n)
    elif seg.type == "zigzag":
        d = np.asarray(seg.direction) * seg.size
        # teeth to the side (out/in); a zigzag that itself goes out or in has its teeth up and down
        side = _perpendicular(np.asarray(seg.direction), np.array([1.0, 0.0, 0.0])) * 0.3 * seg.size
        base = pos.copy()
        for _ in range(seg.repeat):
            for k in range(1, 2 * ZIGZAG_TEETH + 1):
                u = k / (2 * ZIGZAG_TEETH)
                wobble = side * (1 if k % 2 else -1) * (0 if k == 2 * ZIGZAG_TEETH else 1)
                add(one / (2 * ZIGZAG_TEETH), base + d * u + wobble, k == 2 * ZIGZAG_TEETH)
            base = base + d
    elif seg.type == "twist":
        angles = [twist + seg.angle, twist]
        for r in range(seg.repeat):
            add(one, pos, True, tw=angles[0])
            if r < seg.repeat - 1 or seg.ret:
                add(one, pos, True, tw=angles[1])
    elif seg.type == "wiggle":
        patterns = [(WIGGLE_BEND, 0.0, WIGGLE_BEND, 0.0), (0.0, WIGGLE_BEND, 0.0, WIGGLE_BEND)]
        steps = 4 * seg.repeat
        for k in range(steps):
            add(one / 4, pos, False, bend=patterns[k % 2])
        add(one / 4, pos, True)
    elif seg.type == "to":
        assert seg.target is not None
        location, offset = seg.target
        s = _Sample(t + one, np.asarray(offset, dtype=float), twist, flat, True, (location, np.asarray(offset)))
        out.append(s)
    return out


def _path(defn: Definition) -> list[_Sample]:
    """The dominant hand's samples over the whole sign (seconds from the sign's start)."""
    first = _Sample(0.0, np.asarray(defn.hand.offset, dtype=float), defn.hand.twist, (0.0,) * 4, True)
    samples = [first]
    if not defn.movement:
        samples.append(_Sample(HELD_SIGN, first.offset.copy(), first.twist, first.bend, True))
        return samples
    samples.append(_Sample(START_HOLD, first.offset.copy(), first.twist, first.bend, True))
    for seg in defn.movement:
        last = samples[-1]
        new = _segment(seg, last)
        if new and last.target is not None:
            for s in new:
                s.target = s.target or last.target
        samples.extend(new)
    return samples


def _pose(base: HandPose, s: _Sample, mirror_x: bool = False) -> HandPose:
    location = base.location
    offset = s.offset
    if s.target is not None:
        location = s.target[0]
    if mirror_x:  # the movement goes the same way in the world: its out component flips
        start = np.asarray(base.offset, dtype=float)
        offset = start + (offset - start) * np.array([-1.0, 1.0, 1.0])
    x, y, z = (round(float(v), 4) for v in offset)
    return replace(base, location=location, offset=(x, y, z), twist=round(float(s.twist), 2), bend=s.bend)


def _with_end(pose: HandPose, end: Mapping[str, object]) -> HandPose:
    """`pose` with the end form's handshape, palm, fingers and twist where it names them (checked
    by the loader as a hand's are: strings and a number)."""
    twist = end.get("twist", pose.twist)
    return replace(
        pose, handshape=str(end.get("handshape", pose.handshape)), palm=str(end.get("palm", pose.palm)),
        fingers=str(end.get("fingers", pose.fingers)),
        twist=float(twist) if isinstance(twist, (int, float)) else pose.twist,
    )


def _alternate(path: list[_Sample]) -> list[_Sample]:
    """The other hand half a cycle apart: every sample reflected through the middle of the range
    the movement covers, so when one hand is up the other is down (twist and wiggle likewise)."""
    moving = path[1:] or path
    offsets = np.array([s.offset for s in moving])
    centre = (offsets.min(axis=0) + offsets.max(axis=0)) / 2
    twists = [s.twist for s in moving]
    mid_twist = (min(twists) + max(twists)) / 2
    return [
        _Sample(s.time, 2 * centre - s.offset, 2 * mid_twist - s.twist,
                (s.bend[1], s.bend[0], s.bend[3], s.bend[2]), s.stop, s.target)
        for s in path
    ]


def compile_definition(defn: Definition, duration: float | None = None) -> tuple[tuple[Keyframe, ...], float]:
    """Keyframes (t in [0, 1]) and the duration in seconds of a phonological definition.

    `duration`, when the file gives one, rescales the computed timing."""
    right = _path(defn)
    left_path = _alternate(right) if defn.left == "alternate" else None
    natural = right[-1].time
    total = duration if duration is not None else natural
    keys: list[Keyframe] = []
    for i, r in enumerate(right):
        last = i == len(right) - 1
        rp = _pose(defn.hand, r)
        lp: HandPose | None
        if defn.left is None or isinstance(defn.left, HandPose):
            lp = defn.left
        elif left_path is not None:
            lp = _pose(defn.hand, left_path[i])
        else:
            lp = _pose(defn.hand, r, mirror_x=(defn.left == "parallel"))
        if last and defn.end:
            rp = _with_end(rp, defn.end)
            if lp is not None and not isinstance(defn.left, HandPose):
                lp = _with_end(lp, defn.end)
        keys.append(Keyframe(t=min(1.0, r.time / natural), right=rp, left=lp, face=FrozenMap(defn.face),
                             through=not (r.stop or i == 0 or last)))
    return tuple(keys), float(total)
