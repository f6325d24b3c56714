"""How far a trained model's translation of one text can be trusted, from the model's phrase table.

The decoder leaves out a word it has never seen (decoder.UNKNOWN_DELETION) without a trace, where
the rules would fingerspell it with a warning: a model that does not know a word that carries
meaning loses that meaning silently. So the confidence of a model for a text is the share of its
*content words* — the words the rules give a sign (the caller passes them) — that the model's
phrase table covers: some German phrase of the table (one to MAX_PHRASE words) spans the word
where it stands in the text. A number counts as covered (the decoder passes numbers through).

For the explanation, every content word also gets the table's best translation of that word
alone and its phrase probability φ(glosses | word) (the model's per-word score; 0 when the table
has no entry for the word alone). The choice between model and rules (translation_choice.py)
compares `ModelConfidence.value` with Settings.model_min_confidence (default 1.0: the model
answers only when it knows every word the rules would sign).

Only public data of a GlossModel is read (its phrase table), so this works with every model file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from signavatar.gloss_model.corpus import tokenise_german
from signavatar.gloss_model.phrases import PhraseTable

MAX_PHRASE = 5  # the longest German phrase train() puts in a table (its max_phrase default)


@dataclass(frozen=True)
class WordSupport:
    """One content word: whether the model covers it, and its best translation alone."""

    word: str  # lower-cased, as the model reads it (tokenise_german)
    covered: bool
    glosses: tuple[str, ...] = ()  # the table's best translation of the word alone; () when none
    probability: float = 0.0  # φ(glosses | word) of that translation


@dataclass(frozen=True)
class ModelConfidence:
    words: tuple[WordSupport, ...]  # the content words, in text order

    @property
    def covered(self) -> int:
        return sum(w.covered for w in self.words)

    @property
    def value(self) -> float:
        """Share of the content words the model covers (0.0 when there are none: nothing to trust)."""
        return self.covered / len(self.words) if self.words else 0.0


def model_confidence(table: PhraseTable, text: str, content_words: Iterable[str]) -> ModelConfidence:
    """The confidence of a model with phrase table `table` for `text`; content_words: the words of
    the text the rules sign, as written (each is tokenised like the model's input)."""
    content = {token for word in content_words for token in tokenise_german(word)}
    tokens = tokenise_german(text)
    covered = [token.isdigit() for token in tokens]
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + MAX_PHRASE) + 1):
            if tuple(tokens[start:end]) in table:
                covered[start:end] = [True] * (end - start)
    return ModelConfidence(tuple(
        _support(table, token, covered[i]) for i, token in enumerate(tokens) if token in content
    ))


def _support(table: PhraseTable, word: str, covered: bool) -> WordSupport:
    options = table.get((word,))
    if not options:
        return WordSupport(word, covered)
    glosses, scores = options[0]  # build_table sorts each phrase's options best first
    return WordSupport(word, covered, glosses, math.exp(scores[0]))
