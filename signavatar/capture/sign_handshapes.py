"""Does each sign show the handshape it declares? Render its held hand, read it back, match the bank.

For every lexical sign with keyframes (written or compiled from a definition; recorded signs declare
no handshape) the dominant (right) hand's distinct handshapes are found in its key poses as the
sequencer plans them; each is taken at the key where the hand holds it (not a `through` key when
there is one) and, of those, where the wrist is furthest from rest (the moment stills/sheet.py
draws). The left arm is put at rest, as in the bank's readings: a base hand behind or beside the
right one is a matter of the sign's legibility, not of its declared handshape. Each pose is drawn
from YAWS_DEG (the avatar turned a little), encoded and read by MediaPipe Holistic exactly as the
handshape bank's own readings were made (hand_bank_build.read_poses) and scored against the bank
(HandBank.scores). A view is sure when its best score is at most the SURE_QUANTILE of the bank's
own leave-one-out scores near there (below: it matches a shape as well as the bank's readings match
each other); the shape read has the best mean score over the sure views (over the views that found
the hand when none is sure).

Passing, from the bank's own confusions, never from a hand-written list: near the sign's hand
(the bank's readings whose finger direction is within NEAR_FINGERS_DEG and palm direction within
NEAR_PALM_DEG of it) each bank reading is matched against the rest of the bank (leave one out). The
accepted shapes are the declared one and every shape confused with it there, either way. A held
shape fails only when sure views read it as a shape outside the accepted set and score the declared
shape worse than the SURE_QUANTILE of the scores the bank's own readings of it there get (leave one
out): a reading that fits the declared shape as well as the bank's own readings of it do passes,
whatever fits better. No hand found, no sure view, or a shape the bank has no reading of near that
orientation are reported as unsure, not as failures.

Each sign is read in a clip and a Holistic of its own. Read in one clip with other signs, a hand's
reading changed with the poses before it (Holistic tracks between frames, the encoder predicts from
them): the same 526 signs read all at once failed 6 held shapes, read in the batches the cache had
grown from 15 others, so a sign's cached result would have depended on which signs were read with it.
Alone, a sign reads the same in every run (a cold read of all 526: about 250 s on 2 cores, 140 s in one
clip), so `--refresh` and the cache agree.

Reading is slow (three renders and Holistic passes per held shape); results are kept in a cache file
(CACHE_FILE, JSON, committed beside the signs) keyed by each sign's form hash (lexicon/load.form_hash)
and, for the whole file, by the form of handshapes.json, the avatar's version and the bank's
fingerprint: only signs whose form changed are read again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from signavatar.avatar.quaternions import quat_from_axis_angle
from signavatar.capture.hand_bank import HandBank
from signavatar.capture.hand_bank_build import read_poses
from signavatar.capture.retarget import to_ours
from signavatar.gloss_to_pose.poser import REST
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.kinematics.hand_model import hand_frame
from signavatar.lexicon import SignEntry
from signavatar.lexicon.load import HANDSHAPES_FILE, file_form_hash
from signavatar.pipeline import Pipeline
from signavatar.typed import FloatArray, IntArray

CACHE_FILE = "handshape_readback.json"
CACHE_FORMAT = 2
#: how near (degrees) a bank reading's finger and palm directions must be to the sign's hand for its
#: confusions to count: the bank's finger directions are 35 to 45 degrees apart, its palm steps 45
NEAR_FINGERS_DEG = 40.0
NEAR_PALM_DEG = 50.0
#: a view whose best score is worse than this quantile of the bank's own (leave one out) best
#: scores near its orientation is unsure: MediaPipe's hand matches nothing there well
SURE_QUANTILE = 0.75
#: each held shape is read from these angles (the avatar turned about the vertical, degrees; well
#: within the bank's orientation steps): MediaPipe's reading of one picture of a hand can flip with
#: a few pixels (a fresh reading of the bank's own B, fingers forward, read V, 4 and B at its three
#: places), so a shape's score is its mean over the sure views
YAWS_DEG = (0.0, -10.0, 10.0)


@dataclass(frozen=True)
class HeldShape:
    """A handshape a sign holds: the full pose (J, 4) local quaternions at that key, the right hand's
    finger and palm directions (3,) in the world there."""

    gloss: str
    handshape: str
    pose: FloatArray
    fingers: FloatArray
    palm: FloatArray


@dataclass(frozen=True)
class ShapeCheck:
    """One held handshape checked. read: the bank's best match (None: no hand found); allowed: the
    shapes that count as the declared one there (the declared shape and the bank's own confusions);
    sure: the reading matched its best shape as well as the bank's own readings match each other
    there; passed: read in allowed, or the declared shape scored as well as the bank's own readings
    of it there, or not a sure reading (no hand, a poor match, or the bank has no reading of the
    shape there to judge by)."""

    gloss: str
    handshape: str
    read: str | None
    allowed: tuple[str, ...]
    sure: bool
    passed: bool

    def line(self) -> str:
        """One line for `lexicon validate`."""
        if self.read is None:
            return f"{self.gloss}: handshape {self.handshape}: MediaPipe finds no hand"
        if not self.allowed:
            return f"{self.gloss}: handshape {self.handshape}: the bank has no reading of it in this orientation"
        also = [s for s in self.allowed if s != self.handshape]
        told = f" (accepted there: {', '.join([self.handshape, *also])})" if also else ""
        unsure = "" if self.sure else ", a poor match"
        return f"{self.gloss}: handshape {self.handshape} reads back as {self.read}{unsure}{told}"

    def to_json(self) -> dict[str, object]:
        return {"handshape": self.handshape, "read": self.read, "allowed": list(self.allowed), "sure": self.sure,
                "passed": self.passed}


def held_shapes(sequencer: Sequencer, entry: SignEntry) -> list[HeldShape]:
    """The right hand's distinct handshapes of `entry`, each at its characteristic key (module docstring)."""
    if entry.recording is not None or not entry.keyframes:
        return []
    skeleton = sequencer.skeleton
    keys, _ = sequencer.sign_keys(entry)
    wrist = skeleton.index("wrist.R")
    frame = hand_frame(skeleton, "R")
    rest_p = skeleton.forward(sequencer.poser.rest_rotations())[1][wrist]
    shapes: dict[str, list[tuple[bool, float, int]]] = {}
    right = REST
    for i, kf in enumerate(entry.keyframes):
        right = kf.right or right
        world_p = skeleton.forward(keys[i].quats)[1]
        held = not kf.through or i in (0, len(entry.keyframes) - 1)
        shapes.setdefault(right.handshape, []).append((held, float(np.linalg.norm(world_p[wrist] - rest_p)), i))
    left = [j for j, n in enumerate(skeleton.names) if n.endswith(".L") and not n.startswith("eye")]
    rest = sequencer.poser.rest_rotations()
    out = []
    for name, found in shapes.items():
        _, _, i = max(found)
        pose = keys[i].quats.copy()
        pose[left] = rest[left]  # the left arm at rest, as in the bank's readings: the right hand alone
        world_r = skeleton.forward(pose)[0][wrist]
        out.append(HeldShape(entry.gloss, name, pose, world_r @ frame.fingers, world_r @ frame.palm))
    return out


def _angle(a: FloatArray, b: FloatArray) -> FloatArray:
    """Degrees between unit vectors a (..., 3) and b (3,)."""
    angles: FloatArray = np.degrees(np.arccos(np.clip(a @ b, -1.0, 1.0)))
    return angles


@dataclass(frozen=True)
class Judgement:
    """What the bank says near one orientation about one declared shape. allowed: the shape and the
    shapes it is confused with there (() when the bank has no reading of the shape there);
    sure_below: a view whose best score is above it is not sure; own_below: a reading scoring the
    declared shape at most this matches it as well as the bank's own readings of it match the rest."""

    allowed: tuple[str, ...]
    sure_below: float
    own_below: float


class BankConfusions:
    """Which shapes the bank cannot tell apart near an orientation, from its own readings read
    against the rest of the bank (leave one out)."""

    def __init__(self, bank: HandBank) -> None:
        self.bank = bank
        self._scores: dict[int, FloatArray] = {}

    def near(self, fingers: FloatArray, palm: FloatArray) -> IntArray:
        """Indices of the bank's readings (any shape) held within the NEAR angles of (fingers, palm)."""
        bank = self.bank
        ok = (_angle(bank.fingers, fingers) <= NEAR_FINGERS_DEG) & (_angle(bank.palm, palm) <= NEAR_PALM_DEG)
        return np.flatnonzero(ok)

    def scores_without(self, readings: IntArray) -> FloatArray:
        """(R, S) the bank's scores of each of its readings `readings`, that reading left out."""
        todo = np.array([i for i in readings.tolist() if i not in self._scores], dtype=np.int64)
        if len(todo):
            for i, row in zip(todo.tolist(), self.bank.scores(self.bank.points[todo], "R", exclude=todo)):
                self._scores[i] = row
        return np.stack([self._scores[i] for i in readings.tolist()]) if len(readings) else \
            np.zeros((0, len(self.bank.names)))

    def best_without(self, readings: IntArray) -> tuple[IntArray, FloatArray]:
        """(R,) the shape index the bank matches each of its readings to, that reading left out, and
        (R,) that match's score."""
        scores = self.scores_without(readings)
        best = np.nanargmin(scores, axis=1) if len(scores) else np.zeros(0, dtype=np.int64)
        return best.astype(np.int64), scores[np.arange(len(best)), best]

    def judge(self, shape: str, fingers: FloatArray, palm: FloatArray) -> Judgement:
        """The Judgement near (fingers, palm): allowed, the declared shape and the shapes the bank
        confuses with it there, either way (its readings of the shape matched to another, or
        another's matched to it); sure_below, the SURE_QUANTILE of the bank's own best scores there;
        own_below, the SURE_QUANTILE of its readings of the shape scored as that shape."""
        bank = self.bank
        s = bank.names.index(shape)
        near = self.near(fingers, palm)
        mine = bank.shape[near] == s
        if not mine.any():
            return Judgement((), np.inf, -np.inf)
        best, score = self.best_without(near)
        other = set(best[mine].tolist()) | set(bank.shape[near][best == s].tolist())
        allowed = (shape, *sorted(bank.names[k] for k in other - {s}))
        own = self.scores_without(near[mine])[:, s]
        return Judgement(allowed, float(np.quantile(score, SURE_QUANTILE)), float(np.quantile(own, SURE_QUANTILE)))


def read_held(pipeline: Pipeline, bank: HandBank, confusions: BankConfusions,
              held: Sequence[HeldShape], progress: Callable[[str, int, int], None] | None = None) -> list[ShapeCheck]:
    """Render, read and match every held shape (one clip, one Holistic, as the bank was read)."""
    if not held:
        return []
    root = pipeline.avatar.skeleton.index("root")
    poses = np.stack([h.pose for h in held for _ in YAWS_DEG])
    poses[:, root] = np.stack([quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), np.radians(yaw))
                               for _ in held for yaw in YAWS_DEG])
    points = to_ours(read_poses(pipeline, poses, progress or (lambda stage, done, total: None)))  # (P*Y, 21, 3)
    per_view = bank.scores(points, "R").reshape(len(held), len(YAWS_DEG), -1)  # NaN rows: no hand found
    out = []
    for h, views in zip(held, per_view):
        judged = confusions.judge(h.handshape, h.fingers, h.palm)
        allowed = judged.allowed
        found = views[np.isfinite(views).all(axis=1)]  # (V, S) the views that found the hand
        if not len(found):
            out.append(ShapeCheck(h.gloss, h.handshape, None, allowed, sure=False, passed=True))
            continue
        sure = found[found.min(axis=1) <= judged.sure_below]  # the views that match a shape well
        scores = (sure if len(sure) else found).mean(axis=0)
        read = bank.names[int(np.argmin(scores))]
        like_own = bool(scores[bank.names.index(h.handshape)] <= judged.own_below)
        out.append(ShapeCheck(h.gloss, h.handshape, read, allowed, bool(len(sure)),
                              passed=read in allowed or like_own or not len(sure)))
    return out


def cache_key(root: Path, avatar_version: str, bank: HandBank) -> dict[str, str]:
    """What every cached result depends on besides its sign's own form."""
    handshapes = file_form_hash(Path(root) / HANDSHAPES_FILE)
    return {"handshapes": handshapes, "avatar": avatar_version, "bank": bank.fingerprint}


def load_cache(path: Path, key: dict[str, str]) -> dict[str, tuple[str, list[ShapeCheck]]]:
    """gloss -> (form hash, checks) from the cache file; empty when it is missing, unreadable or for another key."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT or data.get("key") != key:
            return {}
        return {
            gloss: (str(sign["form"]), [
                ShapeCheck(gloss, str(c["handshape"]), None if c["read"] is None else str(c["read"]),
                           tuple(str(s) for s in c["allowed"]), bool(c["sure"]), bool(c["passed"]))
                for c in sign["checks"]])
            for gloss, sign in data["signs"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_cache(path: Path, key: dict[str, str], results: dict[str, tuple[str, list[ShapeCheck]]]) -> None:
    """Write the cache atomically, one sign per line in gloss order (a changed sign changes one line)."""
    lines = [json.dumps(g, ensure_ascii=False) + ": " + json.dumps(
        {"form": form, "checks": [c.to_json() for c in checks]}, ensure_ascii=False, separators=(",", ":"))
        for g, (form, checks) in sorted(results.items())]
    head = json.dumps({"format": CACHE_FORMAT, "key": key}, separators=(",", ":"))[:-1]
    text = head + ',"signs":{\n' + ",\n".join(lines) + "\n}}\n"
    tmp = Path(path).with_name(Path(path).name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@dataclass(frozen=True)
class ReadbackRun:
    """The result of check_lexicon: every check (all signs), how many signs were read anew."""

    checks: list[ShapeCheck]
    read: int
    cached: int


def check_lexicon(pipeline: Pipeline, bank: HandBank, root: Path, glosses: Sequence[str], cache: Path | None,
                  refresh: bool = False) -> ReadbackRun:
    """Check the held handshapes of `glosses` of the lexicon folder `root`, reading only signs whose
    form (or the key) changed since the cache was written (all with `refresh`); the cache is rewritten
    with exactly `glosses`."""
    lexicon = pipeline.lexicon
    key = cache_key(root, pipeline.avatar.version, bank)
    old = {} if cache is None or refresh else load_cache(cache, key)
    forms = {g: file_form_hash(lexicon.entries[g].path) for g in glosses}
    results = {g: old[g] for g in glosses if g in old and old[g][0] == forms[g]}
    todo = [g for g in glosses if g not in results]
    confusions = BankConfusions(bank)
    for g in todo:  # each sign in a clip of its own: its reading must not depend on which signs are read with it
        held = held_shapes(pipeline.sequencer, lexicon.entries[g])
        results[g] = (forms[g], read_held(pipeline, bank, confusions, held))
    if cache is not None and (todo or set(old) != set(results)):
        save_cache(cache, key, results)
    checks = [c for g in glosses for c in results[g][1]]
    return ReadbackRun(checks, read=len(todo), cached=len(glosses) - len(todo))
