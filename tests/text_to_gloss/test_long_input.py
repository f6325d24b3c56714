"""The work of one translation is bounded: texts of max_text_chars built to be slow (one huge word,
many long words, digits, hyphens, Leichte-Sprache dots, ...) translate, or are refused with a
message naming the limit, within seconds (before the bounds: up to 50 s each), on the real
lexicon and HanTa. The bound is generous for a loaded 2-core machine; they take under 0.5 s."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from signavatar.errors import InvalidInputError
from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import explain, text_to_gloss
from signavatar.text_to_gloss.analysis_budget import (
    ANALYSIS_BUDGET,
    MAX_NUMBER_DIGITS,
    MAX_SPELLED_WORD_CHARS,
    MAX_WORD_CHARS,
    unanalysed_positions,
)
from signavatar.text_to_gloss.tokenize import split_sentences
from signavatar.types import GlossSequence

T = TypeVar("T")
BOUND_S = 3.0
LONGEST_GERMAN = "Rindfleischetikettierungsueberwachungsaufgabenuebertragungsgesetz"  # 65 letters with "ue"
SENTENCES = Path(__file__).resolve().parent / "buergeramt_sentences.tsv"


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, str]:
    vocab = load_lexicon().lemma_map()
    text_to_gloss("Ich brauche einen Termin.", vocab)  # load HanTa's model outside the timed calls
    return vocab


def _timed(fn: Callable[[], T]) -> T:
    start = time.monotonic()
    try:
        return fn()
    finally:
        took = time.monotonic() - start
        assert took < BOUND_S, f"took {took:.1f} s"


def _filled(word: Callable[[int], str], sep: str = " ") -> str:
    """Words word(0), word(1), ... joined by `sep`, as many as fit in 2000 characters."""
    parts: list[str] = []
    while len(sep.join([*parts, word(len(parts))])) <= 2000:
        parts.append(word(len(parts)))
    return sep.join(parts)


def _tag(n: int) -> str:
    """Three letters that make every generated word distinct (no cache can help the tagger)."""
    return "".join("abcdefghijklmnopqrstuvwxyz"[(n // 26**k) % 26] for k in range(3))


TRANSLATED: dict[str, str] = {
    "digits_32_in_groups": "12345678901234567890123456789012 " * 60,
    "dotted_digits": "1." * 1000,
    "phone_groups": "030 " * 500,
    "numbers_666": "12 " * 666,
    "url_2000": "https://a.de/" + "a" * 1987,
    "email_addresses": "a@b.de " * 285,
    "words_of_80_hyphens": _filled(lambda n: ("a-" * 40)[:77] + _tag(n)),
    "words_of_80_compound": _filled(lambda n: ("Amt" * 30)[:77] + _tag(n)),
    "words_of_64_hyphens": _filled(lambda n: ("a-" * 40)[:61] + _tag(n)),
    "words_of_48_compound": _filled(lambda n: ("Meldebescheinigung" * 5)[:45] + _tag(n)),
    "words_of_28_hyphens_sentences": _filled(lambda n: ("a-" * 20)[:25] + _tag(n), ". "),
    "words_of_20": _filled(lambda n: ("Amt" * 10)[:17] + _tag(n)),
    "longest_german_word": _filled(lambda n: LONGEST_GERMAN),
    "words_of_100": _filled(lambda n: "Amt" * 33 + _tag(n)),
    "short_words": "a " * 1000,
    "mixed_letters_digits": "a1" * 1000,
    "question_marks_and_words": "Wo? " * 500,
    "commas": "Termin, " * 250,
    "bullets": "- Termin\n" * 222,
}
REFUSED: dict[str, str] = {
    "amt_666": "Amt" * 666,
    "hyphens_1000": "a-" * 1000,
    "apostrophes_1000": "a'" * 1000,
    "leichte_sprache_dots": "Bürger·" * 285,
    "middle_dots_1000": "a·" * 1000,
    "letters_2000": "a" * 2000,
}


@pytest.mark.parametrize("text", TRANSLATED.values(), ids=TRANSLATED.keys())
def test_slow_looking_texts_translate_quickly(vocabulary: dict[str, str], text: str) -> None:
    assert len(text) <= 2000
    seq = _timed(lambda: text_to_gloss(text, vocabulary))
    assert isinstance(seq, GlossSequence) and seq.tokens


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_a_word_too_long_to_fingerspell_is_refused_at_once_naming_its_length(
    vocabulary: dict[str, str], text: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        _timed(lambda: text_to_gloss(text, vocabulary))
    message = str(refused.value)
    assert f"at most {MAX_SPELLED_WORD_CHARS}" in message
    assert f"has {len(split_sentences(text)[0].tokens[0])} characters" in message


@pytest.mark.parametrize("digits", ["1" * 1980, "9" * 33, "https://" + "1" * 500 + ".de"], ids=["1980", "33", "url"])
def test_a_number_too_long_to_sign_is_refused_at_once_naming_its_length(
    vocabulary: dict[str, str], digits: str
) -> None:
    """Signed digit by digit, 2,000 digits would be a 10-minute clip; refused before it is planned."""
    with pytest.raises(InvalidInputError) as refused:
        _timed(lambda: text_to_gloss(f"Ihre Nummer ist {digits}.", vocabulary))
    count = len(digits.removeprefix("https://").removesuffix(".de"))
    assert f"has {count} digits" in str(refused.value) and f"at most {MAX_NUMBER_DIGITS}" in str(refused.value)


def test_a_word_longer_than_any_german_word_is_fingerspelled_whole_without_analysis(
    vocabulary: dict[str, str],
) -> None:
    word = "Amt" * 33 + "x"  # 100 letters; split as a compound it would be AMT AMT ... (33 signs)
    result = _timed(lambda: explain(f"Ich brauche {word}.", vocabulary))
    spelled = [t for t in result.sequence.tokens if t.words == (word,)]
    assert [t.gloss for t in spelled] == ["fs-" + word.upper()], spelled
    assert f"„{word}“ hat {len(word)} Zeichen, mehr als jedes deutsche Wort (Grenze {MAX_WORD_CHARS}), und ist " \
        "nicht im Lexikon: wird gebuchstabiert" in result.sequence.warnings, result.sequence.warnings
    assert "ICH" in result.sequence.glosses() and "BRAUCHEN" in result.sequence.glosses()


@pytest.mark.parametrize("word", [LONGEST_GERMAN, LONGEST_GERMAN.replace("ue", "ü")])
def test_the_longest_german_word_is_still_analysed(vocabulary: dict[str, str], word: str) -> None:
    assert len(word) <= MAX_WORD_CHARS
    tokens = split_sentences(f"Das {word} gilt.")[0].tokens
    assert unanalysed_positions([tokens]) == [frozenset()]
    seq = text_to_gloss(f"Das {word} gilt.", vocabulary)
    assert any(word in t.words for t in seq.tokens)


def test_ordinary_german_of_2000_characters_is_analysed_completely(vocabulary: dict[str, str]) -> None:
    lines = [line.split("\t")[0].replace("\\n", "\n") for line in SENTENCES.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    text = " ".join(lines)[:2000].rsplit(" ", 1)[0]
    sentences = [s.tokens + ((s.end,) if s.end else ()) for s in split_sentences(text)]
    assert all(not skipped for skipped in unanalysed_positions(sentences)), "ordinary text fits the budget"
    assert sum(len(t) ** 2 for s in sentences for t in s) < ANALYSIS_BUDGET * 0.75, "with room to spare"
    _timed(lambda: text_to_gloss(text, vocabulary))


def test_over_the_budget_the_longest_words_are_left_out_of_the_analysis() -> None:
    long_words = [("Amt" * 20)[:59] + _tag(n) for n in range(10)]  # 62 letters, 3844 each
    sentences = [("Ich", "brauche", *long_words[:5], "."), ("Wo", *long_words[5:], "?")]
    skipped = unanalysed_positions(sentences)
    analysed = sum(len(t) ** 2 for s, skip in zip(sentences, skipped) for i, t in enumerate(s) if i not in skip)
    assert analysed <= ANALYSIS_BUDGET
    assert all(len(sentences[s][i]) == 62 for s, skip in enumerate(skipped) for i in skip), "only long words"
    assert skipped[0] and {0, 1, 7}.isdisjoint(skipped[0]) and {0, 6}.isdisjoint(skipped[1])
