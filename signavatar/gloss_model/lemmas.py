"""The German side as lemmas (simplemma, German dictionary), one of the model's source forms.

A "lemma" model is trained on and translates the lemmas of the German words ("regnet" ->
"regnen", "kräftigen" -> "kräftig"): glosses are base forms too, so inflection mostly only splits
the counts of one word into several.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

SOURCES = ("surface", "lemma")


@functools.lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lower-cased simplemma lemma of a lower-cased German word (numbers unchanged)."""
    if word.isdigit():
        return word
    import simplemma

    return str(simplemma.lemmatize(word, lang="de")).lower() or word


def source_words(words: Sequence[str], source: str) -> list[str]:
    """`words` in the model's source form (SOURCES)."""
    return [lemma(w) for w in words] if source == "lemma" else list(words)
