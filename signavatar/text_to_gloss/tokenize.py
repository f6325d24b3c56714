"""Splitting cleaned German text into sentences of word and punctuation tokens.

HanTa tags a list of tokens, so tokenising is ours. The traps are dots that do not end a sentence
(ordinals "am 17. März", abbreviations "Nr.", "z. B.") and numbers written with separators
("37,50", "10:30", "1.000"), which must stay one token for the tagger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = (
    "januar", "februar", "märz", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "dezember",
)

# Abbreviations whose dot is part of the word (lower case, without the dot).
_ABBREVIATIONS = frozenset({
    "bzw", "ca", "dr", "evtl", "ggf", "hr", "fr", "inkl", "nr", "prof", "str", "tel", "usw", "vgl", "etc",
})
# Symbols read out as words, so that "37 €" becomes "37 Euro" for the tagger and the lexicon.
SYMBOL_WORDS = {"€": "Euro", "%": "Prozent", "&": "und", "§": "Paragraf"}

_TOKEN = re.compile(
    r"""
      (?P<abbr>(?i:z\.\s?b\.|d\.\s?h\.|u\.\s?a\.))   # two-letter abbreviations, with or without space
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


@dataclass(frozen=True)
class Sentence:
    """One sentence: its tokens (words, numbers, inner punctuation) and how it ended.

    end: "." , "?", "!" or "" when the text stopped without punctuation.
    """

    tokens: tuple[str, ...]
    end: str


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; a blank line also ends one (headings, list items)."""
    sentences: list[Sentence] = []
    for block in _BLANK_LINE.split(text):
        sentences.extend(_split_block(block))
    return sentences


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
        if kind == "number" and _ORDINAL_DOT.match(text, pos):
            token, pos = token + ".", pos + 1
        elif kind == "word" and text.startswith(".", pos) and token.lower() in _ABBREVIATIONS:
            token, pos = token + ".", pos + 1
        elif kind == "other":
            token = SYMBOL_WORDS.get(token, token)
        current.append(token)
    if current:
        sentences.append(Sentence(tuple(current), ""))
    return sentences


def _end_mark(punctuation: str) -> str:
    """Reduce "?!", "!!", "..." to the one mark that decides the sentence type."""
    if "?" in punctuation:
        return "?"
    if "!" in punctuation:
        return "!"
    return "."
