"""German words the model has never seen, mapped onto words it has (source normalisation).

Applied when translating, to a word that is not in the training vocabulary (the corpus side is
left as it is):
1. an inflected form of a known word: one or two German endings stripped ("freundlichem" ->
   "freundlich", "kühleren" -> "kühler"), the most frequent known word with that stem wins;
2. a compound of known words (after Koehn & Knight 2003): a split into at most three parts, each
   a known word (the last may be an inflected form, as in 1) of at least MIN_PART letters, with an
   optional linking "s"/"es"/"n"/"en"/"e" between them; the fewest parts win (a known "nordwest"
   is one sign, not NORD WEST), then the highest geometric mean of the parts' training counts
   ("nordwestwind" -> "nordwest" "wind", "sturmtiefs" -> "sturm" "tief").
A word that is neither stays as it is (the decoder drops it). Nothing here is corpus-specific
except the vocabulary counts, which the model file keeps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

ENDINGS = ("ern", "em", "en", "er", "es", "e", "n", "s")  # longest first
LINKS = ("", "s", "es", "n", "en", "e")
MIN_PART = 4  # shorter parts (ab, an, ost...) split too many real words
MIN_STEM = 4


def strip_ending(word: str) -> str:
    """`word` without its longest German ending, keeping at least MIN_STEM letters (else unchanged)."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


class Normaliser:
    """Maps unknown German words onto known ones, from the training vocabulary's word counts."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        stems: dict[str, str] = {}
        for word in sorted(self.counts, key=lambda w: (-self.counts[w], w)):
            for stem in (word, strip_ending(word)):
                stems.setdefault(stem, word)  # most frequent first
        self._stems = stems
        self._cache: dict[str, tuple[str, ...]] = {}

    def known(self, word: str) -> bool:
        return word in self.counts

    def inflected(self, word: str) -> str | None:
        """The known word `word` is an inflected form of, or None."""
        once = strip_ending(word)
        for stem in (once, strip_ending(once)):
            if stem != word and stem in self._stems:
                return self._stems[stem]
        return None

    def _as_part(self, part: str, last: bool) -> str | None:
        if len(part) < MIN_PART:
            return None
        if part in self.counts:
            return part
        return self.inflected(part) if last else None

    def compound(self, word: str, parts_left: int = 3) -> tuple[str, ...] | None:
        """The best split of `word` into known words (see the module text), or None."""
        best: tuple[int, float, tuple[str, ...]] | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[:cut]
            if head not in self.counts:
                continue
            for link in LINKS:
                if not word.startswith(link, cut):
                    continue
                rest = word[cut + len(link):]
                tails: list[tuple[str, ...]] = []
                whole = self._as_part(rest, last=True)
                if whole is not None:
                    tails.append((whole,))
                if parts_left > 2:
                    inner = self.compound(rest, parts_left - 1)
                    if inner is not None:
                        tails.append(inner)
                for tail in tails:
                    parts = (head, *tail)
                    mean = math.fsum(math.log(self.counts[p]) for p in parts) / len(parts)
                    if best is None or (-len(parts), mean) > best[:2]:
                        best = (-len(parts), mean, parts)
        return None if best is None else best[2]

    def word(self, word: str) -> tuple[str, ...]:
        """`word` itself when known or a number; else its known form or compound parts; else itself."""
        if word in self.counts or word.isdigit():
            return (word,)
        cached = self._cache.get(word)
        if cached is None:
            form = self.inflected(word)
            cached = (form,) if form is not None else (self.compound(word) or (word,))
            self._cache[word] = cached
        return cached

    def words(self, words: Sequence[str]) -> list[str]:
        return [w for word in words for w in self.word(word)]
