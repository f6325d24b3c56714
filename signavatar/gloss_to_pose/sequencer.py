"""GlossSequence -> PoseTrack: look up each sign, expand fingerspelling and numbers, time it, and
interpolate one continuous motion from rest to rest.

Timing: each sign's keyframes span its lexicon duration; between signs a transition whose length
grows with the distance the dominant hand travels; minimum-jerk easing between key poses and
quaternion slerp per joint (so bones never stretch). Non-manual markers become face channels
(brows) and head rotations (shake for negation). A `speed` factor scales all durations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_from_axis_angle, quat_mul, quat_slerp
from signavatar.avatar.rig import FACE_CHANNELS
from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import UnknownGlossError
from signavatar.gloss_to_pose.poser import REST, Poser
from signavatar.lexicon import Keyframe, Lexicon, SignEntry
from signavatar.types import GlossSequence, GlossToken, PoseTrack

REST_HOLD = 0.35  # seconds of rest pose at the start and the end
SIGN_HOLD = 0.08  # short hold at the end of each sign, so its final form registers
LETTER_GAP = 0.14  # shortest transition between two letters of a fingerspelled word
MAX_JOINT_SPEED = np.radians(700.0)  # rad/s: no joint turns faster in a transition (fingers ~ 1000 deg/s max)
HAND_SPEED = 0.9  # metres per second of the dominant hand in a transition between signs
NONMANUAL_BROWS = {"question-yn": "brows_up", "question-wh": "brows_down"}
SHAKE_DEG, SHAKE_HZ = 11.0, 2.5
MOUTHING_HZ = 3.0


@dataclass
class _Key:
    """A key pose: time (s), local quaternions (J, 4), face channel weights (C,), gloss label."""

    time: float
    quats: np.ndarray
    face: np.ndarray
    label: str
    nonmanual: tuple[str, ...] = ()
    mouthing: bool = False


@dataclass
class _Plan:
    keys: list[_Key] = field(default_factory=list)
    spans: list[tuple[float, float, GlossToken]] = field(default_factory=list)


def spell(word: str) -> list[str]:
    """Letters of a fingerspelled word, SCH as one letter and ß kept: 'Schloß' -> SCH L O ß."""
    word = "".join(c if c in "ßẞ" else c.upper() for c in word).replace("ẞ", "ß")
    letters: list[str] = []
    i = 0
    while i < len(word):
        if word.startswith("SCH", i):
            letters.append("SCH")
            i += 3
        else:
            letters.append(word[i])
            i += 1
    return letters


def number_signs(value: str) -> list[str]:
    """Number sign glosses for a number token: 0..10 are one sign, larger ones digit by digit."""
    n = int(value)
    if 0 <= n <= 10:
        return [f"NUM-{n}"]
    return [f"NUM-{d}" for d in value]


class Sequencer:
    def __init__(self, skeleton: Skeleton, lexicon: Lexicon, skeleton_id: str) -> None:
        self.skeleton = skeleton
        self.lexicon = lexicon
        self.skeleton_id = skeleton_id
        self.poser = Poser(skeleton, lexicon)
        self._rest = self._full_pose(REST, REST)
        self._head = skeleton.index("head")
        self._neck = skeleton.index("neck03")

    def entries_for(self, token: GlossToken) -> list[SignEntry]:
        """The lexicon entries that sign one token (several for fingerspelling and numbers)."""
        if token.kind == "number" or token.gloss.isdigit():
            return [self._get(g, token) for g in number_signs(token.gloss)]
        if token.kind == "fingerspell" or token.gloss.lower().startswith("fs-"):
            word = token.gloss[3:] if token.gloss.lower().startswith("fs-") else token.gloss
            out = []
            for letter in spell(word):
                try:
                    out.append(self.lexicon.letter(letter))
                except KeyError:
                    raise UnknownGlossError(
                        f"cannot fingerspell {token.gloss!r}: no handshape for the letter {letter!r}"
                    ) from None
            return out
        return [self._get(token.gloss, token)]

    def _get(self, gloss: str, token: GlossToken) -> SignEntry:
        entry = self.lexicon.get(gloss)
        if entry is None:
            raise UnknownGlossError(f"gloss {token.gloss!r} is not in the lexicon: write fs-{token.gloss} to fingerspell it")
        return entry

    def _full_pose(self, right: object, left: object) -> np.ndarray:
        q = self.skeleton.identity(1)[0]
        for side, pose in (("R", right), ("L", left)):
            for j, rot in self.poser.pose(pose, side).items():  # type: ignore[arg-type]
                q[j] = rot
        return q

    def _key_pose(self, kf: Keyframe, prev_right: object, prev_left: object) -> tuple[np.ndarray, object, object]:
        right = kf.right or prev_right
        left = kf.left or prev_left
        return self._full_pose(right, left), right, left

    def _face(self, kf: Keyframe) -> np.ndarray:
        return np.array([float(kf.face.get(c, 0.0)) for c in FACE_CHANNELS])

    def plan(self, seq: GlossSequence, speed: float) -> _Plan:
        plan = _Plan()
        zero_face = np.zeros(len(FACE_CHANNELS))
        plan.keys.append(_Key(0.0, self._rest, zero_face, ""))
        t = REST_HOLD / speed
        plan.keys.append(_Key(t, self._rest, zero_face, ""))
        prev_wrist = self._wrist(self._rest)
        for token in seq.tokens:
            entries = self.entries_for(token)
            start = None
            for n, entry in enumerate(entries):
                first_pose, _, _ = self._key_pose(entry.keyframes[0], REST, REST)
                dist = float(np.linalg.norm(self._wrist(first_pose) - prev_wrist))
                gap = LETTER_GAP if n > 0 else float(np.clip(0.18 + dist / HAND_SPEED, 0.2, 0.6))
                turn = float(quat_angle(quat_mul(quat_conj(plan.keys[-1].quats), first_pose)).max())
                gap = max(gap, 1.6 * turn / MAX_JOINT_SPEED)  # min-jerk peaks at 1.875x mean speed
                t += gap / speed
                start = t if start is None else start
                right: object = REST
                left: object = REST
                for kf in entry.keyframes:
                    quats, right, left = self._key_pose(kf, right, left)
                    key_t = t + kf.t * entry.duration / speed
                    plan.keys.append(
                        _Key(key_t, quats, self._face(kf), token.gloss, token.nonmanual, entry.mouthing is not None)
                    )
                last = plan.keys[-1]
                # a sign lasts its full duration even when its last keyframe comes earlier
                t = max(last.time, t + entry.duration / speed) + SIGN_HOLD / speed
                plan.keys.append(_Key(t, last.quats, last.face, token.gloss, token.nonmanual, last.mouthing))
                prev_wrist = self._wrist(last.quats)
            plan.spans.append((start or t, t, token))
        t += 0.5 / speed
        plan.keys.append(_Key(t, self._rest, zero_face, ""))
        plan.keys.append(_Key(t + REST_HOLD / speed, self._rest, zero_face, ""))
        return plan

    def _wrist(self, quats: np.ndarray) -> np.ndarray:
        _, pos = self.skeleton.forward(quats)
        return pos[self.skeleton.index("wrist.R")]

    def track(self, seq: GlossSequence, fps: int, speed: float = 1.0) -> PoseTrack:
        """Sample the planned motion at `fps` into a PoseTrack."""
        plan = self.plan(seq, speed)
        keys = plan.keys
        times = np.array([k.time for k in keys])
        n_frames = int(np.ceil(times[-1] * fps)) + 1
        ts = np.arange(n_frames) / fps
        seg = np.clip(np.searchsorted(times, ts, side="right") - 1, 0, len(keys) - 2)
        j = self.skeleton.num_joints
        rot = np.empty((n_frames, j, 4))
        face = np.zeros((n_frames, len(FACE_CHANNELS)))
        labels: list[str] = []
        for i, (t, s) in enumerate(zip(ts, seg)):
            a, b = keys[s], keys[s + 1]
            span = max(b.time - a.time, 1e-6)
            u = float(np.clip((t - a.time) / span, 0.0, 1.0))
            e = u * u * u * (10 - 15 * u + 6 * u * u)  # minimum-jerk easing
            rot[i] = quat_slerp(a.quats, b.quats, e)
            face[i] = (1 - e) * a.face + e * b.face
            labels.append(a.label if a.label == b.label else (a.label if u < 0.5 else b.label))
        self._apply_nonmanuals(plan, ts, rot, face, labels)
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

    def _apply_nonmanuals(
        self, plan: _Plan, ts: np.ndarray, rot: np.ndarray, face: np.ndarray, labels: list[str]
    ) -> None:
        """Brows for questions, head shake for negation, mouthing, spread over each token's span."""
        c = {name: k for k, name in enumerate(FACE_CHANNELS)}
        for start, end, token in plan.spans:
            # ramp in/out over 0.15 s around the token so markers do not switch on abruptly
            w = np.clip(np.minimum(ts - (start - 0.15), (end + 0.15) - ts) / 0.15, 0.0, 1.0)
            for marker in token.nonmanual:
                if marker in NONMANUAL_BROWS:
                    ch = c[NONMANUAL_BROWS[marker]]
                    face[:, ch] = np.maximum(face[:, ch], 0.85 * w)
                if marker == "negation":
                    face[:, c["head_shake"]] = np.maximum(face[:, c["head_shake"]], w)
        for i, t in enumerate(ts):
            if labels[i]:
                face[i, c["mouth_open"]] = max(face[i, c["mouth_open"]], 0.18 + 0.14 * np.sin(2 * np.pi * MOUTHING_HZ * t))
        shake = face[:, c["head_shake"]] * np.radians(SHAKE_DEG) * np.sin(2 * np.pi * SHAKE_HZ * ts)
        nod = face[:, c["head_nod"]] * np.radians(12.0) * np.maximum(0.0, np.sin(2 * np.pi * 2.0 * ts))
        q_shake = quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), shake)
        q_nod = quat_from_axis_angle(np.array([1.0, 0.0, 0.0]), nod)
        rot[:, self._head] = quat_mul(quat_mul(q_shake, q_nod), rot[:, self._head])
        # a natural blink every ~3.2 s keeps the face alive
        blink = np.clip(1.0 - np.abs(((ts + 1.1) % 3.2) - 0.1) / 0.1, 0.0, 1.0)
        face[:, c["eyes_closed"]] = np.maximum(face[:, c["eyes_closed"]], blink)
