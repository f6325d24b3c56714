"""`signavatar train-gloss`: train a gloss model from a parallel corpus folder."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from signavatar.settings import Settings


def add_train_parser(sub: Any) -> None:
    t = sub.add_parser(
        "train-gloss", help="train a German -> gloss model from a parallel corpus",
        description="Train a phrase-based German -> DGS gloss model from DIR/train.de and DIR/train.gloss "
        "(one sentence per line, same order); use it with `gloss --model`.",
    )
    t.add_argument("--corpus", required=True, type=Path, metavar="DIR", help="folder with train.de and train.gloss")
    t.add_argument("--out", required=True, type=Path, metavar="MODEL",
                   help="model file to write; inside a git work tree it must be a path git ignores "
                   "(e.g. var/), since a model carries its corpus's licence")
    t.add_argument("--allow-unignored", action="store_true",
                   help="write the model even where git would pick it up (only for a corpus whose licence "
                   "allows publishing what is trained on it)")
    t.add_argument("--lm-order", type=int, default=4, help="n-gram order of the gloss language model (default 4)")
    t.add_argument("--no-tune", action="store_true",
                   help="keep the generic feature weights instead of tuning them on held-out training pairs "
                   "(training with tuning takes 2-4 minutes for 7,000 pairs on 2 cores)")


def cmd_train_gloss(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    from signavatar.errors import InvalidInputError
    from signavatar.gloss_model import read_corpus, train
    from signavatar.gloss_model.guard import unignored_work_tree

    if not 1 <= args.lm_order <= 6:
        raise InvalidInputError(f"--lm-order must be 1 to 6, got {args.lm_order}")
    root = None if args.allow_unignored else unignored_work_tree(args.out)
    if root is not None:
        raise InvalidInputError(
            f"refusing to write the model to {args.out}: it is inside the git work tree {root} and not "
            "git-ignored, and a model carries its corpus's licence (PHOENIX-2014T: non-commercial, never "
            "committed); write it under an ignored folder such as var/, or pass --allow-unignored if the "
            "corpus allows it")
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    pairs = read_corpus(args.corpus)
    progress(f"read {len(pairs)} sentence pairs from {args.corpus}")
    model = train(pairs, lm_order=args.lm_order, tune=not args.no_tune, progress=progress)
    model.save(args.out)
    tuning = model.meta["tuning"]
    weights = "generic weights" if tuning is None else (
        f"weights tuned on {tuning['held_out']} held-out pairs, BLEU-4 {tuning['bleu_start']} -> {tuning['bleu_tuned']}"
    )
    print(f"model: {args.out} ({len(pairs)} pairs, trained in {model.meta['train_seconds']} s, {weights})")
    return 0
