"""Issue 23: on service texts at least 95 % of the glosses are signs, not fingerspelling."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import text_to_gloss

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meaning_corpus import read_corpus  # noqa: E402
from sign_coverage import EASY_LANGUAGE, SERVICE, Coverage, coverage, read_easy_language  # noqa: E402

SERVICE_FLOOR = 95.0


@pytest.fixture(scope="module")
def glosses_of():  # type: ignore[no-untyped-def]
    vocabulary = load_lexicon().lemma_map()
    return lambda text: [token.gloss for token in text_to_gloss(text, vocabulary).tokens]


def test_service_corpus_is_signed_not_spelled(glosses_of) -> None:  # type: ignore[no-untyped-def]
    result = coverage((row.text for row in read_corpus(SERVICE)), glosses_of)
    assert result.glosses > 1500
    spelled = ", ".join(f"{g} {n}" for g, n in result.fingerspelled.most_common(15))
    assert result.percent >= SERVICE_FLOOR, f"{result.percent:.1f} % signs; most spelled: {spelled}"


def test_coverage_counts_fingerspelling() -> None:
    result = coverage(["a", "b"], lambda text: {"a": ["TERMIN", "fs-MEIER", "17"], "b": ["fs-MEIER"]}[text])
    assert (result.sentences, result.glosses, result.signed) == (2, 4, 2)
    assert result.fingerspelled["fs-MEIER"] == 2 and result.percent == 50.0
    assert Coverage().percent == 0.0


def test_easy_language_corpus_reads(tmp_path: Path) -> None:
    rows = read_easy_language(EASY_LANGUAGE)
    assert len(rows) >= 120 and {topic for topic, _ in rows} >= {"news", "health", "guide", "daily"}
    bad = tmp_path / "bad.tsv"
    bad.write_text("# c\nnews\tfine\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:3"):
        read_easy_language(bad)
