"""Our corpus BLEU-4 against sacrebleu (a dev dependency) and on hand-checked cases."""

from __future__ import annotations

import math
import random

import pytest

from signavatar.gloss_model.bleu import corpus_bleu


def test_identical_output_scores_100() -> None:
    refs = [["MORGEN", "REGEN", "NORD"], ["HEUTE", "SONNE", "VIEL", "SUED", "WARM"]]
    result = corpus_bleu(refs, refs)
    assert result.score == pytest.approx(100.0) and result.brevity_penalty == 1.0


def test_hand_computed_case() -> None:
    hyp, ref = ["A", "B", "C", "D", "X"], ["A", "B", "C", "D", "E", "F"]
    result = corpus_bleu([hyp], [ref])
    # 4/5, 3/4, 2/3, 1/2 of the n-grams match; the output is one token short
    expected = math.exp(1 - 6 / 5) * (4 / 5 * 3 / 4 * 2 / 3 * 1 / 2) ** 0.25 * 100
    assert result.score == pytest.approx(expected)
    assert result.precisions == pytest.approx((80.0, 75.0, 200 / 3, 50.0))


def test_no_four_gram_match_or_no_output_scores_zero() -> None:
    assert corpus_bleu([["A", "B", "C"]], [["A", "B", "C"]]).score == 0.0  # no 4-grams at all
    empty = corpus_bleu([[]], [["A"]])
    assert empty.score == 0.0 and empty.brevity_penalty == 0.0 and empty.hyp_len == 0


def test_counts_are_clipped() -> None:
    assert corpus_bleu([["A"] * 4], [["A", "B", "C", "D"]]).precisions[0] == pytest.approx(25.0)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        corpus_bleu([["A"], ["B"]], [["A"]])


def test_matches_sacrebleu() -> None:
    sacrebleu = pytest.importorskip("sacrebleu")
    rng = random.Random(4)
    vocab = ["REGEN", "SONNE", "NORD", "SUED", "MORGEN", "HEUTE", "VIEL", "WIND", "KALT", "GRAD"]
    for _ in range(5):
        refs = [rng.choices(vocab, k=rng.randint(1, 12)) for _ in range(60)]
        hyps = [[w for w in ref if rng.random() < 0.8] + rng.choices(vocab, k=rng.randint(0, 3)) for ref in refs]
        ours = corpus_bleu(hyps, refs)
        theirs = sacrebleu.corpus_bleu([" ".join(h) for h in hyps], [[" ".join(r) for r in refs]], tokenize="none")
        assert ours.score == pytest.approx(theirs.score, abs=1e-9)
        assert ours.precisions == pytest.approx(tuple(theirs.precisions), abs=1e-9)
        assert ours.brevity_penalty == pytest.approx(theirs.bp, abs=1e-9)
