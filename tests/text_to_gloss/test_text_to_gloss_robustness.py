"""No input crashes the translator, and nothing it drops goes unexplained.

1 000 generated German inputs (german_corpus.py): every output token is a lexicon sign, a number
or a fingerspelling the lexicon's alphabet can spell; every input word that has a letter or digit
is either in some token's `words` or reported by explain() as dropped with its rule. Inputs with
nothing to sign are refused with InvalidInputError, never another exception.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import is_fingerspell_gloss, letter_sign_ids
from signavatar.lexicon import Lexicon, load_lexicon
from signavatar.text_to_gloss import explain
from signavatar.text_to_gloss.gloss_ids import is_number_gloss
from signavatar.text_to_gloss.tokenize import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from german_corpus import german_inputs  # noqa: E402


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _signable(gloss: str, lexicon: Lexicon) -> bool:
    if is_number_gloss(gloss):
        return True
    if is_fingerspell_gloss(gloss):
        return all(sign in lexicon for sign in letter_sign_ids(gloss))
    return gloss in lexicon


def test_1000_inputs_never_crash_and_never_drop_a_word_silently(lexicon: Lexicon) -> None:
    vocabulary = lexicon.lemma_map()
    lemmas = sorted({lemma for entry in lexicon.entries.values() for lemma in entry.lemmas})
    inputs = german_inputs(lemmas)
    assert len(inputs) == 1000
    refused = 0
    for text in inputs:
        try:
            result = explain(text, vocabulary)
        except InvalidInputError:
            refused += 1
            assert not re.search(r"[^\W_]", text) or "nothing to sign" in _message(text, vocabulary)
            continue
        for token in result.sequence.tokens:
            assert _signable(token.gloss, lexicon), (text, token)
            assert token.words, (text, token)
        accounted = {w for t in result.sequence.tokens for w in t.words} | {w for ws, _ in result.dropped for w in ws}
        for sentence in split_sentences(text):
            for word in sentence.tokens:
                if re.search(r"[^\W_]", word):
                    assert word in accounted, (text, word)
    assert refused < len(inputs) // 4  # the emoji-only and blank templates


def _message(text: str, vocabulary: dict[str, str]) -> str:
    try:
        explain(text, vocabulary)
    except InvalidInputError as exc:
        return str(exc)
    return ""
