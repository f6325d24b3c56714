"""BLEU-4 of German -> gloss translation on the PHOENIX-2014T dev split: the rules vs a trained model.

usage: python benchmarks/gloss_bleu.py [--corpus DIR] [--seeds 0 1] [--selection-size 500]
                                       [--candidates N | --pick I ...] [--shared-weights]
                                       [--no-baselines] [--save-model PATH] [--baseline-tree DIR]
                                       [--no-selection]

(a) the rules: `text_to_gloss` with the real lexicon's lemma map (glosses/), their output mapped
    to PHOENIX conventions before scoring (see `to_phoenix`);
(b) the phrase-based model of signavatar.gloss_model trained on the train split with the generic
    hand-set weights (`train-gloss --no-tune`) and the default design settings, and
(c) the model with its design settings (alignment tension, LM order, phrase length, EM
    iterations) *selected on a held-out slice of train*, then trained on all of train with weight
    tuning (`train-gloss`, the default) and scored on dev once.

Selection (c), per seed: `tuning.selection_split(7096, --selection-size, seed)` holds out a seeded
random slice of train (500 pairs by default); each of the first --candidates of
`tuning.DESIGN_CANDIDATES` is trained on the other pairs (weights tuned inside them, as
`train-gloss` does) and decodes the slice with the model's beam (decoder.BEAM, 10); the best BLEU-4 on the slice
wins (ties keep the default). Dev is decoded only with the winner: it never takes part in a choice.
Several seeds show how much the choice, and the dev figure, depend on the slice. --shared-weights
tunes the weights once per seed (default design, on the fit part) and scores every candidate with
them: 5x cheaper, but it leans towards the default design the weights were tuned for.
    With --no-selection, (c) is the default design (tuning.Design()) trained on all of train and
    scored on dev once, without running a selection.
(d) with --baseline-tree DIR: the gloss model of another checkout (e.g. the code before a change)
    trained on all of train with its own defaults and tuning, in a subprocess of this run, so
    that both designs are timed on the same machine under the same load.
Every model row gives dev BLEU-4, training time (incl. tuning) and decoding speed (dev sentences
per second, one process, from a freshly trained model: its caches start empty).
Scored with sacrebleu's corpus BLEU (default 13a tokenisation).
The corpus is CC BY-NC-SA: it is read from ../shared/data/phoenix14t and nothing derived from it
is written unless --save-model names a path (keep that out of git). Without the corpus the
script says so and exits 0. Cost: one tuned training (2-4 minutes on 2 cores, with the load of this box) per
candidate and seed, plus one per distinct winner.
"""

from __future__ import annotations

import argparse
import functools
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


_BASELINE = """
import json, sys, time
from pathlib import Path
import sacrebleu
from signavatar.gloss_model import read_corpus, train
corpus = Path(sys.argv[1])
started = time.perf_counter()
model = train(read_corpus(corpus, "train"), tune=True)
train_s = time.perf_counter() - started
dev = (corpus / "dev.de").read_text(encoding="utf-8").splitlines()
refs = [" ".join(line.split()) for line in (corpus / "dev.gloss").read_text(encoding="utf-8").splitlines()]
started = time.perf_counter()
hyps = [" ".join(model.translate(line)) for line in dev]
decode_s = time.perf_counter() - started
print(json.dumps([str(sacrebleu.corpus_bleu(hyps, [refs])), train_s, decode_s]))
"""


def baseline(tree: Path, corpus: Path) -> tuple[str, float, float]:
    """(dev BLEU-4 text, training s, dev decoding s) of the gloss model in the checkout `tree`,
    trained with its own `train(..., tune=True)` in a subprocess that imports that checkout."""
    import json
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
    done = subprocess.run([sys.executable, "-c", _BASELINE, str(corpus.resolve())], cwd=tree, env=env,
                          capture_output=True, text=True, check=True)
    bleu_text, train_s, decode_s = json.loads(done.stdout.strip().splitlines()[-1])
    return str(bleu_text), float(train_s), float(decode_s)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with train/dev .de and .gloss")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="selection-slice seeds (default 0)")
    parser.add_argument("--selection-size", type=int, default=500, help="train pairs held out to select on")
    parser.add_argument("--candidates", type=int, default=0,
                        help="only the first N of tuning.DESIGN_CANDIDATES (default: all)")
    parser.add_argument("--pick", type=int, nargs="+", metavar="I",
                        help="only these indices of tuning.DESIGN_CANDIDATES (include 0, the default, to compare)")
    parser.add_argument("--shared-weights", action="store_true",
                        help="cheaper selection: tune the weights once per seed (default design, on the fit part) "
                        "and score every candidate with them, instead of tuning each candidate")
    parser.add_argument("--no-baselines", action="store_true", help="skip (a) rules and (b) generic weights")
    parser.add_argument("--save-model", type=Path, help="also save the last selected model here (never in git)")
    parser.add_argument("--no-selection", action="store_true",
                        help="skip the selection: train the default design (Design()) on all of train and score dev")
    parser.add_argument("--baseline-tree", type=Path, metavar="DIR",
                        help="also train and score the gloss model of the checkout DIR (its defaults, tuned)")
    args = parser.parse_args()
    if args.save_model is not None:
        from signavatar.gloss_model.guard import unignored_work_tree

        root = unignored_work_tree(args.save_model)
        if root is not None:
            parser.error(f"--save-model {args.save_model} is inside the git work tree {root} and not git-ignored "
                         "(a PHOENIX model must never be committed); use var/ or a path outside the tree")
    if not (args.corpus / "dev.de").is_file():
        print(f"gloss_bleu: skipped, no PHOENIX-2014T corpus at {args.corpus}")
        return 0
    import sacrebleu

    from signavatar.gloss_model import GlossModel, Weights, read_corpus, train
    from signavatar.gloss_model.decoder import decode
    from signavatar.gloss_model.lemmas import source_words
    from signavatar.gloss_model.tuning import DESIGN_CANDIDATES, Design, select_design, selection_split

    dev_de = (args.corpus / "dev.de").read_text(encoding="utf-8").splitlines()
    refs = [" ".join(line.split()) for line in (args.corpus / "dev.gloss").read_text(encoding="utf-8").splitlines()]
    pairs = read_corpus(args.corpus, "train")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, "
               f"{platform.python_implementation()} {platform.python_version()}")
    candidates = DESIGN_CANDIDATES[:args.candidates] if args.candidates else DESIGN_CANDIDATES
    if args.pick:
        candidates = tuple(DESIGN_CANDIDATES[i] for i in args.pick)

    def say(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    def fit(train_pairs: list[tuple[list[str], list[str]]], design: Design) -> tuple[GlossModel, float]:
        started = time.perf_counter()
        model = train(train_pairs, tune=True, lm_order=design.lm_order, max_phrase=design.max_phrase,
                      iterations=design.iterations, tension=design.tension, source=design.source,
                      align_lemmas=design.align_lemmas, discount=design.discount, tune_pairs=design.tune_pairs,
                      tune_fraction=design.tune_fraction)
        return model, time.perf_counter() - started

    def on_dev(model: GlossModel) -> tuple[sacrebleu.metrics.bleu.BLEUScore, float]:
        started = time.perf_counter()
        hyps = [" ".join(model.translate(line)) for line in dev_de]
        return sacrebleu.corpus_bleu(hyps, [refs]), time.perf_counter() - started

    def score_on(fit_pairs: list[tuple[list[str], list[str]]], held: list[tuple[list[str], list[str]]],
                 held_refs: list[str], shared: Weights | None, seed: int, design: Design) -> float:
        started = time.perf_counter()
        if shared is None:
            model, seconds = fit(fit_pairs, design)
        else:  # the weights tuned once for the default design
            model = train(fit_pairs, weights=shared, lm_order=design.lm_order, max_phrase=design.max_phrase,
                          iterations=design.iterations, tension=design.tension, source=design.source,
                          align_lemmas=design.align_lemmas, discount=design.discount, tune_pairs=design.tune_pairs,
                      tune_fraction=design.tune_fraction)
            seconds = time.perf_counter() - started
        hyps = [" ".join(decode(model.normalised(source_words(d, model.source)), model.table, model.deletion,
                                model.lm, model.weights, beam=model.beam)) for d, _ in held]
        bleu = sacrebleu.corpus_bleu(hyps, [held_refs])
        say(f"seed {seed} {design.label()}: {bleu} (training {seconds:.0f} s)")
        return float(bleu.score)

    def speed(decode_s: float) -> str:
        return f"{decode_s:.1f} s ({len(dev_de) / decode_s:.1f} sentences/s)"

    rows: list[tuple[str, str, str, str]] = []
    if not args.no_baselines:
        from signavatar.lexicon import load_lexicon
        from signavatar.settings import Settings
        from signavatar.text_to_gloss import text_to_gloss

        vocabulary = load_lexicon(Settings().lexicon_dir).lemma_map()
        started = time.perf_counter()
        rules = [" ".join(to_phoenix(text_to_gloss(line, vocabulary).glosses())) for line in dev_de]
        rules_s = time.perf_counter() - started
        rows.append(("rules", str(sacrebleu.corpus_bleu(rules, [refs])), "-", f"{rules_s:.1f} s"))
        started = time.perf_counter()
        generic = train(pairs)
        train_s = time.perf_counter() - started
        bleu, decode_s = on_dev(generic)
        rows.append(("model, generic weights, default design (`--no-tune`)", str(bleu), f"{train_s:.1f} s",
                     speed(decode_s)))
        print(f"rules / generic done: {rows}", file=sys.stderr, flush=True)

    final: dict[Design, tuple[GlossModel, sacrebleu.metrics.bleu.BLEUScore, float, float]] = {}
    if args.no_selection:
        model, train_s = fit(pairs, Design())
        bleu, decode_s = on_dev(model)
        final[Design()] = (model, bleu, train_s, decode_s)
        print(f"default design [{Design().label()}] -> dev {bleu}, tuning {model.meta['tuning']}", flush=True)
        rows.append((f"model, default design ({Design().label()}), tuned", str(bleu), f"{train_s:.1f} s",
                     speed(decode_s)))
    for seed in [] if args.no_selection else args.seeds:
        fit_idx, held_idx = selection_split(len(pairs), args.selection_size, seed)
        fit_pairs = [pairs[i] for i in fit_idx]
        held = [pairs[i] for i in held_idx]
        held_refs = [" ".join(g) for _, g in held]
        print(f"seed {seed}: selecting on {len(held)} held-out train pairs, training on {len(fit_pairs)}",
              file=sys.stderr, flush=True)

        shared = fit(fit_pairs, Design())[0].weights if args.shared_weights else None

        score = functools.partial(score_on, fit_pairs, held, held_refs, shared, seed)
        chosen, scores = select_design(score, candidates)
        if chosen not in final:
            model, train_s = fit(pairs, chosen)
            bleu, decode_s = on_dev(model)
            final[chosen] = (model, bleu, train_s, decode_s)
        model, bleu, train_s, decode_s = final[chosen]
        print(f"seed {seed}: selection slice BLEU-4 " + "; ".join(f"[{d.label()}] {v:.2f}" for d, v in scores))
        print(f"seed {seed}: chosen [{chosen.label()}] -> dev {bleu} (train {train_s:.1f} s, translate "
              f"{decode_s:.1f} s), tuning {model.meta['tuning']}", flush=True)
        rows.append((f"model, selected on train slice seed {seed} ({chosen.label()}), tuned", str(bleu),
                     f"{train_s:.1f} s", speed(decode_s)))
    if args.baseline_tree is not None:
        bleu_text, train_s, decode_s = baseline(args.baseline_tree, args.corpus)
        rows.append((f"baseline: the model of {args.baseline_tree}, its defaults, tuned", bleu_text,
                     f"{train_s:.1f} s", speed(decode_s)))
    if args.save_model is not None and final:
        list(final.values())[-1][0].save(args.save_model)

    print(f"PHOENIX-2014T dev ({len(dev_de)} sentences), sacrebleu {sacrebleu.__version__}, {machine}")
    print("| date | machine | system | BLEU-4 (dev) | training (incl. tuning) | translate (dev, 1 process) |")
    for name, bleu_text, train_text, decode_text in rows:
        print(f"| {date.today()} | {machine} | {name} | {bleu_text} | {train_text} | {decode_text} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
