"""GlossSequence -> PoseTrack: look up each sign, expand fingerspelling and numbers, time it, and
interpolate one continuous motion from rest to rest.

Timing: each sign's keyframes span its lexicon duration (recorded signs play their frames);
between signs a transition whose length grows with the distance the dominant hand travels.
Minimum-jerk easing between stop keys and quaternion slerp per joint (so bones never stretch);
pass-through keys (circles, arcs) are crossed without stopping, recorded frames at their own pace.
Co-articulation: no rest between signs and no hold at their ends, the next handshape forms during
the transition. Fingerspelled letters are spelled by the hand in one place (fingerspelling_motion.py).
Non-manual markers (nonmanuals.py) become face channels and neck, head and eye rotations (brows,
posture, shake, nod, blinks, gaze); each sign's span mouths its German word (mouth_track.py). A
`speed` factor scales all durations, except where it would take a joint past its speed limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul, quat_slerp
from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import UnknownGlossError
from signavatar.fingerspelling import PREFIX
from signavatar.gloss_to_pose.body_motion import apply_body_motion
from signavatar.gloss_to_pose.fingerspelling import is_fingerspelled, letter_entries
from signavatar.gloss_to_pose.fingerspelling_motion import FingerspellingModel, LetterFrames
from signavatar.gloss_to_pose.motion_checks import JOINT_SPEED_LIMITS_DEG_S, JUMP_MIN_DEG, JUMP_RATIO, joint_group
from signavatar.gloss_to_pose.mouth_track import apply_mouthing
from signavatar.gloss_to_pose.nonmanual_timing import Span
from signavatar.gloss_to_pose.nonmanuals import apply_nonmanuals
from signavatar.gloss_to_pose.numbers import number_signs
from signavatar.gloss_to_pose.poser import LEFT_REST, REST, Poser
from signavatar.lexicon import HandPose, Keyframe, Lexicon, SignEntry
from signavatar.typed import FloatArray
from signavatar.types import GlossSequence, GlossToken, PoseTrack

REST_HOLD = 0.3  # seconds of rest pose at the start and the end
# No hold at the end of a lexicon sign: connected signing deletes the citation form's final hold
# (Liddell & Johnson 1989, hold deletion). The final form still registers, because the sign's last
# move and the transition out both ease to zero speed there: arms and hands stay within 5 degrees
# of it for at least 2 frames at 25 fps (tests/gloss_to_pose/test_sign_dwell.py).
SIGN_HOLD = 0.0
# The planner's speed cap is the measured human limits of motion_checks.py (measured_speed_limits.json,
# real signers' recordings) times this safety margin: planned peaks assume an exact minimum-jerk
# profile, and co-articulated fingers, pass-through keys and sampling add a little on top.
SPEED_MARGIN = 0.9
MIN_JERK_PEAK = 1.875  # peak speed of a minimum-jerk move over its mean speed
# A minimum-jerk move sampled over 4 frames steps 10 %, 40 %, 40 %, 10 % of its turn: a pop by
# motion_checks.jumps() (3x its neighbours) once the turn passes JUMP_MIN_DEG / 0.4. Over 5 frames
# (0.2 s at 25 fps) the steps are 6, 26, 37, 26, 6 %: smooth. So such a move lasts at least this.
MIN_EASED_MOVE = 0.2
TRANSITION_BASE, HAND_SPEED = 0.08, 1.6  # transition = base + distance / speed (s, m/s), clipped:
TRANSITION_RANGE = (0.12, 0.4)  # min-jerk peaks at 1.875x the mean speed
ANTICIPATION = 0.85  # co-articulation: fingers reach the next handshape at 85 % of the transition
FINAL_RETURN = 0.45  # seconds back to rest after the last sign


@dataclass
class _Key:
    """A key pose: time (s), local quaternions (J, 4), face channel weights (C,), gloss label.

    through: the motion passes through without stopping; linear: a recorded frame, played at its
    own pace (no easing); arrival: the first pose of a sign, reached by a transition."""

    time: float
    quats: FloatArray
    face: FloatArray
    label: str
    through: bool = False
    linear: bool = False
    arrival: bool = False


@dataclass
class _SignKey:
    """A key of one sign before placement in time: seconds from the sign's start."""

    t: float
    quats: FloatArray
    face: FloatArray
    through: bool = False
    linear: bool = False


@dataclass
class _Plan:
    keys: list[_Key] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    #: (start, end, letter sign id such as "FS-A", token index) of every fingerspelled letter, in order:
    #: from the hand's arrival at the letter's first pose to the end of its hold
    letters: list[tuple[float, float, str, int]] = field(default_factory=list)


def recorded_span(rotations: FloatArray) -> tuple[int, int]:
    """First and last frame of a recording (T, K, 4) to play: a first or last frame that moves much
    faster than the frame next to it (a step over JUMP_MIN_DEG and JUMP_RATIO times the neighbouring
    step, for any joint) is the recorded hand already on its way to or from another sign; the
    transition does that move, eased and within the speed limits, so the frame is left out (FS-Y's
    pinky: 16 deg in its last frame after 5; played, it stopped dead in the following hold)."""
    q = np.asarray(rotations, dtype=np.float64)
    if len(q) < 4:
        return 0, len(q) - 1
    steps = np.degrees(quat_angle(quat_mul(quat_conj(q[:-1]), q[1:])))  # (T-1, K)

    def burst(edge: FloatArray, inner: FloatArray) -> bool:
        return bool(((edge > JUMP_MIN_DEG) & (edge > JUMP_RATIO * inner)).any())

    first = 1 if burst(steps[0], steps[1]) else 0
    last = len(q) - 2 if burst(steps[-1], steps[-2]) else len(q) - 1
    return first, last


def min_jerk(u: FloatArray | float) -> FloatArray | float:
    """Minimum-jerk position profile on [0, 1] (zero velocity and acceleration at both ends)."""
    return u * u * u * (10 - 15 * u + 6 * u * u)


class Sequencer:
    def __init__(self, skeleton: Skeleton, lexicon: Lexicon, skeleton_id: str) -> None:
        self.skeleton = skeleton
        self.lexicon = lexicon
        self.skeleton_id = skeleton_id
        self.poser = Poser(skeleton, lexicon)
        self._rest = self.poser.rest_rotations()
        self._neck = skeleton.index("neck03")
        self._fingers = np.array([i for i, n in enumerate(skeleton.names) if n.startswith(("finger", "metacarpal"))])
        #: rad/s each joint may turn: the measured limits (motion_checks.JOINT_SPEED_LIMITS_DEG_S) x SPEED_MARGIN
        self._limits = np.radians([JOINT_SPEED_LIMITS_DEG_S[joint_group(n)] for n in skeleton.names]) * SPEED_MARGIN
        self._wrist_r = skeleton.index("wrist.R")
        self.speller = FingerspellingModel(skeleton, self._rest, self._limits,
                                           lambda a, b, gap: self._within_limits(a, b, gap, anticipate=False))

    def entries_for(self, token: GlossToken) -> list[SignEntry]:
        """The lexicon entries that sign one token (several for fingerspelling and numbers)."""
        if token.kind == "number" or token.gloss.isdigit():
            return [self._get(g, token) for g in number_signs(token.gloss)]
        if is_fingerspelled(token):
            return letter_entries(self.lexicon, token)
        return [self._get(token.gloss, token)]

    def _get(self, gloss: str, token: GlossToken) -> SignEntry:
        entry = self.lexicon.get(gloss)
        if entry is None:
            raise UnknownGlossError(
                f"gloss {token.gloss!r} is not in the lexicon: write {PREFIX}{token.gloss} to fingerspell it"
            )
        return entry

    def _full_pose(self, right: HandPose, left: HandPose) -> FloatArray:
        """(J, 4) local quaternions: the skeleton at rest with both hands posed."""
        q: FloatArray = self.skeleton.identity(1)[0]
        for side, pose in (("R", right), ("L", left)):
            for j, rot in self.poser.pose(pose, side).items():
                q[j] = rot
        return q

    def _face(self, kf: Keyframe) -> FloatArray:
        return np.array([float(kf.face.get(c, 0.0)) for c in FACE_CHANNELS])

    def sign_keys(self, entry: SignEntry, speed: float = 1.0) -> tuple[list[_SignKey], float]:
        """The key poses of one sign, seconds from its start at `speed`, and its duration (seconds).

        Keys closer in time than the joint speed limits allow are moved apart (the sign then
        lasts longer than its lexicon duration over `speed`), so no sign and no speed setting asks
        for a superhuman movement."""
        keys = self._raw_keys(entry)
        shift = 0.0
        out = [replace(keys[0], t=keys[0].t / speed)]
        for a, b in zip(keys, keys[1:]):
            turn = quat_angle(quat_mul(quat_conj(a.quats), b.quats))
            peak = 1.0 if b.linear else MIN_JERK_PEAK
            need = peak * float((turn / self._limits).max())
            shift += max(0.0, need - (b.t - a.t) / speed)
            out.append(_SignKey(b.t / speed + shift, b.quats, b.face, b.through, b.linear))
        return out, max(entry.duration / speed + shift, out[-1].t)

    def _raw_keys(self, entry: SignEntry) -> list[_SignKey]:
        if entry.recording is not None:
            rec = entry.recording
            idx = [self.skeleton.index(j) for j in rec.joints]
            first, last = recorded_span(rec.rotations)
            n = last - first + 1
            scale = entry.duration / max(rec.seconds, 1e-6)
            zero = np.zeros(len(FACE_CHANNELS))
            keys = []
            for i in range(n):
                q = self._rest.copy()
                q[idx] = rec.rotations[first + i]
                keys.append(_SignKey(i / rec.fps * scale, q, zero, through=0 < i < n - 1, linear=True))
            return keys
        keys = []
        right: HandPose = REST
        left: HandPose = LEFT_REST
        last = len(entry.keyframes) - 1
        for i, kf in enumerate(entry.keyframes):
            right = kf.right or right
            left = kf.left or left
            # a sign ends in a stop (its final form registers; there is no hold after it)
            keys.append(_SignKey(kf.t * entry.duration, self._full_pose(right, left), self._face(kf),
                                 kf.through and i < last))
        return keys

    def plan(self, seq: GlossSequence, speed: float) -> _Plan:
        plan = _Plan()
        zero_face = np.zeros(len(FACE_CHANNELS))
        plan.keys.append(_Key(0.0, self._rest, zero_face, ""))
        t = REST_HOLD / speed
        plan.keys.append(_Key(t, self._rest, zero_face, ""))
        for index, token in enumerate(seq.tokens):
            entries = self.entries_for(token)
            if entries and all(e.is_letter for e in entries):  # fs-MEIER, or a letter sign written FS-A
                t = self._spell(plan, entries, token, index, speed, t)
                continue
            start = None
            for entry in entries:
                keys, duration = self.sign_keys(entry, speed)
                t += self._transition(plan.keys[-1].quats, keys[0].quats, True, speed)
                start = t if start is None else start
                for i, k in enumerate(keys):
                    plan.keys.append(_Key(t + k.t, k.quats, k.face, token.gloss, k.through, k.linear, arrival=i == 0))
                last = plan.keys[-1]
                # a sign lasts its full duration even when its last keyframe comes earlier
                end = max(last.time, t + duration) + SIGN_HOLD / speed
                if end > last.time:  # a hold, or a sign that lasts beyond its last keyframe
                    plan.keys.append(_Key(end, last.quats, last.face, token.gloss))
                t = end
            plan.spans.append((start or t, t, token))
        t += max(FINAL_RETURN / speed, self._transition(plan.keys[-1].quats, self._rest, False, speed))
        plan.keys.append(_Key(t, self._rest, zero_face, ""))
        plan.keys.append(_Key(t + REST_HOLD / speed, self._rest, zero_face, ""))
        return plan

    def letter_frames(self, entry: SignEntry) -> LetterFrames:
        """A letter sign's poses (its recording's frames or its keyframes) for the speller."""
        raw = self._raw_keys(entry)
        return LetterFrames(entry.gloss, np.array([k.t for k in raw]), np.stack([k.quats for k in raw]))

    def _spell(self, plan: _Plan, entries: list[SignEntry], token: GlossToken, index: int, speed: float,
               t: float) -> float:
        """Add a fingerspelled word to the plan from time t (fingerspelling_motion.py: the hand
        spells in one place); returns when its last letter ends."""
        word = self.speller.word([self.letter_frames(entry) for entry in entries], speed)
        t += self._transition(plan.keys[-1].quats, word.keys[0].quats, True, speed)
        zero = np.zeros(len(FACE_CHANNELS))
        for i, k in enumerate(word.keys):
            plan.keys.append(_Key(t + k.t, k.quats, zero, token.gloss, k.through, k.linear, arrival=i == 0))
        plan.letters.extend((t + start, t + end, gloss, index) for start, end, gloss in word.letters)
        plan.spans.append((t, t + word.end, token))
        return t + word.end

    def _transition(self, a: FloatArray, b: FloatArray, anticipate: bool, speed: float) -> float:
        """Seconds to move from pose a to pose b: by the distance the dominant hand travels, over
        `speed`, and never faster than the joint speed limits allow (whatever the speed setting)."""
        dist = float(np.linalg.norm(self._wrist(b) - self._wrist(a)))
        gap = float(np.clip(TRANSITION_BASE + dist / HAND_SPEED, *TRANSITION_RANGE)) / speed
        return self._within_limits(a, b, gap, anticipate)

    def _within_limits(self, a: FloatArray, b: FloatArray, gap: float, anticipate: bool) -> float:
        """`gap`, lengthened where a minimum-jerk move from a to b would turn a joint faster than
        its limit (fingers that arrive early, `anticipate`, have less time), or too short to be
        eased at 25 fps (MIN_EASED_MOVE)."""
        turn = quat_angle(quat_mul(quat_conj(a), b))
        need = MIN_JERK_PEAK * turn / self._limits
        if anticipate:
            need[self._fingers] /= ANTICIPATION
        eased = MIN_EASED_MOVE if np.degrees(turn.max()) > JUMP_MIN_DEG / 0.4 else 0.0
        return max(gap, float(need.max()), eased)

    def _wrist(self, quats: FloatArray) -> FloatArray:
        """World position (3,) of the right wrist in the pose `quats` (J, 4)."""
        pos: FloatArray = self.skeleton.forward(quats)[1]  # (J, 3)
        wrist: FloatArray = pos[self._wrist_r]
        return wrist

    def _sample(
        self, keys: list[_Key], times: FloatArray, t: float, a: int, b: int
    ) -> tuple[FloatArray, FloatArray, int, float]:
        """Pose and face at time t between the stop keys a < b; returns also the key segment and
        its local parameter (for labels)."""
        ka, kb = keys[a], keys[b]
        u = float(np.clip((t - ka.time) / max(kb.time - ka.time, 1e-6), 0.0, 1.0))
        if b == a + 1:
            e = float(min_jerk(u))
            rot = quat_slerp(ka.quats, kb.quats, e)
            if kb.arrival:
                # co-articulation: the hand takes on the next handshape before the arm arrives
                ef = float(min_jerk(min(1.0, u / ANTICIPATION)))
                rot[self._fingers] = quat_slerp(ka.quats[self._fingers], kb.quats[self._fingers], ef)
            return rot, (1 - e) * ka.face + e * kb.face, a, u
        linear = any(k.linear for k in keys[a + 1:b])
        te = t if linear else ka.time + float(min_jerk(u)) * (kb.time - ka.time)
        s = int(np.clip(np.searchsorted(times[a:b + 1], te, side="right") - 1 + a, a, b - 1))
        k0, k1 = keys[s], keys[s + 1]
        v = float(np.clip((te - k0.time) / max(k1.time - k0.time, 1e-6), 0.0, 1.0))
        return quat_slerp(k0.quats, k1.quats, v), (1 - v) * k0.face + v * k1.face, s, v

    def track(self, seq: GlossSequence, fps: int, speed: float = 1.0) -> PoseTrack:
        """Sample the planned motion at `fps` into a PoseTrack."""
        plan = self.plan(seq, speed)
        keys = plan.keys
        times = np.array([k.time for k in keys])
        stops = np.array([i for i, k in enumerate(keys) if not k.through or i in (0, len(keys) - 1)])
        n_frames = int(np.ceil(times[-1] * fps)) + 1
        ts = np.arange(n_frames) / fps
        j = self.skeleton.num_joints
        rot = np.empty((n_frames, j, 4))
        face = np.zeros((n_frames, len(FACE_CHANNELS)))
        labels: list[str] = []
        seg = np.clip(np.searchsorted(times[stops], ts, side="right") - 1, 0, len(stops) - 2)
        for i, (t, g) in enumerate(zip(ts, seg)):
            rot[i], face[i], s, v = self._sample(keys, times, float(t), int(stops[g]), int(stops[g + 1]))
            a, b = keys[s], keys[s + 1]
            labels.append(a.label if a.label == b.label else (a.label if v < 0.5 else b.label))
        apply_mouthing(plan.spans, self.lexicon, ts, face)
        apply_body_motion(rot, ts, self.skeleton, fps)  # breathing, sway, trunk and shoulders follow the hands
        # after the body: the head's posture and the eyes' gaze (at the viewer) are set on the final trunk
        apply_nonmanuals(plan.spans, ts, rot, face, self.skeleton)
        return PoseTrack(
            fps=float(fps),
            skeleton_id=self.skeleton_id,
            joint_names=self.skeleton.names,
            rotations=rot.astype(np.float32),
            root=np.zeros((n_frames, 3), dtype=np.float32),
            face=np.clip(face, 0.0, 1.0).astype(np.float32),
            face_channels=FACE_CHANNELS,
            labels=tuple(labels),
        )
