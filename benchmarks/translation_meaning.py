"""Does the rules translator keep the meaning? Pass rate per phenomenon on the meaning corpus.

usage: .venv/bin/python benchmarks/translation_meaning.py [--repo PATH] [--corpus TSV] [--failures]
                                                          [--json OUT]

Every sentence of tests/text_to_gloss/meaning_corpus.tsv (or --corpus) is translated by
`signavatar.text_to_gloss.text_to_gloss` with the lemma map of that checkout's lexicon
(`load_lexicon(REPO / "glosses").lemma_map()`), and its gloss string (`str(GlossSequence)`, what
`signavatar gloss TEXT` prints) is compared with the corpus's alternatives: equal to one of them is a pass.
Printed: n, passed and % per phenomenon tag, per register (leichte/plain) and overall;
--failures adds every failed sentence with what came out and what was expected.

--repo PATH runs the translator code and lexicon of another checkout (PATH is put first on sys.path
before signavatar is imported), so a baseline and a branch can be measured on the same corpus:
    .venv/bin/python benchmarks/translation_meaning.py --repo /path/to/baseline --json before.json
The corpus and its reader always come from this checkout unless --corpus names another file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "text_to_gloss"))
from meaning_corpus import (  # noqa: E402 - the reader lives beside the corpus, in tests/
    TSV,
    Outcome,
    Rate,
    overall_rate,
    rates_by_register,
    rates_by_tag,
    read_corpus,
    translate_all,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose translator and lexicon run")
    parser.add_argument("--corpus", type=Path, default=TSV, help="corpus TSV (default: this checkout's)")
    parser.add_argument("--failures", action="store_true", help="list every failed sentence")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON")
    args = parser.parse_args(argv)

    repo = args.repo.resolve()
    translate, source = _translator(repo)
    rows = read_corpus(args.corpus)
    outcomes = translate_all(rows, translate)
    by_tag, by_register, overall = rates_by_tag(outcomes), rates_by_register(outcomes), overall_rate(outcomes)

    print(f"translator: {source}")
    print(f"corpus: {args.corpus} ({len(rows)} sentences)")
    _table("phenomenon", by_tag)
    _table("register", by_register)
    _table("", {"overall": overall})
    if args.failures:
        _failures(outcomes)
    if args.json is not None:
        args.json.write_text(json.dumps(_as_json(repo, source, args.corpus, by_tag, by_register, overall, outcomes),
                                        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


def _translator(repo: Path) -> tuple[Callable[[str], str], str]:
    """text -> gloss string with `repo`'s code and lexicon; also the file signavatar was imported from."""
    sys.path.insert(0, str(repo))
    import signavatar
    from signavatar.lexicon import load_lexicon
    from signavatar.text_to_gloss import text_to_gloss

    vocabulary = load_lexicon(repo / "glosses").lemma_map()

    def translate(text: str) -> str:
        return str(text_to_gloss(text, vocabulary))

    return translate, str(Path(signavatar.__file__).resolve().parent)


def _table(title: str, rates: dict[str, Rate]) -> None:
    print()
    print(f"{title:<18} {'n':>4} {'passed':>7} {'%':>6}")
    for name, rate in rates.items():
        print(f"{name:<18} {rate.n:>4} {rate.passed:>7} {rate.percent:>6.1f}")


def _failures(outcomes: list[Outcome]) -> None:
    failed = [outcome for outcome in outcomes if not outcome.passed]
    print(f"\nfailures ({len(failed)}):")
    for outcome in failed:
        row = outcome.row
        print(f"- [{','.join(row.tags)}] {row.text!r} (line {row.line}, {row.register})")
        print(f"    got:      {outcome.got}")
        for alternative in row.expected:
            print(f"    expected: {alternative}")


def _as_json(repo: Path, source: str, corpus: Path, by_tag: dict[str, Rate], by_register: dict[str, Rate],
             overall: Rate, outcomes: list[Outcome]) -> dict[str, object]:
    def rates(group: dict[str, Rate]) -> dict[str, dict[str, float]]:
        return {name: {"n": rate.n, "passed": rate.passed, "percent": round(rate.percent, 1)}
                for name, rate in group.items()}

    return {
        "repo": str(repo),
        "signavatar": source,
        "corpus": str(corpus),
        "phenomena": rates(by_tag),
        "registers": rates(by_register),
        "overall": rates({"overall": overall})["overall"],
        "sentences": [
            {"line": o.row.line, "text": o.row.text, "tags": list(o.row.tags), "register": o.row.register,
             "got": o.got, "expected": list(o.row.expected), "passed": o.passed}
            for o in outcomes
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
