"""Splitting a German compound the lexicon lacks into parts it has.

German stacks nouns ("Meldebescheinigung", "Anmeldeformular"); a lexicon never lists them all,
but DGS signs the parts ("ANMELDEN BESCHEINIGUNG"). A split is accepted when every part is a
vocabulary key, allowing the linking elements s/es/n/en/e between parts and verb stems that need
an "n" ("melde" -> "melden"). With one unknown part (at least four letters, the known parts
together at least four) that part is fingerspelled: "Terminvereinbarung" -> TERMIN fs-VEREINBARUNG.
"""

from __future__ import annotations

from collections.abc import Mapping

_LINKS = ("", "s", "es", "n", "en", "e")
_STEM_ENDINGS = ("", "n", "en")
_MIN_PART = 3
_MIN_UNKNOWN = 4


def split_compound(word: str, vocabulary: Mapping[str, str]) -> list[tuple[str, str | None]] | None:
    """[(part as written, gloss or None)] for a compound of ≥ 2 parts, or None when none fits.

    Prefers splits with every part known, then fewer parts. Hyphenated words ("Online-Termin",
    Leichte Sprache "Bürger-Amt") are split at the hyphens first.
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
    best = _best_split(lower, vocabulary)
    return list(best) if best else None


def _best_split(word: str, vocabulary: Mapping[str, str]) -> tuple[tuple[str, str | None], ...] | None:
    full = _all_known(word, vocabulary)
    if full is not None and len(full) > 1:
        return tuple(full)
    return _one_unknown(word, vocabulary)


def _all_known(word: str, vocabulary: Mapping[str, str]) -> list[tuple[str, str | None]] | None:
    """Fewest-part split of `word` into known parts (with linking elements), or None."""
    best: list[list[tuple[str, str | None]] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(_MIN_PART, len(word) + 1):
        for start in range(0, end - _MIN_PART + 1):
            prefix = best[start]
            if prefix is None:
                continue
            gloss = _known_with_link(word[start:end], vocabulary, last=end == len(word))
            if gloss is None:
                continue
            candidate = [*prefix, (word[start:end], gloss)]
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[len(word)]


def _one_unknown(word: str, vocabulary: Mapping[str, str]) -> tuple[tuple[str, str | None], ...] | None:
    """Known head + unknown rest, or unknown rest + known tail: the longest known part wins."""
    candidates: list[tuple[int, tuple[tuple[str, str | None], ...]]] = []
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
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


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
