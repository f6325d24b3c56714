"""An n-gram language model of gloss sequences: interpolated Kneser-Ney, one fixed discount.

p(w | h) = max(c(h w) - D, 0) / c(h) + γ(h) p(w | h'),  γ(h) = D · N1+(h ·) / c(h)
with continuation counts in the lower orders and a uniform floor below unigrams. Stored as the
two tables `alpha` (n-gram -> first term) and `gamma` (context -> back-off mass), keyed by
space-joined strings so they save as JSON.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

BOS, EOS = "<s>", "</s>"
DISCOUNT = 0.75
CACHE_LIMIT = 2_000_000  # cached phrase scores kept before the cache starts again


@dataclass
class LanguageModel:
    order: int
    vocab_size: int
    alpha: dict[str, float]
    gamma: dict[str, float]
    _alpha: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False, compare=False)
    _gamma: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False, compare=False)
    _cache: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False, compare=False)
    # for the decoder: LM states and gloss phrases numbered, and the scores of phrases after states
    _state_ids: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False, compare=False)
    _states: list[tuple[str, ...]] = field(default_factory=list, repr=False, compare=False)
    _phrase_ids: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False, compare=False)
    extensions: dict[tuple[int, int], tuple[float, int]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._alpha = {tuple(k.split(" ")) if k else (): v for k, v in self.alpha.items()}
        self._gamma = {tuple(k.split(" ")) if k else (): v for k, v in self.gamma.items()}

    def logprob(self, context: Sequence[str], word: str) -> float:
        """Natural log of p(word | the last order-1 words of context)."""
        key = (*context[-(self.order - 1):], word) if self.order > 1 else (word,)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[key] = math.log(self._prob(key))
        return cached

    def _prob(self, ngram: tuple[str, ...]) -> float:
        p = 1.0 / (self.vocab_size + 1)
        alpha, gamma = self._alpha, self._gamma
        for k in range(len(ngram) - 1, -1, -1):  # unigram up to the full n-gram
            p = alpha.get(ngram[k:], 0.0) + gamma.get(ngram[k:-1], 1.0) * p
        return p

    def state_id(self, state: tuple[str, ...]) -> int:
        """The number of an LM state (see `state`), for the decoder."""
        sid = self._state_ids.get(state)
        if sid is None:
            sid = self._state_ids[state] = len(self._states)
            self._states.append(state)
        return sid

    def phrase_id(self, words: tuple[str, ...]) -> int:
        """The number of a gloss phrase, for the decoder."""
        pid = self._phrase_ids.get(words)
        if pid is None:
            pid = self._phrase_ids[words] = len(self._phrase_ids)
        return pid

    def extend(self, sid: int, pid: int, words: tuple[str, ...]) -> tuple[float, int]:
        """(log p(words | state number sid), the state number after them); `words` is the phrase
        numbered pid. Kept in `extensions`, which the decoder reads first: it asks the same often."""
        state, total = self._states[sid], 0.0
        for w in words:
            total += self.logprob(state, w)
            state = self.state((*state, w))
        if len(self.extensions) > CACHE_LIMIT:
            self.extensions.clear()
        result = self.extensions[sid, pid] = (total, self.state_id(state))
        return result

    def end(self, sid: int) -> float:
        """log p(end of sentence | state number sid)."""
        return self.logprob(self._states[sid], EOS)

    def state(self, context: Sequence[str]) -> tuple[str, ...]:
        """The LM state after `context`: its last order-1 words, shortened to the longest ending the
        model has seen as a context (the rest cannot change a probability, so more hypotheses
        recombine: "state minimisation" as in KenLM)."""
        state = tuple(context[-(self.order - 1):]) if self.order > 1 else ()
        while state and state not in self._gamma:
            state = state[1:]
        return state


def train_language_model(sentences: Sequence[Sequence[str]], order: int = 4) -> LanguageModel:
    counts: list[Counter[tuple[str, ...]]] = [Counter() for _ in range(order + 1)]
    for sentence in sentences:
        words = [BOS] * (order - 1) + list(sentence) + [EOS]
        for n in range(1, order + 1):
            for i in range(max(0, order - 1 - (n - 1)), len(words) - n + 1):
                counts[n][tuple(words[i : i + n])] += 1
    # lower orders count the distinct words before (Kneser-Ney continuation counts)
    effective: list[Counter[tuple[str, ...]]] = [Counter() for _ in range(order + 1)]
    effective[order] = counts[order]
    for n in range(1, order):
        for gram in counts[n + 1]:
            effective[n][gram[1:]] += 1
    alpha: dict[str, float] = {}
    gamma: dict[str, float] = {}
    for n in range(1, order + 1):
        ctx_total: Counter[tuple[str, ...]] = Counter()
        ctx_types: Counter[tuple[str, ...]] = Counter()
        for gram, c in effective[n].items():
            ctx_total[gram[:-1]] += c
            ctx_types[gram[:-1]] += 1
        for gram, c in effective[n].items():
            alpha[" ".join(gram)] = max(c - DISCOUNT, 0.0) / ctx_total[gram[:-1]]
        for ctx, total in ctx_total.items():
            gamma[" ".join(ctx)] = DISCOUNT * ctx_types[ctx] / total
    vocab = {w for s in sentences for w in s} | {EOS}
    return LanguageModel(order, len(vocab), alpha, gamma)
