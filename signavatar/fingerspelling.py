"""Fingerspelling: how a spelled word is written, and which letter signs spell it.

The one place that owns the convention (glosses/GLOSS_CONVENTIONS.md), used by text_to_gloss,
translation_memory, lexicon and gloss_to_pose alike; it sits beside types.py so that every layer
may import it (it imports the standard library only).

One prefix, `PREFIX = "fs-"`, written two ways:

- a gloss that spells a word, as editors write it and text_to_gloss makes it: `fs-` + the word's
  letters in upper case, ß kept (DGS has a handshape for ß): "Meier" -> `fs-MEIER`,
  "Goethestraße" -> `fs-GOETHESTRAßE`, "José" -> `fs-JOSE`, "Yılmaz" -> `fs-YILMAZ`. The lower-case
  prefix sets a spelled word apart from the signs around it in a gloss string (`fs-MEIER KOMMEN`).
- the lexicon's letter signs, `LETTER_SIGN_PREFIX` + the letter: `FS-A` … `FS-Z`, `FS-Ä`, `FS-Ö`,
  `FS-Ü`, `FS-ß`, `FS-SCH` (SCH is one handshape). These are lexicon ids, and lexicon ids are upper
  case (glosses/SCHEMA.md: an entry's gloss is its file name, upper case A-Z ÄÖÜ, digits and '-');
  so the prefix is upper-cased there, and ß is the one lower-case letter a lexicon id may hold,
  because "ß".upper() is "SS" and SS is not a letter of the manual alphabet.

Round trip: word -> `fingerspell_gloss` -> gloss -> `letter_sign_ids` -> the lexicon entries to play.

Viewers never see the prefix: captions, the player page and the editor's preview show a spelled word
the way fingerspelling is transcribed for readers, its letters joined by hyphens (`viewer_gloss`:
`fs-MEIER` -> `M-E-I-E-R`, `fs-SCHLOß` -> `SCH-L-O-ß`); the gloss notation keeps `fs-`.
"""

from __future__ import annotations

import re
import unicodedata

#: the fingerspelling prefix, as written in a gloss ("fs-MEIER")
PREFIX = "fs-"
#: the same prefix in the lexicon's upper-case ids of letter signs ("FS-A", "FS-ß")
LETTER_SIGN_PREFIX = PREFIX.upper()
#: letters that are one sign of several characters; "SCH" is one handshape in DGS
MULTI_CHARACTER_LETTERS: tuple[str, ...] = ("SCH",)

# Letters the DGS manual alphabet has beyond A-Z; upper-cased by hand because "ß".upper() is "SS".
_GERMAN_LETTERS = {"ä": "Ä", "ö": "Ö", "ü": "Ü", "Ä": "Ä", "Ö": "Ö", "Ü": "Ü", "ß": "ß", "ẞ": "ß"}
# Letters of names (Yılmaz, Søren, Łukasz) that Unicode does not decompose into a base letter.
_LATIN_EXTRAS = {"ı": "I", "ø": "O", "Ø": "O", "æ": "AE", "Æ": "AE", "œ": "OE", "Œ": "OE", "ł": "L", "Ł": "L",
                 "đ": "D", "Đ": "D"}
# A well-formed fingerspelling gloss, as text_to_gloss makes it.
_GLOSS = re.compile(re.escape(PREFIX) + r"([A-ZÄÖÜß]+)")
# What an editor may write: the prefix in any case, then letters of the German manual alphabet.
_WRITTEN = re.compile(re.escape(PREFIX) + r"([A-Za-zÄÖÜäöüßẞ]+)", re.IGNORECASE)


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
    return PREFIX + letters if letters else None


def is_fingerspell_gloss(gloss: str) -> bool:
    """True for a well-formed fingerspelling gloss such as "fs-MEIER" or "fs-STRAßE"."""
    return _GLOSS.fullmatch(gloss) is not None


def has_fingerspell_prefix(gloss: str) -> bool:
    """True when `gloss` starts with the prefix in any case ("fs-", "FS-"), well-formed or not."""
    return gloss[: len(PREFIX)].lower() == PREFIX


def read_written_fingerspelling(token: str) -> str | None:
    """The fingerspelling gloss of what an editor wrote, or None when it is not one.

    The prefix may be in any case and the letters are those of the German manual alphabet in any
    case: "FS-straße" -> "fs-STRAßE". Anything else after the prefix ("fs-José", "fs-A1") is None.
    """
    match = _WRITTEN.fullmatch(token)
    return PREFIX + spell_letters(match.group(1)) if match else None


def spelled_word(gloss: str) -> str:
    """The word a fingerspelling gloss spells: "fs-MEIER" -> "MEIER"; a gloss without the prefix
    is returned as it is (a token of kind "fingerspell" may carry the bare word)."""
    return gloss[len(PREFIX):] if has_fingerspell_prefix(gloss) else gloss


def letters(word: str) -> list[str]:
    """The letters of a spelled word, one per sign, SCH as one letter and ß kept:
    "Schloß" -> SCH L O ß. Characters are only upper-cased (no accent is dropped here: that is
    spell_letters' work when the gloss is made), so a letter without a sign stays visible."""
    word = "".join(c if c in "ßẞ" else c.upper() for c in word).replace("ẞ", "ß")
    out: list[str] = []
    i = 0
    while i < len(word):
        multi = next((m for m in MULTI_CHARACTER_LETTERS if word.startswith(m, i)), None)
        if multi is not None:
            out.append(multi)
            i += len(multi)
        else:
            out.append(word[i])
            i += 1
    return out


def letter_sign_id(letter: str) -> str:
    """The lexicon id of a letter's sign: "a" -> "FS-A", "ä" -> "FS-Ä", "ß"/"ẞ" -> "FS-ß",
    "sch" -> "FS-SCH". Whether the lexicon has that sign is the lexicon's business."""
    key = letter.strip()
    if not key:
        raise ValueError("a letter sign needs a letter")
    # str.upper() turns "ß" into "SS"; the letter keeps its own sign.
    return LETTER_SIGN_PREFIX + ("ß" if key in ("ß", "ẞ") else key.upper())


def letter_sign_ids(gloss: str) -> list[str]:
    """The lexicon ids of the letter signs that spell a fingerspelling gloss, in order:
    "fs-SCHLOß" -> ["FS-SCH", "FS-L", "FS-O", "FS-ß"] (see spelled_word for a bare word)."""
    return [letter_sign_id(letter) for letter in letters(spelled_word(gloss))]


def viewer_gloss(gloss: str) -> str:
    """A gloss as a viewer reads it in captions and on the player page: a spelled word as its letters
    joined by hyphens, one letter per sign ("fs-MEIER" -> "M-E-I-E-R", "fs-SCHULE" -> "SCH-U-L-E",
    "fs-STRAßE" -> "S-T-R-A-ß-E", a letter sign "FS-A" -> "A"); numbers ("17") and lexicon glosses
    ("TERMIN") are shown as they are."""
    if not has_fingerspell_prefix(gloss) or not spelled_word(gloss):
        return gloss
    return "-".join(letters(spelled_word(gloss)))


def is_letter_sign(gloss: str) -> bool:
    """True for the lexicon id of a letter sign ("FS-A", "FS-ß", "FS-SCH")."""
    return gloss.startswith(LETTER_SIGN_PREFIX)


def as_letter_sign_id(name: str) -> str | None:
    """The letter sign id a person means by `name` in any case ("fs-a" -> "FS-A", "fs-ß" and its
    upper case "FS-SS" -> "FS-ß"), or None when `name` does not start with the prefix."""
    if not has_fingerspell_prefix(name) or not name[len(PREFIX):].strip():
        return None
    letter = name[len(PREFIX):]
    return letter_sign_id("ß" if letter.upper() == "SS" else letter)
