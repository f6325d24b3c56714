"""The brief's examples against the real lexicon in glosses/signs."""

from __future__ import annotations

import pytest

from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import text_to_gloss

EXAMPLES = [
    ("Ich brauche einen neuen Personalausweis.", ["ICH", "NEU", "PERSONALAUSWEIS", "BRAUCHEN"]),
    ("Morgen habe ich einen Termin im Bürgeramt.", ["MORGEN", "BÜRGERAMT", "ICH", "TERMIN", "HABEN"]),
    ("Wo ist das Bürgeramt?", ["BÜRGERAMT", "WO"]),
    ("Ich kann heute nicht kommen.", ["HEUTE", "ICH", "KOMMEN", "KÖNNEN", "NICHT"]),
    ("Haben Sie einen Termin?", ["DU", "TERMIN", "HABEN"]),
    ("Herr Meier wartet.", ["fs-MEIER", "WARTEN"]),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_examples_with_the_real_lexicon(text: str, expected: list[str]) -> None:
    lexicon = load_lexicon()
    result = text_to_gloss(text, lexicon.lemma_map())
    assert result.glosses() == expected
    assert all(token.gloss in lexicon for token in result.tokens if token.kind == "lexicon")
