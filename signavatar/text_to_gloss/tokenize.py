"""Splitting cleaned German text into sentences of word and punctuation tokens.

HanTa tags a list of tokens, so tokenising is ours. The traps are dots that do not end a sentence
(ordinals "am 17. März", abbreviations "Nr.", "z. B.") and numbers written with separators
("37,50", "10:30", "1.000"), which must stay one token for the tagger, as must e-mail
addresses, web addresses and phone numbers. Leichte Sprache writing is normalised here: the
Mediopunkt joins a compound again ("Bürger·amt" -> "Bürgeramt") and each bullet line is a sentence.
A dash between two times or weekdays is a range and is read "bis" ("Mo–Fr", "8:00–12:30").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signavatar.text_to_gloss.special_tokens import EMAIL, PHONE, URL, WEEKDAY_ABBREVIATIONS, is_range_end

MONTHS = (
    "januar", "februar", "märz", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "dezember",
)

# Abbreviations whose dot is part of the word (lower case, without the dot).
_ABBREVIATIONS = frozenset({
    "bzw", "ca", "dr", "evtl", "ggf", "hr", "fr", "inkl", "nr", "prof", "str", "tel", "usw", "vgl", "etc",
    "mio", "mrd", "tsd",
})
# Symbols read out as words, so that "37 €" becomes "37 Euro" for the tagger and the lexicon.
SYMBOL_WORDS = {"€": "Euro", "%": "Prozent", "&": "und", "§": "Paragraf"}

_TOKEN = re.compile(
    rf"""
      (?P<url>{URL.pattern})
    | (?P<email>{EMAIL.pattern})
    | (?P<phone>{PHONE.pattern})
    | (?P<abbr>(?i:z\.\s?b\.|d\.\s?h\.|u\.\s?a\.))   # two-letter abbreviations, with or without space
    | (?P<number>\d+(?:[.,:]\d+)*)                    # 17, 37,50, 10:30, 1.000, 17.03.2025
    | (?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)          # letters, joined by hyphen or apostrophe
    | (?P<end>[.!?…]+)                                # sentence end, also "?!" and "..."
    | (?P<other>\S)                                   # any other single character: , ; „ “ ( ) ...
    """,
    re.VERBOSE,
)
# A dot after a number is an ordinal when the sentence obviously goes on: "am 17. März", "3. Stock".
_ORDINAL_DOT = re.compile(
    r"\.(?=[ \t]+(?:[a-zäöüß]|\d|(?i:" + "|".join(MONTHS) + r"|Stock|Etage|Klasse)\b))"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Leichte Sprache: "Bürger·amt" (U+00B7, also U+2027) is one word; the second part's capital goes.
_MEDIOPUNKT = re.compile(r"(?<=[^\W\d_])[·‧](?=[^\W\d_])")
# A list item: a line starting with a bullet or "1." / "1)"; each item is signed as a sentence.
_BULLET = re.compile(r"^[ \t]*(?:[-–—•*▪►✓]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
_DASHES = frozenset({"-", "–", "—"})
# "Mo." before a range, list or time is an abbreviation, not the end of a sentence.
_WEEKDAY_DOT = re.compile(r"\.(?=[ \t]*(?:[-–—,/]|\d|(?:" + "|".join(WEEKDAY_ABBREVIATIONS) + r")\b))")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its tokens (words, numbers, inner punctuation) and how it ended.

    end: "." , "?", "!" or "" when the text stopped without punctuation.
    """

    tokens: tuple[str, ...]
    end: str


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; a blank line or a bullet also ends one (headings, list items)."""
    sentences: list[Sentence] = []
    text = _BULLET.sub("\n\n", join_mediopunkt(text))
    for block in _BLANK_LINE.split(text):
        sentences.extend(_split_block(block))
    return sentences


def join_mediopunkt(text: str) -> str:
    """ "Bürger·amt" -> "Bürgeramt", "Melde·Bescheinigung" -> "Meldebescheinigung"."""
    if "·" not in text and "‧" not in text:
        return text
    parts = _MEDIOPUNKT.split(text)
    return parts[0] + "".join(part[:1].lower() + part[1:] for part in parts[1:])


def has_leichte_sprache_marks(text: str) -> bool:
    """True when the text uses a Mediopunkt compound or a bullet list (reported by --explain)."""
    return _MEDIOPUNKT.search(text) is not None or _BULLET.search(text) is not None


def is_punctuation(token: str) -> bool:
    """True for a token without any letter or digit (commas, quotes, brackets, dashes)."""
    return not any(char.isalnum() for char in token)


def _split_block(text: str) -> list[Sentence]:
    """Tokenise one block of text and cut it at sentence-final punctuation."""
    sentences: list[Sentence] = []
    current: list[str] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        match = _TOKEN.match(text, pos)
        assert match is not None  # the "other" branch matches any non-space character
        kind, token, pos = match.lastgroup, match.group(), match.end()
        if kind == "end":
            if current:
                sentences.append(Sentence(tuple(current), _end_mark(token)))
            current = []
            continue
        if kind == "url":
            token = token.rstrip(".,;:!?)")
            pos = match.start() + len(token)
        elif kind == "number" and _ORDINAL_DOT.match(text, pos):
            token, pos = token + ".", pos + 1
        elif kind == "word" and text.startswith(".", pos) and _is_abbreviation(token, text, pos):
            token, pos = token + ".", pos + 1
        elif kind == "other" and token in _DASHES and current and is_range_end(current[-1]) and \
                is_range_end(_peek(text, pos)):
            token = "bis"
        elif kind == "other":
            token = SYMBOL_WORDS.get(token, token)
        current.append(token)
    if current:
        sentences.append(Sentence(tuple(current), ""))
    return sentences


def _is_abbreviation(word: str, text: str, pos: int) -> bool:
    """Is the dot after `word` (at `pos`) part of it: "Nr.", "Goethestr.", "Mo." in "Mo.–Fr."?"""
    lower = word.lower()
    if lower in _ABBREVIATIONS or (lower.endswith("str") and len(lower) > 4):
        return True
    return word in WEEKDAY_ABBREVIATIONS and _WEEKDAY_DOT.match(text, pos) is not None


def _peek(text: str, pos: int) -> str:
    """The next token after `pos` (without consuming it), "" at the end."""
    match = _TOKEN.match(text, len(text) - len(text[pos:].lstrip()))
    if match is None:
        return ""
    token = match.group()
    return token + "." if token in WEEKDAY_ABBREVIATIONS and text.startswith(".", match.end()) else token


def _end_mark(punctuation: str) -> str:
    """Reduce "?!", "!!", "..." to the one mark that decides the sentence type."""
    if "?" in punctuation:
        return "?"
    if "!" in punctuation:
        return "!"
    return "."
