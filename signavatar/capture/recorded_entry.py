"""A captured sign (PoseTrack + active hands) -> a lexicon entry with `source: recorded` (schema 2).

The entry keeps only the joints the sign moves: the active arms with their hands (clavicle to the
last finger joint) and the neck and head when the head turns by more than HEAD_MOVES_DEG. Frames are
local quaternions (w, x, y, z) relative to the rest pose, at most MAX_FPS per second, rounded to
DECIMALS places; the sequencer plays them from the first frame (where the transition from the
previous sign arrives) to the last (where the next transition leaves). Spec: glosses/SCHEMA.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from signavatar.avatar.quaternions import quat_conj, quat_mul
from signavatar.avatar.skeleton import JOINTS
from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import letter_sign_id
from signavatar.gloss_to_pose.resample import resample_track
from signavatar.types import PoseTrack

SCHEMA = 2
MAX_FPS = 25.0
DECIMALS = 4
#: the head joints are written when the head turns more than this (degrees) within the sign
HEAD_MOVES_DEG = 8.0
HEAD_JOINTS = ("neck01", "neck02", "neck03", "head")
#: upper case A-Z ÄÖÜ 0-9 in parts joined by single '-'; ß only in the letter FS-ß
GLOSS_PATTERN = re.compile(r"[A-Z0-9ÄÖÜ]+(?:-[A-Z0-9ÄÖÜ]+)*")
SPECIAL_GLOSSES = (letter_sign_id("ß"),)


class EntryExistsError(InvalidInputError, FileExistsError):
    """The lexicon already has an entry of that gloss (use --force to replace it)."""


def check_gloss(gloss: str) -> str:
    """The gloss itself when it is a valid name; InvalidInputError says what a gloss looks like."""
    if gloss in SPECIAL_GLOSSES or GLOSS_PATTERN.fullmatch(gloss):
        return gloss
    raise InvalidInputError(
        f"invalid gloss {gloss!r}: use upper-case A-Z, ÄÖÜ, 0-9 and single '-' (ß is written SS, except FS-ß)"
    )


def arm_joints(side: str) -> tuple[str, ...]:
    """The arm and hand joints of one side in skeleton order: clavicle.S .. finger5-3.S."""
    suffix = "." + side
    return tuple(n for n, _ in JOINTS if n.endswith(suffix) and not n.startswith("eye"))


def head_turn_deg(track: PoseTrack) -> float:
    """Largest turn (degrees) of neck03 and head combined away from their pose in the first frame."""
    names = list(track.joint_names)
    q = track.rotations.astype(np.float64)
    combined = quat_mul(q[:, names.index("neck03")], q[:, names.index("head")])
    rel = quat_mul(quat_conj(combined[:1]), combined)
    angles = 2.0 * np.degrees(np.arccos(np.clip(np.abs(rel[:, 0]), 0.0, 1.0)))
    return float(angles.max())


def entry_joints(track: PoseTrack, sides: Sequence[str]) -> tuple[str, ...]:
    """Joints to record: the arms of `sides` (right first), then the head joints if the head moves."""
    joints: list[str] = []
    for side in ("R", "L"):
        if side in sides:
            joints.extend(arm_joints(side))
    if head_turn_deg(track) > HEAD_MOVES_DEG:
        joints.extend(HEAD_JOINTS)
    return tuple(joints)


def recorded_entry(
    track: PoseTrack,
    sides: Sequence[str],
    gloss: str,
    description: str,
    lemmas: Sequence[str] = (),
    mouthing: str | None = None,
    duration: float | None = None,
) -> dict[str, Any]:
    """The schema-2 lexicon entry of a trimmed track (T >= 2 frames) signed with `sides` ("R", "L").

    One active left hand only (a left-handed signer) is written as a two-handed entry: both arms
    are recorded as they were, the right one resting."""
    check_gloss(gloss)
    if track.num_frames < 2:
        raise InvalidInputError(f"{gloss}: a recorded sign needs at least 2 frames, got {track.num_frames}")
    if not sides or any(s not in ("R", "L") for s in sides):
        raise InvalidInputError(f"{gloss}: sides must be R and/or L, got {list(sides)}")
    if not np.isfinite(track.rotations).all():
        raise InvalidInputError(f"{gloss}: the track has non-finite rotations")
    if track.fps > MAX_FPS:
        track = resample_track(track, MAX_FPS)
    sides = ("R", "L") if "L" in sides else ("R",)
    joints = entry_joints(track, sides)
    idx = [track.joint_names.index(n) for n in joints]
    q = track.rotations[:, idx].astype(np.float64)
    q = q / np.linalg.norm(q, axis=2, keepdims=True)
    q = np.where(q[..., :1] < 0, -q, q)  # w >= 0: the same rotation, stable signs for the reader
    frames = np.round(q.reshape(len(q), -1), DECIMALS)
    entry: dict[str, Any] = {
        "schema": SCHEMA,
        "gloss": gloss,
        "lemmas": list(lemmas),
        "source": "recorded",
        "reviewed": False,
        "description": description,
        "hands": "two" if len(sides) == 2 else "one",
    }
    if mouthing:
        entry["mouthing"] = mouthing
    if duration is not None:
        entry["duration"] = round(float(duration), 3)
    entry["recording"] = {
        "fps": round(float(track.fps), 3),
        "skeleton": track.skeleton_id,
        "joints": list(joints),
        "frames": [[float(v) + 0.0 for v in row] for row in frames],  # + 0.0: no "-0.0" in files
    }
    return entry


def entry_json(entry: dict[str, Any]) -> str:
    """The entry as the lexicon stores it: one line per recorded frame, UTF-8 glosses kept."""
    head = {k: v for k, v in entry.items() if k != "recording"}
    rec = entry["recording"]
    lines = [json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ","]
    lines.append('  "recording": {')
    for key in ("fps", "skeleton", "joints"):
        lines.append(f'    "{key}": {json.dumps(rec[key], ensure_ascii=False)},')
    lines.append('    "frames": [')
    rows = [f"      {json.dumps(row)}" for row in rec["frames"]]
    lines.append(",\n".join(rows))
    lines.append("    ]\n  }\n}\n")
    return "\n".join(lines)


def write_entry(entry: dict[str, Any], lexicon_dir: Path, force: bool = False) -> Path:
    """Write `entry` to <lexicon_dir>/signs/<GLOSS>.json; EntryExistsError unless `force`."""
    gloss = check_gloss(entry["gloss"])
    signs = Path(lexicon_dir) / "signs"
    if not signs.is_dir():
        raise InvalidInputError(f"{lexicon_dir}: not a glosses folder (it has no signs/ folder)")
    path = signs / f"{gloss}.json"
    if path.exists() and not force:
        raise EntryExistsError(f"{path} exists; use --force to replace it")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(entry_json(entry), encoding="utf-8")
    tmp.replace(path)
    return path
