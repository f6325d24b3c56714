"""Signing tempo: seconds per lexicon gloss and per fingerspelled letter over the Bürgeramt sentences.

Each token's time runs from the end of the previous token to the end of its own sign (so the
transition into a sign counts for that sign); the rest pose at the start and the return to rest at
the end are left out. Lexicon glosses, fingerspelled letters and number signs are reported apart.
Reference: fluent DGS interpreters sign about 0.6 s per gloss (median over PHOENIX-2014T frame
counts); systems that stitch dictionary signs run about 2.6x too long. Target: <= 0.8 s per gloss.

    .venv/bin/python benchmarks/sign_timing.py [--speed 1.0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signavatar.fingerspelling import letter_sign_ids  # noqa: E402
from signavatar.gloss_to_pose.numbers import number_signs  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "text_to_gloss"))

from buergeramt import buergeramt_texts as sentences  # noqa: E402  (the one reader of the sentence set)


def measure(pipeline: Pipeline, speed: float) -> dict[str, list[float]]:
    """Per-token seconds: 'lexicon' per gloss, 'letter' per letter, 'number' per number sign."""
    result: dict[str, list[float]] = {"lexicon": [], "letter": [], "number": [], "sentence": []}
    for text in sentences():
        seq = pipeline.translate(text)
        plan = pipeline.sequencer.plan(seq, speed)
        previous = plan.keys[1].time  # end of the starting rest
        for _, end, token in plan.spans:
            spent = end - previous
            previous = end
            if token.kind == "fingerspell":
                n = len(letter_sign_ids(token.gloss))
                result["letter"].extend([spent / n] * n)
            elif token.kind == "number":
                n = len(number_signs(token.gloss))
                result["number"].extend([spent / n] * n)
            else:
                result["lexicon"].append(spent)
        result["sentence"].append(plan.keys[-1].time)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    t0 = time.perf_counter()
    r = measure(pipeline, args.speed)
    elapsed = time.perf_counter() - t0
    print(f"{len(r['sentence'])} sentences, speed {args.speed}, planned in {elapsed:.1f} s")
    for kind, unit in (("lexicon", "gloss"), ("letter", "letter"), ("number", "number sign")):
        v = r[kind]
        if v:
            print(f"{kind:8s} n={len(v):4d}  mean {statistics.mean(v):.3f} s/{unit}  "
                  f"median {statistics.median(v):.3f}  p90 {sorted(v)[int(0.9 * (len(v) - 1))]:.3f}")
    print(f"clip length mean {statistics.mean(r['sentence']):.2f} s (with 2 x rest)")
    lex = statistics.mean(r["lexicon"])
    print(f"ratio to fluent interpreters (0.6 s/gloss): {lex / 0.6:.2f}x (stitching systems: 2.6x)")


if __name__ == "__main__":
    main()
