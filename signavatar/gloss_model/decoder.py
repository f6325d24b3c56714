"""Phrase-based beam search (Koehn 2004, "Pharaoh" style): hypotheses in stacks by the number of
covered German words, recombined on (coverage, last position, LM state), pruned to `beam` per
stack, with a future-cost estimate per uncovered span and a distortion limit for reordering.

Features (log scores, weighted sum): the four phrase scores, the gloss LM, word and phrase
penalties, distortion (jump length), and deletion of a German word with no sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from signavatar.gloss_model.language_model import EOS, LanguageModel
from signavatar.gloss_model.phrases import Phrase, PhraseTable

UNKNOWN_DELETION = -8.0  # log score of dropping a word never seen in training
NUMBER_BONUS = 5.0  # a number in the text is signed, although the gloss LM has never seen it


@dataclass(frozen=True)
class Weights:
    """Feature weights. The defaults are generic and set by hand, from no corpus: the four phrase
    scores shared equally, the LM at half weight as in common SMT set-ups, a mild bonus per gloss
    against the LM's bias for short output, a mild cost per phrase and per word jumped, and the
    deletion score at face value. `train(..., tune=True)` replaces them with weights tuned on
    held-out pairs of the training corpus (tuning.py)."""

    phrase: tuple[float, float, float, float] = (0.25, 0.25, 0.25, 0.25)  # φ(g|d), φ(d|g), lex(g|d), lex(d|g)
    lm: float = 0.5
    word: float = 1.0  # per gloss produced; positive favours longer output
    phrase_penalty: float = 0.5  # added per phrase used
    distortion: float = -0.5  # per word jumped
    deletion: float = 1.0


@dataclass
class _Hyp:
    score: float
    coverage: int
    last: int  # end (exclusive) of the last translated span
    state: tuple[str, ...]
    output: Phrase
    back: _Hyp | None


def decode(
    words: Sequence[str], table: PhraseTable, deletion: dict[str, float], lm: LanguageModel, weights: Weights,
    beam: int = 40, max_len: int = 5, distortion_limit: int = 4, options: int = 10,
) -> list[str]:
    """The best gloss sequence for the German `words` (lower-cased tokens)."""
    n = len(words)
    if n == 0:
        return []
    spans = _options(words, table, deletion, weights, max_len, options)
    future = _future_costs(n, spans, lm, weights)
    stacks: list[dict[tuple[int, int, tuple[str, ...]], _Hyp]] = [{} for _ in range(n + 1)]
    start = _Hyp(0.0, 0, 0, lm.state(["<s>"] * (lm.order - 1)), (), None)
    stacks[0][(0, 0, start.state)] = start
    full = (1 << n) - 1
    for covered in range(n):
        ranked = sorted(stacks[covered].values(), key=lambda h: -(h.score + _future(h.coverage, n, future)))
        for hyp in ranked[:beam]:
            first_gap = next(i for i in range(n) if not hyp.coverage >> i & 1)
            for (s, e), opts in spans.items():
                if s - first_gap >= distortion_limit or abs(s - hyp.last) > distortion_limit:
                    continue
                mask = ((1 << (e - s)) - 1) << s
                if hyp.coverage & mask:
                    continue
                jump = weights.distortion * abs(s - hyp.last)
                for tgt, tm_score in opts:
                    state, lm_score = hyp.state, 0.0
                    for g in tgt:
                        lm_score += lm.logprob(state, g)
                        state = lm.state((*state, g))
                    coverage = hyp.coverage | mask
                    score = hyp.score + tm_score + weights.lm * lm_score + jump
                    if coverage == full:
                        score += weights.lm * lm.logprob(state, EOS)
                    key = (coverage, e, state)
                    stack = stacks[covered + e - s]
                    if key not in stack or stack[key].score < score:
                        stack[key] = _Hyp(score, coverage, e, state, tgt, hyp)
    best = max(stacks[n].values(), key=lambda h: h.score, default=None)
    out: list[str] = []
    while best is not None:
        out[:0] = best.output
        best = best.back
    return out


def _options(
    words: Sequence[str], table: PhraseTable, deletion: dict[str, float], weights: Weights, max_len: int, keep: int,
) -> dict[tuple[int, int], list[tuple[Phrase, float]]]:
    """Per source span, its translations with their weighted phrase-model score (no LM)."""
    spans: dict[tuple[int, int], list[tuple[Phrase, float]]] = {}
    for s in range(len(words)):
        for e in range(s + 1, min(len(words), s + max_len) + 1):
            entries = table.get(tuple(words[s:e]), [])
            scored = [
                (
                    tgt,
                    sum(w * x for w, x in zip(weights.phrase, feats)) + weights.word * len(tgt)
                    + weights.phrase_penalty,
                )
                for tgt, feats in entries[:keep]
            ]
            if e == s + 1:
                w = words[s]
                if w.isdigit():  # numbers pass through as number glosses
                    scored.append(((w,), NUMBER_BONUS + weights.word + weights.phrase_penalty))
                scored.append(((), weights.deletion * deletion.get(w, UNKNOWN_DELETION)))
            if scored:
                spans[(s, e)] = scored
    return spans


def _future_costs(
    n: int, spans: dict[tuple[int, int], list[tuple[Phrase, float]]], lm: LanguageModel, weights: Weights,
) -> list[list[float]]:
    """best[s][e]: an optimistic score for translating words s..e-1 on their own (LM without context)."""
    best = [[-1e9] * (n + 1) for _ in range(n + 1)]
    for (s, e), opts in spans.items():
        for tgt, score in opts:
            lm_score = sum(lm.logprob(tgt[:i], g) for i, g in enumerate(tgt))
            best[s][e] = max(best[s][e], score + weights.lm * lm_score)
    for length in range(2, n + 1):
        for s in range(n - length + 1):
            e = s + length
            for mid in range(s + 1, e):
                best[s][e] = max(best[s][e], best[s][mid] + best[mid][e])
    return best


def _future(coverage: int, n: int, best: list[list[float]]) -> float:
    total, i = 0.0, 0
    while i < n:
        if coverage >> i & 1:
            i += 1
            continue
        j = i
        while j < n and not coverage >> j & 1:
            j += 1
        total += best[i][j]
        i = j
    return total
