"""Fingerspelling in motion: a fingerspelled token -> the lexicon's letter signs, one per letter,
and how long a letter is held so that it can be read.

How a spelled word is written and which letter sign ids spell it is signavatar/fingerspelling.py
(one convention for every package); numbers have their neighbour in gloss_to_pose/numbers.py.
"""

from __future__ import annotations

from signavatar.errors import UnknownGlossError
from signavatar.fingerspelling import has_fingerspell_prefix, letters, spelled_word
from signavatar.lexicon import Lexicon, SignEntry
from signavatar.types import GlossToken

LETTER_HOLD = 0.16  # each fingerspelled letter is held this long, so it can be read
LETTER_GAP = 0.12  # shortest transition between two letters of a fingerspelled word


def is_fingerspelled(token: GlossToken) -> bool:
    """True for a token the avatar spells letter by letter ("fs-MEIER", or of kind fingerspell)."""
    return token.kind == "fingerspell" or has_fingerspell_prefix(token.gloss)


def letter_entries(lexicon: Lexicon, token: GlossToken) -> list[SignEntry]:
    """The letter signs that spell `token`, in order; UnknownGlossError names a letter the
    lexicon has no sign for."""
    out = []
    for letter in letters(spelled_word(token.gloss)):
        try:
            out.append(lexicon.letter(letter))
        except KeyError:
            raise UnknownGlossError(
                f"cannot fingerspell {token.gloss!r}: no handshape for the letter {letter!r}"
            ) from None
    return out
