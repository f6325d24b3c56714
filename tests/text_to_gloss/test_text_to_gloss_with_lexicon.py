"""The brief's examples against the real lexicon in glosses/signs (skipped until its API exists)."""

from __future__ import annotations

import pytest

from signavatar.text_to_gloss import text_to_gloss

lexicon_module = pytest.importorskip("signavatar.lexicon")

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
    if not hasattr(lexicon_module, "load_lexicon"):
        pytest.skip("signavatar.lexicon has no load_lexicon yet")
    lexicon = lexicon_module.load_lexicon()
    result = text_to_gloss(text, lexicon.lemma_map())
    assert result.glosses() == expected
    assert all(token.gloss in lexicon for token in result.tokens if token.kind == "lexicon")
