"""Hand-written gloss strings and the gloss id convention."""

from __future__ import annotations

import pytest

from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.text_to_gloss import parse_gloss_string, to_gloss_id
from signavatar.types import GlossToken

KNOWN = {"TERMIN", "ICH", "BRAUCHEN", "KOMMEN", "STRASSE", "BÜRGERAMT"}


def test_lexicon_glosses_in_order() -> None:
    result = parse_gloss_string("TERMIN ICH BRAUCHEN", KNOWN)
    assert result.tokens == (GlossToken("TERMIN"), GlossToken("ICH"), GlossToken("BRAUCHEN"))
    assert result.sentence_type == "statement"
    assert result.warnings == ()


def test_fingerspelling_and_numbers() -> None:
    result = parse_gloss_string("fs-MEIER KOMMEN 17", KNOWN)
    assert [(t.gloss, t.kind) for t in result.tokens] == [
        ("fs-MEIER", "fingerspell"), ("KOMMEN", "lexicon"), ("17", "number"),
    ]


def test_fingerspelling_is_normalised_to_upper_case_keeping_sharp_s() -> None:
    result = parse_gloss_string("FS-straße fs-Müller", KNOWN)
    assert result.glosses() == ["fs-STRAßE", "fs-MÜLLER"]


def test_lower_case_lexicon_gloss_is_accepted_and_upper_cased() -> None:
    assert parse_gloss_string("termin  bürgeramt\n", KNOWN).glosses() == ["TERMIN", "BÜRGERAMT"]


def test_unknown_gloss_names_it_and_suggests_fingerspelling() -> None:
    with pytest.raises(UnknownGlossError, match=r"'MEIER'.*fs-MEIER") as caught:
        parse_gloss_string("TERMIN MEIER", KNOWN)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("gloss", ["fs-", "fs-M3IER", "fs-O'BRIEN", "17a", "²"])
def test_malformed_tokens_are_unknown(gloss: str) -> None:
    with pytest.raises(UnknownGlossError):
        parse_gloss_string(f"ICH {gloss}", KNOWN)


@pytest.mark.parametrize("glosses", ["", "  \n\t"])
def test_empty_gloss_string_is_refused(glosses: str) -> None:
    with pytest.raises(InvalidInputError, match="glosses is empty"):
        parse_gloss_string(glosses, KNOWN)


@pytest.mark.parametrize(
    ("word", "gloss"),
    [
        ("Termin", "TERMIN"), ("Straße", "STRASSE"), ("Bürgeramt", "BÜRGERAMT"),
        ("nächste Woche", "NÄCHSTE-WOCHE"), ("GROẞ", "GROSS"),
    ],
)
def test_gloss_id_convention(word: str, gloss: str) -> None:
    assert to_gloss_id(word) == gloss


def test_gloss_id_of_nothing_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        to_gloss_id("  ")
