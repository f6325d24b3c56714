"""A body that lives: breathing, idle sway, and a torso and shoulder girdle that follow the hands.

Applied to a sampled track (Sequencer.track) after the hands are placed; writes only the spine
(spine05..spine01), the clavicles and the shoulder01 joints, never root, neck, head, eyes or jaw
(the head and face belong to nonmanuals.py and mouthing.py). Everything is a deterministic
function of time and of the sampled arm pose, so a clip renders the same every time.

What moves, how much, why (angles are local joint rotations; rest-pose axes, Y up, +X the
signer's left, +Z toward the viewer):

- Breathing, BREATH_HZ = 0.25 (15 breaths a minute, a calm adult at rest breathes 12-20): on each
  inhale the chest extends (spine02 back by up to BREATH_SPINE_DEG = 1.2) while spine01 turns
  forward by the same angle, so the neck, head and arms keep their orientation and only the chest
  and shoulders rise; both clavicles lift by up to BREATH_CLAVICLE_DEG = 1.5 (shoulders up ~4 mm,
  2-3 px at 512x512: seen, not a wobble). The phase starts mid-inhale so the first frames already
  move.
- Idle sway (IDLE_SWAY): a standing person is never still, the weight shifts from foot to foot; two
  incommensurate slow sines per axis (0.05-0.17 Hz) on spine05 and spine04 (half each): side lean
  up to ~0.65, turn up to ~0.65, forward lean up to ~0.4 degrees in all. The head, carried by the
  trunk, drifts 3-20 mm over 20 s (2-12 px at 512x512): alive, not wobbling
  (tests/gloss_to_pose/test_body_motion.py).
- Torso follows the dominant hand (right): from the sampled right wrist, seen from the spine axis,
  its azimuth (0 straight ahead, positive out to its own side) and horizontal reach; the Bürgeramt
  sentences sign at a median azimuth of 30 degrees and reach 0.34 m, the rest hand sits at 39
  degrees but only 0.25 m out, a sign at the side (KIND) reaches 69 degrees at 0.38 m.
  Turn toward the hand: TURN_GAIN x (azimuth - TURN_NEUTRAL_DEG), faded in over a reach of
  TURN_REACH m (the rest hand and hands near the body turn nothing), clipped to TURN_RANGE_DEG
  (up to 6 degrees toward the hand's side, 2 toward the other). Lean forward up to
  LEAN_FORWARD_DEG = 3 as the wrist goes forward past 0.38 m (far signs, GEHEN/KOMMEN at 0.45 m:
  ~1.8); lean sideways toward it up to LEAN_SIDE_DEG = 2.5 as it goes out past 0.22 m from the
  midline. Spread over spine04..spine01 (SPINE_SHARE), so the whole trunk bends a little, not one
  vertebra a lot.
- Shoulders: each clavicle lifts as its upper arm rises above the horizontal (the scapulohumeral
  rhythm: the shoulder girdle does part of any elevation above ~60 degrees): up to
  CLAVICLE_LIFT_DEG = 8 between 60 and 130 degrees of upper-arm elevation (the rest arm hangs at
  19, the Bürgeramt median is 44, a hand at the forehead ~80, WARUM peaks at 102); and comes
  forward (protraction) up to CLAVICLE_FORWARD_DEG = 4 as the wrist reaches forward past 0.38 m.
  shoulder01 turns back by the clavicle's rotation, so the arm keeps its direction and the hand is
  only carried up with the shoulder (up to ~2 cm), never swung about the breastbone.

The follow targets come from the sampled pose and are smoothed by two first-order lags in series
(FOLLOW_LAG_S each, a critically damped response): the trunk starts after the hand and settles
after it, as a body carried along does, and never jumps. Peak speeds stay far under the limits
of motion_checks.py (trunk 150, clavicle 200 deg/s): over the Bürgeramt sentences the spine joints
peak at 6 deg/s and turn at most 2.3 degrees each, the clavicles peak at 22 deg/s and 9 degrees;
breathing and sway alone stay under 2 deg/s.

Two-handed signs: the other hand's follow joins in as its upper arm leaves its rest pose
(OTHER_HAND_JOINS_DEG), so a symmetric sign (HAUS) turns the trunk toward neither side.
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul
from signavatar.avatar.skeleton import Skeleton
from signavatar.gloss_to_pose.body_space import side_sign
from signavatar.typed import FloatArray

DOMINANT = "R"

BREATH_HZ = 0.25
BREATH_SPINE_DEG = 1.2
BREATH_CLAVICLE_DEG = 1.5

#: (axis, ((amplitude deg, frequency Hz, phase rad), ...)) summed sines of the weight shift
IDLE_SWAY: tuple[tuple[tuple[float, float, float], tuple[tuple[float, float, float], ...]], ...] = (
    ((0.0, 0.0, 1.0), ((0.45, 0.071, 0.4), (0.2, 0.163, 2.1))),  # side lean
    ((0.0, 1.0, 0.0), ((0.4, 0.053, 1.3), (0.25, 0.137, 4.0))),  # turn
    ((1.0, 0.0, 0.0), ((0.25, 0.089, 2.7), (0.15, 0.171, 0.9))),  # forward lean
)
SWAY_JOINTS = ("spine05", "spine04")

TURN_GAIN = 0.15
TURN_NEUTRAL_DEG = 22.0
TURN_REACH = (0.26, 0.38)
TURN_RANGE_DEG = (-2.0, 6.0)
LEAN_FORWARD_DEG, LEAN_FORWARD_Z = 3.0, (0.38, 0.50)
LEAN_SIDE_DEG, LEAN_SIDE_OUT = 2.5, (0.22, 0.36)
OTHER_HAND_JOINS_DEG = (5.0, 25.0)  # its upper arm turned this far from rest: the other hand signs
SPINE_SHARE = {"spine04": 0.2, "spine03": 0.25, "spine02": 0.3, "spine01": 0.25}

CLAVICLE_LIFT_DEG, CLAVICLE_LIFT_ELEVATION = 8.0, (60.0, 130.0)
CLAVICLE_FORWARD_DEG, CLAVICLE_FORWARD_Z = 4.0, (0.38, 0.50)

FOLLOW_LAG_S = 0.12

X, Y, Z = np.eye(3)


def smoothstep(edges: tuple[float, float], x: FloatArray) -> FloatArray:
    """0 below edges[0], 1 above edges[1], a C1 ramp between."""
    u = np.clip((np.asarray(x, dtype=np.float64) - edges[0]) / (edges[1] - edges[0]), 0.0, 1.0)
    ramp: FloatArray = u * u * (3.0 - 2.0 * u)
    return ramp


def lagged(x: FloatArray, fps: float, tau: float = FOLLOW_LAG_S) -> FloatArray:
    """x (T, ...) through two first-order lags of time constant `tau` seconds in series, starting
    at rest on x[0] (exact discretisation, so the response does not depend on the frame rate)."""
    a = 1.0 - np.exp(-1.0 / (fps * tau))
    out = np.array(x, dtype=np.float64)
    for _ in range(2):
        for t in range(1, len(out)):
            out[t] = out[t - 1] + a * (out[t] - out[t - 1])
    return out


def _rotvec_quat(v: FloatArray) -> FloatArray:
    """Rotation vectors (..., 3) (axis x angle, radians) -> quaternions (..., 4) w-x-y-z."""
    angle = np.linalg.norm(v, axis=-1, keepdims=True)
    axis = np.divide(v, angle, out=np.zeros_like(v), where=angle > 1e-12)
    q: FloatArray = np.concatenate([np.cos(angle / 2.0), axis * np.sin(angle / 2.0)], axis=-1)
    return q


def breath(ts: FloatArray) -> FloatArray:
    """(T,) inhale in [0, 1] at times `ts` (s); starts at half, breathing in."""
    b: FloatArray = 0.5 * (1.0 + np.sin(2.0 * np.pi * BREATH_HZ * np.asarray(ts, dtype=np.float64)))
    return b


def idle_sway(ts: FloatArray) -> FloatArray:
    """(T, 3) rotation vector (radians) of the whole weight shift at times `ts` (s)."""
    ts = np.asarray(ts, dtype=np.float64)
    out = np.zeros((len(ts), 3))
    for axis, terms in IDLE_SWAY:
        angle = sum(a * np.sin(2.0 * np.pi * f * ts + ph) for a, f, ph in terms)
        out += np.radians(angle)[:, None] * np.asarray(axis)
    return out


def follow_targets(positions: FloatArray, skeleton: Skeleton, side: str = DOMINANT) -> tuple[FloatArray, FloatArray]:
    """The unsmoothed follow of one arm, from world joint positions (T, J, 3) of the sampled track:
    the trunk's rotation vector (T, 3) toward the wrist (turn and lean, radians) and the clavicle's
    (T, 3) (lift and protraction), before the lag."""
    s = side_sign(side)
    wrist = positions[:, skeleton.index(f"wrist.{side}")]
    upper = positions[:, skeleton.index(f"lowerarm01.{side}")] - positions[:, skeleton.index(f"upperarm01.{side}")]
    out, forward = s * wrist[:, 0], wrist[:, 2]  # out: away from the midline on the hand's own side
    azimuth = np.degrees(np.arctan2(out, forward))
    # out to its own side past TURN_NEUTRAL_DEG the trunk turns toward the hand, across the midline
    # toward the other side; in between (the signing space in front) it stays
    beyond = np.maximum(azimuth - TURN_NEUTRAL_DEG, 0.0) + np.minimum(azimuth, 0.0)
    turn = np.clip(TURN_GAIN * beyond * smoothstep(TURN_REACH, np.hypot(out, forward)), *TURN_RANGE_DEG)
    lean_forward = LEAN_FORWARD_DEG * smoothstep(LEAN_FORWARD_Z, forward)
    lean_side = LEAN_SIDE_DEG * smoothstep(LEAN_SIDE_OUT, out)
    # turning toward +X (the left hand's side) is +Y; leaning toward it is -Z; forward is +X
    trunk = np.radians(np.stack([lean_forward, s * turn, -s * lean_side], axis=1))
    elevation = np.degrees(np.arccos(np.clip(-upper[:, 1] / np.linalg.norm(upper, axis=1), -1.0, 1.0)))
    lift = CLAVICLE_LIFT_DEG * smoothstep(CLAVICLE_LIFT_ELEVATION, elevation)
    protract = CLAVICLE_FORWARD_DEG * smoothstep(CLAVICLE_FORWARD_Z, forward)
    # the left clavicle points to +X: +Z lifts it, -Y brings it forward; mirrored on the right
    clavicle = np.radians(np.stack([np.zeros_like(lift), -s * protract, s * lift], axis=1))
    return trunk, clavicle


def _trunk_target(rot: FloatArray, positions: FloatArray, skeleton: Skeleton) -> FloatArray:
    """(T, 3) trunk rotation vector toward the hands: the dominant hand's follow, plus the other
    hand's while it signs (weighted by how far its arm has left its rest pose, so a symmetric
    two-handed sign turns and leans nothing sideways); forward, the larger of the two leans."""
    trunk, _ = follow_targets(positions, skeleton, DOMINANT)
    other = "L" if DOMINANT == "R" else "R"
    upper = skeleton.index(f"upperarm01.{other}")
    away = np.degrees(quat_angle(quat_mul(quat_conj(rot[:1, upper]), rot[:, upper])))  # (T,) from frame 0, at rest
    joined = smoothstep(OTHER_HAND_JOINS_DEG, away)[:, None] * follow_targets(positions, skeleton, other)[0]
    both = trunk + joined
    both[:, 0] = np.maximum(trunk[:, 0], joined[:, 0])
    return both


def apply_body_motion(rot: FloatArray, ts: FloatArray, skeleton: Skeleton, fps: float) -> None:
    """Add breathing, sway and the follow of the hands to local rotations `rot` (T, J, 4), sampled
    at times `ts` (T,) seconds, `fps` frames a second; in place."""
    _, positions = skeleton.forward(rot)
    trunk = lagged(_trunk_target(rot, positions, skeleton), fps)
    b = breath(ts)
    sway = idle_sway(ts)

    def turn(joint: str, rotvec: FloatArray) -> None:
        j = skeleton.index(joint)
        rot[:, j] = quat_mul(_rotvec_quat(rotvec), rot[:, j])

    for joint in SWAY_JOINTS:
        turn(joint, sway / len(SWAY_JOINTS))
    chest = np.radians(BREATH_SPINE_DEG) * b[:, None] * X
    for joint, share in SPINE_SHARE.items():
        extra = -chest if joint == "spine02" else chest if joint == "spine01" else 0.0
        turn(joint, share * trunk + extra)
    for side in ("R", "L"):
        _, clavicle = follow_targets(positions, skeleton, side)
        clavicle = lagged(clavicle, fps)
        clavicle += np.radians(BREATH_CLAVICLE_DEG) * b[:, None] * side_sign(side) * Z
        c, sh = skeleton.index(f"clavicle.{side}"), skeleton.index(f"shoulder01.{side}")
        before = rot[:, c].copy()
        turn(f"clavicle.{side}", clavicle)
        # the arm keeps its world direction: shoulder01 undoes what the clavicle added
        rot[:, sh] = quat_mul(quat_mul(quat_conj(rot[:, c]), before), rot[:, sh])
