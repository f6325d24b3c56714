"""The sense layer (glosses/senses.json, senses.py) and the compound splitter's real-word check,
on the real lexicon plus the signs issue 22 adds (PENDING: the `signs` helper writes them; until a
sign is in the lexicon the translator fingerspells its gloss name, tested below too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import explain, text_to_gloss
from signavatar.text_to_gloss.compounds import split_compound
from signavatar.text_to_gloss.sense_data import SenseDataError, sense_table
from signavatar.text_to_gloss.translate import Explanation

# New gloss names of issue 22 (SPEC22.md) with their lemmas, as the lexicon will list them.
PENDING = {
    "bekommen": "BEKOMMEN", "zeit": "ZEIT", "bescheid": "BESCHEID", "informieren": "INFORMIEREN",
    "frau": "FRAU", "mann": "MANN", "nach hause": "NACH-HAUSE", "rathaus": "RATHAUS", "sagen": "SAGEN",
    "sprechen": "SPRECHEN", "früher": "FRÜHER", "vor": "VOR", "unter": "UNTER", "person": "PERSON",
}


@pytest.fixture(scope="module")
def lexicon_vocabulary() -> dict[str, str]:
    return load_lexicon().lemma_map()


@pytest.fixture(scope="module")
def vocabulary(lexicon_vocabulary: dict[str, str]) -> dict[str, str]:
    return {**lexicon_vocabulary, **PENDING}


def glosses(text: str, vocabulary: dict[str, str]) -> list[str]:
    return text_to_gloss(text, vocabulary).glosses()


def token_rules(result: Explanation) -> dict[str, str]:
    return {t.gloss: t.rule for t in result.sequence.tokens}


# ---------- synonyms: a word without a sign takes a sign of the same meaning ----------

@pytest.mark.parametrize(("text", "word", "gloss"), [
    ("Sie können den Termin telefonisch vereinbaren.", "telefonisch", "TELEFON"),
    ("Wir helfen Ihnen telefonisch.", "telefonisch", "TELEFON"),
    ("Ich buche einen Termin.", "buche", "VEREINBAREN"),
    ("Sie können den Termin online buchen.", "buchen", "VEREINBAREN"),
    ("Wo ist Ihr Wohnsitz?", "Wohnsitz", "WOHNUNG"),
    ("Bitte reichen Sie die Unterlagen ein.", "reichen ein", "GEBEN"),  # the joined particle verb
    ("Das Bürgeramt ist werktags geöffnet.", "werktags", "MONTAG"),
])
def test_synonym_gives_a_sign_of_the_same_meaning(text: str, word: str, gloss: str,
                                                   lexicon_vocabulary: dict[str, str]) -> None:
    result = explain(text, lexicon_vocabulary)
    token = next(t for t in result.sequence.tokens if t.gloss == gloss)
    assert token.rule == "synonym"
    assert token.kind == "lexicon"
    assert " ".join(token.words) == word
    assert not any(g.startswith("fs-") for g in result.sequence.glosses())


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie erhalten den Ausweis in drei Wochen.", "BEKOMMEN"),
    ("Sie kriegen den Ausweis morgen.", "BEKOMMEN"),
    ("Sie bekommen den Ausweis morgen.", "BEKOMMEN"),
])
def test_erhalten_and_kriegen_mean_bekommen(text: str, expected: str, vocabulary: dict[str, str]) -> None:
    assert expected in glosses(text, vocabulary)
    assert not any(g.startswith("fs-") for g in glosses(text, vocabulary))


def test_the_lexicons_own_sign_wins_over_a_synonym(lexicon_vocabulary: dict[str, str]) -> None:
    own = {**lexicon_vocabulary, "buchen": "BUCHEN"}
    result = explain("Ich buche einen Termin.", own)
    assert result.sequence.glosses() == ["ICH", "TERMIN", "BUCHEN"]
    assert token_rules(result)["BUCHEN"] == "verb-last"


def without(vocabulary: dict[str, str], gloss: str) -> dict[str, str]:
    """`vocabulary` as a lexicon without the sign `gloss` would give it."""
    return {lemma: g for lemma, g in vocabulary.items() if g != gloss}


def test_a_sign_not_yet_in_the_lexicon_is_spelled_under_its_gloss_name(lexicon_vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Ich buche einen Termin.", without(lexicon_vocabulary, "VEREINBAREN"))
    spelled = [t for t in result.tokens if t.gloss == "fs-VEREINBAREN"]
    assert spelled and spelled[0].kind == "fingerspell" and spelled[0].rule == "synonym"
    assert result.warnings == ("„buche“ bedeutet hier VEREINBAREN (einen Termin buchen); die Gebärde VEREINBAREN "
                               "fehlt im Lexikon: wird gebuchstabiert",)


def test_a_synonym_splits_compounds_too(lexicon_vocabulary: dict[str, str]) -> None:
    assert glosses("Die Wohnsitzanmeldung ist kostenlos.", lexicon_vocabulary) == ["WOHNUNG", "ANMELDEN", "KOSTENLOS"]


# ---------- senses chosen by context ----------

@pytest.mark.parametrize("text", [
    "Sie bekommen einen Bescheid.",
    "Der Bescheid kommt mit der Post.",
    "Bitte bringen Sie Ihren Bescheid mit.",
    "Wir schicken Ihnen den Bescheid.",
])
def test_bescheid_as_a_document(text: str, vocabulary: dict[str, str]) -> None:
    result = explain(text, vocabulary)
    assert "BESCHEID" in result.sequence.glosses()
    assert "INFORMIEREN" not in result.sequence.glosses() and "WISSEN" not in result.sequence.glosses()
    assert token_rules(result)["BESCHEID"] == "sense"


@pytest.mark.parametrize(("text", "light_verb"), [
    ("Geben Sie uns Bescheid.", "GEBEN"),
    ("Wir sagen Ihnen Bescheid, wenn der Ausweis fertig ist.", "SAGEN"),
    ("Sagen Sie uns bitte rechtzeitig Bescheid.", "SAGEN"),
    ("Sie bekommen Bescheid, wenn der Pass fertig ist.", "BEKOMMEN"),
])
def test_bescheid_geben_and_sagen_mean_informieren(text: str, light_verb: str, vocabulary: dict[str, str]) -> None:
    result = explain(text, vocabulary)
    assert result.sequence.glosses().count("INFORMIEREN") == 1
    assert light_verb not in result.sequence.glosses(), "the verb of 'Bescheid geben' is part of INFORMIEREN"
    assert "BESCHEID" not in result.sequence.glosses()
    assert any(rule == "drop-sense" for _, rule in result.dropped)


def test_bescheid_wissen(vocabulary: dict[str, str]) -> None:
    assert glosses("Wissen Sie Bescheid?", vocabulary).count("WISSEN") == 1


@pytest.mark.parametrize(("text", "sign", "not_sign"), [
    ("Haben Sie morgen Zeit?", "ZEIT", "UHR"),
    ("Die Bearbeitung braucht Zeit.", "ZEIT", "UHR"),
    ("Wir nehmen uns Zeit für Sie.", "ZEIT", "UHR"),
    ("Um welche Zeit kommen Sie?", "UHR", "ZEIT"),
    ("Zur Zeit ist das Amt geschlossen.", "JETZT", "ZEIT"),
])
def test_zeit_is_time_and_uhr_only_for_clock_time(text: str, sign: str, not_sign: str,
                                                   vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert sign in result and not_sign not in result


@pytest.mark.parametrize("text", [
    "Sie können jetzt nach Hause gehen.",
    "Wir schicken den Ausweis nach Hause.",
    "Nach Hause geht es mit dem Bus.",
])
def test_nach_hause_is_one_sign(text: str, vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert result.count("NACH-HAUSE") == 1
    assert "HAUS" not in result


@pytest.mark.parametrize(("text", "expected"), [
    ("Frauen können Elterngeld beantragen.", ["FRAU", "FRAU"]),
    ("Die Frauen warten im Bürgeramt.", ["FRAU", "FRAU"]),
    ("Zwei Frauen warten.", ["2", "FRAU"]),
    ("Meine Damen und Herren, bitte warten Sie.", ["FRAU", "FRAU", "MANN", "MANN"]),
])
def test_plural_frauen_are_women_not_a_title(text: str, expected: list[str], vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    persons = [g for g in result if g in ("FRAU", "MANN", "2")]
    assert persons == expected


@pytest.mark.parametrize(("text", "name"), [
    ("Frau Müller wartet im Bürgeramt.", "fs-MÜLLER"),
    ("Herr Meier hat einen Termin.", "fs-MEIER"),
    ("Bitte fragen Sie Herrn Schmidt.", "fs-SCHMIDT"),
])
def test_a_title_before_a_name_keeps_the_title_rule(text: str, name: str, vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert name in result
    # signed at most once, as the lexicon has it (never the plural's FRAU FRAU, never a synonym's MANN)
    assert result.count("FRAU") <= 1 and "MANN" not in result


@pytest.mark.parametrize(("text", "kept"), [
    ("Das Amt befindet sich im Rathaus.", ["AMT", "RATHAUS"]),
    ("Das Bürgeramt befindet sich im zweiten Stock.", ["BÜRGERAMT"]),
    ("Ich befinde mich im Ausland.", ["ICH", "AUSLAND"]),
])
def test_sich_befinden_is_not_signed(text: str, kept: list[str], vocabulary: dict[str, str]) -> None:
    result = explain(text, vocabulary)
    assert set(kept) <= set(result.sequence.glosses())
    assert not any("BEFIND" in g for g in result.sequence.glosses())
    assert any(rule == "drop-sense" and words[0].lower().startswith("befinde") for words, rule in result.dropped)


@pytest.mark.parametrize(("text", "signed"), [
    ("Die Gebühr beträgt 10 Euro.", True),
    ("Die Kosten betragen 37,50 €.", True),
    ("Die Bearbeitungszeit beträgt drei Wochen.", False),
    ("Der Abstand beträgt zwei Meter.", False),
])
def test_betragen_is_kosten_only_with_money(text: str, signed: bool, vocabulary: dict[str, str]) -> None:
    result = explain(text, vocabulary)
    assert not any("BETRAG" in g for g in result.sequence.glosses())
    kosten = [t for t in result.sequence.tokens if t.rule == "sense" and t.gloss == "KOSTEN"]
    assert bool(kosten) is signed


@pytest.mark.parametrize(("text", "expected"), [
    ("Das Schreiben kommt mit der Post.", "BRIEF"),
    ("Sie bekommen ein Schreiben vom Amt.", "BRIEF"),
    ("Bitte schreiben Sie uns eine E-Mail.", "SCHREIBEN"),
])
def test_schreiben_the_noun_is_a_letter(text: str, expected: str, vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert expected in result
    assert ({"BRIEF", "SCHREIBEN"} - {expected}).isdisjoint(result)


@pytest.mark.parametrize("text", [
    "Kann ich den Antrag online stellen?",
    "Sie können hier Fragen stellen.",
])
def test_a_light_verb_with_its_noun_is_not_signed(text: str, vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert not any("STELLEN" in g for g in result)


# ---------- explain and tokens name the sense ----------

def test_explain_names_the_sense_in_german(vocabulary: dict[str, str]) -> None:
    lines = explain("Sie können den Bescheid telefonisch buchen.", without(vocabulary, "VEREINBAREN")).lines()
    assert any(line.split()[0] == "fs-VEREINBAREN" and line.endswith("buchen → VEREINBAREN (einen Termin buchen)")
               for line in lines), lines
    assert any(line.endswith("telefonisch → TELEFON (Synonym)") for line in lines), lines
    assert any("bescheid → BESCHEID (Schreiben des Amts (Dokument))" in line for line in lines)


def test_tokens_carry_the_entry_they_came_from(vocabulary: dict[str, str]) -> None:
    tokens = text_to_gloss("Geben Sie uns telefonisch Bescheid.", vocabulary).tokens
    senses = {t.gloss: t.sense for t in tokens}
    assert senses["TELEFON"] == "telefonisch"
    assert senses["INFORMIEREN"] == "bescheid"
    assert senses["DU"] == ""


# ---------- the data file ----------

def test_every_sign_in_the_data_exists_or_is_announced(lexicon_vocabulary: dict[str, str]) -> None:
    known = set(lexicon_vocabulary.values()) | set(PENDING.values()) | {"BIS"}
    named = {g for entry in sense_table().values() for sense in entry.senses for g in sense.glosses}
    assert named - known == set()


def test_the_data_has_many_entries_each_explained() -> None:
    table = sense_table()
    assert len(table) >= 100
    assert sum(entry.has_cues for entry in table.values()) >= 6
    for entry in table.values():
        assert all(sense.label for sense in entry.senses), entry.lemma
        if entry.has_cues:
            assert len({sense.label for sense in entry.senses}) == len(entry.senses), entry.lemma


@pytest.mark.parametrize(("entries", "complaint"), [
    ({"Erhalten": [{"gloss": "BEKOMMEN"}]}, "lower-case"),
    ({"erhalten": [{"gloss": "bekommen"}]}, "upper-case"),
    ({"erhalten": []}, "non-empty"),
    ({"bescheid": [{"gloss": "X", "label": "x", "when": {"neighbour": ["a"]}}]}, "when has only"),
    ({"bescheid": [{"gloss": "X", "label": "x", "takes_verb": True}]}, "takes_verb"),
    ({"bescheid": [{"gloss": "X"}, {"gloss": "Y"}]}, "label"),
])
def test_a_bad_data_file_is_refused_with_the_entry_named(entries: dict[str, object], complaint: str,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "senses.json"
    path.write_text(json.dumps({"schema": 1, "entries": entries}), encoding="utf-8")
    with pytest.raises(SenseDataError, match=complaint):
        sense_table(path)


# ---------- the compound splitter cuts only into words ----------

@pytest.mark.parametrize(("text", "whole"), [
    ("Das Unternehmen zahlt.", "fs-UNTERNEHMEN"),
    ("Insgesamt kostet es 10 Euro.", "fs-INSGESAMT"),
    ("Die Barriere ist neu.", "fs-BARRIERE"),
    ("Der Kalender hängt an der Wand.", "fs-KALENDER"),
])
def test_a_word_that_is_no_compound_of_words_is_spelled_whole(text: str, whole: str,
                                                              vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert whole in result
    assert not {"ÄNDERN", "UNTER", "NEHMEN", "AMT", "BAR", "NACH", "ENDE"} & set(result)


@pytest.mark.parametrize(("text", "parts"), [
    ("Ich brauche eine Meldebescheinigung.", ["ANMELDEN", "BESCHEINIGUNG"]),
    ("Ich brauche einen Kinderreisepass.", ["KIND", "PASS"]),
    ("Ich brauche eine Terminvereinbarung.", ["TERMIN", "VEREINBAREN"]),
    ("Ich brauche eine Anmeldebestätigung.", ["ANMELDEN", "BESCHEINIGUNG"]),
    ("Ist Kartenzahlung möglich?", ["KARTE", "BEZAHLEN"]),
    ("Die Wohnungsgeberbestätigung fehlt.", ["fs-WOHNUNGSGEBER", "BESCHEINIGUNG"]),
])
def test_real_compounds_are_still_split(text: str, parts: list[str], vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert [g for g in result if g in parts] == parts


def test_an_unanalysed_word_is_split_only_into_known_parts_and_never_at_a_particle() -> None:
    vocabulary = {"unter": "UNTER", "nehmen": "NEHMEN", "termin": "TERMIN", "vereinbaren": "VEREINBAREN"}
    assert split_compound("Unternehmen", vocabulary, analyse=False) is None
    assert split_compound("Terminvereinbarung", vocabulary, analyse=False) == [
        ("termin", "TERMIN"), ("vereinbarung", "VEREINBAREN")]
    assert split_compound("Terminxyzwq", vocabulary, analyse=False) is None


@pytest.mark.parametrize(("text", "sign", "not_sign"), [
    ("Ich bin gleich zurück.", "BALD", "GLEICH"),  # an adverb of time: soon
    ("Der Termin kommt gleich.", "BALD", "GLEICH"),
    ("Die Formulare sind gleich.", "GLEICH", "BALD"),  # the same
    ("Das gleiche Formular gilt.", "GLEICH", "BALD"),
])
def test_gleich_is_soon_as_an_adverb_and_the_same_otherwise(text: str, sign: str, not_sign: str,
                                                           vocabulary: dict[str, str]) -> None:
    result = glosses(text, vocabulary)
    assert sign in result and not_sign not in result
