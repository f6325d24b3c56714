"""Word- and phrase-level rules that keep the meaning (issue 22): particle verbs, open/closed,
durations, fixed phrases, meaning-bearing prepositions, quantities, comparatives, focus particles,
false friends (So, place-fronting), addresses and no equal signs in a row from one idea.

The small test vocabulary (conftest.py) is extended per test with the signs the rule needs, the
way the lexicon will have them (gloss names of the issue-22 conventions), so each test shows the
rule and not the state of the real lexicon; a missing sign is fingerspelled, never dropped.
"""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import explain, text_to_gloss

NEW_SIGNS = {
    "nur": "NUR", "noch": "NOCH", "schon": "SCHON", "selbst": "SELBST", "ab": "AB", "seit": "SEIT", "vor": "VOR",
    "nach": "NACH", "bis": "BIS", "unter": "UNTER", "über": "ÜBER", "pro": "PRO", "innerhalb": "INNERHALB",
    "bis zu": "BIS-ZU", "ungefähr": "UNGEFÄHR", "lang": "LANG", "lange": "LANGE", "wie lange": "WIE-LANGE",
    "zum beispiel": "ZUM-BEISPIEL", "nach hause": "NACH-HAUSE", "länger": "LÄNGER", "weniger": "WENIGER",
    "teurer": "TEURER", "mehr": "MEHR", "auch": "AUCH", "dauern": "DAUERN", "sonntag": "SONNTAG",
    "samstag": "SAMSTAG", "tag": "TAG", "monat": "MONAT", "jahr": "JAHR", "minute": "MINUTE", "kind": "KIND",
    "gehen": "GEHEN", "rathaus": "RATHAUS", "telefonieren": "TELEFON", "bringen": "BRINGEN", "geben": "GEBEN",
    "deutsch": "DEUTSCH", "umzug": "UMZIEHEN", "gültig": "GÜLTIG", "bar": "BAR", "person": "PERSON",
}


@pytest.fixture
def signs(vocabulary: dict[str, str]) -> dict[str, str]:
    return {**vocabulary, **NEW_SIGNS}


def glosses(text: str, vocabulary: dict[str, str]) -> str:
    return " ".join(text_to_gloss(text, vocabulary).glosses())


# --- particle verbs and open/closed


@pytest.mark.parametrize(("text", "expected"), [
    ("Das Bürgeramt macht um 8 Uhr auf.", "8 UHR BÜRGERAMT ÖFFNEN"),
    ("Das Bürgeramt macht um 12 Uhr zu.", "12 UHR BÜRGERAMT SCHLIESSEN"),
    ("Machen Sie bitte die Tür zu.", "DU BITTE fs-TÜR SCHLIESSEN"),
    ("Bringen Sie den Pass mit.", "DU PASS MITBRINGEN"),
    ("Bringen Sie das Foto vorbei.", "DU FOTO BRINGEN"),
    ("Rufen Sie uns morgen an.", "MORGEN DU WIR TELEFON"),
    ("Können Sie das Fenster aufmachen?", "DU fs-FENSTER ÖFFNEN KÖNNEN"),
])
def test_a_particle_verb_takes_the_sign_of_the_whole_verb(text: str, expected: str, signs: dict[str, str]) -> None:
    assert glosses(text, signs) == expected


@pytest.mark.parametrize(("text", "base", "particle"), [
    ("Das Amt stellt den Ausweis aus.", "STELLEN", "aus"),
    ("Die Kinder fangen morgen an.", "FANGEN", "an"),
    ("Er sieht müde aus.", "SEHEN", "aus"),
    ("Wir hören um 12 Uhr auf.", "HÖREN", "auf"),
])
def test_a_particle_verb_is_never_signed_as_its_base_verb(
    text: str, base: str, particle: str, signs: dict[str, str]
) -> None:
    signs |= {"stellen": "STELLEN", "fangen": "FANGEN", "sehen": "SEHEN", "hören": "HÖREN"}
    tokens = text_to_gloss(text, signs).tokens
    assert base not in [t.gloss for t in tokens]
    verb = next(t for t in tokens if particle in t.words)
    assert len(verb.words) == 2  # the verb and its particle, one sign (or one spelled word)


def test_a_particle_verb_without_any_sign_is_spelled_whole(signs: dict[str, str]) -> None:
    result = text_to_gloss("Er sieht müde aus.", {**signs, "sehen": "SEHEN"})
    assert "fs-AUSSEHEN" in result.glosses()


def test_um_before_a_clock_time_is_not_the_verbs_particle(signs: dict[str, str]) -> None:
    signs["essen"] = "ESSEN"
    assert glosses("Die Kinder essen um 12 Uhr.", signs) == "12 UHR KIND KIND ESSEN"
    assert glosses("Rufen Sie uns an: 030 1234-567.", signs) == "DU WIR 0 3 0 1 2 3 4 5 6 7 TELEFON"


@pytest.mark.parametrize(("text", "expected"), [
    ("Das Amt ist heute zu.", "HEUTE AMT SCHLIESSEN"),
    ("Das Amt ist ab 8 Uhr auf.", "AB 8 UHR AMT ÖFFNEN"),
    ("Am Samstag haben wir zu.", "SAMSTAG WIR SCHLIESSEN"),
    ("Wir haben am Samstag zu.", "SAMSTAG WIR SCHLIESSEN"),
    ("Das Bürgeramt ist jetzt geschlossen.", "JETZT BÜRGERAMT SCHLIESSEN"),
])
def test_predicative_open_and_closed(text: str, expected: str, signs: dict[str, str]) -> None:
    result = explain(text, signs)
    assert " ".join(result.sequence.glosses()) == expected
    assert "HABEN" not in result.sequence.glosses()


def test_open_closed_is_credited_to_its_rule(signs: dict[str, str]) -> None:
    result = explain("Das Amt ist heute zu.", signs)
    assert result.sequence.tokens[-1].rule == "open-closed"
    assert result.sequence.tokens[-1].words == ("zu",)


# --- durations and lengths


@pytest.mark.parametrize(("text", "expected"), [
    ("Wie lange dauert die Anmeldung?", "ANMELDEN DAUERN WIE-LANGE"),
    ("Wie lange muss ich warten?", "ICH WARTEN MÜSSEN WIE-LANGE"),
    ("Das dauert lange.", "DAUERN LANGE"),
    ("Sie müssen lange warten.", "DU LANGE WARTEN MÜSSEN"),
    ("Das dauert 2 Wochen.", "2 WOCHE DAUERN"),
    ("Der Tisch ist 3 Meter lang.", "fs-TISCH 3 fs-METER LANG"),
    ("Die Bearbeitung dauert länger als 3 Monate.", "fs-BEARBEITUNG LÄNGER 3 MONAT DAUERN"),
])
def test_durations_and_lengths(text: str, expected: str, signs: dict[str, str]) -> None:
    assert glosses(text, signs) == expected


def test_lange_is_never_dauern_even_when_the_lexicon_files_it_there(signs: dict[str, str]) -> None:
    # the lexicon before issue 22 listed "lange" and "lang" under DAUERN
    signs |= {"lange": "DAUERN", "lang": "DAUERN"}
    result = text_to_gloss("Das dauert lange.", signs)
    assert result.glosses() == ["DAUERN", "fs-LANGE"]
    assert result.warnings == ("„lange“ braucht die Gebärde LANGE, die nicht im Lexikon ist: wird gebuchstabiert",)
    assert text_to_gloss("Der Weg ist lang.", signs).glosses()[-1] == "fs-LANG"


# --- fixed phrases


@pytest.mark.parametrize(("text", "expected"), [
    ("Zum Beispiel brauchen Sie einen Pass.", "ZUM-BEISPIEL DU PASS BRAUCHEN"),
    ("Sie brauchen z.B. einen Pass.", "DU ZUM-BEISPIEL PASS BRAUCHEN"),
    ("Ich gehe nach Hause.", "ICH NACH-HAUSE GEHEN"),
    ("Bringen Sie bis zu 3 Fotos mit.", "DU BIS-ZU 3 FOTO MITBRINGEN"),
    ("Melden Sie das Kind bis zum 31. Januar an.", "BIS 31 fs-JANUAR DU KIND ANMELDEN"),
])
def test_fixed_phrases_are_one_sign(text: str, expected: str, signs: dict[str, str]) -> None:
    assert glosses(text, signs) == expected


def test_a_phrase_without_a_sign_is_spelled_and_keeps_its_rule(vocabulary: dict[str, str]) -> None:
    result = explain("Zum Beispiel brauchen Sie einen Pass.", vocabulary)
    first = result.sequence.tokens[0]
    assert (first.gloss, first.kind, first.rule, first.words) == ("fs-ZUMBEISPIEL", "fingerspell", "phrase",
                                                                  ("Zum", "Beispiel"))


# --- meaning-bearing prepositions, quantities, comparatives


@pytest.mark.parametrize(("text", "expected"), [
    ("Ab 8 Uhr können Sie kommen.", "AB 8 UHR DU KOMMEN KÖNNEN"),
    ("Sie können ab 8 Uhr kommen.", "AB 8 UHR DU KOMMEN KÖNNEN"),
    ("Seit Montag ist das Amt geschlossen.", "SEIT MONTAG AMT SCHLIESSEN"),
    ("Bis Freitag müssen Sie das Formular abgeben.", "BIS FREITAG DU FORMULAR GEBEN MÜSSEN"),
    ("Vor 3 Tagen war ich im Amt.", "VOR 3 TAG AMT ICH"),
    ("Nach dem Umzug müssen Sie sich anmelden.", "NACH UMZIEHEN DU ANMELDEN MÜSSEN"),
    ("Sie müssen sich innerhalb von zwei Wochen anmelden.", "INNERHALB 2 WOCHE DU ANMELDEN MÜSSEN"),
    ("Kommen Sie bitte 10 Minuten vor dem Termin.", "10 MINUTE VOR TERMIN DU BITTE KOMMEN"),
    ("Kinder unter 12 Jahren brauchen einen Pass.", "KIND KIND UNTER 12 JAHR PASS BRAUCHEN"),
    ("Der Pass kostet 10 Euro pro Person.", "PASS 10 EURO PRO PERSON KOSTEN"),
    ("Bis wann muss ich mich ummelden?", "ICH UMMELDEN MÜSSEN BIS WANN"),
])
def test_meaning_bearing_prepositions_move_with_their_phrase(text: str, expected: str, signs: dict[str, str]) -> None:
    assert glosses(text, signs) == expected


@pytest.mark.parametrize("text", [
    "Sie erreichen uns unter 030 1234-567.",
    "Mehr Informationen finden Sie unter www.berlin.de.",
])
def test_unter_before_a_phone_number_or_address_is_no_limit(text: str, signs: dict[str, str]) -> None:
    assert "UNTER" not in text_to_gloss(text, signs).glosses()


@pytest.mark.parametrize(("text", "expected"), [
    ("Das kostet etwa 30 Euro.", "UNGEFÄHR 30 EURO KOSTEN"),
    ("Das kostet ca. 30 Euro.", "UNGEFÄHR 30 EURO KOSTEN"),
    ("Der Termin dauert ungefähr 20 Minuten.", "TERMIN UNGEFÄHR 20 MINUTE DAUERN"),
    ("Das kostet rund 50 Euro.", "UNGEFÄHR 50 EURO KOSTEN"),
    ("Das kostet mehr als 100 Euro.", "MEHR 100 EURO KOSTEN"),
    ("Der Pass ist länger als 3 Monate gültig.", "PASS LÄNGER 3 MONAT GÜLTIG"),
    ("Der Reisepass ist teurer.", "REISEPASS TEURER"),
])
def test_quantities_and_comparatives_are_signed(text: str, expected: str, signs: dict[str, str]) -> None:
    signs["stadt"] = "STADT"
    assert glosses(text, signs) == expected


def test_rund_without_a_number_is_no_quantity(signs: dict[str, str]) -> None:
    signs["tisch"] = "TISCH"
    assert "UNGEFÄHR" not in text_to_gloss("Der Tisch ist rund.", signs).glosses()


# --- focus particles


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie können nur bar bezahlen.", "DU NUR BAR BEZAHLEN KÖNNEN"),
    ("Ich habe noch keinen Termin.", "ICH NOCH TERMIN HABEN KEIN"),
    ("Haben Sie schon einen Termin?", "DU SCHON TERMIN HABEN"),
    ("Der Pass ist bereits fertig.", "PASS SCHON FERTIG"),
    ("Sie müssen persönlich kommen.", "DU SELBST KOMMEN MÜSSEN"),
    ("Sie müssen selbst ins Bürgeramt kommen.", "BÜRGERAMT DU SELBST KOMMEN MÜSSEN"),
    ("Das Amt ist auch am Samstag offen.", "AUCH SAMSTAG AMT ÖFFNEN"),
])
def test_focus_particles_are_signed_where_they_stand(text: str, expected: str, signs: dict[str, str]) -> None:
    assert glosses(text, signs) == expected


def test_a_focus_particle_without_a_sign_is_spelled_not_dropped(vocabulary: dict[str, str]) -> None:
    result = explain("Sie können nur bar bezahlen.", vocabulary)
    nur = next(t for t in result.sequence.tokens if t.words == ("nur",))
    assert (nur.gloss, nur.rule) == ("fs-NUR", "focus-particle")


# --- false friends and addresses


@pytest.mark.parametrize(("text", "expected"), [
    ("So können Sie einen Termin machen.", "fs-SO DU TERMIN fs-MACHEN KÖNNEN"),
    ("So 10–12 Uhr geöffnet.", "SONNTAG 10 BIS 12 UHR ÖFFNEN"),
    ("Öffnungszeiten: Mo–So 10–12 Uhr", "MONTAG BIS SONNTAG 10 BIS 12 UHR ÖFFNEN"),
])
def test_so_is_sonntag_only_in_a_day_expression(text: str, expected: str, signs: dict[str, str]) -> None:
    signs["öffnungszeit"] = "ÖFFNEN"
    assert glosses(text, signs) == expected


def test_so_next_to_another_day_is_sonntag(signs: dict[str, str]) -> None:
    result = text_to_gloss("Sa und So geschlossen.", signs).glosses()
    assert "SONNTAG" in result and "fs-SO" not in result


@pytest.mark.parametrize(("text", "expected"), [
    ("Zum Beispiel brauchen Sie einen Pass.", "ZUM-BEISPIEL DU PASS BRAUCHEN"),
    ("Ich komme zur Abholung.", "ICH ABHOLEN KOMMEN"),
    ("Das Formular gibt es auf Deutsch.", "FORMULAR DEUTSCH GEBEN"),
    ("Sie bekommen den Pass in der Regel nach 3 Wochen.", "NACH 3 WOCHE DU PASS fs-REGEL fs-BEKOMMEN"),
    ("Kinder haben einen Anspruch auf einen Kitaplatz.", "KIND KIND fs-ANSPRUCH fs-KITAPLATZ HABEN"),
])
def test_only_a_place_like_noun_is_fronted_as_a_place(text: str, expected: str, signs: dict[str, str]) -> None:
    assert glosses(text, signs) == expected


def test_places_are_still_fronted(signs: dict[str, str]) -> None:
    assert glosses("Morgen warte ich im Rathaus.", signs) == "MORGEN RATHAUS ICH WARTEN"
    assert glosses("Ich warte in Berlin.", signs) == "fs-BERLIN ICH WARTEN"


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich wohne in der Hauptstraße 5, 12345 Berlin.", "fs-HAUPTSTRAßE 5 1 2 3 4 5 fs-BERLIN ICH fs-WOHNEN"),
    ("Die Adresse ist Hauptstraße 5, 12345 Berlin.", "fs-ADRESSE fs-HAUPTSTRAßE 5 1 2 3 4 5 fs-BERLIN"),
    ("Das Amt ist in der Goethestraße 12, 10115 Berlin.", "fs-GOETHESTRAßE 12 1 0 1 1 5 fs-BERLIN AMT"),
])
def test_an_address_stays_together_in_order(text: str, expected: str, signs: dict[str, str]) -> None:
    result = explain(text, signs)
    assert " ".join(result.sequence.glosses()) == expected
    assert "address" in result.rules


# --- no equal signs in a row from one idea


def test_two_words_of_one_idea_give_one_sign(signs: dict[str, str]) -> None:
    signs["kinderreisepass"] = "PASS"
    result = explain("Mein Kind braucht einen Kinderreisepass für das Kind.", signs)
    assert all(a != b for a, b in zip(result.sequence.glosses(), result.sequence.glosses()[1:]))
    signs |= {"offen": "ÖFFNEN", "öffnungszeit": "ÖFFNEN"}
    result = explain("Die Öffnungszeiten sind offen.", signs)
    assert result.sequence.glosses() == ["ÖFFNEN"]
    assert (("offen",), "no-repeat") in result.dropped


def test_two_verbs_of_one_sign_are_two_predicates(signs: dict[str, str]) -> None:
    signs["offen"] = "ÖFFNEN"
    result = glosses("Das Bürgeramt macht um 8 Uhr auf und ist bis 12 Uhr offen.", signs)
    assert result.count("ÖFFNEN") == 2


def test_the_plural_repeat_of_one_word_stays(signs: dict[str, str]) -> None:
    assert glosses("Bringen Sie die Formulare mit.", signs) == "DU FORMULAR FORMULAR MITBRINGEN"
    assert glosses("Die Nummer ist 030 1000-00.", signs).endswith("0 3 0 1 0 0 0 0 0")
    assert glosses("Herr Meier und Herr Meier warten.", signs) == "fs-MEIER fs-MEIER WARTEN"  # two people: both stay


@pytest.mark.parametrize(("text", "expected"), [
    ("Die Anmeldung kostet nichts.", "ANMELDEN KOSTEN KEIN"),
    ("Kinder unter 6 Jahren zahlen nichts.", "KIND KIND UNTER 6 JAHR BEZAHLEN KEIN"),
])
def test_nichts_is_a_negation_at_the_end(text: str, expected: str, signs: dict[str, str]) -> None:
    signs |= {"zahlen": "BEZAHLEN", "nichts": "KEIN"}
    result = text_to_gloss(text, signs)
    assert " ".join(result.glosses()) == expected
    assert result.tokens[-1].nonmanual == ("negation",)


def test_one_verb_with_two_particles_gives_two_signs(signs: dict[str, str]) -> None:
    signs["bibliothek"] = "BIBLIOTHEK"
    result = glosses("Die Bibliothek macht um 10 Uhr auf und um 18 Uhr zu.", signs)
    assert result.endswith("ÖFFNEN SCHLIESSEN")  # in this order, after BIBLIOTHEK (and UND, which the test has)
    assert "MACHEN" not in result


def test_a_predicative_word_tagged_as_particle_is_signed(signs: dict[str, str]) -> None:
    assert glosses("Der Eintritt ist frei.", signs) == "fs-EINTRITT fs-FREI"
    assert "fs-DABEI" not in glosses("Haben Sie Ihren Ausweis dabei?", signs)  # after haben: dabeihaben


def test_bis_ende_maerz_moves_first_as_one_time_phrase(signs: dict[str, str]) -> None:
    signs |= {"ende": "ENDE", "märz": "MÄRZ"}
    assert glosses("Bis Ende März können Sie den Antrag stellen.", signs).startswith("BIS ENDE MÄRZ DU")


@pytest.mark.parametrize("text", [
    "So und feiertags ist das Amt geschlossen.", "Das Amt ist Mo–Sa geöffnet, So geschlossen.",
])
def test_so_before_closed_or_next_to_a_holiday_is_sonntag(text: str, signs: dict[str, str]) -> None:
    assert "SONNTAG" in text_to_gloss(text, signs).glosses()


@pytest.mark.parametrize(("text", "expected"), [
    ("Wir haben den Antrag erhalten.", "WIR fs-ANTRAG fs-ERHALTEN"),
    ("Ich habe den Brief bekommen.", "ICH fs-BRIEF fs-BEKOMMEN"),
    ("Wir haben viel zu tun.", "WIR fs-VIEL HABEN fs-TUN"),
    ("Ich habe einen Termin.", "ICH TERMIN HABEN"),
])
def test_haben_before_a_participle_that_looks_like_an_infinitive_is_an_auxiliary(
    text: str, expected: str, vocabulary: dict[str, str]
) -> None:
    assert glosses(text, vocabulary) == expected
