"""BLEU-4 of German -> gloss translation on the PHOENIX-2014T dev split: the rules vs a trained model.

usage: python benchmarks/gloss_bleu.py [--corpus DIR] [--save-model PATH]

(a) the rules: `text_to_gloss` with the real lexicon's lemma map (glosses/), their output mapped
    to PHOENIX conventions before scoring (see `to_phoenix`);
(b) the phrase-based model of signavatar.gloss_model trained on the train split with the generic
    hand-set weights (`train-gloss --no-tune`), and
(c) the same trained with weight tuning on held-out train pairs (`train-gloss`, the default);
    dev is never used for tuning. Training time (including tuning) reported for each.
Scored with sacrebleu's corpus BLEU (default 13a tokenisation) against the dev glosses.
The corpus is CC BY-NC-SA: it is read from ../shared/data/phoenix14t and nothing derived from it
is written unless --save-model names a path (keep that out of git). Without the corpus the
script says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "phoenix14t"

_UNITS = "NULL EINS ZWEI DREI VIER FUENF SECHS SIEBEN ACHT NEUN ZEHN ELF ZWOELF DREIZEHN VIERZEHN FUENFZEHN " \
    "SECHSZEHN SIEBZEHN ACHTZEHN NEUNZEHN".split()
_TENS = {2: "ZWANZIG", 3: "DREISSIG", 4: "VIERZIG", 5: "FUENFZIG", 6: "SECHZIG", 7: "SIEBZIG", 8: "ACHTZIG",
         9: "NEUNZIG"}


def number_glosses(n: int) -> list[str]:
    """PHOENIX writes numbers as words, units before tens in two glosses: 25 -> FUENF ZWANZIG."""
    if n < 20:
        return [_UNITS[n]]
    if n < 100:
        tens, units = divmod(n, 10)
        return ([_UNITS[units]] if units else []) + [_TENS[tens]]
    return [str(n)]


def to_phoenix(glosses: list[str]) -> list[str]:
    """Our gloss ids -> PHOENIX conventions: Ä/Ö/Ü/ß -> AE/OE/UE/SS, fs-NAME -> NAME (PHOENIX has no
    fingerspelling prefix), a number -> its words (number_glosses)."""
    out: list[str] = []
    for g in glosses:
        if g.isdigit():
            out += number_glosses(int(g))
            continue
        g = g.removeprefix("fs-")
        for a, b in (("Ä", "AE"), ("Ö", "OE"), ("Ü", "UE"), ("ß", "SS"), ("ẞ", "SS")):
            g = g.replace(a, b)
        out.append(g)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with train/dev .de and .gloss")
    parser.add_argument("--save-model", type=Path, help="also save the tuned model here (never in git)")
    args = parser.parse_args()
    if not (args.corpus / "dev.de").is_file():
        print(f"gloss_bleu: skipped, no PHOENIX-2014T corpus at {args.corpus}")
        return 0
    import sacrebleu

    from signavatar.gloss_model import read_corpus, train
    from signavatar.lexicon import load_lexicon
    from signavatar.settings import Settings
    from signavatar.text_to_gloss import text_to_gloss

    dev_de = (args.corpus / "dev.de").read_text(encoding="utf-8").splitlines()
    refs = [" ".join(line.split()) for line in (args.corpus / "dev.gloss").read_text(encoding="utf-8").splitlines()]

    vocabulary = load_lexicon(Settings().lexicon_dir).lemma_map()
    started = time.perf_counter()
    rules = [" ".join(to_phoenix(text_to_gloss(line, vocabulary).glosses())) for line in dev_de]
    rules_s = time.perf_counter() - started
    rules_bleu = sacrebleu.corpus_bleu(rules, [refs])

    results = []
    for tune in (False, True):
        started = time.perf_counter()
        model = train(read_corpus(args.corpus, "train"), tune=tune)
        train_s = time.perf_counter() - started
        started = time.perf_counter()
        hyps = [" ".join(model.translate(line)) for line in dev_de]
        decode_s = time.perf_counter() - started
        results.append((model, sacrebleu.corpus_bleu(hyps, [refs]), train_s, decode_s))
    if args.save_model is not None:
        results[-1][0].save(args.save_model)

    machine = (f"{platform.machine()}, {os.cpu_count()} cores, "
               f"{platform.python_implementation()} {platform.python_version()}")
    print(f"PHOENIX-2014T dev ({len(dev_de)} sentences), sacrebleu {sacrebleu.__version__}, {machine}")
    print(f"rules          : {rules_bleu}  ({rules_s:.1f} s)")
    for (model, bleu, train_s, decode_s), name in zip(results, ("model generic", "model tuned  ")):
        print(f"{name}  : {bleu}  (train {train_s:.1f} s, translate {decode_s:.1f} s)")
        print(f"                 weights {model.weights}, tuning {model.meta['tuning']}")
    print("| date | machine | system | BLEU-4 | training | translate (dev) |")
    print(f"| {date.today()} | {machine} | rules | {rules_bleu.score:.2f} | - | {rules_s:.1f} s |")
    for (_, bleu, train_s, decode_s), name in zip(results, ("model, generic weights (`--no-tune`)", "model, tuned")):
        print(f"| {date.today()} | {machine} | {name} | {bleu.score:.2f} | {train_s:.1f} s | {decode_s:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
