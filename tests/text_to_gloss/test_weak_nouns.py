"""A masculine noun of the weak declension in the singular (Name -> Namen, Kunde -> Kunden) is signed
once; the same form after a plural or dative-plural determiner stays a bare plural (signed twice)."""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import text_to_gloss

SIGNS = {"name": "NAME", "kollege": "KOLLEGE", "kunde": "KUNDE", "ändern": "ÄNDERN", "sprechen": "SPRECHEN",
         "helfen": "HELFEN", "stehen": "STEHEN", "angeben": "ANGEBEN", "karte": "KARTE", "bekommen": "BEKOMMEN"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Ich möchte meinen Namen ändern.", "ICH NAME ÄNDERN MÖCHTEN"),
    ("Geben Sie einen Namen an.", "DU NAME ANGEBEN"),
    ("Wir helfen dem Kunden.", "WIR KUNDE HELFEN"),
    ("Ich spreche mit meinem Kollegen.", "ICH KOLLEGE SPRECHEN"),
    ("Ich spreche mit meinen Kollegen.", "ICH KOLLEGE KOLLEGE SPRECHEN"),
    ("Die Namen stehen dort.", "NAME NAME fs-DORT STEHEN"),
    ("Sie bekommen Karten.", "DU KARTE KARTE BEKOMMEN"),
])
def test_weak_noun_number(vocabulary: dict[str, str], text: str, expected: str) -> None:
    assert str(text_to_gloss(text, {**vocabulary, **SIGNS})) == expected
