"""Unknown German words mapped onto known ones, the lemma source form, and the per-sentence confidence."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import split  # noqa: E402

from signavatar.errors import InvalidInputError  # noqa: E402
from signavatar.gloss_model import GlossModel, load_model, tokenise_german, train  # noqa: E402
from signavatar.gloss_model.lemmas import lemma, source_words  # noqa: E402
from signavatar.gloss_model.normalise import Normaliser, strip_ending  # noqa: E402

TRAIN, HELD_OUT = split(240)
PAIRS = [(tokenise_german(d), g.split()) for d, g in TRAIN]
COUNTS = {"nordwest": 5, "wind": 10, "freundlich": 3, "sturm": 4, "tief": 6, "regen": 20, "nord": 8, "west": 9,
          "westwind": 1, "kühler": 2}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("regen", ("regen",)),  # known: unchanged
        ("12", ("12",)),  # a number: unchanged
        ("freundlichem", ("freundlich",)),  # an inflected form of a known word
        ("kühleren", ("kühler",)),  # two endings stripped
        ("nordwestwind", ("nordwest", "wind")),  # a compound of known words
        ("regenwinds", ("regen", "wind")),  # the last part inflected
        ("sturmestief", ("sturm", "tief")),  # a linking "es"
        ("xylofon", ("xylofon",)),  # neither: left for the decoder to drop
        ("windig", ("windig",)),  # "ig" is no ending and no known part: not cut into non-words
    ],
)
def test_normaliser_maps_unknown_words_onto_known_ones(word: str, expected: tuple[str, ...]) -> None:
    assert Normaliser(COUNTS).word(word) == expected


def test_compound_split_prefers_few_then_frequent_parts() -> None:
    # two parts beat nord|west|wind (more frequent parts); among two-part splits nordwest|wind
    # (5, 10) beats nord|westwind (8, 1) by the geometric mean of the counts, unless westwind is common
    assert Normaliser(COUNTS).compound("nordwestwind") == ("nordwest", "wind")
    assert Normaliser({**COUNTS, "westwind": 100}).compound("nordwestwind") == ("nord", "westwind")
    assert Normaliser({"nord": 8, "west": 9, "wind": 10}).compound("nordwestwind") == ("nord", "west", "wind")


def test_strip_ending_keeps_a_stem() -> None:
    assert strip_ending("kräftigen") == "kräftig" and strip_ending("wolken") == "wolk"
    assert strip_ending("eine") == "eine"  # too short to strip


def test_lemmas() -> None:
    assert lemma("regnet") == "regnen" and lemma("kräftigen") == "kräftig" and lemma("12") == "12"
    assert source_words(["es", "regnet"], "surface") == ["es", "regnet"]


@pytest.fixture(scope="module")
def model() -> GlossModel:
    return train(PAIRS)


def test_translate_scored_confidence(model: GlossModel) -> None:
    de, gl = HELD_OUT[0]
    glosses, known = model.translate_scored(de)
    assert glosses == model.translate(de) == gl.split()
    assert 0.3 < known <= 1.0
    # the same sentence with two words the model has never seen: lower coverage, lower confidence
    _, unknown = model.translate_scored(de.replace(" es ", " xylofon quarzuhr "))
    assert 0.0 < unknown < known
    assert model.translate_scored("...") == ([], 0.0)
    assert model.translate_scored("xylofon quarzuhr")[1] == 0.0


def test_unknown_inflected_form_is_translated(model: GlossModel) -> None:
    # "regens" was never seen: mapped onto "regen"
    assert model.translate("am montag gibt es im norden regens") == ["MONTAG", "NORD", "REGEN"]


def test_lemma_source_model_round_trip(tmp_path: Path) -> None:
    lemmas = train(PAIRS, source="lemma", align_lemmas=True)
    assert lemmas.source == "lemma" and lemmas.meta["align_lemmas"]
    right = [lemmas.translate(de) == gl.split() for de, gl in HELD_OUT]
    assert sum(right) / len(right) >= 0.9
    path = tmp_path / "lemma.json.gz"
    lemmas.save(path)
    loaded = load_model(path)
    assert loaded.source == "lemma" and loaded.vocabulary == lemmas.vocabulary
    assert [loaded.translate(de) for de, _ in HELD_OUT[:10]] == [lemmas.translate(de) for de, _ in HELD_OUT[:10]]
    with pytest.raises(InvalidInputError, match="source"):
        train(PAIRS, source="stems")


def test_discount_lowers_rare_phrase_pairs() -> None:
    from signavatar.gloss_model.phrases import build_table

    corpus = [(["a"], ["A"])] * 9 + [(["a"], ["B"])]
    links = [{(0, 0)}] * 10
    plain = {t: math.exp(f[0]) for t, f in build_table(corpus, links)[0][("a",)]}
    discounted = {t: math.exp(f[0]) for t, f in build_table(corpus, links, discount=0.5)[0][("a",)]}
    assert plain == pytest.approx({("A",): 0.9, ("B",): 0.1})
    assert discounted == pytest.approx({("A",): 0.85, ("B",): 0.05})  # the singleton loses half


def test_search_steps_cover_each_word_once_and_pruning_keeps_the_answer(model: GlossModel) -> None:
    from signavatar.gloss_model.decoder import decode, search

    for de, _ in HELD_OUT[:20]:
        words = model.words(de)
        result = search(words, model.table, model.deletion, model.lm, model.weights)
        covered = sorted(i for step in result.steps for i in range(step.start, step.end))
        assert covered == list(range(len(words)))
        assert result.glosses == model.translate(de)
        # no threshold and a wide beam: the same best translation on this easy corpus
        assert decode(words, model.table, model.deletion, model.lm, model.weights, beam=40,
                      threshold=math.inf) == result.glosses
