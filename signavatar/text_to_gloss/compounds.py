"""Splitting a German compound the lexicon lacks into parts it has.

German stacks nouns ("Meldebescheinigung", "Anmeldeformular"); a lexicon never lists them all,
but DGS signs the parts ("ANMELDEN BESCHEINIGUNG"). A split is a candidate when every part is a
vocabulary key, allowing the linking elements s/es/n/en/e between parts and verb stems that need
an "n" ("melde" -> "melden"). With one unknown part (at least four letters, the known parts
together at least four) that part is fingerspelled: "Terminvereinbarung" -> TERMIN fs-VEREINBARUNG.

A candidate is only taken when it cuts the word into real words (word_parts.py): every part,
known or unknown, is a German word ("Bundesländern" is not fs-BUNDESL ÄNDERN), no part is a verb
particle or preposition ("Unternehmen" is no UNTER NEHMEN: a prefixed word, not a compound), and
no cut falls where the tagger's analysis of the whole word sees no boundary ("erreich|bar" is a
suffix, not BAR). Candidates are tried best first: every part known, fewer parts, longer known
parts.
"""

from __future__ import annotations

from collections.abc import Mapping

from signavatar.text_to_gloss.word_parts import is_particle, valid_cuts

_LINKS = ("", "s", "es", "n", "en", "e")
_STEM_ENDINGS = ("", "n", "en")
_MIN_PART = 3
_MIN_UNKNOWN = 4
_MAX_CANDIDATES = 64

Split = tuple[tuple[str, str | None], ...]


def split_compound(
    word: str, vocabulary: Mapping[str, str], *, analyse: bool = True
) -> list[tuple[str, str | None]] | None:
    """[(part as written, gloss or None)] for a compound of ≥ 2 parts, or None when none fits.

    Hyphenated words ("Online-Termin", Leichte Sprache "Bürger-Amt") are split at the hyphens
    first. analyse=False (a word the tagger must not see, analysis_budget.py): only splits into
    known parts, none of them a particle, without asking the tagger.
    """
    lower = word.lower()
    if "-" in lower:
        pieces = [p for p in lower.split("-") if p]
        glossed = [(p, _known(p, vocabulary)) for p in pieces]
        if len(pieces) > 1 and all(g for _, g in glossed):
            return glossed
        lower = "".join(pieces)
    if not lower.isalpha() or len(lower) < 2 * _MIN_PART:
        return None
    for candidate in _candidates(lower, vocabulary, analyse):
        if not any(is_particle(part) for part, _ in candidate) and (
            not analyse or valid_cuts(word.replace("-", ""), [part for part, _ in candidate])
        ):
            return list(candidate)
    return None


def _candidates(word: str, vocabulary: Mapping[str, str], analyse: bool) -> list[Split]:
    """Splits into known parts (fewest parts first), then, when analysing, one-unknown splits
    (longest known part first)."""
    known = sorted(_all_known(word, vocabulary), key=len)
    known = [split for split in known if len(split) > 1]
    return known + (_one_unknown(word, vocabulary) if analyse else [])


def _all_known(word: str, vocabulary: Mapping[str, str]) -> list[Split]:
    """Every split of `word` into known parts (with linking elements), at most _MAX_CANDIDATES."""
    ends: dict[int, list[Split]] = {0: [()]}
    for end in range(_MIN_PART, len(word) + 1):
        found: list[Split] = []
        for start in range(0, end - _MIN_PART + 1):  # from the longest last part: fewer parts first
            prefixes = ends.get(start)
            if not prefixes or len(found) >= _MAX_CANDIDATES:
                continue
            gloss = _known_with_link(word[start:end], vocabulary, last=end == len(word))
            if gloss is not None:
                found.extend((*prefix, (word[start:end], gloss)) for prefix in prefixes[:_MAX_CANDIDATES - len(found)])
        if found:
            ends[end] = found
    return ends.get(len(word), [])


def _one_unknown(word: str, vocabulary: Mapping[str, str]) -> list[Split]:
    """Known head + unknown rest, or unknown rest + known tail: the longest known part first."""
    candidates: list[tuple[int, Split]] = []
    for cut in range(_MIN_PART, len(word) - _MIN_UNKNOWN + 1):
        head, rest = word[:cut], word[cut:]
        gloss = _known_with_link(head, vocabulary, last=False)
        if gloss is not None and cut >= _MIN_UNKNOWN:
            candidates.append((cut, ((head, gloss), (rest, None))))
    for cut in range(_MIN_UNKNOWN, len(word) - _MIN_PART + 1):
        rest, tail = word[:cut], word[cut:]
        gloss = _known(tail, vocabulary)
        if gloss is not None and len(tail) >= _MIN_UNKNOWN:
            candidates.append((len(tail), ((rest, None), (tail, gloss))))
    return [split for _, split in sorted(candidates, key=lambda c: -c[0])]


def _known_with_link(part: str, vocabulary: Mapping[str, str], last: bool) -> str | None:
    """The gloss of a part, allowing a linking element at its end unless it is the last part."""
    for link in ("",) if last else _LINKS:
        if link and not part.endswith(link):
            continue
        stem = part[: len(part) - len(link)] if link else part
        if len(stem) >= _MIN_PART:
            gloss = _known(stem, vocabulary)
            if gloss is not None:
                return gloss
    return None


def _known(part: str, vocabulary: Mapping[str, str]) -> str | None:
    """A part's gloss, also as a verb stem ("melde" -> "melden") or a noun in -ung's verb."""
    for ending in _STEM_ENDINGS:
        gloss = vocabulary.get(part + ending)
        if gloss:
            return gloss
    if part.endswith("ung") and len(part) > 6:
        return vocabulary.get(part[:-3] + "en") or vocabulary.get(part[:-3] + "n")
    return None
