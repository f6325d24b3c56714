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


@dataclass
class LanguageModel:
    order: int
    vocab_size: int
    alpha: dict[str, float]
    gamma: dict[str, float]
    _cache: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False, compare=False)

    def logprob(self, context: Sequence[str], word: str) -> float:
        """Natural log of p(word | the last order-1 words of context)."""
        key = (*context[-(self.order - 1):], word) if self.order > 1 else (word,)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = math.log(self._prob(key))
        return cached

    def _prob(self, ngram: tuple[str, ...]) -> float:
        p = 1.0 / (self.vocab_size + 1)
        for k in range(len(ngram) - 1, -1, -1):  # unigram up to the full n-gram
            gram, ctx = " ".join(ngram[k:]), " ".join(ngram[k:-1])
            p = self.alpha.get(gram, 0.0) + self.gamma.get(ctx, 1.0) * p
        return p

    def state(self, context: Sequence[str]) -> tuple[str, ...]:
        return tuple(context[-(self.order - 1):]) if self.order > 1 else ()


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
