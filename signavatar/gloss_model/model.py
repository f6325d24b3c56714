"""A phrase-based statistical German -> gloss model: training, translating, saving, loading.

File format (version 1): gzip-compressed JSON with `format`, `version`, `meta` (corpus size,
training seconds, settings), `weights`, `phrases` ({german phrase: [[glosses, [4 scores]], ...]}),
`deletion` ({word: log score}) and `lm` (order, vocab_size, alpha, gamma). Plain data, no pickle:
loading a model file cannot run code.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.gloss_model.alignment import symmetrised_alignments
from signavatar.gloss_model.corpus import tokenise_german
from signavatar.gloss_model.decoder import Weights, decode
from signavatar.gloss_model.language_model import LanguageModel, train_language_model
from signavatar.gloss_model.phrases import PhraseTable, build_table

FORMAT, VERSION = "signavatar-gloss-model", 1
Progress = Callable[[str], None]


@dataclass
class GlossModel:
    """Translate with `translate(text)`; built by `train`, stored by `save`, read by `load_model`."""

    table: PhraseTable
    deletion: dict[str, float]
    lm: LanguageModel
    weights: Weights = field(default_factory=Weights)
    meta: dict[str, Any] = field(default_factory=dict)
    beam: int = 40

    def translate(self, text: str) -> list[str]:
        """German text -> glosses (a word the model has never seen is left out, a number kept)."""
        return decode(tokenise_german(text), self.table, self.deletion, self.lm, self.weights, beam=self.beam)

    def save(self, path: Path) -> None:
        """Write the model (gzip JSON) to `path`, through a temporary name so a reader never sees half a file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT, "version": VERSION, "meta": self.meta, "weights": asdict(self.weights),
            "phrases": {" ".join(src): [[" ".join(t), list(f)] for t, f in opts] for src, opts in self.table.items()},
            "deletion": self.deletion,
            "lm": {"order": self.lm.order, "vocab_size": self.lm.vocab_size, "alpha": self.lm.alpha, "gamma": self.lm.gamma},
        }
        tmp = path.with_name(path.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        tmp.replace(path)


def load_model(path: Path) -> GlossModel:
    """Read a model written by GlossModel.save; InvalidInputError names the file when it is not one."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise InvalidInputError(f"model file {path} does not exist; train one with `signavatar train-gloss`") from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"{path} is not a gloss model file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInputError(f"{path} is not a gloss model file (format field is not {FORMAT!r})")
    if data.get("version") != VERSION:
        raise InvalidInputError(f"{path}: gloss model version {data.get('version')}, this version reads {VERSION}")
    try:
        w = data["weights"]
        weights = Weights(**{**w, "phrase": tuple(w["phrase"])})
        table: PhraseTable = {
            tuple(src.split()): [(tuple(t.split()), tuple(f)) for t, f in opts] for src, opts in data["phrases"].items()
        }
        lm = data["lm"]
        language_model = LanguageModel(int(lm["order"]), int(lm["vocab_size"]), lm["alpha"], lm["gamma"])
        return GlossModel(table, data["deletion"], language_model, weights, data["meta"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(f"{path}: broken gloss model file ({type(exc).__name__}: {exc})") from None


def train(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]], *, lm_order: int = 4, max_phrase: int = 5,
    iterations: int = 5, weights: Weights | None = None, progress: Progress | None = None,
) -> GlossModel:
    """A model from (german tokens, gloss tokens) pairs (see corpus.read_corpus). CPU only;
    PHOENIX-2014T train (7,096 pairs) takes about a minute on 2 cores."""
    say = progress or (lambda _: None)
    pairs = [(list(d), list(g)) for d, g in pairs if d and g]
    if not pairs:
        raise InvalidInputError("no sentence pairs to train on")
    started = time.perf_counter()
    src_vocab = {w: i for i, w in enumerate(sorted({w for d, _ in pairs for w in d}))}
    tgt_vocab = {w: i for i, w in enumerate(sorted({w for _, g in pairs for w in g}))}
    src = [[src_vocab[w] for w in d] for d, _ in pairs]
    tgt = [[tgt_vocab[w] for w in g] for _, g in pairs]
    say(f"aligning {len(pairs)} pairs ({len(src_vocab)} German words, {len(tgt_vocab)} glosses)")
    alignments = symmetrised_alignments(src, tgt, len(src_vocab), len(tgt_vocab), iterations)
    say(f"extracting phrases ({time.perf_counter() - started:.1f} s)")
    table, deletion = build_table(pairs, alignments, max_len=max_phrase)
    say(f"{len(table)} German phrases; training the {lm_order}-gram gloss model ({time.perf_counter() - started:.1f} s)")
    lm = train_language_model([g for _, g in pairs], order=lm_order)
    seconds = time.perf_counter() - started
    meta = {"pairs": len(pairs), "train_seconds": round(seconds, 1), "lm_order": lm_order, "max_phrase": max_phrase}
    say(f"trained in {seconds:.1f} s")
    return GlossModel(table, deletion, lm, weights or Weights(), meta)
