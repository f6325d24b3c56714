"""Inflected determiners and nouns HanTa tags "NNA": "jeden Monat" finds the sign listed as "jede";
"an diesem Tag" signs the day, not fs-DIESEM (a demonstrative before a noun has no sign of its own);
a noun is fingerspelled as written even where HanTa's lemma cuts it."""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import explain, text_to_gloss

SIGNS = {"jede": "JEDE", "tag": "TAG", "monat": "MONAT", "bekommen": "BEKOMMEN", "geld": "GELD"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie bekommen das Geld jeden Monat.", "JEDE MONAT DU GELD BEKOMMEN"),
    ("An diesem Tag müssen Sie kommen.", "TAG DU KOMMEN MÜSSEN"),
    ("Dieses Formular ist neu.", "FORMULAR NEU"),
])
def test_determiners(vocabulary: dict[str, str], text: str, expected: str) -> None:
    assert str(text_to_gloss(text, {**vocabulary, **SIGNS})) == expected


def test_demonstrative_drop_is_explained(vocabulary: dict[str, str]) -> None:
    dropped = dict((words, rule) for words, rule in explain("An diesem Tag müssen Sie kommen.", vocabulary).dropped)
    assert dropped[("diesem",)] == "drop-demonstrative"


def test_a_noun_is_spelled_as_written(vocabulary: dict[str, str]) -> None:
    assert "fs-GEBÄRDENSPRACHDOLMETSCHER" in str(text_to_gloss("Das Amt hat einen Gebärdensprachdolmetscher.",
                                                               vocabulary))
