"""Fingerspelling: a fingerspelled token -> the lexicon's letter signs, one per letter. How the hand
spells them (one place, tempo, holds) is fingerspelling_motion.py.

How a spelled word is written and which letter sign ids spell it is signavatar/fingerspelling.py
(one convention for every package); numbers have their neighbour in gloss_to_pose/numbers.py.
"""

from __future__ import annotations

from signavatar.errors import UnknownGlossError
from signavatar.fingerspelling import has_fingerspell_prefix, letters, spelled_word
from signavatar.lexicon import Lexicon, SignEntry
from signavatar.types import GlossToken


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
