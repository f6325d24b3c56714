"""Tuning the decoder's feature weights at training time, on the user's own corpus.

`held_out_split` sets aside an evenly spread slice of the training pairs (deterministic, no
randomness); `tune_weights` runs coordinate ascent on corpus BLEU-4 of that slice, decoded with
a small beam: for each weight in turn it steps up while BLEU improves, else down, and repeats
with smaller steps. BLEU is flat between the points where the best hypothesis changes, so a
line search on a grid is as good as anything smoother and needs only the decoder.

The design settings (`Design`: alignment tension, LM order, phrase length, EM iterations) are
chosen one level up, by whoever measures: `selection_split` sets aside a seeded random slice of
the *training* pairs (SELECTION_SIZE of them, seed 0 by default), and `select_design` trains on
the rest with each candidate (weights tuned as above, inside that rest) and keeps the one with the
best BLEU-4 on the slice. The evaluation split (PHOENIX dev) is then decoded once, with the chosen
settings trained on all of train; it never takes part in a choice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, replace

from signavatar.gloss_model.bleu import corpus_bleu
from signavatar.gloss_model.decoder import Weights

Pair = tuple[Sequence[str], Sequence[str]]
Translate = Callable[[Sequence[str], Weights], list[str]]
Progress = Callable[[str], None]

NAMES = ("φ(g|d)", "φ(d|g)", "lex(g|d)", "lex(d|g)", "lm", "word", "phrase_penalty", "distortion", "deletion")
STEPS = (0.5, 0.25, 0.1)  # additive step sizes of the successive rounds
MAX_MOVES = 4  # steps in one direction per weight and round
MIN_PAIRS = 40  # below this, a held-out slice is too small to tune on
SELECTION_SIZE = 500  # train pairs held out to choose the design settings (7 % of PHOENIX train)


@dataclass(frozen=True)
class Design:
    """The training settings that are chosen, not tuned: GlossModel defaults as given here."""

    tension: float = 4.0  # diagonal prior of the alignment (alignment.TENSION)
    lm_order: int = 4
    max_phrase: int = 5
    iterations: int = 10  # EM iterations of the alignment: chosen over 5 on both held-out train slices
    source: str = "surface"  # the German side as written, or "lemma" (lemmas.py)
    align_lemmas: bool = False  # word alignment on lemmas, phrases of the words
    discount: float = 0.5  # absolute discount of phrase pair counts (phrases.build_table): chosen over 0
    tune_pairs: int = 500  # at most this many training pairs held out to tune the weights on,
    tune_fraction: float = 0.08  # and at most this share of them (model.train)

    def label(self) -> str:
        extra = (f", source {self.source}" if self.source != "surface" else "") + (
            ", aligned on lemmas" if self.align_lemmas else "") + (
            f", discount {self.discount:g}") + (
            f", tuned on <= {self.tune_pairs} pairs" if self.tune_pairs != Design.tune_pairs else "")
        return (f"tension {self.tension:g}, LM {self.lm_order}, phrases <= {self.max_phrase}, EM {self.iterations}"
                + extra)


# One setting varied at a time from the defaults (a full grid, 3x3x2x2, is 36 tuned trainings);
# the first five vary each setting once, the next two are the second step of tension and LM order.
# (The 2026-12-07 selection, BENCHMARKS.md, ran around the former default of 5 EM iterations.)
# The last four are the source-side and tuning variants of issue 22.
DESIGN_CANDIDATES = (
    Design(), replace(Design(), tension=2.0), replace(Design(), lm_order=3), replace(Design(), max_phrase=7),
    replace(Design(), iterations=5), replace(Design(), tension=8.0), replace(Design(), lm_order=5),
    replace(Design(), source="lemma"), replace(Design(), align_lemmas=True), replace(Design(), discount=0.0),
    replace(Design(), tune_pairs=1000, tune_fraction=0.16),
)


@dataclass(frozen=True)
class TuningResult:
    """The best weights found, BLEU-4 (0-100) of the held-out slice before and after, and cost."""

    weights: Weights
    bleu_start: float
    bleu_tuned: float
    evaluations: int
    seconds: float


def held_out_split(n: int, fraction: float = 0.05, at_most: int = 200, at_least: int = 20) -> list[int]:
    """Indices (sorted) of the pairs to hold out of n for tuning: `fraction` of them, clamped to
    [at_least, at_most], evenly spread so that no one part of the corpus dominates; [] when n is
    below MIN_PAIRS."""
    if n < MIN_PAIRS:
        return []
    count = min(at_most, max(at_least, round(n * fraction)), n // 2)
    return sorted({int((k + 0.5) * n / count) for k in range(count)})


def selection_split(n: int, size: int = SELECTION_SIZE, seed: int = 0) -> tuple[list[int], list[int]]:
    """(fit, held): indices of n pairs, `held` a seeded random sample of `size` (at most n // 2),
    both sorted; the same n, size and seed always give the same split (Python's random.Random)."""
    held = sorted(random.Random(seed).sample(range(n), min(size, n // 2)))
    chosen = set(held)
    return [i for i in range(n) if i not in chosen], held


def select_design(
    score: Callable[[Design], float], candidates: Sequence[Design] = DESIGN_CANDIDATES,
    progress: Progress | None = None,
) -> tuple[Design, list[tuple[Design, float]]]:
    """The candidate with the highest `score` (BLEU-4 on a selection slice) and every score, in
    order; a later candidate must be strictly better to win, so ties keep the earlier (the default)."""
    say = progress or (lambda _: None)
    scores: list[tuple[Design, float]] = []
    for design in candidates:
        scores.append((design, score(design)))
        say(f"{design.label()}: BLEU-4 {scores[-1][1]:.2f} on the selection slice")
    best = scores[0]
    for design, value in scores[1:]:
        if value > best[1]:
            best = (design, value)
    return best[0], scores


def _weights(x: Sequence[float]) -> Weights:
    return Weights((x[0], x[1], x[2], x[3]), *x[4:])


def _vector(w: Weights) -> list[float]:
    return [*w.phrase, *astuple(w)[1:]]


def average_weights(weights: Sequence[Weights]) -> Weights:
    """The mean of several weight settings, weight by weight."""
    vectors = [_vector(w) for w in weights]
    return _weights([round(sum(column) / len(vectors), 6) for column in zip(*vectors)])


def tune_weights(
    translate: Translate, pairs: Sequence[Pair], start: Weights, progress: Progress | None = None,
) -> TuningResult:
    """Coordinate ascent on BLEU-4 of `translate(german, weights)` against the glosses of `pairs`."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    refs = [list(g) for _, g in pairs]
    cache: dict[tuple[float, ...], float] = {}

    def bleu(x: Sequence[float]) -> float:
        key = tuple(round(v, 6) for v in x)
        if key not in cache:
            weights = _weights(key)
            cache[key] = corpus_bleu([translate(d, weights) for d, _ in pairs], refs).score
        return cache[key]

    x = _vector(start)
    best = first = bleu(x)
    say(f"tuning 9 weights on {len(pairs)} held-out pairs: BLEU-4 {first:.2f} with the start weights")
    for step in STEPS:
        for i in range(len(NAMES)):
            for direction in (step, -step):
                moved = False
                for _ in range(MAX_MOVES):
                    trial = list(x)
                    trial[i] = round(x[i] + direction, 6)
                    score = bleu(trial)
                    if score <= best:
                        break
                    x, best, moved = trial, score, True
                if moved:
                    break  # went up; no need to try down
        shown = " ".join(f"{n}={v:g}" for n, v in zip(NAMES, x))
        say(f"step {step}: BLEU-4 {best:.2f} with {shown} "
            f"({len(cache)} decodes, {time.perf_counter() - started:.0f} s)")
    return TuningResult(_weights(x), first, best, len(cache), time.perf_counter() - started)
