"""Speed of the rule-based translator (text_to_gloss with the real lexicon), in sentences per second.

Two input sets: the 85 Bürgeramt sentences of tests/text_to_gloss/buergeramt_sentences.tsv and
the 1 000 generated inputs of the robustness test (real word forms, many unknown to the tagger).
Baselines measured in the same run on the same sentences: HanTa tagging alone (our tokenizer +
`tag_tokens`, the part of the work we do not control) and a plain whitespace split. Each
measurement is the median of 3 passes after one warm-up pass (HanTa's word cache is warm, as in
a long-running server). The translation runs single-threaded: one core of the machine.

usage: .venv/bin/python benchmarks/gloss_speed.py [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from signavatar.errors import InvalidInputError
from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import text_to_gloss
from signavatar.text_to_gloss.tagging import tag_tokens
from signavatar.text_to_gloss.tokenize import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def _buergeramt() -> list[str]:
    sys.path.insert(0, str(ROOT / "tests" / "text_to_gloss"))
    from buergeramt import buergeramt_texts

    return buergeramt_texts()


def _generated(lemmas: list[str]) -> list[str]:
    sys.path.insert(0, str(ROOT / "tests" / "text_to_gloss"))
    from german_corpus import german_inputs

    return [text for text in german_inputs(lemmas) if any(c.isalnum() for c in text)]


def _rate(work: Callable[[str], object], sentences: list[str]) -> float:
    """Median sentences per second over 3 timed passes, after a warm-up pass."""
    def one_pass() -> float:
        start = time.perf_counter()
        for text in sentences:
            try:
                work(text)
            except InvalidInputError:
                pass  # "nothing to sign" is a normal answer
        return len(sentences) / (time.perf_counter() - start)

    one_pass()
    return statistics.median(one_pass() for _ in range(3))


def _tag_only(text: str) -> None:
    for sentence in split_sentences(text):
        tag_tokens(sentence.tokens + ((sentence.end,) if sentence.end else ()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--append", type=Path, help="append a result table row block to this markdown file")
    args = parser.parse_args()
    lexicon = load_lexicon()
    vocabulary = lexicon.lemma_map()
    lemmas = sorted({lemma for entry in lexicon.entries.values() for lemma in entry.lemmas})
    sets = {"Bürgeramt TSV": _buergeramt(), "generated 1000": _generated(lemmas)}
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    rows = []
    for name, sentences in sets.items():
        rules = _rate(lambda text: text_to_gloss(text, vocabulary), sentences)
        tagging = _rate(_tag_only, sentences)
        split = _rate(str.split, sentences)
        rows.append(f"| {date.today().isoformat()} | {machine} | {name} ({len(sentences)}) | {rules:,.0f} | "
                    f"{tagging:,.0f} | {split:,.0f} | {rules / tagging:.2f} |")
    header = ("| date | machine | sentences | text_to_gloss (rules) sent/s | HanTa tagging alone sent/s | "
              "whitespace split sent/s | rules / tagging |\n|---|---|---|---|---|---|---|")
    table = header + "\n" + "\n".join(rows)
    print(table)
    if args.append is not None:
        with args.append.open("a", encoding="utf-8") as out:
            out.write("\n" + table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
