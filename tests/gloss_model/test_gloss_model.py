"""The phrase-based gloss model on a synthetic corpus: learning, saving, loading, bad files."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import split  # noqa: E402

from signavatar.errors import InvalidInputError  # noqa: E402
from signavatar.gloss_model import GlossModel, load_model, read_corpus, tokenise_german, train  # noqa: E402
from signavatar.gloss_model.alignment import grow_diag_final_and  # noqa: E402
from signavatar.gloss_model.language_model import train_language_model  # noqa: E402

TRAIN, HELD_OUT = split(240)


@pytest.fixture(scope="module")
def model() -> GlossModel:
    return train([(tokenise_german(d), g.split()) for d, g in TRAIN])


def test_translates_held_out_sentences(model: GlossModel) -> None:
    right = [model.translate(de) == gl.split() for de, gl in HELD_OUT]
    assert sum(right) / len(right) >= 0.9, f"{sum(right)} of {len(right)} right"


def test_reorders_and_drops_words(model: GlossModel) -> None:
    # time first, "viel" after the weather, no articles or "gibt es"
    assert model.translate("Im Norden gibt es am Montag viel Regen.") == ["MONTAG", "NORD", "REGEN", "VIEL"]


def test_numbers_pass_through_and_unknown_words_are_dropped(model: GlossModel) -> None:
    out = model.translate("am montag gibt es im norden regen xylofon 12")
    assert out[:3] == ["MONTAG", "NORD", "REGEN"] and "12" in out and all("XYLOFON" not in g for g in out)
    assert model.translate("...") == []


def test_save_load_round_trip(model: GlossModel, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "model.json.gz"
    model.save(path)
    loaded = load_model(path)
    assert loaded.weights == model.weights and loaded.meta == model.meta
    for de, _ in HELD_OUT[:30]:
        assert loaded.translate(de) == model.translate(de)
    assert [p.name for p in path.parent.iterdir()] == ["model.json.gz"]  # no temporary left


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"plain text", "not a gloss model file"),
        (gzip.compress(b'{"format": "other"}'), "format field"),
        (gzip.compress(b'{"format": "signavatar-gloss-model", "version": 99}'), "version 99"),
        (gzip.compress(b'{"format": "signavatar-gloss-model", "version": 2}'), "broken gloss model"),
        # a version 1 file (before the vocabulary and source form were stored) asks to train again
        (gzip.compress(b'{"format": "signavatar-gloss-model", "version": 1, "weights": {}}'), "train it again"),
    ],
)
def test_bad_model_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "m.json.gz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=message):
        load_model(path)


def test_read_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="does not exist"):
        read_corpus(tmp_path / "nope")
    (tmp_path / "train.de").write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="train.gloss is missing"):
        read_corpus(tmp_path)
    (tmp_path / "train.gloss").write_text("A\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="2 lines but"):
        read_corpus(tmp_path)
    (tmp_path / "train.gloss").write_text("A\nB\n", encoding="utf-8")
    assert read_corpus(tmp_path) == [(["a"], ["A"]), (["b"], ["B"])]


def test_train_refuses_an_empty_corpus() -> None:
    with pytest.raises(InvalidInputError):
        train([([], ["A"])])


def test_language_model_is_a_distribution() -> None:
    lm = train_language_model([["A", "B"], ["A", "C"], ["B", "C", "A"]], order=3)
    for context in ([], ["A"], ["B", "C"], ["X", "Y"]):
        total = sum(2.718281828459045 ** lm.logprob(context, w) for w in ["A", "B", "C", "</s>"])
        assert total == pytest.approx(1.0, abs=0.3)  # the uniform floor keeps a little for unseen words
    assert lm.logprob(["A"], "B") > lm.logprob(["A"], "A")


def test_grow_diag_final_and() -> None:
    forward = {(0, 0), (1, 1), (3, 2)}
    backward = {(0, 0), (1, 1), (2, 1), (3, 3)}
    assert grow_diag_final_and(forward, backward) == {(0, 0), (1, 1), (2, 1), (3, 2), (3, 3)}
