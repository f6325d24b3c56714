"""An editor's mouthing (Mundbild) in a hand-written gloss string: `GLOSS{mouthing}`.

`TERMIN{termin}` mouths the word "termin" with TERMIN, `GUT{pf}` shows the mouth gesture "pf",
`KOMMEN{none}` shows no mouth picture; a gloss without braces keeps its default mouthing
(gloss_to_pose/mouthing.py chosen_mouthing). The mouthing is one word of letters (a-z, ä, ö, ü, ß)
and hyphens, at most MAX_MOUTHING_CHARS characters, or a gesture name; it is kept in lower case,
since a mouth picture has no case and the gesture names are lower case. GlossSequence.__str__ writes
it back the same way, so a gloss string round-trips.
"""

from __future__ import annotations

import re

from signavatar.errors import InvalidInputError

OPEN, CLOSE = "{", "}"
MAX_MOUTHING_CHARS = 40
#: the mouth gestures an editor may name instead of a word; the same names as
#: signavatar/gloss_to_pose/mouthing.py MOUTH_GESTURES (a higher layer; tests check they agree)
MOUTH_GESTURE_NAMES = ("pf", "mm", "sch", "ts", "none")

_WORD = re.compile(r"[a-zäöüß]+(?:-[a-zäöüß]+)*")
_WHAT = f"a word (letters a-z, ä, ö, ü, ß and '-') or a mouth gesture ({', '.join(MOUTH_GESTURE_NAMES)})"


def split_mouthing(token: str) -> tuple[str, str | None]:
    """One whitespace-free token -> (gloss, mouthing): `GUT{pf}` -> ("GUT", "pf"), `GUT` -> ("GUT", None).

    Raises InvalidInputError naming the token and what to write instead when the braces are
    malformed or the mouthing is not a word or gesture name (`read_mouthing`)."""
    if OPEN not in token and CLOSE not in token:
        return token, None
    start = token.find(OPEN)
    if start < 0:
        raise InvalidInputError(f"{token!r} has a '{CLOSE}' without '{OPEN}': write the mouthing as GLOSS{{word}}, "
                                "e.g. GUT{pf}")
    end = token.find(CLOSE, start)
    if end < 0:
        raise InvalidInputError(f"{token!r} has no closing '{CLOSE}': write the mouthing right after the gloss "
                                "without spaces, e.g. TERMIN{termin} or GUT{pf}")
    if end != len(token) - 1:
        raise InvalidInputError(f"{token!r}: nothing may follow the closing '{CLOSE}'; put a space before the "
                                "next gloss, and give a gloss one mouthing only")
    gloss = token[:start]
    if not gloss:
        raise InvalidInputError(f"{token!r} is a mouthing without a gloss: write it right after its gloss, "
                                "e.g. GUT{pf}")
    return gloss, read_mouthing(token[start + 1:end], gloss)


def read_mouthing(text: str, gloss: str = "") -> str:
    """The mouthing an editor wrote, in lower case; InvalidInputError saying what to change when it is
    empty, longer than MAX_MOUTHING_CHARS or not one word / gesture name (`gloss` names the sign)."""
    of = f" of {gloss!r}" if gloss else ""
    if not text:
        raise InvalidInputError(f"the mouthing{of} is empty: write {_WHAT} between the braces, "
                                "or leave the braces out for the default mouthing")
    if len(text) > MAX_MOUTHING_CHARS:
        raise InvalidInputError(f"the mouthing{of} has {len(text)} characters; at most {MAX_MOUTHING_CHARS}: "
                                "write one word")
    word = text.lower()
    if _WORD.fullmatch(word) is None:
        raise InvalidInputError(f"the mouthing {text!r}{of} is not one word: write {_WHAT}")
    return word

