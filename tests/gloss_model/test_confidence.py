"""gloss_model/confidence.py on a real model trained from the synthetic corpus: the share of the
content words the phrase table covers, and each word's best translation alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import split  # noqa: E402

from signavatar.gloss_model import GlossModel, train  # noqa: E402
from signavatar.gloss_model.confidence import model_confidence  # noqa: E402
from signavatar.gloss_model.corpus import tokenise_german, tokenise_glosses  # noqa: E402


@pytest.fixture(scope="module")
def model() -> GlossModel:
    pairs = [(tokenise_german(de), tokenise_glosses(gl)) for de, gl in split(240)[0]]
    return train(pairs)


def test_every_content_word_known_is_full_confidence(model: GlossModel) -> None:
    found = model_confidence(model.table, "Am Montag gibt es im Norden Regen.", ["Montag", "Norden", "Regen"])
    assert [w.word for w in found.words] == ["montag", "norden", "regen"]
    assert found.covered == 3 and found.value == 1.0
    regen = found.words[2]
    assert regen.covered and regen.glosses == ("REGEN",) and 0.5 < regen.probability <= 1.0


def test_an_unknown_content_word_lowers_the_share(model: GlossModel) -> None:
    found = model_confidence(model.table, "Am Montag gibt es im Norden Hagel.", ["Montag", "Norden", "Hagel"])
    assert found.covered == 2 and found.value == pytest.approx(2 / 3)
    hagel = found.words[2]
    assert (hagel.word, hagel.covered, hagel.glosses, hagel.probability) == ("hagel", False, (), 0.0)


def test_only_the_content_words_count(model: GlossModel) -> None:
    text = "Am Montag gibt es leider im Norden Hagel."
    assert model_confidence(model.table, text, ["Montag"]).value == 1.0  # "leider", "hagel" are not content
    assert model_confidence(model.table, text, ["Hagel"]).value == 0.0
    assert model_confidence(model.table, text, []).value == 0.0  # nothing to trust the model with


def test_a_number_counts_as_known_and_a_word_may_be_covered_by_a_longer_phrase() -> None:
    table = {("gibt", "es"): [(("GEBEN",), (-0.1, -0.1, -0.1, -0.1))]}
    found = model_confidence(table, "Es gibt es 12 Mal.", ["gibt", "12", "Mal"])
    assert [(w.word, w.covered, w.glosses) for w in found.words] == [
        ("gibt", True, ()), ("12", True, ()), ("mal", False, ())]
    assert found.value == pytest.approx(2 / 3)
