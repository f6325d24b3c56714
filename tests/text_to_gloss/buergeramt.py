"""The Bürgeramt sentence set (buergeramt_sentences.tsv): German text, expected glosses, rule tags.
One reader for the tests and benchmarks that use it."""

from __future__ import annotations

from pathlib import Path

TSV = Path(__file__).with_name("buergeramt_sentences.tsv")


def buergeramt_rows() -> list[tuple[str, list[str], set[str]]]:
    """(German text with real line breaks, expected glosses, rule tags) per sentence."""
    rows = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, glosses, tags = line.split("\t")
        rows.append((text.replace("\\n", "\n"), glosses.split(), set(tags.split(","))))
    return rows


def buergeramt_texts() -> list[str]:
    """The German texts only, in file order."""
    return [text for text, _, _ in buergeramt_rows()]
