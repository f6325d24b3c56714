"""The gloss id convention (see glosses/GLOSS_CONVENTIONS.md).

Lexicon ids are German words in upper case with umlauts kept and ß written SS, as German
capitalisation does. Fingerspelling keeps ß because DGS has a handshape for it, so `fs-STRAßE`
spells six letters while the lexicon sign is `STRASSE`; its convention lives in
signavatar/fingerspelling.py.
"""

from __future__ import annotations

import re

from signavatar.errors import InvalidInputError

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


def is_number_gloss(gloss: str) -> bool:
    """True for a number gloss: ASCII digits only ("17"); "²" or "١" are not numbers we can sign."""
    return _NUMBER_GLOSS.fullmatch(gloss) is not None
