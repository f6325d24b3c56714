"""The Bürgeramt sentence set (buergeramt_sentences.tsv) against the real lexicon.

Each row: German text, the expected glosses, and the rules (rules.RULES names) the sentence
exercises. The rules must really have applied (explain() reports them), and together the rows
must cover every rule.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from signavatar.lexicon import Lexicon, load_lexicon
from signavatar.text_to_gloss import explain
from signavatar.text_to_gloss.rules import RULES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from buergeramt import buergeramt_rows  # noqa: E402

ROWS = buergeramt_rows()


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_there_are_at_least_60_sentences() -> None:
    assert len(ROWS) >= 60


def test_every_rule_is_covered_by_some_sentence() -> None:
    tags = set().union(*(row[2] for row in ROWS))
    assert tags - set(RULES) == set(), "unknown rule tags in the TSV"
    assert set(RULES) - tags == set(), "rules without a test sentence"


@pytest.mark.parametrize(("text", "expected", "tags"), ROWS, ids=[row[0][:50] for row in ROWS])
def test_sentence(text: str, expected: list[str], tags: set[str], lexicon: Lexicon) -> None:
    result = explain(text, lexicon.lemma_map())
    assert result.sequence.glosses() == expected
    assert tags <= result.rules, f"rules tagged but not applied: {tags - result.rules}"
    for token in result.sequence.tokens:
        assert token.rule in RULES, token
        if token.kind == "lexicon":
            assert token.gloss in lexicon
