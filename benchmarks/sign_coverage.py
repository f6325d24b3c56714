"""Which share of the glosses are signs (not fingerspelled)? On service texts and general easy-language text.

usage: .venv/bin/python benchmarks/sign_coverage.py [--repo PATH] [--baseline PATH] [--top N] [--json OUT]

Corpora (from this checkout): the meaning corpus (tests/text_to_gloss/meaning_corpus.tsv), its held-out
and probe sets (sentences whose glosses were not looked at when the signs were chosen: the two held-out
sets; the probe set was looked at in issue 22), and general easy-language text
(tests/text_to_gloss/easy_language.tsv: news, health, guides, daily life, work). Each sentence is
translated by `text_to_gloss` with the lemma map of a checkout's lexicon; a gloss counts as signed
unless it starts with `fs-` (numbers count as signed).

--repo PATH measures another checkout's translator and lexicon (first on sys.path); --baseline PATH
runs a second checkout in a subprocess on the same corpora and prints both and the difference, so a
branch and its baseline are measured in one run:
    .venv/bin/python benchmarks/sign_coverage.py --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "text_to_gloss"))
from meaning_corpus import read_corpus  # noqa: E402 - the readers live beside the corpora, in tests/
from sign_coverage import EASY_LANGUAGE, SERVICE, SERVICE_HELD_OUT, Coverage, coverage, read_easy_language  # noqa: E402


def corpora() -> dict[str, list[str]]:
    """Corpus name -> its sentences."""
    result = {"service": [row.text for row in read_corpus(SERVICE)]}
    for path in SERVICE_HELD_OUT:
        result[f"service:{path.stem.removeprefix('meaning_')}"] = [row.text for row in read_corpus(path)]
    rows = read_easy_language(EASY_LANGUAGE)
    result["easy-language"] = [sentence for _, sentence in rows]
    for topic in sorted({topic for topic, _ in rows}):
        result[f"easy:{topic}"] = [sentence for t, sentence in rows if t == topic]
    return result


def measure(repo: Path) -> dict[str, Coverage]:
    sys.path.insert(0, str(repo))
    from signavatar.lexicon import load_lexicon
    from signavatar.text_to_gloss import text_to_gloss

    vocabulary = load_lexicon(repo / "glosses").lemma_map()

    def glosses_of(text: str) -> list[str]:
        return [token.gloss for token in text_to_gloss(text, vocabulary).tokens]

    return {name: coverage(sentences, glosses_of) for name, sentences in corpora().items()}


def as_json(results: dict[str, Coverage], top: int) -> dict[str, object]:
    return {name: {"sentences": c.sentences, "glosses": c.glosses, "signed": c.signed,
                   "percent": round(c.percent, 1), "fingerspelled": dict(c.fingerspelled.most_common(top))}
            for name, c in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose translator and lexicon run")
    parser.add_argument("--baseline", type=Path, help="a second checkout, measured in a subprocess")
    parser.add_argument("--top", type=int, default=25, help="most fingerspelled words listed per corpus")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON")
    args = parser.parse_args(argv)
    now = as_json(measure(args.repo.resolve()), args.top)
    before: dict[str, dict[str, object]] | None = None
    if args.baseline is not None:
        command = [sys.executable, __file__, "--repo", str(args.baseline.resolve()), "--top", "0", "--json", "-"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        before = json.loads(out[out.index("{"):])
    if args.json is not None and str(args.json) == "-":
        print(json.dumps(now, ensure_ascii=False))
        return 0
    header = f"{'corpus':<22} {'sentences':>9} {'glosses':>8} {'signed %':>9}"
    print(header + (f" {'baseline %':>10}" if before else ""))
    for name, c in now.items():
        line = f"{name:<22} {c['sentences']:>9} {c['glosses']:>8} {c['percent']:>9.1f}"
        if before:
            line += f" {before[name]['percent']:>10.1f}"
        print(line)
    for name in ("service", "easy-language"):
        spelled = now[name]["fingerspelled"]
        assert isinstance(spelled, dict)
        print(f"\nmost fingerspelled, {name}: " + ", ".join(f"{g} {n}" for g, n in spelled.items()))
    if args.json is not None:
        args.json.write_text(json.dumps({"now": now, "baseline": before}, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
