"""'Ihr'/'ihr' before a noun is a possessive even where HanTa tags it as a personal pronoun: the
formal 'Ihr Termin' is the reader's (DU), 'ihr Kind' after a plural subject is theirs (the possessive
sign IHR, or SIE in the real lexicon)."""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import text_to_gloss

SIGNS = {"kurs": "KURS", "beginnen": "BEGINNEN", "verfallen": "VERFALLEN", "sonst": "SONST"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Sonst verfällt Ihr Termin.", "SONST DEIN TERMIN VERFALLEN"),
    ("Morgen beginnt Ihr Kurs.", "MORGEN DEIN KURS BEGINNEN"),
    ("Die Eltern bringen ihr Kind mit.", "fs-ELTERN IHR fs-KIND MITBRINGEN"),
])
def test_ihr_before_a_noun_is_a_possessive(vocabulary: dict[str, str], text: str, expected: str) -> None:
    assert str(text_to_gloss(text, {**vocabulary, **SIGNS})) == expected
