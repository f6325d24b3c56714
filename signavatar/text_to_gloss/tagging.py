"""Lemma and part of speech (STTS) for each token, from HanTa's German model.

The model takes about a second to load, so one tagger is created lazily per process and reused;
tagging a sentence then takes about a millisecond. Tokens the caller marks as not to analyse
(analysis_budget.py: far too long, or over the text's budget) never reach HanTa: its analysis of a
word grows with the square of the word's length, and it runs under one process-wide lock.
"""

from __future__ import annotations

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
            tagged = _get_tagger().tag_sent(analysed, taglevel=1)
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
