"""The sign lexicon: load and validate glosses/ (signs schema 2, handshapes schema 1; see glosses/SCHEMA.md)."""

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.lexicon.load import load_lexicon
from signavatar.lexicon.model import (
    DIRECTIONS,
    LOCATIONS,
    SCHEMA_VERSION,
    SOURCES,
    HandPose,
    Handshape,
    Keyframe,
    Lexicon,
    SignEntry,
)

__all__ = [
    "DIRECTIONS",
    "FACE_CHANNELS",
    "LOCATIONS",
    "SCHEMA_VERSION",
    "SOURCES",
    "Handshape",
    "HandPose",
    "Keyframe",
    "Lexicon",
    "SignEntry",
    "load_lexicon",
]
