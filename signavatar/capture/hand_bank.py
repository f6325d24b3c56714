"""What MediaPipe reads from the avatar's own hands: a bank for choosing a captured hand's shape.

One front camera and MediaPipe misread hands in systematic ways: a fist seen from the knuckles comes
back with half-open fingers, an index pointing at the camera comes back short and bent. Comparing
the reading with the exact geometry of each inventory shape (handshape_snap.py, hand_fit.py) then
picks the wrong shape. The bank holds, for every handshape of the inventory seen from many
directions, what MediaPipe Holistic actually reported when it looked at the avatar making that
shape (hand_bank_build.py renders them); a captured hand is compared with those readings, so a
misreading is matched by the same misreading.

Comparison (HandBank.scores): both point sets (21 landmarks) are centred and scaled to unit spread in
the picture plane, then the bank reading is turned in the picture plane to fit best (Procrustes;
turning about the camera axis changes nothing else, so the bank only needs the viewing directions,
not every roll); MediaPipe's depth counts at DEPTH_WEIGHT (none for flat .pose recordings). To that
residual comes the difference of the 15 finger bend angles: to the reading's own bends, or to the
shape's true bends where that is nearer (a hand MediaPipe reads right). A shape scores as its
best reading. Left hands are mirrored onto the right hand's bank.

Measured (BENCHMARKS.md, "Capture round trip", "Captured fingers" and "Handshapes of real recorded
letters"), with the bank read at three places and the two-hand conditions of handshape_snap.py:
captured fingers 5.9 degrees from the drawn ones on 17 rendered signs (23.8 by finger angles alone);
round trip, rendered joint angles 8.9 -> 4.6 (six signs) and 18.5 -> 8.1 (the twelve most used); on
a human signer's letters the held shape is right in 38 % of the frames (9 % by finger angles alone;
47 % with the bank read at one place: more readings, more look-alikes for a flat 2D hand), although
the bank never saw a human hand.

The bank file (glosses/handshape_bank.npz, format below) belongs to the inventory and the avatar
it was made from: its fingerprint is a hash of every shape's hand points on the avatar, and a bank
whose fingerprint does not match is not used (`signavatar lexicon bank` rebuilds it).

File format (numpy .npz, version BANK_FORMAT):
  format: int, BANK_FORMAT
  fingerprint: str, hand_fingerprint() of the inventory on the avatar it was built for
  names: (S,) str, the inventory's shape names, sorted
  shape: (N,) uint8, index into names of each reading
  fingers, palm: (N, 3) float16, the hand's finger and palm directions (world, right hand) when read
  place: (N, 3) float16, where the palm centre was (world metres, right hand) when read
  points: (N, 21, 3) float16, MediaPipe's right-hand landmarks, our axes, normalised (normalise())
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.capture.handshape_snap import ANGLE_UNIT, DEPTH_WEIGHT, RESIDUAL_UNIT
from signavatar.capture.legibility import bend_angles
from signavatar.errors import InvalidInputError
from signavatar.kinematics.hand_model import HandModel
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray, IntArray

BANK_FORMAT = 2  # 2: `place` (readings from several places)
BANK_FILE = "handshape_bank.npz"
#: frames compared at once (bounds the memory of the (frames, readings, 21) arrays)
CHUNK_FRAMES = 32


class StaleBankError(InvalidInputError):
    """The bank file is missing, unreadable, or made for another inventory or avatar."""


def bank_path(lexicon_dir: Path) -> Path:
    return Path(lexicon_dir) / BANK_FILE


def inventory_points(skeleton: Skeleton, lexicon: Lexicon) -> tuple[tuple[str, ...], FloatArray]:
    """The inventory's shape names, sorted, and each shape's 21 hand points on the avatar (S, 21, 3)."""
    model = HandModel(skeleton, "R")
    names = tuple(sorted(lexicon.handshapes))
    return names, np.stack([model.points(lexicon.handshapes[name]) for name in names])


def hand_fingerprint(names: tuple[str, ...], points: FloatArray) -> str:
    """A hash of the inventory's hand points (inventory_points; 0.1 mm): changes when a handshape,
    the hand model or the avatar's hand changes."""
    digest = hashlib.sha256()
    for name, shape_points in zip(names, points):
        digest.update(name.encode())
        digest.update(np.round(shape_points * 1e4).astype(np.int32).tobytes())
    return digest.hexdigest()[:16]


def normalise(points: FloatArray) -> FloatArray:
    """Landmarks (..., 21, 3) centred on their mean and scaled to unit RMS distance from it in the
    picture plane (x, y); z scaled alike. NaN stays NaN."""
    p = np.asarray(points, dtype=np.float64)
    centred = p - p.mean(axis=-2, keepdims=True)
    spread = np.sqrt((centred[..., :2] ** 2).sum(axis=-1).mean(axis=-1))[..., None, None]
    normalised: FloatArray = centred / np.where(spread > 0, spread, np.nan)
    return normalised


@dataclass(frozen=True)
class HandBank:
    """MediaPipe's readings of the avatar's inventory shapes; see the module docstring for the fields."""

    names: tuple[str, ...]
    shape: IntArray  # (N,)
    points: FloatArray  # (N, 21, 3) normalised
    fingers: FloatArray  # (N, 3)
    palm: FloatArray  # (N, 3)
    place: FloatArray  # (N, 3)
    fingerprint: str
    #: (S, 15) finger bend angles of each shape's own hand points on the avatar (3D)
    model_bends: FloatArray

    def scores(self, hands: FloatArray, side: str, depth_weight: float = DEPTH_WEIGHT,
               exclude: IntArray | None = None) -> FloatArray:
        """(T, S) score of every shape for hands (T, 21, 3) (our axes, any scale); NaN for frames
        without a hand. A shape's score is the least over its readings of
        residual / RESIDUAL_UNIT + bend distance / ANGLE_UNIT:
        residual: the RMS distance of the hand from the reading after turning, scaling and moving the
            reading in the picture plane to fit best, in units of the hand's spread;
        bend distance: mean difference (degrees) of the 15 finger bend angles, the smaller of the
            hand's distance to the reading's bends (MediaPipe misreading the shape the way it did) and
            to the shape's own bends (MediaPipe reading it right).
        depth_weight 0: flat recordings (.pose): the hand and the readings in the picture plane only (the
        shape's own bends stay 3D, a flat reading of them depends on how the hand is turned).
        exclude: (T,) for each hand a reading of the bank to leave out (-1: none), to read the
        bank's own readings against the rest of it (capture/sign_handshapes.py)."""
        q = normalise(hands)
        if side == "L":
            q = q * np.array([-1.0, 1.0, 1.0])
        if depth_weight == 0.0:
            q = q * np.array([1.0, 1.0, 0.0])
        out = np.full((len(q), len(self.names)), np.nan)
        seen = np.flatnonzero(np.isfinite(q).all(axis=(1, 2)))
        bank_pts = self.points if depth_weight else self.points * np.array([1.0, 1.0, 0.0])
        bank_bends = bend_angles(bank_pts)  # (N, 15)
        bc = self.points[..., 0] + 1j * self.points[..., 1]
        b2 = (np.abs(bc) ** 2).sum(axis=-1)
        for chunk in np.array_split(seen, max(1, len(seen) // CHUNK_FRAMES)):
            qc = q[chunk, :, 0] + 1j * q[chunk, :, 1]
            a = (qc @ np.conj(bc).T) / b2
            plane = ((np.abs(qc) ** 2).sum(-1)[:, None] - np.abs(a) ** 2 * b2) / 21.0
            dz = q[chunk, None, :, 2] - np.abs(a)[..., None] * self.points[None, :, :, 2]
            res = np.sqrt(np.clip(plane, 0.0, None) + depth_weight ** 2 * (dz ** 2).mean(axis=-1))  # (t, N)
            if exclude is not None:
                left_out = np.asarray(exclude)[chunk]
                res[np.flatnonzero(left_out >= 0), left_out[left_out >= 0]] = np.inf
            qb = bend_angles(q[chunk])  # (t, 15)
            d_read = np.abs(qb[:, None, :] - bank_bends[None]).mean(-1)  # (t, N)
            d_model = np.abs(qb[:, None, :] - self.model_bends[None]).mean(-1)  # (t, S)
            for s in range(len(self.names)):
                mine = self.shape == s
                if mine.any():
                    d = np.minimum(d_read[:, mine], d_model[:, s:s + 1])
                    out[chunk, s] = (res[:, mine] / RESIDUAL_UNIT + d / ANGLE_UNIT).min(axis=1)
                else:
                    out[chunk, s] = np.inf
        return out

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, format=np.int64(BANK_FORMAT), fingerprint=np.str_(self.fingerprint), names=np.array(self.names),
            shape=self.shape.astype(np.uint8), fingers=self.fingers.astype(np.float16),
            palm=self.palm.astype(np.float16), place=self.place.astype(np.float16),
            points=self.points.astype(np.float16))


def load_bank(path: Path, skeleton: Skeleton, lexicon: Lexicon) -> HandBank:
    """The bank at `path`, checked against this avatar and inventory; StaleBankError (one line
    saying how to rebuild it) when it is missing, unreadable or made for other hands."""
    rebuild = "run `signavatar lexicon bank` to build it"
    if not Path(path).is_file():
        raise StaleBankError(f"{path}: no handshape bank; {rebuild}")
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != BANK_FORMAT:
                raise StaleBankError(f"{path}: bank format {int(data['format'])}, expected {BANK_FORMAT}; {rebuild}")
            stored_names = tuple(str(n) for n in data["names"])
            shape, fingerprint = data["shape"].astype(np.int64), str(data["fingerprint"])
            points, fingers, palm, place = (data[k].astype(np.float64) for k in ("points", "fingers", "palm", "place"))
    except (KeyError, ValueError, OSError) as exc:
        raise StaleBankError(f"{path}: unreadable handshape bank ({exc}); {rebuild}") from None
    names, inventory = inventory_points(skeleton, lexicon)
    if fingerprint != hand_fingerprint(names, inventory) or stored_names != names:
        raise StaleBankError(f"{path}: made for other handshapes or another avatar; {rebuild}")
    if points.shape[1:] != (21, 3) or any(len(a) != len(points) for a in (shape, fingers, palm, place)) \
            or shape.max() >= len(names):
        raise StaleBankError(f"{path}: inconsistent arrays; {rebuild}")
    bank = HandBank(names=names, shape=shape, points=points, fingers=fingers, palm=palm, place=place,
                    fingerprint=fingerprint, model_bends=bend_angles(inventory))
    return bank
