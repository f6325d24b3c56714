"""Word alignment of a parallel corpus: fast_align-style IBM Model 1 with a diagonal prior, run
in both directions and symmetrised with grow-diag-final-and (Koehn et al. 2003).

The translation table is a dense (source vocab + NULL, target vocab) float64 matrix: 3k × 1k words
for PHOENIX (25 MB); a corpus with vocabularies a hundred times larger would need a sparse table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.typed import FloatArray

NULL_PROB = 0.08  # fast_align's p0: the share of target words aligned to nothing
TENSION = 4.0  # fast_align's default; chosen over 2 on held-out train slice seed 0 (BENCHMARKS.md 2026-12-07)
Alignment = set[tuple[int, int]]  # (source position, target position)


def align_direction(
    src: Sequence[Sequence[int]], tgt: Sequence[Sequence[int]], n_src: int, n_tgt: int, iterations: int = 5,
    null_prob: float = NULL_PROB, tension: float = TENSION,
) -> list[Alignment]:
    """Viterbi alignments target word -> source word (or none), after EM on t(target | source).

    src/tgt: sentences as vocabulary indices; index n_src is the NULL source word.
    """
    t = np.full((n_src + 1, n_tgt), 1.0 / n_tgt)
    for _ in range(iterations):
        counts = np.zeros_like(t)
        for f, e in zip(src, tgt):
            post = _posteriors(t, f, e, n_src, null_prob, tension)
            np.add.at(counts, (np.append(f, n_src)[:, None], np.asarray(e)[None, :]), post)
        t = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-300)
        t = np.where(t > 0, t, 1e-12)
    result = []
    for f, e in zip(src, tgt):
        post = _posteriors(t, f, e, n_src, null_prob, tension)
        best = post.argmax(axis=0)
        result.append({(int(i), j) for j, i in enumerate(best) if i < len(f)})
    return result


def _prior(m: int, n: int, tension: float) -> FloatArray:
    """(m, n) p(target position j aligns to source position i), each column summing to 1."""
    i = (np.arange(m) + 1.0)[:, None] / m
    j = (np.arange(n) + 1.0)[None, :] / n
    prior = np.exp(-tension * np.abs(i - j))
    out: FloatArray = prior / prior.sum(axis=0, keepdims=True)
    return out


def _posteriors(
    t: FloatArray, f: Sequence[int], e: Sequence[int], null: int, null_prob: float, tension: float,
) -> FloatArray:
    """(len(f) + 1, len(e)) alignment posteriors; the last row is NULL."""
    prior = (1 - null_prob) * _prior(len(f), len(e), tension)
    scores = np.vstack([t[np.asarray(f)][:, e] * prior, null_prob * t[null, e][None, :]])
    out: FloatArray = scores / scores.sum(axis=0, keepdims=True)
    return out


def grow_diag_final_and(forward: Alignment, backward: Alignment) -> Alignment:
    """Symmetrise two alignments of one sentence pair.

    forward and backward are both (source, target) position pairs.
    """
    union = forward | backward
    result = set(forward & backward)
    neighbours = [(-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]
    added = True
    while added:
        added = False
        for i, j in sorted(result):
            for di, dj in neighbours:
                p = (i + di, j + dj)
                if p in union and p not in result and (
                    all(a != p[0] for a, _ in result) or all(b != p[1] for _, b in result)
                ):
                    result.add(p)
                    added = True
    for i, j in sorted(union - result):  # final-and: unaligned on both sides
        if all(a != i for a, _ in result) and all(b != j for _, b in result):
            result.add((i, j))
    return result


def symmetrised_alignments(
    src: Sequence[Sequence[int]], tgt: Sequence[Sequence[int]], n_src: int, n_tgt: int, iterations: int = 5,
    tension: float = TENSION,
) -> list[Alignment]:
    """grow-diag-final-and of source->target and target->source alignments, per sentence pair."""
    s2t = align_direction(src, tgt, n_src, n_tgt, iterations, tension=tension)  # each target word picks a source word
    # Each source word picks a target word: German has many words without a sign (articles,
    # auxiliaries), so NULL gets the share of words the length difference leaves over.
    ratio = sum(map(len, tgt)) / max(1, sum(map(len, src)))
    t2s = align_direction(tgt, src, n_tgt, n_src, iterations,
                          null_prob=min(0.6, max(NULL_PROB, 1 - ratio)), tension=tension)
    return [
        grow_diag_final_and(a, {(i, j) for j, i in b}) for a, b in zip(s2t, t2s)
    ]
