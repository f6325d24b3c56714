"""tagging._tag_sentence caches each (word, tag)'s lemma; its output must be HanTa's own tag_sent's.

Checked on the Bürgeramt and meaning-corpus sentences and on 300 of the robustness test's generated
inputs (real German word forms, many unknown to HanTa), twice each: a cold and a warm cache.
"""

from __future__ import annotations

from pathlib import Path

from german_corpus import german_inputs

from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import tagging
from signavatar.text_to_gloss.tokenize import split_sentences

HERE = Path(__file__).parent


def _sentences() -> list[list[str]]:
    texts = [line.split("\t")[0].replace("\\n", "\n")
             for name in ("buergeramt_sentences.tsv", "meaning_corpus.tsv")
             for line in (HERE / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    lemmas = sorted({lemma for entry in load_lexicon().entries.values() for lemma in entry.lemmas})
    texts += german_inputs(lemmas, count=300)
    result = []
    for text in texts:
        for sentence in split_sentences(text):
            tokens = list(sentence.tokens + ((sentence.end,) if sentence.end else ()))
            if tokens and all(len(t) <= 40 for t in tokens):  # HanTa's time grows with the square of a word
                result.append(tokens)
    return result


def test_cached_lemmas_are_hantas_own() -> None:
    tagging._lemma.cache_clear()
    tagger = tagging._get_tagger()
    sentences = _sentences()
    assert len(sentences) > 700
    for _ in range(2):  # cold, then warm
        for tokens in sentences:
            assert tagging._tag_sentence(tagger, tokens) == [tuple(t) for t in tagger.tag_sent(tokens, taglevel=1)]
    assert tagging._lemma.cache_info().hits > 0


def test_the_cache_is_bounded() -> None:
    assert tagging._lemma.cache_info().maxsize == tagging.LEMMA_CACHE_SIZE
