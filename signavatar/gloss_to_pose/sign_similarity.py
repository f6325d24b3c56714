"""Signs whose motion is nearly the same: a motion signature per lexical sign and the pairs too close.

Signature: the sign's own key poses as the sequencer plans them (Sequencer.sign_keys: the poser's
joint rotations, the timing after the speed limits), sampled at SAMPLES fixed fractions of the
sign's time (slerp between keys, no easing: both signs of a pair are sampled alike) in body space
(the skeleton without the trunk's sway and breathing). Per hand and sample: the palm centre (cm),
the hand's rotation, and the 20 finger points (finger joints and tips, hand_points.py) in the hand's
own frame (cm): where the hand is, how it is turned, its handshape. A one-handed sign's left hand
lies at rest like any other pose.

Distance between two signs: per hand three components, each at the sample where it is largest (a
viewer sees the moment two signs part, however short):
  place_cm: how far apart the palm centres are;
  turn_deg: the angle between the hands' orientations;
  shape_cm: for the finger that differs most, the RMS distance of its 4 points in the hand's frame
    (a finger folded away from straight moves its points by about 4.5 cm: I against S; bent-B against
    flat-O, the thumb and a softer bend, 3.2 cm; M against O 3.1 cm);
combined as sqrt((place / PLACE_CM)^2 + (turn / TURN_DEG)^2 + (shape / SHAPE_CM)^2), the larger of
the two hands. The units are the thresholds: below 1 a pair is flagged. A one-handed sign's idle
left hand is the same in every one-handed sign and leaves the distance to the right hand.

Thresholds, chosen by looking at the closest pairs of the lexicon of December 2026 rendered side by
side (`signavatar lexicon sheet`, 300 px tiles) and at their descriptions:
  KOSTEN / TERMIN (0.95: flat-O against bent-B, the same taps on the same palm): the still tiles are
    the same picture; flagged.
  MÄRZ / OKTOBER (0.89: M against O, same place and twist): told apart only by the round opening
    of the O at 300 px; flagged, it is the mouthing that carries them.
  DU / GEHEN (1.15: the same index hand, GEHEN's path rises 4.6 cm in an arc): the path differs in
    motion; not flagged. JANUAR / SEPTEMBER (1.23: the pinky up against a fist) is plainly different.
So SHAPE_CM = 3.5 (between 3.2, the same at sight, and 4.3, plainly different), PLACE_CM = 4 (a
location or path differing by less is within the spread of one signer's repetitions), TURN_DEG =
20 (palm directions come in 90 degree steps, twists of 30 degrees and more are written on purpose).
Known blind spot: what the camera cannot see. M and N (MÄRZ / NOVEMBER, 1.24) differ by the ring
finger folded over the thumb (4.4 cm), which the palm hides from the front; the handshape
read-back (capture/sign_handshapes.py) is the check that sees what the picture shows.

Pairs: a lower bound of the distance (bound_features: root mean squares over the samples, the
turn's chord, the mean over the fingers) is one Euclidean distance per hand, which dot products give
for all pairs at once (blocks of BLOCK rows: O(N^2 D) arithmetic, O(BLOCK N) memory); only pairs
below the limit by that bound are measured exactly. Pairs where either sign names the other in
`same_sign_as` (homonyms, told apart by the mouthing) are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from signavatar.avatar.quaternions import quat_slerp
from signavatar.avatar.skeleton import Skeleton
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.kinematics.hand_points import hand_points
from signavatar.lexicon import Lexicon, SignEntry
from signavatar.typed import FloatArray

#: fixed fractions of the sign's time the motion is sampled at (start and end included)
SAMPLES = 12
FRACTIONS = np.linspace(0.0, 1.0, SAMPLES)
HANDS = ("R", "L")
#: hand points (hand_points.py) whose mean is the palm centre: the wrist and the four finger bases
PALM = [0, 5, 9, 13, 17]
#: the units of the distance (see the module docstring): a pair is flagged when, for both hands,
#: (place / PLACE_CM)^2 + (turn / TURN_DEG)^2 + (shape / SHAPE_CM)^2 < 1
PLACE_CM = 4.0
TURN_DEG = 20.0
SHAPE_CM = 3.5
#: rows of the distance matrix computed at once
BLOCK = 512
#: the lower bound is computed in float32: pairs up to this factor above the limit are measured exactly
BOUND_SLACK = 1.01


@dataclass(frozen=True)
class Signatures:
    """Motion signatures of N signs, right hand first, at SAMPLES fractions of each sign's time:
    place: (N, 2, SAMPLES * 3) the palm centre, cm, body space;
    turn: (N, 2, SAMPLES * 9) the hand's world rotation matrix (relative to its rest) flattened;
    fingers: (N, 2, 5, SAMPLES * 12) each finger's 4 points (thumb..pinky), cm, in the hand's own
    frame (the wrist at 0): the handshape, whatever the hand's place and turn."""

    glosses: tuple[str, ...]
    place: FloatArray
    turn: FloatArray
    fingers: FloatArray

    def __post_init__(self) -> None:
        n = (len(self.glosses), len(HANDS))
        if self.place.shape != (*n, SAMPLES * 3) or self.turn.shape != (*n, SAMPLES * 9) \
                or self.fingers.shape != (*n, 5, SAMPLES * 12):
            raise ValueError(f"signatures of {n[0]} signs: place {self.place.shape}, turn {self.turn.shape}, "
                             f"fingers {self.fingers.shape}")


@dataclass(frozen=True)
class SimilarPair:
    """Two signs (a < b) and how far apart their motions are: distance in units of the thresholds
    (below 1: flagged); place_cm, turn_deg, shape_cm as in the module docstring (the larger hand)."""

    a: str
    b: str
    distance: float
    place_cm: float
    turn_deg: float
    shape_cm: float


def sampled_poses(sequencer: Sequencer, entry: SignEntry, fractions: FloatArray = FRACTIONS) -> FloatArray:
    """(len(fractions), J, 4) local quaternions of `entry`'s motion at those fractions of its time."""
    keys, duration = sequencer.sign_keys(entry)
    times = np.array([k.t for k in keys])
    quats = np.stack([k.quats for k in keys])  # (K, J, 4)
    out = np.empty((len(fractions), *quats.shape[1:]))
    for n, t in enumerate(np.asarray(fractions) * duration):
        s = int(np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(keys) - 1))
        if s == len(keys) - 1:
            out[n] = quats[s]
            continue
        v = float(np.clip((t - times[s]) / max(times[s + 1] - times[s], 1e-9), 0.0, 1.0))
        out[n] = quat_slerp(quats[s], quats[s + 1], v)
    return out


def signature(sequencer: Sequencer, entry: SignEntry) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(place (2, SAMPLES * 3), turn (2, SAMPLES * 9), fingers (2, 5, SAMPLES * 12)) of one sign, as in
    Signatures."""
    skeleton: Skeleton = sequencer.skeleton
    world_r, world_p = skeleton.forward(sampled_poses(sequencer, entry))
    place, turn, fingers = [], [], []
    for side in HANDS:
        points = hand_points(skeleton, world_r, world_p, side) * 100.0  # (S, 21, 3) cm
        wrist = world_r[:, skeleton.index(f"wrist.{side}")]  # (S, 3, 3)
        place.append(points[:, PALM].mean(axis=1).reshape(-1))
        turn.append(wrist.reshape(-1))
        local = np.einsum("sba,spb->spa", wrist, points[:, 1:] - points[:, :1])  # (S, 20, 3), hand frame
        fingers.append(local.reshape(len(FRACTIONS), 5, 12).transpose(1, 0, 2).reshape(5, -1))
    return np.stack(place), np.stack(turn), np.stack(fingers)


def lexical_glosses(lexicon: Lexicon) -> list[str]:
    """The lexicon's lexical signs (no letters FS-*, no numbers NUM-*), sorted."""
    return sorted(g for g, e in lexicon.entries.items() if e.is_lexical)


def lexicon_signatures(sequencer: Sequencer, glosses: Sequence[str] | None = None) -> Signatures:
    """Signatures of `glosses` (default: every lexical sign of the sequencer's lexicon)."""
    lexicon = sequencer.lexicon
    names = tuple(lexical_glosses(lexicon) if glosses is None else glosses)
    parts = [signature(sequencer, lexicon.entries[g]) for g in names]
    if not parts:
        h = len(HANDS)
        return Signatures((), np.zeros((0, h, SAMPLES * 3)), np.zeros((0, h, SAMPLES * 9)),
                          np.zeros((0, h, 5, SAMPLES * 12)))
    return Signatures(names, *(np.stack(p) for p in zip(*parts)))


def bound_features(sig: Signatures) -> FloatArray:
    """(N, 2, D) float32 features whose Euclidean distance, per hand, is a lower bound of that hand's
    distance (in thresholds): each component's root mean square over the samples is at most its
    maximum; the turn's angle is at least its chord (|R1 - R2|_F / sqrt(2), radians); the finger that
    differs most differs at least as much as the mean over the five."""
    n = len(sig.glosses)
    place = sig.place / (PLACE_CM * np.sqrt(SAMPLES))
    turn = sig.turn * (np.degrees(1.0) / (TURN_DEG * np.sqrt(2.0 * SAMPLES)))
    fingers = sig.fingers.reshape(n, len(HANDS), -1) / (SHAPE_CM * np.sqrt(SAMPLES * 20))
    features: FloatArray = np.concatenate([place, turn, fingers], axis=2).astype(np.float32)
    return features


def pair_components(sig: Signatures, a: int, b: int) -> FloatArray:
    """(2, 3) per hand: place_cm, turn_deg, shape_cm of signs a and b at the sample where each differs
    most (the module docstring)."""
    n = (len(HANDS), SAMPLES)
    place = np.linalg.norm((sig.place[a] - sig.place[b]).reshape(*n, 3), axis=-1).max(axis=1)
    dr = ((sig.turn[a] - sig.turn[b]).reshape(*n, 9) ** 2).sum(-1)
    turn = np.degrees(2.0 * np.arcsin(np.sqrt(np.clip(dr / 8.0, 0.0, 1.0)))).max(axis=1)
    df = ((sig.fingers[a] - sig.fingers[b]).reshape(len(HANDS), 5, SAMPLES, 4, 3) ** 2).sum(-1).mean(-1)
    shape = np.sqrt(df).max(axis=(1, 2))
    return np.stack([place, turn, shape], axis=1)


def close_pairs(sig: Signatures, limit: float = 1.0, same: Iterable[tuple[str, str]] = ()) -> list[SimilarPair]:
    """Every pair of signs whose distance (in thresholds, see the module docstring) is below `limit`
    (1: the flagged pairs), closest first; pairs in `same` (either order) are left out.

    The distance takes each component at the sample where it is largest, which no dot product gives;
    a lower bound of it does (bound_features): it is computed for all pairs (blocks of BLOCK rows,
    O(N^2 D) arithmetic, O(BLOCK N) memory) and only the pairs it leaves are measured exactly."""
    n = len(sig.glosses)
    allowed = {frozenset(p) for p in same}
    units = np.array([PLACE_CM, TURN_DEG, SHAPE_CM])
    x = bound_features(sig)
    sq = (x ** 2).sum(axis=2)  # (N, 2)
    # float32 dot products: widen the limit a little so rounding never drops a pair below it
    loose = (limit * BOUND_SLACK) ** 2 + 1e-3
    found: list[SimilarPair] = []
    for start in range(0, n, BLOCK):
        rows = slice(start, min(n, start + BLOCK))
        bound = np.zeros((rows.stop - start, n), dtype=np.float32)
        for h in range(len(HANDS)):
            d2 = sq[rows, h][:, None] + sq[None, :, h] - 2.0 * (x[rows, h] @ x[:, h].T)
            np.maximum(bound, d2, out=bound)
        i, j = np.nonzero(bound < loose)
        keep = i + start < j
        for a, b in zip((i[keep] + start).tolist(), j[keep].tolist()):
            ga, gb = sig.glosses[a], sig.glosses[b]
            if frozenset((ga, gb)) in allowed:
                continue
            parts = pair_components(sig, a, b) / units  # (2, 3)
            per_hand = np.linalg.norm(parts, axis=1)
            h = int(per_hand.argmax())
            if per_hand[h] < limit:
                place_cm, turn_deg, shape_cm = (parts[h] * units).tolist()
                first, second = sorted((ga, gb))
                found.append(SimilarPair(first, second, distance=float(per_hand[h]), place_cm=place_cm,
                                         turn_deg=turn_deg, shape_cm=shape_cm))
    return sorted(found, key=lambda p: (p.distance, p.a, p.b))


def same_sign_pairs(entries: Mapping[str, SignEntry]) -> set[tuple[str, str]]:
    """(a, b) for every sign a whose `same_sign_as` names b."""
    return {(g, other) for g, e in entries.items() for other in e.same_sign_as}


def similar_signs(sequencer: Sequencer) -> list[SimilarPair]:
    """The flagged pairs of the sequencer's lexicon: lexical signs closer than the thresholds, homonyms left out."""
    return close_pairs(lexicon_signatures(sequencer), same=same_sign_pairs(sequencer.lexicon.entries))
