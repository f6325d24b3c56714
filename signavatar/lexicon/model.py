"""The lexicon's data types (schema 1, see glosses/SCHEMA.md) and the closed vocabularies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1

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
FACE_CHANNELS: tuple[str, ...] = (
    "brows_up", "brows_down", "mouth_open", "mouth_round", "mouth_spread",
    "eyes_closed", "head_nod", "head_shake",
)
SOURCES: tuple[str, ...] = ("hand-authored", "recorded", "generated")
HAND_COUNTS: tuple[str, ...] = ("one", "two")
FINGERS: tuple[str, ...] = ("thumb", "index", "middle", "ring", "pinky")

LETTER_PREFIX = "FS-"
NUMBER_PREFIX = "NUM-"

Angles = tuple[float, float, float, float]
Vec3 = tuple[float, float, float]


class FrozenMap(Mapping[str, float]):
    """A read-only, hashable str -> float mapping, so keyframes and entries stay hashable."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, float] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> float:
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


@dataclass(frozen=True)
class Keyframe:
    """A pose at normalised time t in [0, 1]; a hand that is None holds its previous pose.
    face: channel (from FACE_CHANNELS) -> weight in [0, 1]; absent channels are unspecified."""

    t: float
    right: HandPose | None
    left: HandPose | None
    face: Mapping[str, float]


@dataclass(frozen=True)
class SignEntry:
    """One sign: keyframes over `duration` seconds, the German lemmas it translates and its
    provenance (`source`, `reviewed` = approved by a DGS signer)."""

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

    @property
    def is_letter(self) -> bool:
        return self.gloss.startswith(LETTER_PREFIX)

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
        key = letter.strip()
        # str.upper() turns "ß" into "SS"; the letter keeps its own sign.
        key = "ß" if key in ("ß", "ẞ") else key.upper()
        entry = self.entries.get(LETTER_PREFIX + key)
        if entry is None or not key:
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
