"""The meaning corpus (meaning_corpus.tsv): well formed, and the translator's pass rate per phenomenon
does not fall under the published floor.

The floors are the rates measured when the corpus was written (rounded down to the next 5 %); raise a
floor when a rule makes its phenomenon pass more often, never lower one to make a change pass.
Per-phenomenon figures and the failed sentences: benchmarks/translation_meaning.py --failures.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from signavatar.lexicon import Lexicon, load_lexicon
from signavatar.text_to_gloss import text_to_gloss

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meaning_corpus import (  # noqa: E402
    PHENOMENA,
    REGISTERS,
    below_floor,
    rates_by_tag,
    read_corpus,
    translate_all,
)

ROWS = read_corpus()

# Gloss names issue 22 introduces (the lexicon gets signs for them); an expected gloss may name one before
# the lexicon has it.
NEW_GLOSSES = frozenset(
    """ODER ABER SONDERN DANN NUR NOCH SCHON SELBST AB SEIT VOR NACH UNTER ÜBER PRO INNERHALB BIS-ZU UNGEFÄHR
    LANG LANGE WIE-LANGE ZUM-BEISPIEL KOMMA TAUSEND MILLION BEKOMMEN ZEIT BESCHEID INFORMIEREN FRAU MANN
    NACH-HAUSE PERSON LÄNGER WENIGER FRÜHER RATHAUS SPRECHEN SAGEN""".split()
)
NUMBER = re.compile(r"[0-9]+")
FINGERSPELLING = re.compile(r"fs-[A-ZÄÖÜß]+")

# Pass rate floor per phenomenon, percent: issue 22's target, 90 % of the sentences of every phenomenon keep
# their meaning (core, the sentences the rules handled before: 95 %). Before the issue-22 rules (5b222d7) the
# rates were 0-58 % (core 100 %); after: 92.9-100 %, see BENCHMARKS.md.
PUBLISHED_FLOORS: dict[str, float] = {
    "particle-verb": 90,
    "open-closed": 90,
    "duration": 90,
    "time-preposition": 90,
    "limit-preposition": 90,
    "quantity": 90,
    "comparative": 90,
    "focus-particle": 90,
    "condition": 90,
    "oder": 90,
    "aber": 90,
    "sondern": 90,
    "clause-und": 90,
    "pronoun-sie": 90,
    "false-friend": 90,
    "address": 90,
    "sense": 90,
    "synonym": 90,
    "number-decimal": 90,
    "number-large": 90,
    "number-digits": 90,
    "question": 90,
    "negation": 90,
    "modal": 90,
    "time-first": 90,
    "core": 95,
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_there_are_at_least_200_sentences_without_duplicates() -> None:
    assert len(ROWS) >= 200
    duplicates = [text for text, count in Counter(row.text for row in ROWS).items() if count > 1]
    assert duplicates == []


def test_at_least_45_percent_are_leichte_sprache() -> None:
    registers = Counter(row.register for row in ROWS)
    assert set(registers) <= set(REGISTERS), f"unknown registers: {set(registers) - set(REGISTERS)}"
    assert registers["leichte"] >= 0.45 * len(ROWS)


def test_every_tag_is_a_known_phenomenon_with_at_least_10_sentences() -> None:
    unknown = {(row.line, tag) for row in ROWS for tag in row.tags if tag not in PHENOMENA}
    assert unknown == set()
    assert all(len(set(row.tags)) == len(row.tags) >= 1 for row in ROWS), "a row repeats a tag or has none"
    counts = Counter(tag for row in ROWS for tag in row.tags)
    assert {tag: counts[tag] for tag in PHENOMENA if counts[tag] < 10} == {}


def test_every_expected_gloss_is_signable(lexicon: Lexicon) -> None:
    """A lexicon gloss, a gloss name issue 22 adds, a number, or a fingerspelling fs-WORD (upper case, ß kept)."""
    bad = []
    for row in ROWS:
        assert len(set(row.expected)) == len(row.expected), f"line {row.line}: an alternative is repeated"
        for alternative in row.expected:
            glosses = alternative.split(" ")
            if "" in glosses:
                bad.append((row.line, alternative, "empty gloss: doubled or stray space"))
            for gloss in glosses:
                if gloss and not (
                    (gloss in lexicon and not gloss.startswith(("FS-", "NUM-")))
                    or gloss in NEW_GLOSSES
                    or NUMBER.fullmatch(gloss)
                    or FINGERSPELLING.fullmatch(gloss)
                ):
                    bad.append((row.line, alternative, gloss))
    assert bad == []


def test_every_phenomenon_has_a_published_floor() -> None:
    assert set(PUBLISHED_FLOORS) == set(PHENOMENA)
    assert all(0 <= floor <= 100 for floor in PUBLISHED_FLOORS.values())


def test_the_floor_check_fails_when_the_translations_lose_their_meaning() -> None:
    """The check below is not vacuous: a translator whose output keeps no meaning is under every floor
    above 0 (and under a floor for every phenomenon that has one)."""
    lost = rates_by_tag(translate_all(ROWS, lambda text: "NICHT"))
    problems = below_floor(lost, PUBLISHED_FLOORS)
    assert len(problems) == sum(floor > 0 for floor in PUBLISHED_FLOORS.values()) > 0


def test_pass_rate_per_phenomenon_is_not_under_its_floor(lexicon: Lexicon) -> None:
    vocabulary = lexicon.lemma_map()
    rates = rates_by_tag(translate_all(ROWS, lambda text: str(text_to_gloss(text, vocabulary))))
    assert below_floor(rates, PUBLISHED_FLOORS) == []
