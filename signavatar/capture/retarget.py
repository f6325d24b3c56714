"""MediaPipe Holistic landmarks -> the avatar's joint rotations (a PoseTrack).

Only directions are taken from the recording, never lengths: the avatar keeps its own bone lengths
and proportions. Per frame and per arm: upper-arm and forearm directions from the metric body
landmarks (shoulder, elbow, wrist), the hand's orientation from the palm plane (wrist, index and
pinky knuckles), and every finger bone's direction expressed in the palm frame, so flexion and
spread carry over whatever the hand's orientation. The head turns with the face (eye corners,
forehead, chin). A hand that the recording lost keeps its last seen pose (or rest).

Coordinates: MediaPipe image/world axes are x right, y down, z away from the camera; ours are
+X the signer's left (= image right), Y up, +Z toward the viewer, so (x, y, z) -> (x, -y, -z).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.avatar.lift import is_flat, lift_arm, lift_hand, palm_facing, rig_hand_points
from signavatar.avatar.quaternions import quat_between, quat_from_matrix, quat_to_matrix
from signavatar.avatar.skeleton import FINGERS, Skeleton, finger_joints
from signavatar.gloss_to_pose.poser import Poser
from signavatar.kinematics.arm_ik import ArmIK
from signavatar.kinematics.hand_model import hand_frame
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray
from signavatar.types import PoseTrack

#: MediaPipe hand landmark chains per finger, base first (0 is the wrist)
HAND_CHAINS: dict[str, tuple[int, int, int, int]] = {
    "thumb": (1, 2, 3, 4),
    "index": (5, 6, 7, 8),
    "middle": (9, 10, 11, 12),
    "ring": (13, 14, 15, 16),
    "pinky": (17, 18, 19, 20),
}
#: MediaPipe pose landmark ids: (shoulder, elbow, wrist) per side of the signer
ARM_IDS = {"L": (11, 13, 15), "R": (12, 14, 16)}
MIN_FORWARD = 0.20  # metres the wrist stays in front of the shoulders (tuned on the alphabet, see lift.py)
#: the same for recordings with depth (video captures, arm depth from bone lengths): none, so chest
#: signs (ICH, TELEFON) stay at the chest; measured neutral on the round trip (13.3 -> 13.2 deg)
MIN_FORWARD_DEPTH = 0.0
#: |lift.palm_facing| under which a flat hand counts as seen edge-on: its facing sign then follows
#: the landmark noise frame by frame (FS-T: +-0.1), so a whole edge-on stretch gets one sign
EDGE_ON = 0.2
FACE_IDS = {"right_eye_outer": 33, "left_eye_outer": 263, "forehead": 10, "chin": 152}


def to_ours(points: FloatArray) -> FloatArray:
    """MediaPipe axes (..., 3) -> ours (..., 3)."""
    ours: FloatArray = np.asarray(points, dtype=np.float64) * np.array([1.0, -1.0, -1.0])
    return ours


@dataclass(frozen=True)
class HolisticFrames:
    """Landmarks of one signer over T frames, in our axes, with NaN where not seen.

    body: (T, 33, 3) metric body landmarks (POSE_WORLD_LANDMARKS, or image ones if absent);
    left_hand, right_hand: (T, 21, 3) the signer's hands; face: (T, F, 3) or None; fps.
    """

    fps: float
    body: FloatArray
    left_hand: FloatArray
    right_hand: FloatArray
    face: FloatArray | None


def _unit(v: FloatArray) -> FloatArray:
    unit: FloatArray = v / np.linalg.norm(v, axis=-1, keepdims=True)
    return unit


def palm_frame(hand: FloatArray, side: str) -> FloatArray:
    """(3, 3) columns: fingers, palm normal (out of the palm), fingers x palm, from 21 points."""
    fingers = _unit(hand[9] - hand[0])
    across = hand[5] - hand[17]
    across = _unit(across - fingers * (across @ fingers))
    palm = np.cross(across, fingers) if side == "R" else np.cross(fingers, across)
    palm = _unit(palm)
    return np.stack([fingers, palm, np.cross(fingers, palm)], axis=1)


class Retargeter:
    def __init__(self, skeleton: Skeleton, lexicon: Lexicon) -> None:
        self.skeleton = skeleton
        self.arms = {s: ArmIK(skeleton, s) for s in ("R", "L")}
        self.rest_frames = {s: hand_frame(skeleton, s).matrix() for s in ("R", "L")}
        self._rest_pose = Poser(skeleton, lexicon).rest_rotations()
        self._head = skeleton.index("head")
        self._neck = skeleton.index("neck03")
        self.rig_hands = {s: rig_hand_points(skeleton, s) for s in ("R", "L")}
        rest = skeleton.rest
        self.shoulder_width = float(np.linalg.norm(rest[skeleton.index("upperarm01.L")]
                                                   - rest[skeleton.index("upperarm01.R")]))
        self.shoulder_centre = 0.5 * (rest[skeleton.index("upperarm01.L")] + rest[skeleton.index("upperarm01.R")])
        self.flat = False  # set per recording by track(): depth must be rebuilt
        self.facing: dict[str, FloatArray] = {}  # set by track() for flat recordings: (T,) +-1 per side
        #: set by track(): per side (T, 3, 3) hand rotations found elsewhere (capture/hand_fit.py),
        #: NaN where the palm triangle is to be used
        self.hand_rotations: dict[str, FloatArray] = {}

    def fingers(self, hand: FloatArray, side: str) -> dict[int, FloatArray]:
        """Local quaternions of the 15 finger joints of one hand from its 21 landmarks."""
        sk = self.skeleton
        obs = palm_frame(hand, side)
        rest = self.rest_frames[side]
        out: dict[int, FloatArray] = {}
        for finger in FINGERS:
            chain = HAND_CHAINS[finger]
            joints = [sk.index(n) for n in finger_joints(side, finger)]
            acc = np.eye(3)  # rotation of the finger so far, relative to the hand, rest axes
            for k, j in enumerate(joints):
                # k < 3 always (three joints per finger): the bone from landmark k to k + 1
                seen = hand[chain[k + 1]] - hand[chain[k]]
                if k < 2:
                    d0 = sk.rest[joints[k + 1]] - sk.rest[j]
                else:
                    d0 = sk.rest[j] - sk.rest[joints[k - 1]]
                # the observed bone in palm coordinates, placed into our hand's rest frame
                target = rest @ (obs.T @ _unit(seen))
                q = quat_between(d0, acc.T @ target)
                out[j] = q
                acc = acc @ quat_to_matrix(q)
        return out

    def frame(self, frames: HolisticFrames, t: int, previous: FloatArray | None) -> FloatArray:
        """Local quaternions (J, 4) for frame t; sides not seen keep `previous` (or rest)."""
        q = (previous if previous is not None else self._rest_pose).copy()
        for side, hand in (("R", frames.right_hand[t]), ("L", frames.left_hand[t])):
            s_id, e_id, w_id = ARM_IDS[side]
            arm = frames.body[t, [s_id, e_id, w_id]]
            if not (np.isfinite(hand).all() and np.isfinite(arm).all()):
                continue
            shoulders = frames.body[t, [11, 12]]
            if not np.isfinite(shoulders).all():
                continue
            ik = self.arms[side]
            rec_width = float(np.linalg.norm(shoulders[0, :2] - shoulders[1, :2]))
            scale = rec_width / self.shoulder_width  # recording units per metre of avatar
            if self.flat:
                facing = self.facing.get(side)
                hand = lift_hand(hand, self.rig_hands[side], side,
                                 None if facing is None or t >= len(facing) else float(facing[t]))
                u, f = lift_arm(arm[0], arm[1], arm[2], scale * ik.len_upper, scale * ik.len_fore)
                wrist = np.array([arm[2, 0], arm[2, 1], u[2] + f[2]])
                elbow = np.array([arm[1, 0], arm[1, 1], u[2]])
                centre = np.array([shoulders[:, 0].mean(), shoulders[:, 1].mean(), 0.0])
            else:
                wrist, elbow = arm[2], arm[1]
                centre = shoulders.mean(axis=0)
            # the wrist where the signer's wrist is, relative to the shoulders, in avatar proportions
            target = self.shoulder_centre + (wrist - centre) / scale
            # recordings without depth (and noisy ones) can put the hand inside the head or chest:
            # signing happens in front of the body
            target[2] = max(target[2], self.shoulder_centre[2] + (MIN_FORWARD if self.flat else MIN_FORWARD_DEPTH))
            given = self.hand_rotations.get(side)
            if given is not None and t < len(given) and np.isfinite(given[t]).all():
                hand_rot = given[t]
            else:
                hand_rot = palm_frame(hand, side) @ self.rest_frames[side].T
            elbow_hint = self.shoulder_centre + (elbow - centre) / scale
            for j, r in ik.solve(target, hand_rot, elbow_hint).items():
                q[j] = r
            for j, r in self.fingers(hand, side).items():
                q[j] = r
        if frames.face is not None and np.isfinite(frames.face[t]).all():
            head = self._head_rotation(frames.face[t])
            # split between neck and head so the neck does not kink
            half = quat_from_matrix(head)
            half = half / np.linalg.norm(half)
            q[self._head] = _slerp_half(half)
            q[self._neck] = _slerp_half(half)
        return q

    def _head_rotation(self, face: FloatArray) -> FloatArray:
        x = face[FACE_IDS["left_eye_outer"]] - face[FACE_IDS["right_eye_outer"]]
        up = face[FACE_IDS["forehead"]] - face[FACE_IDS["chin"]]
        x = _unit(x)
        up = _unit(up - x * (up @ x))
        obs = np.stack([x, up, np.cross(x, up)], axis=1)
        # a frontal face seen by a camera at eye level has this frame; the face leans ~10 deg back
        return obs

    def track(self, frames: HolisticFrames, skeleton_id: str,
              hand_rotations: dict[str, FloatArray] | None = None) -> PoseTrack:
        """The recording as joint rotations; `hand_rotations` per side (T, 3, 3), NaN where not
        known, replaces the palm triangle's reading of the hand's orientation."""
        n = frames.body.shape[0]
        self.hand_rotations = dict(hand_rotations or {})
        seen = [h[t] for h in (frames.right_hand, frames.left_hand) for t in range(n) if np.isfinite(h[t]).all()]
        self.flat = bool(seen) and is_flat(seen[len(seen) // 2])
        self.facing = {s: facing_signs(h, s) for s, h in (("R", frames.right_hand), ("L", frames.left_hand))} \
            if self.flat else {}
        rot = np.empty((n, self.skeleton.num_joints, 4))
        prev: FloatArray | None = None
        for t in range(n):
            prev = self.frame(frames, t, prev)
            rot[t] = prev
        return PoseTrack(
            fps=float(frames.fps),
            skeleton_id=skeleton_id,
            joint_names=self.skeleton.names,
            rotations=rot.astype(np.float32),
            root=np.zeros((n, 3), dtype=np.float32),
            face=np.zeros((n, len(FACE_CHANNELS)), dtype=np.float32),
            face_channels=FACE_CHANNELS,
            labels=tuple("" for _ in range(n)),
        )


def facing_signs(hand: FloatArray, side: str) -> FloatArray:
    """(T,) +1 / -1: whether a flat hand (T, 21, 3) shows its palm to the camera (lift.palm_facing).
    A frame seen clearly (|facing| >= EDGE_ON) keeps its own sign; each run of edge-on or unseen
    frames takes the sign of its summed facing, so the fingers do not flip depth within it."""
    z = np.array([palm_facing(h, side) if np.isfinite(h).all() else 0.0 for h in hand])
    out = np.where(z >= 0, 1.0, -1.0)
    unsure = np.abs(z) < EDGE_ON
    t = 0
    while t < len(z):
        if not unsure[t]:
            t += 1
            continue
        end = t
        while end < len(z) and unsure[end]:
            end += 1
        out[t:end] = 1.0 if z[t:end].sum() >= 0 else -1.0
        t = end
    return out


def _slerp_half(q: FloatArray) -> FloatArray:
    """The rotation halfway from identity to q."""
    q = q if q[0] >= 0 else -q
    half = np.array([1.0 + q[0], q[1], q[2], q[3]])
    unit: FloatArray = half / np.linalg.norm(half)
    return unit
