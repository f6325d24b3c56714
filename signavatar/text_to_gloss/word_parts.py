"""Is a cut of a German word into parts a cut into words? For the compound splitter.

Three checks, the last two with HanTa's morphological analysis (tagging.word_morphemes):
- no part is a verb particle or preposition: "Unternehmen", "Nachbar", "Vorlage" are prefixed
  words, not compounds of UNTER/NACH/VOR and a noun;
- every part is a word: HanTa knows every morpheme of it ("bundes" = bund+es, "melde" = meld+e),
  a non-word like "bundesl" is one morpheme it only guesses;
- the cuts fall where the whole word has a boundary: where HanTa analyses the word as a compound
  ("Bundesländern" = bund|es|länd|ern) only between its stems; otherwise never before a suffix
  ("erreich|bar": -bar makes an adjective, it is not the word "bar").
Answers are cached: a word is analysed once per process. HanTa's work grows with the square of a
word's length (analysis_budget.py), so a part longer than MAX_PART_CHARS is taken for no word without
asking (German compound parts are shorter), and the whole word's boundaries are only asked for words
of at most MAX_BOUNDARY_WORD_CHARS (the part checks still apply to longer ones).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import accumulate

from signavatar.text_to_gloss.tagging import word_morphemes

# Verb particles and prepositions that begin prefixed words ("unter|nehmen", "nach|bar").
PARTICLES = frozenset({
    "ab", "an", "auf", "aus", "bei", "durch", "ein", "entgegen", "fort", "gegen", "her", "hin", "hinter",
    "los", "mit", "nach", "neben", "über", "um", "unter", "vor", "voran", "voraus", "vorbei", "weg",
    "weiter", "wider", "zu", "zurück", "zusammen", "zwischen",
})
_GUESS_TAGS = frozenset({"NE", "FM", "XY", "ACR_NE", "ACR"})
_CACHE = 4096
MAX_PART_CHARS = 24
MAX_BOUNDARY_WORD_CHARS = 40


def is_particle(part: str) -> bool:
    """A verb particle or preposition: never a part of a compound on its own."""
    return part in PARTICLES


def valid_cuts(word: str, parts: Sequence[str]) -> bool:
    """True when cutting `word` into `parts` (lower case, in order) cuts it into words."""
    if any(len(part) > MAX_PART_CHARS for part in parts):
        return False
    cuts = tuple(accumulate(len(p) for p in parts[:-1]))
    return _cuts_allowed(word, cuts) and all(is_word(part) for part in sorted(parts, key=len))


@functools.lru_cache(maxsize=_CACHE)
def is_word(part: str) -> bool:
    """A German word form (any case): HanTa knows all its morphemes, written as a noun or lower case."""
    return any(_all_known(form) for form in (part[:1].upper() + part[1:], part.lower()))


def _all_known(form: str) -> bool:
    _, morphemes = word_morphemes(form)
    return all(known for _, _, known in morphemes) and not (len(morphemes) == 1 and morphemes[0][1] in _GUESS_TAGS
                                                            and not morphemes[0][2])


def _cuts_allowed(word: str, cuts: tuple[int, ...]) -> bool:
    if len(word) > MAX_BOUNDARY_WORD_CHARS:
        return True
    stems, suffix_starts = _boundaries(word[:1].upper() + word[1:].lower())
    if stems is None:
        return True
    if len(stems) > 0:
        return all(cut in stems for cut in cuts)
    return not any(cut in suffix_starts for cut in cuts)


@functools.lru_cache(maxsize=_CACHE)
def _boundaries(word: str) -> tuple[frozenset[int] | None, frozenset[int]]:
    """(positions between two stems of a compound, or None when the analysis does not spell the
    word; positions where a suffix begins). A linking element belongs to the stem before it."""
    _, morphemes = word_morphemes(word)
    if "".join(m for m, _, _ in morphemes) != word.lower():
        return None, frozenset()
    ends = list(accumulate(len(m) for m, _, _ in morphemes))
    between: set[int] = set()
    suffixes: set[int] = set()
    for k in range(len(morphemes) - 1):
        following = morphemes[k + 1][1]
        if following.startswith("SUF"):
            suffixes.add(ends[k])
        elif following != "FUGE":
            between.add(ends[k])
    return frozenset(between), frozenset(suffixes)
