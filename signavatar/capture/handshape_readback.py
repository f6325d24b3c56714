"""Does a handshape look like its definition? Render it, read it back with MediaPipe Hands, compare.

For one handshape of glosses/handshapes.json the right hand is posed at `neutral_high` with the
fingers up, rendered close-up (384x384) by the product renderer and read by MediaPipe Hands
(HandReader, static image mode). From the 21 landmarks we measure the flexion at 14 joints (thumb
MCP and IP; MCP, PIP and DIP of index..pinky) and compare them with the definition's flexion.

Views: the camera always looks along -Z, so a view is how the hand is held (and the avatar
turned). Palm toward the camera (the obvious choice) was tried and dropped: every flexion points
into depth, MediaPipe guesses it, and curled shapes (flat-O, E, M, N, S, bent-B) were not found at
all. Of ten views tried, two complement each other: SIDE (thumb side toward the camera: flexion in
the image plane, but the index hides the fingers behind it) and THREE_QUARTER (palm half toward the
camera: every finger seen). A shape's reading is the mean over the views that found the hand; the
same rule for every shape.

Angles are 3D, on MediaPipe's (x, y, z); for index..pinky the bend about the knuckle line (see
measured_flexion), so spread and MediaPipe's wrist->knuckle MCP reference fall out as a constant.

Calibration: that constant MCP offset, and the rig's rest fingers (slightly curved), are not what
our definition calls 0. One neutral shape, the flat hand `B` (every flexion 0 by definition), is
read once per view and its reading subtracted from every reading of that view. Nothing is tuned
per handshape. Known bias left: MediaPipe under-reads strongly bent knuckles (a fist's MCP of 90
reads about 70), which an offset cannot remove.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.quaternions import quat_from_axis_angle
from signavatar.avatar.rig import Avatar
from signavatar.capture.legibility import HandReader
from signavatar.gloss_to_pose.poser import REST, Poser
from signavatar.lexicon import HandPose, Handshape, Lexicon
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.typed import FloatArray, UInt8Array

#: the 14 flexion joints compared, in this order everywhere
JOINTS: tuple[str, ...] = (
    "thumb_mcp", "thumb_ip",
    "index_mcp", "index_pip", "index_dip",
    "middle_mcp", "middle_pip", "middle_dip",
    "ring_mcp", "ring_pip", "ring_dip",
    "pinky_mcp", "pinky_pip", "pinky_dip",
)
#: MediaPipe landmark triples (before, joint, after) whose angle is each joint's flexion
_LANDMARK_TRIPLES: tuple[tuple[int, int, int], ...] = (
    (1, 2, 3), (2, 3, 4),
    (0, 5, 6), (5, 6, 7), (6, 7, 8),
    (0, 9, 10), (9, 10, 11), (10, 11, 12),
    (0, 13, 14), (13, 14, 15), (14, 15, 16),
    (0, 17, 18), (17, 18, 19), (18, 19, 20),
)
#: the neutral shape every view is calibrated on (all flexions 0 by definition)
CALIBRATION_SHAPE = "B"
SIZE = 384
LOCATION = "neutral_high"


@dataclass(frozen=True)
class View:
    """How the hand is held toward the camera (direction words of the lexicon, right hand)."""

    name: str
    palm: str
    fingers: str
    yaw_deg: float = 0.0  # the whole avatar turned about the vertical by this much (+ = toward its left)


#: thumb side toward the camera (palm toward the body's midline): flexion lies in the image plane,
#: but the index hides the fingers behind it
SIDE = View("side", palm="in", fingers="up")
#: palm half toward the camera (palm forward, avatar turned 45 degrees to its left): every finger
#: is seen, flexion is half in the image plane
THREE_QUARTER = View("three-quarter", palm="forward", fingers="up", yaw_deg=45.0)
VIEWS: tuple[View, ...] = (SIDE, THREE_QUARTER)


def defined_flexion(shape: Handshape) -> FloatArray:
    """(14,) flexion angles in degrees of a definition, in JOINTS order."""
    out = [shape.thumb[2], shape.thumb[3]]
    for finger in (shape.index, shape.middle, shape.ring, shape.pinky):
        out.extend(finger[1:4])
    return np.asarray(out, dtype=np.float64)


def _bend(u: FloatArray, v: FloatArray, axis: FloatArray | None) -> float:
    """Degrees from direction u to direction v (3,); about `axis` (unit, signed, both projected
    onto the plane normal to it) or, with no axis, the unsigned 3D angle."""
    if axis is not None:
        u, v = u - axis * (u @ axis), v - axis * (v @ axis)
        return float(np.degrees(np.arctan2(np.cross(u, v) @ axis, u @ v)))
    cos = u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-12)
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def measured_flexion(points: FloatArray) -> FloatArray:
    """(14,) flexion in degrees at JOINTS from the 21 landmarks (21, 3) of a right hand in image
    axes (x right, y down, z away from the camera).

    Index..pinky: the signed bend about the hand's knuckle line (index knuckle - pinky knuckle),
    positive toward the palm, as the rig flexes them; the sideways part (spread) drops out, so the
    MCP angle's offset between MediaPipe's wrist->knuckle line and our metacarpal is a constant that
    the flat-hand calibration removes. Thumb: its joints bend about other axes: unsigned 3D angles.
    """
    p = np.asarray(points, dtype=np.float64)
    across = p[5] - p[17]
    across = across / (np.linalg.norm(across) + 1e-12)
    out = []
    for k, (a, b, c) in enumerate(_LANDMARK_TRIPLES):
        # right hand in image axes (x right, y down, z away): a bend toward the palm turns about +across
        axis = None if k < 2 else across
        out.append(_bend(p[b] - p[a], p[c] - p[b], axis))
    return np.asarray(out)


@dataclass(frozen=True)
class ReadBack:
    """One handshape read back. Angles (14,) in degrees, JOINTS order. measured: calibrated, the
    mean over the views in which MediaPipe found the hand; None when it found it in none."""

    name: str
    defined: FloatArray
    measured: FloatArray | None
    views: tuple[str, ...]

    @property
    def detected(self) -> bool:
        return self.measured is not None

    @property
    def errors(self) -> FloatArray:
        """(14,) absolute errors in degrees (NaN when not detected)."""
        if self.measured is None:
            return np.full(len(JOINTS), np.nan)
        errors: FloatArray = np.abs(self.measured - self.defined)
        return errors

    @property
    def mean_error(self) -> float:
        """Mean absolute flexion error in degrees (NaN when not detected)."""
        return float(np.mean(self.errors))

    @property
    def worst_joint(self) -> tuple[str, float]:
        """(joint name, its error in degrees); ("", NaN) when not detected."""
        if self.measured is None:
            return "", float("nan")
        k = int(np.argmax(self.errors))
        return JOINTS[k], float(self.errors[k])


class HandshapeReadback:
    """Renders handshapes close-up and reads them back. Build once; reuse for every shape.

    One OffscreenRenderer per view (the camera is fixed per renderer: the hand's place depends on
    the view only, not on the handshape), one HandReader for all.
    """

    def __init__(self, avatar: Avatar, lexicon: Lexicon, *, size: int = SIZE, platform: str = "egl",
                 views: tuple[View, ...] = VIEWS, min_detection_confidence: float = 0.3,
                 model_complexity: int = 1) -> None:
        self.avatar = avatar
        self.lexicon = lexicon
        self.size = size
        self.poser = Poser(avatar.skeleton, lexicon)
        self.reader = HandReader(min_detection_confidence, model_complexity)
        self.views = {v.name: v for v in views}
        self.cameras: dict[str, Camera] = {}
        self.renderers: dict[str, OffscreenRenderer] = {}
        for view in views:
            _, world_p = self._pose(CALIBRATION_SHAPE, view)
            sk = avatar.skeleton
            # aim at the middle of the hand (wrist to middle fingertip, straight fingers)
            centre = 0.5 * (world_p[sk.index("wrist.R")] + world_p[sk.index("finger3-3.R")])
            # 0.55 m away with a 30 degree field: ~0.29 m of picture, the hand (~0.19 m) fills 2/3
            self.cameras[view.name] = Camera(target=(float(centre[0]), float(centre[1]), float(centre[2])),
                                             distance=0.55, yfov_deg=30.0)
            self.renderers[view.name] = OffscreenRenderer(avatar, size, size, camera=self.cameras[view.name],
                                                          platform=platform)
        self._offsets: dict[str, FloatArray] = {}

    def _pose(self, name: str, view: View) -> tuple[FloatArray, FloatArray]:
        """World rotations (J, 3, 3) and positions (J, 3) with the right hand in `name` held as `view`."""
        sk = self.avatar.skeleton
        q = sk.identity(1)[0]
        for j, r in self.poser.pose(REST, "L").items():
            q[j] = r
        hand = HandPose(handshape=name, location=LOCATION, offset=(0.0, 0.0, 0.0), palm=view.palm, fingers=view.fingers)
        for j, r in self.poser.pose(hand, "R").items():
            q[j] = r
        q[sk.index("root")] = quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), np.radians(view.yaw_deg))
        return sk.forward(q)

    def render(self, name: str, view: str) -> tuple[UInt8Array, FloatArray]:
        """(image (S, S, 3) uint8, wrist pixel (2,)) of handshape `name` held as `view`."""
        sk = self.avatar.skeleton
        world_r, world_p = self._pose(name, self.views[view])
        image = self.renderers[view].render(*self.avatar.deform(world_r, world_p, None))
        wrist = self.cameras[view].project(world_p[sk.index("wrist.R")][None], self.size, self.size)[0]
        return image, wrist

    def raw(self, name: str, view: str) -> FloatArray | None:
        """(14,) uncalibrated flexion read from the render, or None when no hand is found near the wrist."""
        image, wrist = self.render(name, view)
        hand = self.reader.nearest(image, wrist)
        if hand is None or np.linalg.norm(hand.points[0, :2] - wrist) > 0.25 * self.size:
            return None
        return measured_flexion(hand.points)

    def offset(self, view: str) -> FloatArray:
        """(14,) calibration of a view: the flat hand's reading minus its definition."""
        if view not in self._offsets:
            raw = self.raw(CALIBRATION_SHAPE, view)
            if raw is None:
                raise RuntimeError(f"calibration shape {CALIBRATION_SHAPE!r} not detected in view {view!r}")
            self._offsets[view] = raw - defined_flexion(self.lexicon.handshapes[CALIBRATION_SHAPE])
        return self._offsets[view]

    def read_view(self, name: str, view: str) -> FloatArray | None:
        """(14,) calibrated flexion of handshape `name` seen in one view, None if not found."""
        raw = self.raw(name, view)
        return None if raw is None else raw - self.offset(view)

    def read(self, name: str) -> ReadBack:
        """Handshape `name` read back: the mean of its calibrated readings over every view in which
        the hand was found. Averaging views (rather than picking one per shape) keeps one rule for
        every shape; the side view sees flexion best, the three-quarter view the hidden fingers."""
        seen = {v: self.read_view(name, v) for v in self.views}
        found = {v: m for v, m in seen.items() if m is not None}
        measured = np.mean(list(found.values()), axis=0) if found else None
        return ReadBack(name, defined_flexion(self.lexicon.handshapes[name]), measured, tuple(found))

    def close(self) -> None:
        for r in self.renderers.values():
            r.close()
        self.reader.close()
