"""The fingerspelling convention (signavatar/fingerspelling.py): how a spelled word is written and
which letter signs of the lexicon spell it."""

from __future__ import annotations

import pytest

from signavatar.fingerspelling import (
    LETTER_SIGN_PREFIX,
    PREFIX,
    as_letter_sign_id,
    fingerspell_gloss,
    has_fingerspell_prefix,
    is_fingerspell_gloss,
    is_letter_sign,
    letter_sign_id,
    letter_sign_ids,
    letters,
    read_written_fingerspelling,
    spell_letters,
    spelled_word,
    viewer_gloss,
)
from signavatar.lexicon import load_lexicon


def test_one_prefix_written_two_ways() -> None:
    assert PREFIX == "fs-"
    assert LETTER_SIGN_PREFIX == PREFIX.upper() == "FS-"


@pytest.mark.parametrize(("word", "gloss"), [
    ("Meier", "fs-MEIER"),
    ("Goethestraße", "fs-GOETHESTRAßE"),  # ß kept: DGS has a handshape for it
    ("GOETHESTRAẞE", "fs-GOETHESTRAßE"),  # capital ẞ too
    ("Müller", "fs-MÜLLER"),
    ("Öztürk", "fs-ÖZTÜRK"),
    ("José", "fs-JOSE"),  # accents fall back to the base letter
    ("François", "fs-FRANCOIS"),
    ("Yılmaz", "fs-YILMAZ"),  # dotless i has no decomposition
    ("Søren", "fs-SOREN"),
    ("Łukasz", "fs-LUKASZ"),
    ("Ærø", "fs-AERO"),
    ("info@stadt.de", "fs-INFOSTADTDE"),  # what is not a letter is dropped
])
def test_a_word_becomes_one_gloss(word: str, gloss: str) -> None:
    assert fingerspell_gloss(word) == gloss
    assert is_fingerspell_gloss(gloss)
    assert spell_letters(word) == gloss[len(PREFIX):]


def test_nothing_to_spell() -> None:
    assert fingerspell_gloss("123 @.") is None
    assert fingerspell_gloss("") is None
    assert spell_letters("😀") == ""


def test_well_formed_glosses_only() -> None:
    for bad in ("FS-MEIER", "fs-meier", "fs-", "fs-JOSÉ", "fs-A1", "MEIER", "fs-STRASSE "):
        assert not is_fingerspell_gloss(bad), bad
    assert is_fingerspell_gloss("fs-STRASSE")


def test_what_an_editor_writes_is_normalised() -> None:
    assert read_written_fingerspelling("FS-straße") == "fs-STRAßE"
    assert read_written_fingerspelling("fs-meier") == "fs-MEIER"
    assert read_written_fingerspelling("Fs-Ärger") == "fs-ÄRGER"
    for bad in ("fs-José", "fs-A1", "fs-", "MEIER", "fs-MEI-ER"):
        assert read_written_fingerspelling(bad) is None, bad
    assert has_fingerspell_prefix("FS-A") and has_fingerspell_prefix("fs-José")
    assert not has_fingerspell_prefix("FSA") and not has_fingerspell_prefix("f")


def test_letters_keep_sch_umlauts_and_sharp_s() -> None:
    assert letters("Schütze") == ["SCH", "Ü", "T", "Z", "E"]
    assert letters("STRAßE") == ["S", "T", "R", "A", "ß", "E"]
    assert letters("STRAẞE") == ["S", "T", "R", "A", "ß", "E"]
    assert letters("Schloß") == ["SCH", "L", "O", "ß"]
    assert letters("É") == ["É"]  # not dropped here: the sequencer says which letter has no sign
    assert letters("") == []


def test_letter_sign_ids_are_upper_case_lexicon_ids_but_keep_sharp_s() -> None:
    assert letter_sign_id("a") == "FS-A"
    assert letter_sign_id("ä") == "FS-Ä"
    assert letter_sign_id("ß") == letter_sign_id("ẞ") == "FS-ß"  # "ß".upper() would be "SS"
    assert letter_sign_id("sch") == "FS-SCH"
    with pytest.raises(ValueError):
        letter_sign_id(" ")
    assert is_letter_sign("FS-ß") and is_letter_sign("FS-SCH")
    assert not is_letter_sign("fs-MEIER") and not is_letter_sign("NUM-7") and not is_letter_sign("TERMIN")


def test_what_a_person_calls_a_letter_sign() -> None:
    assert as_letter_sign_id("fs-a") == "FS-A"
    assert as_letter_sign_id("fs-ß") == as_letter_sign_id("FS-SS") == "FS-ß"
    assert as_letter_sign_id("fs-sch") == "FS-SCH"
    assert as_letter_sign_id("TERMIN") is None
    assert as_letter_sign_id("fs-") is None


def test_spelled_word() -> None:
    assert spelled_word("fs-MEIER") == "MEIER"
    assert spelled_word("FS-MEIER") == "MEIER"
    assert spelled_word("MEIER") == "MEIER"  # a bare word of a fingerspell token


@pytest.mark.parametrize(("word", "signs"), [
    ("Schloß", ["FS-SCH", "FS-L", "FS-O", "FS-ß"]),
    ("Yılmaz", ["FS-Y", "FS-I", "FS-L", "FS-M", "FS-A", "FS-Z"]),
    ("Jürgen", ["FS-J", "FS-Ü", "FS-R", "FS-G", "FS-E", "FS-N"]),
    ("Zoë", ["FS-Z", "FS-O", "FS-E"]),
    ("Straße", ["FS-S", "FS-T", "FS-R", "FS-A", "FS-ß", "FS-E"]),
])
def test_round_trip_word_gloss_letter_signs(word: str, signs: list[str]) -> None:
    gloss = fingerspell_gloss(word)
    assert gloss is not None
    assert letter_sign_ids(gloss) == signs
    lexicon = load_lexicon()
    assert all(lexicon.get(sign) is not None and lexicon.get(sign).is_letter for sign in signs)  # type: ignore[union-attr]


def test_every_letter_sign_of_the_lexicon_is_reachable() -> None:
    """Each of the lexicon's letter signs is the id of the letter it is named after, and spells it."""
    lexicon = load_lexicon()
    letter_signs = [g for g in lexicon.entries if is_letter_sign(g)]
    assert len(letter_signs) == 31
    for sign in letter_signs:
        letter = sign[len(LETTER_SIGN_PREFIX):]
        assert letter_sign_id(letter) == sign
        assert letter_sign_id(letter.lower()) == sign
        assert letter_sign_ids(PREFIX + letter) == [sign]
        assert lexicon.letter(letter).gloss == sign


@pytest.mark.parametrize(
    "gloss,shown",
    [
        ("fs-MEIER", "M-E-I-E-R"),  # a spelled word as viewers read fingerspelling
        ("fs-SCHULZE", "SCH-U-L-Z-E"),  # SCH is one letter sign
        ("fs-GOETHESTRAßE", "G-O-E-T-H-E-S-T-R-A-ß-E"),
        ("fs-ÖZTÜRK", "Ö-Z-T-Ü-R-K"),
        ("fs-A", "A"),
        ("FS-ß", "ß"),  # a letter sign's lexicon id is the letter
        ("TERMIN", "TERMIN"),  # lexicon glosses and numbers as they are
        ("17", "17"),
        ("BUCHSTABIEREN", "BUCHSTABIEREN"),
        ("fs-", "fs-"),  # nothing spelled: shown as written rather than vanishing
    ],
)
def test_viewer_gloss(gloss: str, shown: str) -> None:
    assert viewer_gloss(gloss) == shown
    assert PREFIX not in viewer_gloss(fingerspell_gloss("Meier") or "")
