"""Phrase-based beam search (Koehn 2004, "Pharaoh" style): hypotheses in stacks by the number of
covered German words, recombined on (coverage, last position, LM state), pruned to `beam` per
stack, with a future-cost estimate per uncovered span and a distortion limit for reordering.

Features (log scores, weighted sum): the four phrase scores, the gloss LM, word and phrase
penalties, distortion (jump length), and deletion of a German word with no sign.

Speed (one process, PHOENIX-sized models): hypotheses are plain tuples; a phrase's LM score from
a given LM state is computed once per model (`LanguageModel.extend`), the future cost once per
coverage, and only the spans that start within the distortion limit are visited.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from signavatar.gloss_model.language_model import LanguageModel
from signavatar.gloss_model.phrases import Phrase, PhraseTable

UNKNOWN_DELETION = -8.0  # log score of dropping a word never seen in training
NUMBER_BONUS = 5.0  # a number in the text is signed, although the gloss LM has never seen it
THRESHOLD = 3.0  # a hypothesis scoring this much below the best of its stack (score + future) is not kept:
# on a held-out train slice the same BLEU-4 as none (or 2, 5), about 2x faster
BEAM = 10  # hypotheses kept per stack: BLEU-4 flat from 5 to 40 on a held-out train slice (21.1-21.2)


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


@dataclass(frozen=True)
class Step:
    """One phrase of a translation: German words start..end-1 -> `glosses` (empty: dropped).
    `logprob`: log φ(glosses | german) from the phrase table, the deletion log score of a dropped
    word, 0 for a number passed through, None for a word never seen in training."""

    start: int
    end: int
    glosses: Phrase
    logprob: float | None


@dataclass(frozen=True)
class Translation:
    """The best path through the search and its model score (weighted log score, LM included)."""

    steps: tuple[Step, ...]
    score: float

    @property
    def glosses(self) -> list[str]:
        return [g for step in self.steps for g in step.glosses]


Option = tuple[Phrase, float, float | None, int]  # glosses, weighted phrase-model score, Step.logprob, LM phrase id
# a hypothesis: (score + future, score, coverage, end of its last span, LM state number, Step fields, previous)
_Hyp = tuple[float, float, int, int, int, tuple[int, int, Phrase, float | None] | None, Any]


def decode(
    words: Sequence[str], table: PhraseTable, deletion: dict[str, float], lm: LanguageModel, weights: Weights,
    beam: int = BEAM, max_len: int = 5, distortion_limit: int = 4, options: int = 10, threshold: float = THRESHOLD,
) -> list[str]:
    """The best gloss sequence for the German `words` (lower-cased tokens)."""
    return search(words, table, deletion, lm, weights, beam, max_len, distortion_limit, options, threshold).glosses


def search(
    words: Sequence[str], table: PhraseTable, deletion: dict[str, float], lm: LanguageModel, weights: Weights,
    beam: int = BEAM, max_len: int = 5, distortion_limit: int = 4, options: int = 10, threshold: float = THRESHOLD,
) -> Translation:
    """The best translation of the German `words`, with the phrases it is made of, in gloss order."""
    n = len(words)
    if n == 0:
        return Translation((), 0.0)
    spans = _options(words, table, deletion, weights, max_len, options, lm)
    best_span = _future_costs(n, spans, lm, weights)
    by_start: list[list[tuple[int, int, list[Option]]]] = [[] for _ in range(n)]
    for (s, e), opts in sorted(spans.items()):
        by_start[s].append((e, ((1 << (e - s)) - 1) << s, opts))
    future_of: dict[int, float] = {}

    def future(coverage: int) -> float:
        value = future_of.get(coverage)
        if value is None:
            value = future_of[coverage] = _future(coverage, n, best_span)
        return value

    w_lm, w_jump, full = weights.lm, weights.distortion, (1 << n) - 1
    extend, end, extensions = lm.extend, lm.end, lm.extensions
    start_state = lm.state_id(lm.state(["<s>"] * (lm.order - 1)))
    stacks: list[dict[tuple[int, int, int], _Hyp]] = [{} for _ in range(n + 1)]
    stacks[0][(0, 0, start_state)] = (future(0), 0.0, 0, 0, start_state, None, None)
    floors = [-math.inf] * (n + 1)  # per stack: its best score + future so far, less `threshold`
    for covered in range(n):
        for hyp in heapq.nlargest(beam, stacks[covered].values(), key=itemgetter(0)):
            _, score, coverage, last, state, _, _ = hyp
            first_gap = ((coverage + 1) & ~coverage).bit_length() - 1
            for s in range(max(first_gap, last - distortion_limit),
                           min(n - 1, first_gap + distortion_limit - 1, last + distortion_limit) + 1):
                base = score + w_jump * abs(s - last)
                for e, mask, opts in by_start[s]:
                    if coverage & mask:
                        break  # the longer spans from s overlap too
                    new_coverage = coverage | mask
                    rest = future(new_coverage)
                    target = covered + e - s
                    stack = stacks[target]
                    for tgt, tm, logprob, pid in opts:
                        known = extensions.get((state, pid))
                        lm_score, new_state = extend(state, pid, tgt) if known is None else known
                        new_score = base + tm + w_lm * lm_score
                        if new_coverage == full:
                            new_score += w_lm * end(new_state)
                        estimate = new_score + rest
                        if estimate < floors[target]:
                            continue
                        if estimate - threshold > floors[target]:
                            floors[target] = estimate - threshold
                        key = (new_coverage, e, new_state)
                        old = stack.get(key)
                        if old is None or old[1] < new_score:
                            stack[key] = (estimate, new_score, new_coverage, e, new_state, (s, e, tgt, logprob), hyp)
    # every hypothesis can end in a corner the distortion limit allows no way out of (rare, with a
    # small beam): then the fullest partial translation is the answer, its other words dropped
    best = max(next(stack for stack in reversed(stacks) if stack).values(), key=itemgetter(1))
    steps: list[Step] = []
    node: _Hyp | None = best
    while node is not None and node[5] is not None:
        steps.append(Step(*node[5]))
        node = node[6]
    return Translation(tuple(reversed(steps)), best[1])


def _options(
    words: Sequence[str], table: PhraseTable, deletion: dict[str, float], weights: Weights, max_len: int, keep: int,
    lm: LanguageModel,
) -> dict[tuple[int, int], list[Option]]:
    """Per source span, its translations with their weighted phrase-model score (no LM) and Step.logprob."""
    spans: dict[tuple[int, int], list[Option]] = {}
    for s in range(len(words)):
        for e in range(s + 1, min(len(words), s + max_len) + 1):
            entries = table.get(tuple(words[s:e]), [])
            scored: list[Option] = [
                (
                    tgt,
                    sum(w * x for w, x in zip(weights.phrase, feats)) + weights.word * len(tgt)
                    + weights.phrase_penalty,
                    feats[0],
                    lm.phrase_id(tgt),
                )
                for tgt, feats in entries[:keep]
            ]
            if e == s + 1:
                w = words[s]
                if w.isdigit():  # numbers pass through as number glosses
                    scored.append(((w,), NUMBER_BONUS + weights.word + weights.phrase_penalty, 0.0, lm.phrase_id((w,))))
                dropped = deletion.get(w)
                drop_score = weights.deletion * (UNKNOWN_DELETION if dropped is None else dropped)
                scored.append(((), drop_score, dropped, lm.phrase_id(())))
            if scored:
                spans[(s, e)] = scored
    return spans


def _future_costs(
    n: int, spans: dict[tuple[int, int], list[Option]], lm: LanguageModel, weights: Weights,
) -> list[list[float]]:
    """best[s][e]: an optimistic score for translating words s..e-1 on their own (LM without context)."""
    best = [[-1e9] * (n + 1) for _ in range(n + 1)]
    for (s, e), opts in spans.items():
        for tgt, score, _, _ in opts:
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
