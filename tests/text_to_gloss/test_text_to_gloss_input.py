"""Bad input to text_to_gloss fails early with a message saying what to change."""

from __future__ import annotations

import pytest

from signavatar.errors import InvalidInputError
from signavatar.text_to_gloss import MAX_TEXT_CHARS, text_to_gloss


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\x00\x07\x1b"])
def test_empty_text_is_refused(text: str, vocabulary: dict[str, str]) -> None:
    with pytest.raises(InvalidInputError, match="text is empty"):
        text_to_gloss(text, vocabulary)


def test_too_long_text_names_the_limit(vocabulary: dict[str, str]) -> None:
    text = "Ich brauche einen Termin. " * 100
    assert len(text) > MAX_TEXT_CHARS
    with pytest.raises(InvalidInputError, match=f"limit is {MAX_TEXT_CHARS}"):
        text_to_gloss(text, vocabulary)


def test_text_at_the_limit_is_accepted(vocabulary: dict[str, str]) -> None:
    text = ("Ich brauche einen Termin. " * 100)[:MAX_TEXT_CHARS]
    assert len(text_to_gloss(text, vocabulary).tokens) > 100


def test_control_characters_are_stripped_not_refused(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Ich brau\x00che\r\n einen\x0b Termin.\x7f", vocabulary)
    assert result.glosses() == ["ICH", "TERMIN", "BRAUCHEN"]


def test_decomposed_umlauts_are_normalised(vocabulary: dict[str, str]) -> None:
    result = text_to_gloss("Wo ist das Bu\u0308rgeramt?", vocabulary)
    assert result.glosses() == ["BÜRGERAMT", "WO"]


def test_non_string_is_refused(vocabulary: dict[str, str]) -> None:
    with pytest.raises(InvalidInputError, match="must be a string"):
        text_to_gloss(None, vocabulary)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["...", "?!", "Dass?", "– „“ –"])  # "Oder?" is ODER now (conjunctions.py)
def test_text_with_nothing_to_sign_is_refused(text: str, vocabulary: dict[str, str]) -> None:
    with pytest.raises(InvalidInputError, match="nothing to sign"):
        text_to_gloss(text, vocabulary)


def test_invalid_input_error_is_also_a_value_error(vocabulary: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        text_to_gloss("", vocabulary)
