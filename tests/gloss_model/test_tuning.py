"""Tuning the feature weights at training time, on held-out pairs of the given corpus."""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import split  # noqa: E402

from signavatar.gloss_model import GlossModel, Weights, load_model, tokenise_german, train  # noqa: E402
from signavatar.gloss_model.tuning import (  # noqa: E402
    DESIGN_CANDIDATES,
    MIN_PAIRS,
    SELECTION_SIZE,
    Design,
    held_out_split,
    select_design,
    selection_split,
    tune_weights,
)

TRAIN, HELD_OUT = split(240)
PAIRS = [(tokenise_german(d), g.split()) for d, g in TRAIN]
POOR = Weights(lm=0.0, word=-0.5)  # no LM and a cost per gloss: wrong order, words left out


def accuracy(model: GlossModel) -> float:
    return sum(model.translate(de) == gl.split() for de, gl in HELD_OUT) / len(HELD_OUT)


def test_held_out_split_is_deterministic_spread_and_bounded() -> None:
    assert held_out_split(MIN_PAIRS - 1) == []
    assert held_out_split(240) == held_out_split(240) and len(held_out_split(240)) == 20  # at least 20
    assert len(held_out_split(2000)) == 100  # 5 %
    big = held_out_split(7096)
    assert len(big) == 200 and big[0] < 7096 // 100 and big[-1] > 7096 * 99 // 100  # at most 200, spread out
    assert len(held_out_split(MIN_PAIRS)) == MIN_PAIRS // 2


def test_tuning_recovers_from_poor_weights_quickly() -> None:
    untuned = train(PAIRS, weights=POOR)
    started = time.perf_counter()
    messages: list[str] = []
    tuned = train(PAIRS, weights=POOR, tune=True, progress=messages.append)
    assert time.perf_counter() - started < 10
    assert accuracy(untuned) < 0.6 <= 0.9 <= accuracy(tuned)
    assert tuned.weights != POOR and untuned.weights == POOR
    tuning = tuned.meta["tuning"]
    assert tuning["held_out"] == 20 and tuning["bleu_tuned"] > tuning["bleu_start"]
    assert tuned.meta["pairs"] == 240  # the final model is trained on all pairs
    assert any(m.startswith("tuning 9 weights on 20 held-out pairs") for m in messages)


def test_tuning_keeps_good_weights_good() -> None:
    tuned = train(PAIRS, tune=True)
    assert accuracy(tuned) >= accuracy(train(PAIRS)) and tuned.meta["tuning"]["bleu_tuned"] >= 99


def test_untuned_model_has_generic_weights() -> None:
    model = train(PAIRS)
    assert model.weights == Weights() and model.meta["tuning"] is None


def test_too_few_pairs_are_not_tuned() -> None:
    messages: list[str] = []
    model = train(PAIRS[:10], tune=True, progress=messages.append)
    assert model.weights == Weights() and model.meta["tuning"] is None
    assert any("not tuning" in m for m in messages)


def test_coordinate_ascent_finds_a_better_weight() -> None:
    # a stand-in decoder whose output is complete only with a word weight of 2 or more
    pairs = [(["a", "b", "c", "d", "e", "f"][:n], ["a", "b", "c", "d", "e", "f"][:n]) for n in range(4, 7)] * 3

    def translate(words: Sequence[str], weights: Weights) -> list[str]:
        return list(words[: round(len(words) * min(1.0, weights.word / 2))])

    result = tune_weights(translate, pairs, Weights())
    assert result.bleu_start < result.bleu_tuned == pytest.approx(100.0) and result.weights.word >= 2.0
    assert result.weights.lm == Weights().lm  # BLEU does not depend on it here: unchanged


def test_model_files_from_before_tuning_still_load(tmp_path: Path) -> None:
    path = tmp_path / "old.model"
    train(PAIRS).save(path)
    data = json.loads(gzip.decompress(path.read_bytes()))
    del data["meta"]["tuning"]
    data["weights"]["word"] = 1.5  # weights stored in the file are used, whatever they are
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    loaded = load_model(path)
    assert loaded.weights.word == 1.5 and "tuning" not in loaded.meta


def test_selection_split_is_seeded_disjoint_and_complete() -> None:
    fit, held = selection_split(7096)
    assert len(held) == SELECTION_SIZE and len(fit) == 7096 - SELECTION_SIZE
    assert sorted(fit + held) == list(range(7096)) and held == sorted(held)
    assert selection_split(7096) == (fit, held)  # same seed, same slice
    assert selection_split(7096, seed=1)[1] != held  # another seed, another slice
    assert len(selection_split(100)[1]) == 50  # never more than half


def test_select_design_keeps_the_default_on_ties_and_takes_a_strictly_better_one() -> None:
    default, other, third = DESIGN_CANDIDATES[:3]
    chosen, scores = select_design(lambda d: 20.0, [default, other, third])
    assert chosen == default and [v for _, v in scores] == [20.0, 20.0, 20.0]
    chosen, _ = select_design(lambda d: {default: 20.0, other: 20.5, third: 20.1}[d], [default, other, third])
    assert chosen == other
    assert {d.lm_order for d in DESIGN_CANDIDATES} >= {3, 4, 5} and Design() == DESIGN_CANDIDATES[0]


def test_design_settings_reach_the_model() -> None:
    model = train(PAIRS, lm_order=3, max_phrase=4, iterations=3, tension=2.0)
    assert {k: model.meta[k] for k in ("lm_order", "max_phrase", "iterations", "tension")} == {
        "lm_order": 3, "max_phrase": 4, "iterations": 3, "tension": 2.0}
    assert model.lm.order == 3 and max(len(src) for src in model.table) <= 4


def test_average_weights_and_two_tuning_runs() -> None:
    from signavatar.gloss_model.tuning import average_weights

    mean = average_weights([Weights(lm=0.0, word=2.0), Weights(lm=1.0, word=1.0)])
    assert mean.lm == 0.5 and mean.word == 1.5 and mean.phrase == Weights().phrase
    twice = train(PAIRS, weights=POOR, tune=True, tune_runs=2)
    assert twice.meta["tuning"]["runs"] == 2 and twice.meta["tuning"]["held_out"] == 38  # 16 % of 240
    assert accuracy(twice) >= 0.9
