"""`signavatar train-gloss`: train a gloss model from a parallel corpus folder and/or the city's
translation memory.

The memory's entries (text -> approved gloss string) are the city's own translations, checked by
an editor, so each is added MEMORY_WEIGHT times (default 5, `--memory-weight`): a sentence an
editor approved weighs as much as five corpus sentences in the phrase counts, the alignment and the
gloss language model. An editor's mouthing (`GLOSS{word}`) is not part of a gloss the model learns.
The copies go after the corpus pairs; weight tuning holds out evenly spread pairs
(tuning.held_out_split), so a held-out copy of an approved sentence may have its twins in the
tuning model's training pairs: with a memory small against the corpus this barely moves the tuned
weights, with a memory alone the tuning figure flatters the model.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signavatar.settings import Settings

if TYPE_CHECKING:
    from signavatar.gloss_model.corpus import Pair

MEMORY_WEIGHT = 5
_DATA_DIR = "data dir"  # --memory without a file: the translation memory of the configured data dir


def add_train_parser(sub: Any) -> None:
    t = sub.add_parser(
        "train-gloss", help="train a German -> gloss model from a parallel corpus",
        description="Train a phrase-based German -> DGS gloss model from DIR/train.de and DIR/train.gloss "
        "(one sentence per line, same order) and/or the translation memory's approved translations; "
        "use it with `gloss --model`.",
    )
    t.add_argument("--corpus", type=Path, metavar="DIR", help="folder with train.de and train.gloss")
    t.add_argument("--memory", nargs="?", const=_DATA_DIR, metavar="FILE",
                   help="also learn from the translation memory's approved translations: the data dir's "
                   "(SIGNAVATAR_DATA_DIR) without FILE, else the memory file FILE")
    t.add_argument("--memory-weight", type=int, default=MEMORY_WEIGHT, metavar="K",
                   help=f"times each approved translation is added to the pairs (default {MEMORY_WEIGHT}: "
                   "the city's own, checked translations weigh more than corpus sentences)")
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
    from signavatar.translation_memory import MEMORY_FILENAME

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

    if args.corpus is None and args.memory is None:
        raise InvalidInputError("give --corpus DIR, --memory, or both: there is nothing to train on")
    if args.memory_weight < 1:
        raise InvalidInputError(f"--memory-weight must be at least 1, got {args.memory_weight}")
    pairs = [] if args.corpus is None else read_corpus(args.corpus)
    if args.corpus is not None:
        progress(f"read {len(pairs)} sentence pairs from {args.corpus}")
    from_memory = 0
    if args.memory is not None:
        path = settings.data_dir / MEMORY_FILENAME if args.memory == _DATA_DIR else Path(args.memory)
        approved = memory_pairs(path)
        from_memory = len(approved)
        pairs += approved * args.memory_weight
        progress(f"read {from_memory} approved translations from the translation memory {path}, "
                 f"each added {args.memory_weight} times")
    model = train(pairs, lm_order=args.lm_order, tune=not args.no_tune, progress=progress)
    model.save(args.out)
    tuning = model.meta["tuning"]
    weights = "generic weights" if tuning is None else (
        f"weights tuned on {tuning['held_out']} held-out pairs, BLEU-4 {tuning['bleu_start']} -> {tuning['bleu_tuned']}"
    )
    memory = f", {from_memory} of them from the translation memory (x{args.memory_weight})" if args.memory else ""
    print(f"model: {args.out} ({len(pairs)} pairs{memory}, trained in {model.meta['train_seconds']} s, {weights})")
    return 0


def memory_pairs(path: Path) -> list[Pair]:
    """The translation memory's approved translations at `path` as (german tokens, glosses) training
    pairs, tokenised like a corpus; a gloss loses an editor's mouthing, fs- names keep their case,
    other glosses are upper-cased as the gloss string parser reads them."""
    from signavatar.errors import InvalidInputError
    from signavatar.fingerspelling import has_fingerspell_prefix
    from signavatar.gloss_model import tokenise_german
    from signavatar.text_to_gloss.mouthing_override import split_mouthing
    from signavatar.translation_memory import TranslationMemory

    if not path.is_file():
        raise InvalidInputError(f"no translation memory at {path}: approve translations first "
                                "(`signavatar memory approve` or the editor)")
    pairs: list[Pair] = []
    for entry in TranslationMemory(path).entries():
        glosses = [split_mouthing(token)[0] for token in entry.glosses.split()]
        glosses = [g if has_fingerspell_prefix(g) else g.upper() for g in glosses]
        german = tokenise_german(entry.text)
        if german and glosses:
            pairs.append((german, glosses))
    return pairs
