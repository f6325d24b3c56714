"""An editor's mouthing in a gloss string, `GLOSS{mouthing}` (text_to_gloss/mouthing_override.py):
parsed onto GlossToken.mouthing, written back by GlossSequence.__str__, bad input refused with a
message that says what to write."""

from __future__ import annotations

import pytest

from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.gloss_to_pose.mouthing import MOUTH_GESTURES
from signavatar.text_to_gloss import parse_gloss_string
from signavatar.text_to_gloss.mouthing_override import MAX_MOUTHING_CHARS, MOUTH_GESTURE_NAMES
from signavatar.types import GlossSequence, GlossToken

KNOWN = {"TERMIN", "GUT", "KOMMEN", "ICH", "BRAUCHEN"}


def test_a_mouthing_in_braces_is_the_tokens_mouthing() -> None:
    seq = parse_gloss_string("TERMIN{termin} GUT{pf} KOMMEN{none} ICH", KNOWN)
    assert [(t.gloss, t.kind, t.mouthing) for t in seq.tokens] == [
        ("TERMIN", "lexicon", "termin"), ("GUT", "lexicon", "pf"), ("KOMMEN", "lexicon", "none"),
        ("ICH", "lexicon", None),
    ]


def test_fingerspelling_and_numbers_take_a_mouthing_too() -> None:
    seq = parse_gloss_string("fs-meier{maier} 17{siebzehn}", KNOWN)
    assert [(t.gloss, t.kind, t.mouthing) for t in seq.tokens] == [
        ("fs-MEIER", "fingerspell", "maier"), ("17", "number", "siebzehn"),
    ]


def test_the_mouthing_is_kept_in_lower_case_with_umlauts_sharp_s_and_hyphens() -> None:
    seq = parse_gloss_string("GUT{Größe} TERMIN{E-Mail} KOMMEN{PF} ICH{GROẞ}", KNOWN)
    assert [t.mouthing for t in seq.tokens] == ["größe", "e-mail", "pf", "groß"]


@pytest.mark.parametrize("glosses", [
    "TERMIN{termin} GUT{pf} KOMMEN{none} ICH",
    "fs-MEIER{meier} 17{siebzehn} BRAUCHEN{brauchen-ich}",
    "ICH BRAUCHEN",
    "GUT{" + "ä" * MAX_MOUTHING_CHARS + "}",
])
def test_a_gloss_string_round_trips(glosses: str) -> None:
    seq = parse_gloss_string(glosses, KNOWN)
    assert str(seq) == glosses
    assert parse_gloss_string(str(seq), KNOWN).tokens == seq.tokens


def test_str_writes_the_editors_mouthing_and_only_that() -> None:
    seq = GlossSequence((GlossToken("GUT", mouthing="pf"), GlossToken("TERMIN", words=("Termin",)),
                         GlossToken("fs-ANNA", kind="fingerspell", mouthing="anna")))
    assert str(seq) == "GUT{pf} TERMIN fs-ANNA{anna}"


@pytest.mark.parametrize("glosses,words", [
    ("GUT{}", ["mouthing of 'GUT' is empty", "leave the braces out"]),
    ("GUT{pf", ["'GUT{pf' has no closing '}'", "without spaces"]),
    ("GUT{p f}", ["'GUT{p' has no closing '}'", "without spaces"]),
    ("ICH pf}", ["'pf}' has a '}' without '{'", "GLOSS{word}"]),
    ("{pf} GUT", ["'{pf}' is a mouthing without a gloss", "GUT{pf}"]),
    ("GUT{pf}KOMMEN", ["nothing may follow the closing '}'", "space before the next gloss"]),
    ("GUT{a}{b}", ["nothing may follow the closing '}'"]),
    ("GUT{gut1}", ["mouthing 'gut1' of 'GUT' is not one word", "pf, mm, sch, ts, none"]),
    ("GUT{'gut'}", ["is not one word"]),
    ("GUT{-gut}", ["is not one word"]),
    ("GUT{gut-}", ["is not one word"]),
    ("GUT{" + "a" * (MAX_MOUTHING_CHARS + 1) + "}", [f"{MAX_MOUTHING_CHARS + 1} characters; at most "
                                                      f"{MAX_MOUTHING_CHARS}"]),
])
def test_a_malformed_mouthing_says_what_to_write(glosses: str, words: list[str]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_gloss_string(glosses, KNOWN)
    assert not isinstance(caught.value, UnknownGlossError)
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_an_unknown_gloss_with_a_mouthing_names_the_gloss() -> None:
    with pytest.raises(UnknownGlossError, match=r"unknown gloss 'QUATSCH'.*fs-QUATSCH") as caught:
        parse_gloss_string("ICH QUATSCH{quatsch}", KNOWN)
    assert "{" not in str(caught.value)


def test_the_parser_knows_the_mouth_gestures_of_the_motion() -> None:
    assert set(MOUTH_GESTURE_NAMES) == set(MOUTH_GESTURES)
    seq = parse_gloss_string(" ".join(f"GUT{{{name}}}" for name in MOUTH_GESTURES), KNOWN)
    assert [t.mouthing for t in seq.tokens] == list(MOUTH_GESTURES)
