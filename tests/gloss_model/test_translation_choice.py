"""signavatar/translation_choice.py through the real Pipeline: the translation memory (a real SQLite
file) first, then a real model trained on the synthetic corpus where it is confident enough, else
the rules; and the explanation says which of them answered and when the rules were overruled."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpus import split  # noqa: E402

from signavatar.gloss_model import GlossModel, tokenise_german, train  # noqa: E402
from signavatar.gloss_model.corpus import tokenise_glosses  # noqa: E402
from signavatar.messages import date_of  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory  # noqa: E402

KNOWN = "Am Montag gibt es im Norden Regen."  # every word the rules sign is in the synthetic corpus
UNKNOWN = "Am Montag gibt es im Norden Regen und der Notar kommt."  # 4 of its 6 content words


@pytest.fixture(scope="module")
def model() -> GlossModel:
    return train([(tokenise_german(de), tokenise_glosses(gl)) for de, gl in split(240)[0]])


@pytest.fixture(scope="module")
def rules_only(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("empty")))


def test_a_confident_model_answers_and_says_it_overruled_the_rules(
        model: GlossModel, rules_only: Pipeline, tmp_path: Path) -> None:
    choice = Pipeline(Settings(data_dir=tmp_path)).explain(KNOWN, model)
    assert choice.source == "model"
    assert choice.sequence.glosses() == model.translate(KNOWN) == ["MONTAG", "NORD", "REGEN"]
    assert choice.confidence is not None and choice.confidence.value == 1.0
    assert choice.sequence.warnings[0] == (
        "vom statistischen Modell übersetzt (Sicherheit 100 %: 4 von 4 Inhaltswörtern kennt das Modell)")
    rules = str(rules_only.translate(KNOWN))
    assert rules == "MONTAG fs-NORDEN REGEN GEBEN" and str(choice.rules.sequence) == rules
    lines = choice.lines()
    assert lines[0] == "Quelle: statistisches Modell (trainiert auf einem Korpus), Sicherheit 100 % ≥ Schwelle 100 %"
    assert lines[1].startswith("Modell (4 von 4 Inhaltswörtern kennt das Modell): montag -> MONTAG (")
    assert "Glossen: MONTAG NORD REGEN" in lines
    assert f"Regeln überstimmt – nach den Regeln wäre es „{rules}“:" in lines
    assert ["fs-NORDEN", "fingerspell", "Norden", "fingerspell-unknown"] in [line.split() for line in lines]
    assert "Hinweis (Regeln): „Norden“ ist nicht im Lexikon: wird gebuchstabiert" in lines  # the rules' own, marked
    assert Pipeline(Settings(data_dir=tmp_path)).translate(KNOWN, model) == choice.sequence


def test_below_the_threshold_the_rules_answer_and_say_why(
        model: GlossModel, rules_only: Pipeline, tmp_path: Path) -> None:
    choice = Pipeline(Settings(data_dir=tmp_path)).explain(UNKNOWN, model)
    rules = rules_only.translate(UNKNOWN)
    assert choice.source == "rules" and str(choice.sequence) == str(rules)
    note = "statistisches Modell nicht verwendet: Sicherheit 67 % unter der Schwelle 100 %; übersetzt nach den Regeln"
    assert choice.sequence.warnings == (*rules.warnings, note)
    assert "„Notar“ ist nicht im Lexikon: wird gebuchstabiert" in rules.warnings
    lines = choice.lines()
    assert lines[0] == "Quelle: Regeln (statistisches Modell nicht verwendet: Sicherheit 67 % unter der Schwelle 100 %)"
    assert "notar -> dem Modell unbekannt" in lines[1] and "kommt -> dem Modell unbekannt" in lines[1]
    assert not any(line.startswith("Regeln überstimmt") for line in lines)
    # the threshold is a setting: at 0.6 the same model answers
    lowered = Pipeline(Settings(data_dir=tmp_path, model_min_confidence=0.6)).explain(UNKNOWN, model)
    assert lowered.source == "model" and lowered.sequence.glosses() == model.translate(UNKNOWN)
    assert lowered.lines()[0].endswith("Sicherheit 67 % ≥ Schwelle 60 %")


def test_the_translation_memory_comes_before_a_confident_model(model: GlossModel, tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / MEMORY_FILENAME)
    entry = memory.approve(KNOWN, "MONTAG fs-NORDEN fs-REGEN", "anna", comment="Himmelsrichtung als Gebärde")
    pipeline = Pipeline(Settings(data_dir=tmp_path, model_min_confidence=0.0))
    choice = pipeline.explain(KNOWN.upper(), model)
    assert choice.source == "memory" and str(choice.sequence) == "MONTAG fs-NORDEN fs-REGEN"
    assert choice.confidence is None  # the model was not asked
    lines = choice.lines()
    assert lines[:5] == [
        "Quelle: Übersetzungsgedächtnis (exakter Treffer)",
        f"Eintrag: „{KNOWN}“ -> MONTAG fs-NORDEN fs-REGEN",
        f"freigegeben von anna am {date_of(entry.approved_at)}",
        "Kommentar: Himmelsrichtung als Gebärde",
        "Glossen: MONTAG fs-NORDEN fs-REGEN",
    ]
    assert lines[5] == "Regeln überstimmt – nach den Regeln wäre es „MONTAG fs-NORDEN REGEN GEBEN“:"
    assert lines[-1] == f"Hinweis: aus dem Übersetzungsgedächtnis (freigegeben am {date_of(entry.approved_at)})"
    fuzzy = pipeline.explain("Am Montag gibt es im Norden den Regen.", model)
    assert fuzzy.source == "memory" and fuzzy.match is not None and fuzzy.match.kind == "fuzzy"
    assert fuzzy.lines()[0].startswith("Quelle: Übersetzungsgedächtnis (ähnlicher Satz, Ähnlichkeit ")
    assert fuzzy.sequence.warnings[0].endswith(f", ähnlicher Satz „{KNOWN}“)")


def test_an_approval_the_lexicon_can_no_longer_sign_is_skipped_and_said(model: GlossModel, tmp_path: Path) -> None:
    TranslationMemory(tmp_path / MEMORY_FILENAME).approve(KNOWN, "MONTAG GIBTESNICHT", "anna")
    choice = Pipeline(Settings(data_dir=tmp_path)).explain(KNOWN, model)
    assert choice.source == "model" and choice.match is None
    assert choice.sequence.warnings[0].startswith("vom statistischen Modell übersetzt")
    assert choice.sequence.warnings[-1].startswith(f"Eintrag „{KNOWN}“ im Übersetzungsgedächtnis nicht verwendet: ")
    assert "GIBTESNICHT" in choice.sequence.warnings[-1]


def test_approved_glosses_equal_to_the_rules_are_not_called_an_overruling(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings(data_dir=tmp_path))
    rules = str(pipeline.translate("Ich brauche einen Termin."))
    TranslationMemory(tmp_path / MEMORY_FILENAME).approve("Ich brauche einen Termin.", rules, "ben")
    lines = pipeline.explain("Ich brauche einen Termin.").lines()
    assert lines[0] == "Quelle: Übersetzungsgedächtnis (exakter Treffer)"
    assert "Die Regeln ergeben dieselben Glossen:" in lines
    assert not any(line.startswith("Regeln überstimmt") for line in lines)


def test_without_memory_and_model_the_rules_answer(rules_only: Pipeline) -> None:
    choice = rules_only.explain("Mein Notar heißt Meier.")
    assert choice.source == "rules" and choice.confidence is None
    lines = choice.lines()
    assert lines[0] == "Quelle: Regeln"
    assert lines[-2:] == ["Hinweis: „Notar“ ist nicht im Lexikon: wird gebuchstabiert",
                          "Hinweis: „Meier“ ist ein Name, nicht im Lexikon: wird gebuchstabiert"]


def test_the_threshold_must_be_a_share() -> None:
    from signavatar.errors import InvalidInputError

    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(InvalidInputError, match="model_min_confidence must be a share from 0 to 1"):
            Settings(model_min_confidence=bad)
    assert Settings.from_env({"SIGNAVATAR_MODEL_MIN_CONFIDENCE": "0.75"}).model_min_confidence == 0.75
