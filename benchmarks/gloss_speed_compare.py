"""Rules speed of this checkout against a baseline checkout, in one run, as a ratio.

Each checkout translates the same sentences with its own rules and its own lexicon (`text_to_gloss`
with `load_lexicon(<checkout>/glosses).lemma_map()`), in its own subprocess (the two versions of
`signavatar` cannot share one interpreter). The runs alternate baseline, this, baseline, this ...
(`--rounds`, default 3) so that load on the machine falls on both alike; each run is a first pass
(cold: every word new to the process, as for a server's first requests) and three more (warm: the
median; words seen before, as in a long-running server). Sentence sets, all read from this checkout:
- the Bürgeramt test sentences (tests/text_to_gloss/buergeramt_sentences.tsv),
- the meaning corpus (tests/text_to_gloss/meaning_corpus.tsv, when present),
- the robustness test's 1 000 generated inputs (real German word forms, many unknown to HanTa).
Reported: sentences/s per run, the median per checkout, and this / baseline per round (spread).

usage: python benchmarks/gloss_speed_compare.py --baseline PATH [--rounds 3] [--sets NAME ...]
A baseline checkout is made with e.g. `git worktree add --detach /tmp/base <commit>`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs inside a subprocess: argv = checkout, sentences file (JSON list). Prints the first pass's rate
# (cold: no word seen before in this process) and the median of three passes after it (warm).
_WORKER = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from signavatar.errors import InvalidInputError
from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import text_to_gloss
vocabulary = load_lexicon(Path(sys.argv[1]) / "glosses").lemma_map()
sentences = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
def one_pass():
    start = time.perf_counter()
    for text in sentences:
        try:
            text_to_gloss(text, vocabulary)
        except InvalidInputError:
            pass
    return len(sentences) / (time.perf_counter() - start)
cold = one_pass()
print(cold, statistics.median(one_pass() for _ in range(3)))
"""


def _tsv_texts(path: Path) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            texts.append(line.split("\t")[0].replace("\\n", "\n"))
    return texts


def _generated() -> list[str]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests" / "text_to_gloss"))
    from german_corpus import german_inputs

    from signavatar.lexicon import load_lexicon

    lexicon = load_lexicon(ROOT / "glosses")
    lemmas = sorted({lemma for entry in lexicon.entries.values() for lemma in entry.lemmas})
    return [text for text in german_inputs(lemmas) if any(c.isalnum() for c in text)]


def sentence_sets() -> dict[str, list[str]]:
    folder = ROOT / "tests" / "text_to_gloss"
    sets = {"Bürgeramt TSV": _tsv_texts(folder / "buergeramt_sentences.tsv")}
    if (folder / "meaning_corpus.tsv").exists():
        sets["meaning corpus"] = _tsv_texts(folder / "meaning_corpus.tsv")
    sets["generated"] = _generated()
    return sets


def _rates(checkout: Path, sentences_file: Path) -> tuple[float, float]:
    """(cold, warm) sentences per second of one run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _WORKER, str(checkout), str(sentences_file)],
                         capture_output=True, text=True, check=True, cwd=checkout)
    cold, warm = out.stdout.strip().splitlines()[-1].split()
    return float(cold), float(warm)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="checkout of the baseline commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sets", nargs="*", help="only these sentence sets (names as printed)")
    args = parser.parse_args()
    if not (args.baseline / "signavatar").is_dir():
        print(f"error: {args.baseline} is not a signavatar checkout", file=sys.stderr)
        return 2
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{date.today().isoformat()}, {machine}, load average {os.getloadavg()[0]:.1f} at start")
    print("| sentences | baseline sent/s (runs) | this sent/s (runs) | this / baseline per round | median ratio |")
    print("|---|---|---|---|---|")
    work = ROOT / "var" / "speed_compare"
    work.mkdir(parents=True, exist_ok=True)
    for name, sentences in sentence_sets().items():
        if args.sets and name not in args.sets:
            continue
        file = work / "sentences.json"
        file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
        runs: dict[str, list[tuple[float, float]]] = {"base": [], "this": []}
        for _ in range(args.rounds):
            runs["base"].append(_rates(args.baseline.resolve(), file))
            runs["this"].append(_rates(ROOT, file))
        for n, label in ((1, "warm"), (0, "cold")):
            base = [r[n] for r in runs["base"]]
            this = [r[n] for r in runs["this"]]
            ratios = [t / b for t, b in zip(this, base)]
            cells = [f"{statistics.median(v):,.0f} ({', '.join(f'{r:,.0f}' for r in v)})" for v in (base, this)]
            print(f"| {name} ({len(sentences)}), {label} | {cells[0]} | {cells[1]} | "
                  f"{', '.join(f'{r:.2f}' for r in ratios)} | {statistics.median(ratios):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
