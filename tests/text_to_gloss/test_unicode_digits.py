"""Digits of other scripts and digit-like symbols (found by fuzzing the real translator over HTTP,
tests/api/test_fuzz_real_translator.py): "¹" passed str.isdigit(), became a number token, and the
sequencer's number signs (ASCII digits only) raised ValueError, a 500 on POST /v1/clips.

Now the translator reads decimal digits of any script as their ASCII digit ("٣" -> 3, "１２" -> 12)
and never makes a number of "¹", "²³" or "①"; every number token it gives is ASCII digits."""

from __future__ import annotations

import pytest

from signavatar.errors import InvalidInputError
from signavatar.gloss_to_pose.numbers import number_signs
from signavatar.text_to_gloss import parse_gloss_string, text_to_gloss
from signavatar.text_to_gloss.gloss_ids import is_number_gloss

TEXTS = ["¹", "²³", "Ich habe ² Kinder", "①", "1¹", "Um ¹:³ Uhr", "٣", "Ich habe ٣ Kinder", "１２ Uhr",
         "Am ١٧.٠٣.٢٠٢٥", "Termin ۲۴"]


@pytest.mark.parametrize("text", TEXTS)
def test_every_number_token_is_ascii_digits_the_number_signs_can_sign(text: str, vocabulary: dict[str, str]) -> None:
    try:
        seq = text_to_gloss(text, vocabulary)
    except InvalidInputError:
        return  # nothing to sign: a 400, never a 500
    for token in seq.tokens:
        if token.kind == "number":
            assert is_number_gloss(token.gloss), (text, token)
            assert number_signs(token.gloss)


@pytest.mark.parametrize("text,numbers",
                         [("Ich habe ٣ Kinder", ["3"]), ("١٢ Termine", ["12"]), ("１２ Termine", ["12"])])
def test_decimal_digits_of_other_scripts_are_numbers(text: str, numbers: list[str], vocabulary: dict[str, str]) -> None:
    assert [t.gloss for t in text_to_gloss(text, vocabulary).tokens if t.kind == "number"] == numbers


def test_glosses_in_other_digits_parse_as_ascii_numbers() -> None:
    assert str(parse_gloss_string("٣ ١٢", frozenset())) == "3 12"
