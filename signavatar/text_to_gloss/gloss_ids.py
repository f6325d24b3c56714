"""The gloss id convention (see glosses/GLOSS_CONVENTIONS.md).

Lexicon ids are German words in upper case with umlauts kept and ß written SS, as German
capitalisation does. Fingerspelling keeps ß because DGS has a handshape for it, so `fs-STRAßE`
spells six letters while the lexicon sign is `STRASSE`.
"""

from __future__ import annotations

import re
import unicodedata

from signavatar.errors import InvalidInputError

FINGERSPELL_PREFIX = "fs-"

# Letters the DGS manual alphabet has beyond A-Z; upper-cased by hand because "ß".upper() is "SS".
_GERMAN_LETTERS = {"ä": "Ä", "ö": "Ö", "ü": "Ü", "Ä": "Ä", "Ö": "Ö", "Ü": "Ü", "ß": "ß", "ẞ": "ß"}
# Letters of names (Yılmaz, Søren, Łukasz) that Unicode does not decompose into a base letter.
_LATIN_EXTRAS = {"ı": "I", "ø": "O", "Ø": "O", "æ": "AE", "Æ": "AE", "œ": "OE", "Œ": "OE", "ł": "L", "Ł": "L",
                 "đ": "D", "Đ": "D"}
_FINGERSPELL_GLOSS = re.compile(r"fs-([A-ZÄÖÜß]+)")
_NUMBER_GLOSS = re.compile(r"[0-9]+")


def to_gloss_id(word: str) -> str:
    """Return the lexicon gloss id for a German word or phrase: "Straße" -> "STRASSE".

    Words of a phrase are joined with "-" ("nächste Woche" -> "NÄCHSTE-WOCHE") so that a gloss
    string can always be split on whitespace.
    """
    words = word.split()
    if not words:
        raise InvalidInputError("cannot make a gloss id from an empty word")
    return "-".join(words).replace("ẞ", "SS").upper()


def spell_letters(word: str) -> str:
    """Return the letters of `word` in the manual alphabet, upper case, ß kept, others dropped.

    Accents fall back to the base letter (José -> JOSE): the DGS alphabet has no É, and a name
    spelled without its accent is still recognisable, while an unknown letter would stop the clip.
    """
    letters: list[str] = []
    for char in word:
        if char in _GERMAN_LETTERS:
            letters.append(_GERMAN_LETTERS[char])
        elif char in _LATIN_EXTRAS:
            letters.append(_LATIN_EXTRAS[char])
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            letters.extend(base.upper() for base in decomposed if base.isascii() and base.isalpha())
    return "".join(letters)


def fingerspell_gloss(word: str) -> str | None:
    """Return "fs-" + the spelled letters of `word`, or None when it has no letter to spell."""
    letters = spell_letters(word)
    return FINGERSPELL_PREFIX + letters if letters else None


def is_fingerspell_gloss(gloss: str) -> bool:
    """True for a well-formed fingerspelling gloss such as "fs-MEIER" or "fs-STRAßE"."""
    return _FINGERSPELL_GLOSS.fullmatch(gloss) is not None


def is_number_gloss(gloss: str) -> bool:
    """True for a number gloss: ASCII digits only ("17"); "²" or "١" are not numbers we can sign."""
    return _NUMBER_GLOSS.fullmatch(gloss) is not None
