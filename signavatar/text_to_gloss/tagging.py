"""Lemma and part of speech (STTS) for each token, from HanTa's German model.

The model takes about a second to load, so one tagger is created lazily per process and reused;
tagging a sentence then takes about a millisecond. Tokens the caller marks as not to analyse
(analysis_budget.py: far too long, or over the text's budget) never reach HanTa: its analysis of a
word grows with the square of the word's length, and it runs under one process-wide lock.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

_MODEL = "morphmodel_ger.pgz"
_tagger: Any = None
# HanTa keeps internal caches; one lock keeps concurrent requests in one process from racing on them.
_lock = threading.Lock()
#: the STTS tag of a token the tagger did not analyse: "non-word" (HanTa's own tag for nonsense)
UNANALYSED_POS = "XY"


@dataclass(frozen=True)
class TaggedWord:
    """A token with its lemma and STTS tag ("NN", "VV(FIN)", "PPER", "$." ...).

    index: position in its sentence, 0 for the first token (capitalised "Sie" there is ambiguous).
    analysed: False for a token the tagger did not see (UNANALYSED_POS, the lemma is the surface).
    """

    surface: str
    lemma: str
    pos: str
    index: int
    analysed: bool = True

    @property
    def key(self) -> str:
        """The lemma lower-cased: how vocabularies are keyed."""
        return self.lemma.lower()


def tag_tokens(tokens: Sequence[str], skip: Collection[int] = ()) -> list[TaggedWord]:
    """Tag one sentence's tokens (punctuation included: it helps the tagger).

    skip: positions of tokens HanTa must not see; they come back with pos UNANALYSED_POS, their
    surface as lemma and analysed=False (the others are tagged as a sentence without them).
    """
    if not tokens:
        return []
    analysed = [token for i, token in enumerate(tokens) if i not in skip]
    tagged: list[Any] = []
    if analysed:
        with _lock:
            tagged = _tag_sentence(_get_tagger(), analysed)
    if len(tagged) != len(analysed):
        raise RuntimeError(f"HanTa returned {len(tagged)} tags for {len(analysed)} tokens: {analysed!r}")
    tags = iter(tagged)
    words = []
    for i, token in enumerate(tokens):
        if i in skip:
            words.append(TaggedWord(token, token, UNANALYSED_POS, i, analysed=False))
        else:
            _, lemma, pos = next(tags)
            words.append(TaggedWord(token, lemma, pos, i))
    return words


#: lemmas kept per (word, tag): the same word with the same tag always gets the same lemma, and
#: working it out (HanTa's morpheme Viterbi) was 40 % of a translation's time, repeated for every
#: "Sie", "der" and "Termin" of every request. Bounded, so a stream of new words cannot grow it.
LEMMA_CACHE_SIZE = 65_536


def _tag_sentence(tagger: Any, tokens: list[str]) -> list[tuple[str, str, str]]:
    """HanTa's `tag_sent(tokens, taglevel=1)` (same output), with the lemma of each (word, tag)
    cached: the tags come from the sentence's Viterbi, the lemmas from `_lemma`."""
    tags = tagger.tag_sent_viterbi(tokens, True)
    return [(token, _lemma(token, tag), tagger.int2tag[tag]) for token, tag in zip(tokens, tags)]


@functools.lru_cache(maxsize=LEMMA_CACHE_SIZE)
def _lemma(word: str, tag: int) -> str:
    """HanTa's lemma of `word` read as tag number `tag` (called with `_lock` held)."""
    return str(_get_tagger()._analyze(word, tag, taglevel=1)[0])


def _get_tagger() -> Any:
    """Load HanTa's German model once (called with `_lock` held)."""
    global _tagger
    if _tagger is None:
        from HanTa import HanoverTagger

        _tagger = HanoverTagger.HanoverTagger(_MODEL)
    return _tagger


def word_morphemes(word: str) -> tuple[str, tuple[tuple[str, str, bool], ...]]:
    """HanTa's analysis of one word on its own: (part of speech, ((morpheme, tag, known), ...)).

    known: the model has seen the morpheme with that tag; an unknown one is HanTa's guess (a
    non-word such as "bundesl" is one unknown morpheme). Morphemes are lower case; tags are
    HanTa's ("NN", "VV", "FUGE" for a linking element, "SUF_..." for suffixes).
    """
    with _lock:
        tagger = _get_tagger()
        _, morphemes, pos = tagger.analyze(word, taglevel=3)
        seen = tagger.LP_m_t
        return pos, tuple((m, tag, m in seen.get(tagger.tag2int.get(tag, -1), {})) for m, tag in morphemes)
