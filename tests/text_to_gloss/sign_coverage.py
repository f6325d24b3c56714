"""How much of a translation is signed: the share of glosses that are signs of the lexicon or
numbers, not fingerspelled words (issue 23). Shared by tests/text_to_gloss/test_sign_coverage.py and
benchmarks/sign_coverage.py.

Service texts: the sentences of the meaning corpora (meaning_corpus.tsv and the held-out sets, read by
meaning_corpus.read_corpus). General easy-language text: easy_language.tsv (topic<TAB>sentence).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EASY_LANGUAGE = HERE / "easy_language.tsv"
SERVICE = HERE / "meaning_corpus.tsv"
SERVICE_HELD_OUT = (HERE / "meaning_holdout.tsv", HERE / "meaning_holdout2.tsv", HERE / "meaning_probe.tsv")
FINGERSPELLED = "fs-"


@dataclass
class Coverage:
    """Glosses counted over some sentences: how many, how many signed, and the fingerspelled words."""

    sentences: int = 0
    glosses: int = 0
    signed: int = 0
    fingerspelled: Counter[str] = field(default_factory=Counter)

    @property
    def percent(self) -> float:
        return 100.0 * self.signed / self.glosses if self.glosses else 0.0

    def add(self, glosses: Iterable[str]) -> None:
        self.sentences += 1
        for gloss in glosses:
            self.glosses += 1
            if gloss.startswith(FINGERSPELLED):
                self.fingerspelled[gloss] += 1
            else:
                self.signed += 1


def read_easy_language(path: Path = EASY_LANGUAGE) -> list[tuple[str, str]]:
    """(topic, sentence) rows; '#' lines and blank lines are comments. ValueError naming a bad line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 2 or not columns[1].strip():
            raise ValueError(f"{path.name}:{number}: want two tab-separated columns: topic, sentence")
        rows.append((columns[0].strip(), columns[1].strip()))
    return rows


def coverage(sentences: Iterable[str], glosses_of: Callable[[str], list[str]]) -> Coverage:
    """The coverage of `sentences` translated by `glosses_of` (text -> the gloss ids)."""
    result = Coverage()
    for sentence in sentences:
        result.add(glosses_of(sentence))
    return result
