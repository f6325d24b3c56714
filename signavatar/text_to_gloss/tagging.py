"""Lemma and part of speech (STTS) for each token, from HanTa's German model.

The model takes about a second to load, so one tagger is created lazily per process and reused;
tagging a sentence then takes about a millisecond.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_MODEL = "morphmodel_ger.pgz"
_tagger: Any = None
# HanTa keeps internal caches; one lock keeps concurrent requests in one process from racing on them.
_lock = threading.Lock()


@dataclass(frozen=True)
class TaggedWord:
    """A token with its lemma and STTS tag ("NN", "VV(FIN)", "PPER", "$." ...).

    index: position in its sentence, 0 for the first token (capitalised "Sie" there is ambiguous).
    """

    surface: str
    lemma: str
    pos: str
    index: int

    @property
    def key(self) -> str:
        """The lemma lower-cased: how vocabularies are keyed."""
        return self.lemma.lower()


def tag_tokens(tokens: Sequence[str]) -> list[TaggedWord]:
    """Tag one sentence's tokens (punctuation included: it helps the tagger)."""
    if not tokens:
        return []
    with _lock:
        tagged = _get_tagger().tag_sent(list(tokens), taglevel=1)
    if len(tagged) != len(tokens):
        raise RuntimeError(f"HanTa returned {len(tagged)} tags for {len(tokens)} tokens: {list(tokens)!r}")
    return [
        TaggedWord(token, lemma, pos, i) for i, (token, (_, lemma, pos)) in enumerate(zip(tokens, tagged))
    ]


def _get_tagger() -> Any:
    """Load HanTa's German model once (called with `_lock` held)."""
    global _tagger
    if _tagger is None:
        from HanTa import HanoverTagger

        _tagger = HanoverTagger.HanoverTagger(_MODEL)
    return _tagger
