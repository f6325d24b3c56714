"""Corpus BLEU-4 (Papineni et al. 2002) on token lists, one reference per sentence.

Used to tune the decoder's feature weights at training time, so training needs no scorer from
outside. Matches sacrebleu's `corpus_bleu(..., tokenize="none")` with its default (no) smoothing:
clipped n-gram matches and totals summed over the corpus, geometric mean of the four precisions,
brevity penalty exp(1 - r/c) when the output is shorter than the references.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MAX_ORDER = 4


@dataclass(frozen=True)
class Bleu:
    """score and precisions in percent (0-100); lengths in tokens, summed over the corpus."""

    score: float
    precisions: tuple[float, ...]
    brevity_penalty: float
    hyp_len: int
    ref_len: int

    def __str__(self) -> str:
        precisions = "/".join(f"{p:.1f}" for p in self.precisions)
        return f"BLEU-4 {self.score:.2f} ({precisions}, BP {self.brevity_penalty:.3f}, {self.hyp_len}/{self.ref_len})"


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> Bleu:
    """BLEU-4 of tokenised hypotheses against one tokenised reference each (same order)."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    matches = [0] * MAX_ORDER
    totals = [0] * MAX_ORDER
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        hyp_len += len(hyp)
        ref_len += len(ref)
        for n in range(1, MAX_ORDER + 1):
            h, r = _ngrams(hyp, n), _ngrams(ref, n)
            matches[n - 1] += sum(min(c, r[g]) for g, c in h.items())
            totals[n - 1] += max(len(hyp) - n + 1, 0)
    precisions = tuple(100.0 * m / t if t else 0.0 for m, t in zip(matches, totals))
    if hyp_len == 0:
        brevity = 0.0
    elif hyp_len < ref_len:
        brevity = math.exp(1.0 - ref_len / hyp_len)
    else:
        brevity = 1.0
    if min(matches) == 0:
        score = 0.0
    else:
        score = brevity * math.exp(sum(math.log(p) for p in precisions) / MAX_ORDER)
    return Bleu(score, precisions, brevity, hyp_len, ref_len)
