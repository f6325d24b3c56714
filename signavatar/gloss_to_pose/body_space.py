"""Where the lexicon's named locations and directions are, for the avatar's body.

Locations are target points for the centre of the palm, a few centimetres in front of the body
surface so that a hand "at the chin" does not sink into it. They were measured on the MakeHuman
base mesh (metres, Y up, +Z toward the viewer, +X the signer's left). `out` is the x component of
a point for the hand on that side: positive means away from the midline, so one table serves both
hands (the left hand mirrors the right).
"""

from __future__ import annotations

import numpy as np

from signavatar.typed import FloatArray

#: name -> (out, y, z) target of the palm centre
LOCATION_POINTS: dict[str, tuple[float, float, float]] = {
    "neutral": (0.11, 0.36, 0.36),
    "neutral_high": (0.12, 0.50, 0.34),
    "neutral_low": (0.11, 0.24, 0.32),
    "far": (0.12, 0.40, 0.50),
    "chest": (0.05, 0.44, 0.21),
    "chest_contra": (-0.07, 0.44, 0.21),
    "stomach": (0.04, 0.26, 0.23),
    "shoulder": (0.15, 0.53, 0.15),
    "shoulder_contra": (-0.12, 0.53, 0.15),
    "chin": (0.0, 0.615, 0.21),
    "mouth": (0.0, 0.655, 0.22),
    "nose": (0.0, 0.695, 0.225),
    "eye": (0.035, 0.728, 0.20),
    "forehead": (0.0, 0.785, 0.20),
    "temple": (0.09, 0.75, 0.12),
    "cheek": (0.075, 0.67, 0.17),
    "ear": (0.115, 0.71, 0.04),
    "head_top": (0.0, 0.90, 0.06),
    "neck": (0.0, 0.565, 0.14),
    "side": (0.30, 0.22, 0.10),
}


def side_sign(side: str) -> float:
    """+1 for the left hand (signer's left is +X), -1 for the right hand."""
    return 1.0 if side == "L" else -1.0


def location_point(name: str, side: str, offset: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> FloatArray:
    """World point (3,) for the palm centre of the `side` hand at location `name` plus an offset
    (out, up, forward) in metres."""
    out, y, z = LOCATION_POINTS[name]
    s = side_sign(side)
    return np.array([s * (out + offset[0]), y + offset[1], z + offset[2]])


def direction(name: str, side: str) -> FloatArray:
    """Unit vector (3,) of a direction word for the `side` hand."""
    s = side_sign(side)
    table = {
        "up": (0.0, 1.0, 0.0),
        "down": (0.0, -1.0, 0.0),
        "forward": (0.0, 0.0, 1.0),
        "back": (0.0, 0.0, -1.0),
        "out": (s, 0.0, 0.0),
        "in": (-s, 0.0, 0.0),
    }
    return np.asarray(table[name], dtype=np.float64)
