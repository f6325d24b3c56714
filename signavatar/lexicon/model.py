"""The lexicon's data types (signs: schema 2, handshapes: schema 1, see glosses/SCHEMA.md) and the
closed vocabularies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from signavatar.fingerspelling import is_letter_sign, letter_sign_id
from signavatar.typed import FloatArray

SCHEMA_VERSION = 2  # sign files
HANDSHAPES_SCHEMA_VERSION = 1

# Body-anchored points; the motion compiler owns their coordinates.
LOCATIONS: tuple[str, ...] = (
    "neutral", "neutral_high", "neutral_low", "far",
    "chest", "chest_contra", "stomach", "shoulder", "shoulder_contra",
    "chin", "mouth", "nose", "eye", "forehead", "temple", "cheek", "ear", "head_top", "neck",
    "side",
)
# "forward" = toward the viewer, "back" = toward the signer, "in" = toward the body midline,
# "out" = away from the midline on that hand's side (so the same word mirrors between hands).
DIRECTIONS: tuple[str, ...] = ("up", "down", "forward", "back", "in", "out")
OPPOSITE_DIRECTION: Mapping[str, str] = {
    "up": "down", "down": "up", "forward": "back", "back": "forward", "in": "out", "out": "in",
}
SOURCES: tuple[str, ...] = ("hand-authored", "recorded", "generated")
MOVEMENT_TYPES: tuple[str, ...] = ("straight", "arc", "circle", "zigzag", "twist", "wiggle", "to", "hold")
CIRCLE_PLANES: tuple[str, ...] = ("front", "flat", "side")
SIZES: Mapping[str, float] = {"small": 0.04, "medium": 0.08, "large": 0.15}  # metres
SPEEDS: Mapping[str, float] = {"slow": 1.5, "normal": 1.0, "fast": 0.7}  # duration factors
#: how the non-dominant (left) hand of a two-handed definition moves
LEFT_MODES: tuple[str, ...] = ("mirror", "alternate", "parallel")
HAND_COUNTS: tuple[str, ...] = ("one", "two")
FINGERS: tuple[str, ...] = ("thumb", "index", "middle", "ring", "pinky")

NUMBER_PREFIX = "NUM-"

V = TypeVar("V")
Angles = tuple[float, float, float, float]
Vec3 = tuple[float, float, float]


class FrozenMap(Mapping[str, V]):
    """A read-only, hashable str -> value mapping (float weights, or an end form's names and
    numbers), so keyframes and entries stay hashable; the values must be hashable."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, V] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Handshape:
    """Joint angles of one handshape, in degrees.

    Fingers (index, middle, ring, pinky): (spread, mcp_flex, pip_flex, dip_flex); flexion positive
    bends toward the palm, spread positive fans away from the middle finger (for the middle finger:
    toward the thumb side). Thumb: (opposition, abduction, mcp_flex, ip_flex).
    """

    name: str
    description: str
    thumb: Angles
    index: Angles
    middle: Angles
    ring: Angles
    pinky: Angles


@dataclass(frozen=True)
class HandPose:
    """One hand at one keyframe: handshape name, location name, offset (m, [out, up, forward])
    relative to the location, palm and finger directions (from DIRECTIONS)."""

    handshape: str
    location: str
    offset: Vec3
    palm: str
    fingers: str
    twist: float = 0.0  # degrees about the finger direction, positive turns the palm outward
    bend: Angles = (0.0, 0.0, 0.0, 0.0)  # extra flexion (deg) of index..pinky, e.g. for a wiggle


@dataclass(frozen=True)
class Keyframe:
    """A pose at normalised time t in [0, 1]; a hand that is None holds its previous pose.
    face: channel (from avatar/face_channels.py FACE_CHANNELS) -> weight in [0, 1]; absent channels are unspecified.
    through: the motion passes through this pose without stopping (points on a circle or arc)."""

    t: float
    right: HandPose | None
    left: HandPose | None
    face: Mapping[str, float]
    through: bool = False


@dataclass(frozen=True)
class Movement:
    """One movement segment of a phonological definition (see glosses/SCHEMA.md).

    direction: unit vector (out, up, forward) or None; size: metres (circle: diameter); repeat: how
    often the segment is made; speed: duration factor (SPEEDS); angle: degrees (twist); plane: circle
    plane; bulge: unit vector the arc bows toward; target: (location, offset) for "to"; ret: a straight
    movement comes back to where it started (a tap); time: seconds of a "hold".
    """

    type: str
    direction: Vec3 | None = None
    size: float = 0.08
    repeat: int = 1
    speed: float = 1.0
    angle: float = 90.0
    plane: str = "front"
    bulge: Vec3 = (0.0, 1.0, 0.0)
    target: tuple[str, Vec3] | None = None
    ret: bool = False
    time: float = 0.2


@dataclass(frozen=True)
class Definition:
    """A sign the way sign linguists describe it: the dominant hand's start (handshape, orientation,
    location), what the non-dominant hand does (None: one-handed; a HandPose: a held base hand;
    or one of LEFT_MODES), the movement segments, an optional end form (handshape/orientation
    reached by the end of the movement) and non-manuals held over the sign."""

    hand: HandPose
    left: HandPose | str | None
    movement: tuple[Movement, ...]
    end: Mapping[str, object]
    face: Mapping[str, float]


@dataclass(frozen=True, eq=False)
class Recording:
    """Recorded motion: local joint quaternions of the listed avatar joints.

    rotations: (T, K, 4) float64 (w, x, y, z) relative to rest, T >= 2 frames at `fps`; joints: K
    names of the skeleton `skeleton`. Joints not listed stay at the rest pose."""

    fps: float
    skeleton: str
    joints: tuple[str, ...]
    rotations: FloatArray

    @property
    def seconds(self) -> float:
        return (self.rotations.shape[0] - 1) / self.fps


@dataclass(frozen=True)
class SignEntry:
    """One sign: keyframes over `duration` seconds, the German lemmas it translates and its
    provenance (`source`, `reviewed` = approved by a DGS signer).

    The keyframes are written by hand, or compiled from `definition`; a recorded sign has
    `recording` (played over `duration`) and no keyframes."""

    gloss: str
    lemmas: tuple[str, ...]
    source: str
    reviewed: bool
    description: str
    hands: str
    duration: float
    mouthing: str | None
    keyframes: tuple[Keyframe, ...]
    path: Path
    definition: Definition | None = None
    recording: Recording | None = None
    description_de: str = ""  # how the sign is made, in German, for reviewers
    approximation: bool = False  # the form approximates the citation form (not checked against a source)
    region: str = ""  # where this form is used when DGS has regional variants ("" = not known to vary)
    same_sign_as: tuple[str, ...] = ()  # glosses with the same motion on purpose (homonyms)
    form: str = ""  # hash of the file's form (load.form_hash), what reviews are attached to
    in_overlay: bool = False  # from the city's overlay (signavatar/lexicon/city.py), not the shipped glosses/

    @property
    def is_letter(self) -> bool:
        return is_letter_sign(self.gloss)

    @property
    def is_number(self) -> bool:
        return self.gloss.startswith(NUMBER_PREFIX)

    @property
    def is_lexical(self) -> bool:
        return not (self.is_letter or self.is_number)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """All sign entries and handshapes of one glosses/ folder.

    version: first 12 hex chars of sha256 over the data files (names and bytes, sorted).
    Compared and hashed by identity (one load, one object).
    """

    entries: Mapping[str, SignEntry]
    handshapes: Mapping[str, Handshape]
    version: str

    def get(self, gloss: str) -> SignEntry | None:
        return self.entries.get(gloss)

    def __contains__(self, gloss: object) -> bool:
        return isinstance(gloss, str) and gloss in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def lemma_map(self) -> dict[str, str]:
        """Lower-cased lemma -> gloss, lexical signs only; on a clash the gloss first in sort
        order wins, so the result does not depend on file system order."""
        result: dict[str, str] = {}
        for gloss in sorted(self.entries):
            entry = self.entries[gloss]
            if not entry.is_lexical:
                continue
            for lemma in entry.lemmas:
                result.setdefault(lemma.lower(), gloss)
        return result

    def letter(self, letter: str) -> SignEntry:
        """The manual-alphabet sign of a letter: "a"/"A", "ä"/"Ä", "ß", "sch"/"SCH". KeyError if none."""
        try:
            entry = self.entries.get(letter_sign_id(letter))
        except ValueError:  # no letter given
            raise KeyError(letter) from None
        if entry is None:
            raise KeyError(letter)
        return entry

    def number(self, n: int) -> SignEntry:
        """The number sign NUM-n for n in 0..10. KeyError otherwise."""
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 10:
            raise KeyError(n)
        entry = self.entries.get(f"{NUMBER_PREFIX}{n}")
        if entry is None:
            raise KeyError(n)
        return entry
