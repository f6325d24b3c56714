"""Meaning-keeping rules of clauses, pronouns and numbers (issue 22): conditions, ODER/ABER/SONDERN,
clauses joined by "und", "Sie" as "they", decimals, large numbers, postcodes and codes.

The vocabulary is the shared test one plus the signs these rules emit, so each test shows the
rule itself; one test per class shows what happens when the lexicon lacks the new sign."""

from __future__ import annotations

import pytest

from signavatar.errors import InvalidInputError
from signavatar.text_to_gloss import explain, text_to_gloss
from signavatar.text_to_gloss.analysis_budget import MAX_NUMBER_DIGITS


@pytest.fixture
def signs(vocabulary: dict[str, str]) -> dict[str, str]:
    """The test vocabulary with the conjunction and number signs of issue 22."""
    extra = {w: w.upper() for w in ("oder", "aber", "sondern", "dann", "komma", "tausend", "million", "milliarde")}
    return vocabulary | extra


def _glosses(text: str, vocabulary: dict[str, str]) -> list[str]:
    return text_to_gloss(text, vocabulary).glosses()


# --- conditions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected", "condition_signs"), [
    ("Falls Sie krank sind kommen Sie bald.", ["DU", "fs-KRANK", "BALD", "DU", "KOMMEN"], 2),
    ("Sofern Sie einen Termin haben warten Sie hier.", ["DU", "TERMIN", "HABEN", "DU", "HIER", "WARTEN"], 3),
    ("Wenn Sie den Ausweis abholen möchten kommen Sie morgen.",
     ["DU", "AUSWEIS", "ABHOLEN", "MÖCHTEN", "MORGEN", "DU", "KOMMEN"], 4),
    ("Sie bekommen den Pass, wenn Sie bezahlen.", ["DU", "BEZAHLEN", "DU", "PASS", "fs-BEKOMMEN"], 2),
    ("Die Kinder brauchen einen Pass, wenn sie reisen.", ["SIE", "fs-REISEN", "fs-KINDER", "PASS", "BRAUCHEN"], 2),
])
def test_a_condition_clause_is_signed_first_with_raised_brows_also_without_its_comma(
    text: str, expected: list[str], condition_signs: int, signs: dict[str, str]
) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    markers = [t.nonmanual for t in result.sequence.tokens]
    assert all("condition" in m for m in markers[:condition_signs]), markers
    assert not any("condition" in m for m in markers[condition_signs:]), markers
    assert "condition" in result.rules


def test_a_condition_joined_by_oder_is_one_condition_before_the_main_clause(signs: dict[str, str]) -> None:
    result = text_to_gloss("Wenn Sie umziehen oder eine neue Wohnung haben, melden Sie sich an.", signs)
    assert result.glosses() == ["DU", "UMZIEHEN", "ODER", "NEU", "WOHNUNG", "HABEN", "DU", "ANMELDEN"]
    assert [("condition" in t.nonmanual) for t in result.tokens] == [True] * 6 + [False] * 2


def test_a_short_condition_without_verb_is_still_a_condition(signs: dict[str, str]) -> None:
    result = text_to_gloss("Wenn möglich, kommen Sie morgen.", signs)
    assert result.glosses() == ["fs-MÖGLICH", "MORGEN", "DU", "KOMMEN"]
    assert [("condition" in t.nonmanual) for t in result.tokens] == [True, False, False, False]


def test_a_condition_aside_between_commas_stays_in_its_clause(signs: dict[str, str]) -> None:
    result = text_to_gloss("Sie brauchen, falls vorhanden, den alten Ausweis.", signs)
    assert result.glosses() == ["DU", "fs-VORHANDEN", "fs-ALT", "AUSWEIS", "BRAUCHEN"]
    assert not any("condition" in t.nonmanual for t in result.tokens)


@pytest.mark.parametrize(("text", "expected"), [
    ("Wenn Sie Fragen haben, dann helfen wir.", ["DU", "fs-FRAGEN", "HABEN", "DANN", "WIR", "HELFEN"]),
    ("Falls Sie morgen kommen, dann brauchen Sie den Pass.",
     ["MORGEN", "DU", "KOMMEN", "DANN", "DU", "PASS", "BRAUCHEN"]),
    ("Dann warten Sie heute hier.", ["DANN", "HEUTE", "DU", "HIER", "WARTEN"]),
])
def test_dann_opens_its_clause(text: str, expected: list[str], signs: dict[str, str]) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    dann = next(t for t in result.sequence.tokens if t.gloss == "DANN")
    assert "condition" not in dann.nonmanual and dann.rule == "condition-dann"


# --- oder, aber -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie können heute oder morgen kommen.", ["HEUTE", "ODER", "MORGEN", "DU", "KOMMEN", "KÖNNEN"]),
    ("Kommen Sie heute oder morgen.", ["HEUTE", "ODER", "MORGEN", "DU", "KOMMEN"]),
    ("Brauchen Sie einen Pass oder einen Ausweis?", ["DU", "PASS", "ODER", "AUSWEIS", "BRAUCHEN"]),
    ("Sie können bar oder online bezahlen.", ["DU", "fs-BAR", "ODER", "fs-ONLINE", "BEZAHLEN", "KÖNNEN"]),
    ("Warten Sie hier oder kommen Sie morgen.", ["DU", "HIER", "WARTEN", "ODER", "MORGEN", "DU", "KOMMEN"]),
    ("Sie können den Termin online machen. Oder Sie kommen ins Bürger·amt.",
     ["DU", "TERMIN", "fs-ONLINE", "fs-MACHEN", "KÖNNEN", "ODER", "BÜRGERAMT", "DU", "KOMMEN"]),
])
def test_oder_is_signed_between_what_it_joins(text: str, expected: list[str], signs: dict[str, str]) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert "conjunction-oder" in result.rules


@pytest.mark.parametrize(("text", "expected"), [
    ("Das Amt ist heute geschlossen. Aber Sie können morgen kommen.",
     ["HEUTE", "AMT", "SCHLIESSEN", "ABER", "MORGEN", "DU", "KOMMEN", "KÖNNEN"]),
    ("Das Formular ist neu, aber die Gebühr ist gleich.", ["FORMULAR", "NEU", "ABER", "GEBÜHR", "fs-GLEICH"]),
    ("Sie können jeden Tag kommen, aber nicht am Montag.",
     ["fs-JEDEN", "fs-TAG", "DU", "KOMMEN", "KÖNNEN", "ABER", "MONTAG", "NICHT"]),
])
def test_aber_is_signed_where_it_stands(text: str, expected: list[str], signs: dict[str, str]) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert "conjunction-aber" in result.rules


@pytest.mark.parametrize(("text", "expected", "negated"), [
    ("Sie können online bezahlen, aber nicht bar.",
     ["DU", "fs-ONLINE", "BEZAHLEN", "KÖNNEN", "ABER", "fs-BAR", "NICHT"], [False] * 6 + [True]),
    ("Ein Termin ist nicht nötig, aber sinnvoll.", ["TERMIN", "fs-NÖTIG", "NICHT", "ABER", "fs-SINNVOLL"],
     [False, False, True, False, False]),
    ("Ich spreche Deutsch, aber nicht gut.", ["ICH", "fs-DEUTSCH", "fs-SPRECHEN", "ABER", "fs-GUT", "NICHT"],
     [False] * 5 + [True]),
])
def test_a_short_aber_part_is_a_clause_of_its_own(
    text: str, expected: list[str], negated: list[bool], signs: dict[str, str]
) -> None:
    result = text_to_gloss(text, signs)
    assert result.glosses() == expected
    assert [("negation" in t.nonmanual) for t in result.tokens] == negated


def test_after_aber_the_headshake_is_only_on_the_negated_part(signs: dict[str, str]) -> None:
    result = text_to_gloss("Ich habe einen Termin, aber ich kann nicht kommen.", signs)
    assert result.glosses() == ["ICH", "TERMIN", "HABEN", "ABER", "ICH", "KOMMEN", "KÖNNEN", "NICHT"]
    assert [("negation" in t.nonmanual) for t in result.tokens] == [False] * 5 + [True] * 3
    opening = text_to_gloss("Sie können jeden Tag kommen, aber nicht am Montag.", signs)
    assert not any("negation" in t.nonmanual for t in opening.tokens[:5])


def test_a_missing_conjunction_sign_is_fingerspelled_not_dropped(vocabulary: dict[str, str]) -> None:
    result = explain("Kommen Sie heute oder morgen.", vocabulary)
    assert result.sequence.glosses() == ["HEUTE", "fs-ODER", "MORGEN", "DU", "KOMMEN"]
    assert result.sequence.warnings == ("„oder“ ist nicht im Lexikon: wird gebuchstabiert",)
    assert "conjunction-oder" in result.rules


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich komme morgen, weil ich heute krank bin.", ["MORGEN", "ICH", "KOMMEN", "WEIL", "HEUTE", "ICH", "fs-KRANK"]),
    ("Weil das Amt heute geschlossen ist, komme ich morgen.",
     ["WEIL", "HEUTE", "AMT", "SCHLIESSEN", "MORGEN", "ICH", "KOMMEN"]),
])
def test_weil_keeps_the_clause_order_and_opens_its_clause_where_the_lexicon_has_it(
    text: str, expected: list[str], signs: dict[str, str]
) -> None:
    assert _glosses(text, signs | {"weil": "WEIL"}) == expected
    assert _glosses(text, signs) == [g for g in expected if g != "WEIL"]


# --- nicht X, sondern Y -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected", "negated"), [
    ("Sie brauchen nicht den Pass, sondern den Ausweis.", ["DU", "PASS", "BRAUCHEN", "NICHT", "SONDERN", "AUSWEIS"],
     [False, False, True, True, False, False]),
    ("Sie brauchen keinen Pass, sondern einen Ausweis.", ["DU", "PASS", "BRAUCHEN", "KEIN", "SONDERN", "AUSWEIS"],
     [False, False, True, True, False, False]),
    ("Kommen Sie nicht heute, sondern morgen.", ["HEUTE", "DU", "KOMMEN", "NICHT", "SONDERN", "MORGEN"],
     [False, False, True, True, False, False]),
    ("Sie müssen nicht warten, sondern können gleich kommen.",
     ["DU", "WARTEN", "MÜSSEN", "NICHT", "SONDERN", "BALD", "KOMMEN", "KÖNNEN"],
     [False, True, True, True, False, False, False, False]),
    ("Nicht der Pass ist wichtig sondern der Ausweis.", ["PASS", "fs-WICHTIG", "NICHT", "SONDERN", "AUSWEIS"],
     [False, False, True, False, False]),
])
def test_nicht_x_sondern_y_negates_only_x(
    text: str, expected: list[str], negated: list[bool], signs: dict[str, str]
) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert [("negation" in t.nonmanual) for t in result.sequence.tokens] == negated
    assert "contrast-sondern" in result.rules


def test_nicht_nur_sondern_auch_is_no_negation_of_the_verb(signs: dict[str, str]) -> None:
    result = text_to_gloss("Sie brauchen nicht nur den Pass, sondern auch ein Foto.", signs)
    assert result.glosses() == ["DU", "NICHT", "fs-NUR", "PASS", "BRAUCHEN", "SONDERN", "fs-AUCH", "FOTO"]
    assert not any("negation" in t.nonmanual for t in result.tokens)


# --- und --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich hole den Pass ab und meine Frau wartet hier.",
     ["ICH", "PASS", "ABHOLEN", "MEIN", "fs-FRAU", "HIER", "WARTEN"]),
    ("Wir ziehen um und brauchen eine neue Wohnung.", ["WIR", "UMZIEHEN", "NEU", "WOHNUNG", "BRAUCHEN"]),
    ("Das Amt ist morgen geschlossen und die Mitarbeiter haben frei.",
     ["MORGEN", "AMT", "SCHLIESSEN", "fs-MITARBEITER", "fs-FREI", "HABEN"]),
])
def test_two_clauses_joined_by_und_keep_each_verb_at_its_own_end(
    text: str, expected: list[str], signs: dict[str, str]
) -> None:
    """Each clause closes with its own verb; the "und" between them is not signed although the
    vocabulary has UND (DGS sets the clauses side by side)."""
    assert "und" in signs
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert (("und",), "clause-und") in result.dropped


def test_und_without_a_sign_joins_two_clauses_unsigned(vocabulary: dict[str, str]) -> None:
    del vocabulary["und"]
    result = explain("Wir ziehen um und brauchen eine neue Wohnung.", vocabulary)
    assert result.sequence.glosses() == ["WIR", "UMZIEHEN", "NEU", "WOHNUNG", "BRAUCHEN"]
    assert (("und",), "clause-und") in result.dropped


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie brauchen einen Pass und ein Foto.", ["DU", "PASS", "FOTO", "BRAUCHEN"]),
    ("Sie müssen das Formular ausfüllen und unterschreiben.",
     ["DU", "FORMULAR", "AUSFÜLLEN", "fs-UNTERSCHREIBEN", "MÜSSEN"]),
    ("Haben Sie den Pass und das Formular?", ["DU", "PASS", "FORMULAR", "HABEN"]),
])
def test_und_between_phrases_stays_one_clause(text: str, expected: list[str], signs: dict[str, str]) -> None:
    """An enumeration stays one clause; its "und" is not signed (the items follow each other)."""
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert "clause-und" not in result.rules
    assert (("und",), "drop-function-word") in result.dropped


# --- Sie: you or they -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Die Mitarbeiter helfen gern. Sie sprechen auch Englisch.",
     ["fs-MITARBEITER", "fs-GERN", "HELFEN", "SIE", "fs-AUCH", "fs-ENGLISCH", "fs-SPRECHEN"]),
    ("Unsere Mitarbeiterinnen kommen morgen. Sie helfen Ihnen.",
     ["MORGEN", "WIR", "fs-MITARBEITERINNEN", "KOMMEN", "SIE", "DU", "HELFEN"]),
    ("Heute helfen die Mitarbeiter. Sie warten im Bürgeramt.",
     ["HEUTE", "fs-MITARBEITER", "HELFEN", "BÜRGERAMT", "SIE", "WARTEN"]),
    ("Unsere Mitarbeiter beraten Sie gern. Sie sprechen auch Türkisch.",
     ["WIR", "fs-MITARBEITER", "DU", "fs-GERN", "fs-BERATEN", "SIE", "fs-AUCH", "fs-TÜRKISCH", "fs-SPRECHEN"]),
    ("Die Kinder sind da: Sie warten im Bürgeramt.", ["fs-KINDER", "fs-DA", "BÜRGERAMT", "SIE", "WARTEN"]),
    ("Die Eltern müssen unterschreiben. Sie brauchen einen Ausweis. Sie kommen morgen.",
     ["fs-ELTERN", "fs-UNTERSCHREIBEN", "MÜSSEN", "SIE", "AUSWEIS", "BRAUCHEN", "MORGEN", "SIE", "KOMMEN"]),
])
def test_sie_after_a_plural_subject_of_persons_is_they(text: str, expected: list[str], signs: dict[str, str]) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert "pronoun-they" in result.rules


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie brauchen einen Termin. Sie können den Termin online vereinbaren.",
     ["DU", "TERMIN", "BRAUCHEN", "DU", "TERMIN", "fs-ONLINE", "VEREINBAREN", "KÖNNEN"]),
    ("Die Formulare sind neu. Sie können die Formulare online ausfüllen.",
     ["FORMULAR", "FORMULAR", "NEU", "DU", "FORMULAR", "FORMULAR", "fs-ONLINE", "AUSFÜLLEN", "KÖNNEN"]),
    ("Der Mitarbeiter hilft gern. Sie können ihn fragen.",
     ["fs-MITARBEITER", "fs-GERN", "HELFEN", "DU", "ER", "fs-FRAGEN", "KÖNNEN"]),
    ("Die Mitarbeiter helfen gern. Wir sprechen Englisch. Sie brauchen einen Termin.",
     ["fs-MITARBEITER", "fs-GERN", "HELFEN", "WIR", "fs-ENGLISCH", "fs-SPRECHEN", "DU", "TERMIN", "BRAUCHEN"]),
    ("Die Mitarbeiter helfen, wenn Sie Fragen haben.", ["DU", "fs-FRAGEN", "HABEN", "fs-MITARBEITER", "HELFEN"]),
    ("Die Formulare sind da: Sie können sie abholen.",
     ["FORMULAR", "FORMULAR", "fs-DA", "DU", "SIE", "ABHOLEN", "KÖNNEN"]),
    ("Die Kinder können Sie mitbringen. Sie müssen einen Termin vereinbaren.",
     ["fs-KINDER", "DU", "MITBRINGEN", "KÖNNEN", "DU", "TERMIN", "VEREINBAREN", "MÜSSEN"]),
])
def test_sie_stays_the_reader_without_a_plural_subject_of_persons_before(
    text: str, expected: list[str], signs: dict[str, str]
) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert "pronoun-they" not in result.rules


def test_lower_case_sie_and_sie_with_a_singular_verb_are_a_third_person(signs: dict[str, str]) -> None:
    assert "SIE" in _glosses("Die Kinder brauchen einen Pass, wenn sie reisen.", signs)
    assert _glosses("Die Kinder warten. Sie hat einen Termin.", signs)[-3:] == ["SIE", "TERMIN", "HABEN"]


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "numbers"), [
    ("Der Zins ist 7,5 Prozent.", ["7", "KOMMA", "5"]),
    ("Ich brauche 2,25 Liter.", ["2", "KOMMA", "2", "5"]),
    ("Die Gebühr steigt um 0,5 Prozent.", ["0", "KOMMA", "5"]),
    ("Das Amt hat 25.000 Formulare.", ["25", "TAUSEND"]),
    ("Das Amt hat 12000 Formulare.", ["12", "TAUSEND"]),
    ("Berlin hat 3.500.000 Bäume.", ["3", "MILLION", "500", "TAUSEND"]),
    ("Das sind 22,1 Millionen.", ["22", "KOMMA", "1", "MILLION"]),
    ("Das kostet 1,2 Mio. Euro.", ["1", "KOMMA", "2", "MILLION", "EURO"]),
    ("Das kostet 2 Milliarden Euro.", ["2", "MILLIARDE", "EURO"]),
    ("Das Amt hat 1.500 Formulare.", ["1500"]),
    ("Das Amt hat 250.001 Formulare.", ["250", "TAUSEND", "1"]),
])
def test_decimals_and_large_numbers_are_signed_as_spoken(text: str, numbers: list[str], signs: dict[str, str]) -> None:
    glosses = _glosses(text, signs)
    start = next(k for k, g in enumerate(glosses) if g[0].isdigit())
    assert glosses[start:start + len(numbers)] == numbers, glosses


@pytest.mark.parametrize(("text", "money"), [
    ("Der Ausweis kostet 37,50 €.", ["37", "EURO", "50"]),
    ("Der Ausweis kostet 25.000 €.", ["25", "TAUSEND", "EURO"]),
    ("Ein Foto kostet 0,5 Euro.", ["50", "fs-CENT"]),
])
def test_a_decimal_with_euro_is_money_not_komma(text: str, money: list[str], signs: dict[str, str]) -> None:
    glosses = _glosses(text, signs)
    assert "KOMMA" not in glosses
    assert glosses[-len(money) - 1:-1] == money, glosses


@pytest.mark.parametrize(("text", "expected", "rule"), [
    ("Das Amt ist in 10115 Berlin.", ["1", "0", "1", "1", "5", "fs-BERLIN", "AMT"], "postcode"),
    ("PLZ 01067", ["fs-PLZ", "0", "1", "0", "6", "7"], "postcode"),
    ("Die Kundennummer ist 1234567.", ["fs-KUNDENNUMMER", "1234567"], "number-code"),
    ("Ihr Aktenzeichen ist 45678.", ["DEIN", "fs-AKTENZEICHEN", "45678"], "number-code"),
])
def test_postcodes_and_codes_are_signed_digit_by_digit(
    text: str, expected: list[str], rule: str, signs: dict[str, str]
) -> None:
    result = explain(text, signs)
    assert result.sequence.glosses() == expected
    assert rule in result.rules


def test_the_group_signs_are_found_under_their_plural_lemma(vocabulary: dict[str, str]) -> None:
    vocabulary |= {"tausende": "TAUSEND", "millionen": "MILLION"}
    assert _glosses("Berlin hat 3.500.000 Bäume.", vocabulary)[1:5] == ["3", "MILLION", "500", "TAUSEND"]


def test_a_missing_number_word_sign_is_fingerspelled_and_the_digits_stay(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Das Amt hat 25.000 Formulare.", vocabulary)
    assert result.glosses() == ["AMT", "25", "fs-TAUSEND", "FORMULAR", "HABEN"]
    assert [t.kind for t in result.tokens[1:3]] == ["number", "fingerspell"]


def test_a_decimal_with_too_many_digits_is_refused_like_any_too_long_number(signs: dict[str, str]) -> None:
    fraction = "1" * (MAX_NUMBER_DIGITS + 1)
    with pytest.raises(InvalidInputError, match=f"{MAX_NUMBER_DIGITS + 1}"):
        text_to_gloss(f"Der Wert ist 3,{fraction}.", signs)
    assert _glosses(f"Der Wert ist 3,{fraction[:MAX_NUMBER_DIGITS]}.", signs).count("1") == MAX_NUMBER_DIGITS
