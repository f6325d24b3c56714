"""The individual DGS rules: non-manual markers, fallbacks, warnings, word provenance, speed."""

from __future__ import annotations

import time

from signavatar.text_to_gloss import explain, text_to_gloss


def test_missing_adjective_is_fingerspelled_from_its_lemma_with_a_warning(vocabulary: dict[str, str]) -> None:
    del vocabulary["neu"]
    result = text_to_gloss("Ich brauche einen neuen Personalausweis.", vocabulary)
    assert result.glosses() == ["ICH", "fs-NEU", "PERSONALAUSWEIS", "BRAUCHEN"]
    assert result.tokens[1].kind == "fingerspell"
    assert result.warnings == ("„neuen“ ist nicht im Lexikon: wird gebuchstabiert",)


def test_unknown_name_is_fingerspelled_as_written_and_warned_once(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Herr Meier wartet. Herr Meier kommt morgen.", vocabulary)
    assert result.glosses() == ["fs-MEIER", "WARTEN", "MORGEN", "fs-MEIER", "KOMMEN"]
    assert result.warnings == ("„Meier“ ist ein Name, nicht im Lexikon: wird gebuchstabiert",)


def test_title_before_a_name_is_signed_only_when_the_lexicon_has_it(vocabulary: dict[str, str]) -> None:
    vocabulary["herr"] = "HERR"
    assert text_to_gloss("Herr Meier wartet.", vocabulary).glosses() == ["HERR", "fs-MEIER", "WARTEN"]
    assert text_to_gloss("Die Herren warten.", vocabulary).glosses() == ["HERR", "HERR", "WARTEN"]  # not a title


def test_fingerspelling_keeps_sharp_s(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Ich brauche einen Termin in der Goethestraße.", vocabulary)
    assert result.glosses() == ["fs-GOETHESTRAßE", "ICH", "TERMIN", "BRAUCHEN"]


def test_missing_verb_is_fingerspelled_not_dropped(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Die Gebühr übersteigt 37 Euro.", vocabulary)
    assert result.glosses() == ["GEBÜHR", "37", "EURO", "fs-ÜBERSTEIGEN"]
    assert result.warnings == ("„übersteigt“ ist nicht im Lexikon: wird gebuchstabiert",)


def test_dropped_function_words_give_no_warning(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Ich habe den Termin im Bürgeramt vereinbart.", vocabulary)
    assert result.glosses() == ["BÜRGERAMT", "ICH", "TERMIN", "VEREINBAREN"]
    assert result.warnings == ()


def test_possessive_haben_is_kept_auxiliary_haben_is_dropped(vocabulary: dict[str, str]) -> None:
    assert "HABEN" in text_to_gloss("Ich habe einen Termin.", vocabulary).glosses()
    assert "HABEN" not in text_to_gloss("Ich habe einen Termin beantragt.", vocabulary).glosses()


def test_preposition_is_kept_when_the_vocabulary_has_it(vocabulary: dict[str, str]) -> None:
    vocabulary["für"] = "FÜR"
    result = text_to_gloss("Ich brauche einen Termin für meinen Reisepass.", vocabulary)
    assert result.glosses() == ["ICH", "TERMIN", "FÜR", "REISEPASS", "BRAUCHEN"]  # ICH is pointed at: no MEIN
    assert text_to_gloss("Er braucht einen Termin für meinen Reisepass.", vocabulary).glosses() == [
        "ER", "TERMIN", "FÜR", "MEIN", "REISEPASS", "BRAUCHEN"]


def test_the_headshake_covers_the_negated_verb_complex(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Ich kann heute nicht kommen.", vocabulary)
    markers = {t.gloss: t.nonmanual for t in result.tokens}
    assert markers["NICHT"] == markers["KOMMEN"] == markers["KÖNNEN"] == ("negation",)
    assert markers["ICH"] == markers["HEUTE"] == ()


def test_the_headshake_stays_in_its_clause(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Wenn Sie keinen Termin haben, warten Sie.", vocabulary)
    assert [("negation" in t.nonmanual) for t in result.tokens] == [False, False, True, True, False, False]


def test_kein_falls_back_to_nicht_when_the_lexicon_has_no_kein(vocabulary: dict[str, str]) -> None:
    del vocabulary["kein"]
    result = text_to_gloss("Ich habe keine Zeit.", vocabulary)
    assert result.glosses() == ["ICH", "ZEIT", "HABEN", "NICHT"]
    assert result.tokens[-1].words == ("keine",)


def test_wh_question_marks_every_sign(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Wo ist das Bürgeramt?", vocabulary)
    assert [t.nonmanual for t in result.tokens] == [("question-wh",), ("question-wh",)]


def test_condition_clause_comes_first_with_raised_brows(vocabulary: dict[str, str]) -> None:
    for text in ("Wenn Sie krank sind, kommen Sie morgen.", "Kommen Sie morgen, wenn Sie krank sind."):
        result = explain(text, vocabulary)
        assert [t.nonmanual for t in result.sequence.tokens][:2] == [("condition",), ("condition",)], text
        assert all(t.nonmanual == () for t in result.sequence.tokens[2:]), text
        assert "condition" in result.rules and not any("wenn" in w.lower() for t in result.sequence.tokens
                                                       for w in t.words)


def test_a_fronted_object_is_a_topic_but_a_fronted_time_or_pp_is_not(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Das Formular brauche ich.", vocabulary)
    assert [(t.gloss, t.nonmanual, t.rule) for t in result.tokens][0] == ("FORMULAR", ("topic",), "topic")
    assert [t.nonmanual for t in result.tokens[1:]] == [(), ()]
    for text in ("Morgen brauche ich das Formular.", "Ich brauche das Formular.",
                 "Ohne Termin können Sie nicht kommen.", "Brauchen Sie das Formular?"):
        assert all("topic" not in t.nonmanual for t in text_to_gloss(text, vocabulary).tokens), text


def test_yes_and_genau_nod(vocabulary: dict[str, str]) -> None:
    vocabulary["ja"] = vocabulary["genau"] = "JA"
    for text in ("Ja.", "Genau."):
        assert [t.nonmanual for t in text_to_gloss(text, vocabulary).tokens] == [("affirmation",)], text


def test_wie_viel_moves_to_the_end_as_one_question(vocabulary: dict[str, str]) -> None:
    vocabulary["viel"] = "VIEL"
    result = text_to_gloss("Wie viel kostet ein Reisepass?", vocabulary)
    assert result.glosses() == ["REISEPASS", "KOSTEN", "WIE", "VIEL"]
    assert [t.nonmanual for t in result.tokens[-2:]] == [("question-wh",), ("question-wh",)]


def test_vocabulary_phrase_becomes_one_sign(vocabulary: dict[str, str]) -> None:
    vocabulary["wie viel"] = "WIE-VIEL"
    result = text_to_gloss("Wie viel kostet ein Reisepass?", vocabulary)
    assert result.glosses() == ["REISEPASS", "KOSTEN", "WIE-VIEL"]
    assert result.tokens[-1].words == ("Wie", "viel")


def test_yes_no_question_marks_every_sign(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Haben Sie einen Termin?", vocabulary)
    assert all(t.nonmanual == ("question-yn",) for t in result.tokens)


def test_negated_yes_no_question_keeps_both_markers(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Können Sie morgen nicht kommen?", vocabulary)
    assert result.glosses() == ["MORGEN", "DU", "KOMMEN", "KÖNNEN", "NICHT"]
    assert result.tokens[-1].nonmanual == ("negation", "question-yn")


def test_question_word_in_a_subordinate_clause_makes_a_yes_no_question(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Wissen Sie, wo das Amt ist?", vocabulary)
    assert result.sentence_type == "question-yn"
    assert result.glosses()[-2:] == ["WO", "AMT"]


def test_every_token_keeps_the_german_words_it_came_from(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Ich melde mich morgen an.", vocabulary)
    assert [(t.gloss, t.words) for t in result.tokens] == [
        ("MORGEN", ("morgen",)), ("ICH", ("Ich",)), ("ANMELDEN", ("melde", "an")),
    ]


def test_several_sentences_are_concatenated_with_the_first_sentence_type(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Wo ist das Bürgeramt? Ich habe einen Termin.", vocabulary)
    assert result.glosses() == ["BÜRGERAMT", "WO", "ICH", "TERMIN", "HABEN"]
    assert result.sentence_type == "question-wh"
    assert result.tokens[-1].nonmanual == ()


def test_ordinal_date_and_number_words_are_numbers(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Der Termin ist am 17. März.", vocabulary)
    assert [(t.gloss, t.kind) for t in result.tokens] == [
        ("17", "number"), ("fs-MÄRZ", "fingerspell"), ("TERMIN", "lexicon"),
    ]
    assert [(t.gloss, t.kind) for t in text_to_gloss("Ich brauche zwei Fotos.", vocabulary).tokens] == [
        ("ICH", "lexicon"), ("2", "number"), ("FOTO", "lexicon"), ("BRAUCHEN", "lexicon"),
    ]


def test_question_without_question_mark_starting_with_a_question_word(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Wo ist das Bürgeramt", vocabulary)
    assert result.sentence_type == "question-wh"
    assert result.glosses() == ["BÜRGERAMT", "WO"]


def test_translation_is_fast_once_the_tagger_is_loaded(vocabulary: dict[str, str]) -> None:
    text_to_gloss("Ich brauche einen Termin.", vocabulary)  # loads the tagger
    start = time.perf_counter()
    for _ in range(50):
        text_to_gloss("Morgen habe ich einen Termin im Bürgeramt.", vocabulary)
    per_sentence = (time.perf_counter() - start) / 50
    assert per_sentence < 0.02, f"{per_sentence * 1000:.1f} ms per sentence"
