"""A phrase-based statistical German -> gloss model: training, translating, saving, loading.

File format (version 2): gzip-compressed JSON with `format`, `version`, `meta` (corpus size,
training seconds, settings, and `tuning`: null, or held-out size, beam, BLEU-4 before and after,
decodes, seconds), `weights` (generic, or tuned on the training corpus), `source` ("surface": the
German words as written, or "lemma": their simplemma lemmas), `vocabulary` ({german word: training
count}, for the normaliser), `phrases` ({german phrase: [[glosses, [4 scores]], ...]}),
`deletion` ({word: log score}) and `lm` (order, vocab_size, alpha, gamma). Plain data, no pickle:
loading a model file cannot run code. Version 1 files (no vocabulary) are refused with a request
to train again.
"""

from __future__ import annotations

import gzip
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.gloss_model.alignment import TENSION, symmetrised_alignments
from signavatar.gloss_model.corpus import tokenise_german
from signavatar.gloss_model.decoder import BEAM, Weights, decode, search
from signavatar.gloss_model.language_model import LanguageModel, train_language_model
from signavatar.gloss_model.lemmas import SOURCES, lemma, source_words
from signavatar.gloss_model.normalise import Normaliser
from signavatar.gloss_model.phrases import PhraseTable, build_table
from signavatar.gloss_model.tuning import average_weights, held_out_split, tune_weights

FORMAT, VERSION = "signavatar-gloss-model", 2
Progress = Callable[[str], None]
DISCOUNT = 0.5  # phrase pair count discount: beat 0 on both held-out train slices (seeds 0 and 1)
TUNE_PAIRS = 500  # at most this many pairs held out to tune on,
TUNE_FRACTION = 0.08  # and at most this share of the corpus
TUNE_BEAM = 5  # beam while tuning: faster than the default 10, the same BLEU on a held-out train slice


@dataclass
class GlossModel:
    """Translate with `translate(text)`; built by `train`, stored by `save`, read by `load_model`."""

    table: PhraseTable
    deletion: dict[str, float]
    lm: LanguageModel
    weights: Weights = field(default_factory=Weights)
    meta: dict[str, Any] = field(default_factory=dict)
    vocabulary: dict[str, int] = field(default_factory=dict)  # German training words and their counts
    source: str = "surface"  # SOURCES: the German words as written, or their lemmas
    beam: int = BEAM

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise InvalidInputError(f"gloss model source {self.source!r} is not one of {', '.join(SOURCES)}")
        self._normaliser = Normaliser(self.vocabulary or dict.fromkeys(self.deletion, 1))

    def words(self, text: str) -> list[str]:
        """The German words the model translates: tokens (lemmas for a lemma model), unknown ones
        mapped onto known words where they are inflected forms or compounds of them (normalise.py)."""
        return self.normalised(source_words(tokenise_german(text), self.source))

    def normalised(self, words: Sequence[str]) -> list[str]:
        """Words already in the source form, unknown ones mapped onto known ones (normalise.py)."""
        return self._normaliser.words(words)

    def translate(self, text: str) -> list[str]:
        """German text -> glosses (a word the model has never seen is left out, a number kept)."""
        return self.translate_scored(text)[0]

    def translate_scored(self, text: str) -> tuple[list[str], float]:
        """German text -> (glosses, confidence in [0, 1]).

        confidence = coverage × phrase probability: coverage is the share of the German words the
        model knows (seen in training, a number, or mapped onto known words by the normaliser);
        the phrase probability is the geometric mean, over the known words, of φ(glosses | german)
        of the phrase each word was translated in (a phrase's log φ shared among its words; a word
        left out counts with its probability of having no sign). 0 for text without words."""
        words = self.words(text)
        if not words:
            return [], 0.0
        result = search(words, self.table, self.deletion, self.lm, self.weights, beam=self.beam)
        known = [s for s in result.steps if s.logprob is not None]
        n_known = sum(s.end - s.start for s in known)
        if n_known == 0:
            return result.glosses, 0.0
        coverage = n_known / len(words)
        mean = math.fsum(s.logprob for s in known if s.logprob is not None) / n_known
        return result.glosses, max(0.0, min(1.0, coverage * math.exp(min(0.0, mean))))

    def save(self, path: Path) -> None:
        """Write the model (gzip JSON) to `path`, through a temporary name so a reader never sees half a file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT, "version": VERSION, "meta": self.meta, "weights": asdict(self.weights),
            "source": self.source, "vocabulary": self.vocabulary,
            "phrases": {" ".join(src): [[" ".join(t), list(f)] for t, f in opts] for src, opts in self.table.items()},
            "deletion": self.deletion,
            "lm": {
                "order": self.lm.order, "vocab_size": self.lm.vocab_size,
                "alpha": self.lm.alpha, "gamma": self.lm.gamma,
            },
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
        raise InvalidInputError(
            f"{path}: gloss model version {data.get('version')}, this version reads {VERSION}; "
            "train it again with `signavatar train-gloss`")
    try:
        w = data["weights"]
        weights = Weights(**{**w, "phrase": tuple(w["phrase"])})
        table: PhraseTable = {
            tuple(src.split()): [(tuple(t.split()), tuple(f)) for t, f in opts] for src, opts in data["phrases"].items()
        }
        lm = data["lm"]
        language_model = LanguageModel(int(lm["order"]), int(lm["vocab_size"]), lm["alpha"], lm["gamma"])
        vocabulary = {str(w): int(c) for w, c in data["vocabulary"].items()}
        return GlossModel(table, data["deletion"], language_model, weights, data["meta"], vocabulary,
                          str(data["source"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(f"{path}: broken gloss model file ({type(exc).__name__}: {exc})") from None


def train(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]], *, lm_order: int = 4, max_phrase: int = 5,
    iterations: int = 10, tension: float = TENSION, weights: Weights | None = None, tune: bool = False,
    tune_beam: int = TUNE_BEAM, tune_pairs: int = TUNE_PAIRS, source: str = "surface", align_lemmas: bool = False,
    discount: float = DISCOUNT, tune_fraction: float = TUNE_FRACTION, tune_runs: int = 1,
    progress: Progress | None = None,
) -> GlossModel:
    """A model from (german tokens, gloss tokens) pairs (see corpus.read_corpus). CPU only;
    PHOENIX-2014T train (7,096 pairs) takes about 20 s on 2 cores, 2-4 minutes with tune.

    Without `tune` the model uses `weights` (default: the generic hand-set `Weights()`). With
    `tune`, a slice of the pairs is held out (tuning.held_out_split), a model trained on the rest
    decodes it with beam `tune_beam` while coordinate ascent searches the weights for BLEU-4,
    starting from `weights`; the final model is trained on all pairs and keeps the tuned weights.
    With `tune`, at most `tune_pairs` and `tune_fraction` of the pairs are held out.
    Nothing but the given pairs is used. The design settings (lm_order, max_phrase, iterations,
    tension, source, align_lemmas, discount, tune_pairs) are not tuned here: their defaults were
    chosen on held-out slices of PHOENIX train (tuning.selection_split, `benchmarks/gloss_bleu.py`),
    never on dev or test."""
    say = progress or (lambda _: None)
    if source not in SOURCES:
        raise InvalidInputError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    kept = [(source_words(d, source), list(g)) for d, g in pairs if d and g]  # the pairs with both sides
    if not kept:
        raise InvalidInputError("no sentence pairs to train on")
    started = time.perf_counter()
    weights = weights or Weights()
    tuning: dict[str, Any] | None = None
    if tune:
        held = held_out_split(len(kept), fraction=tune_fraction * tune_runs, at_most=tune_pairs * tune_runs)
        if not held:
            say(f"not tuning: {len(kept)} pairs are too few to hold some out; generic weights kept")
        else:
            held_set = set(held)
            rest = [p for i, p in enumerate(kept) if i not in held_set]
            say(f"tuning: training on {len(rest)} pairs, {len(held)} held out")
            partial = _build(rest, lm_order, max_phrase, iterations, tension, weights, source, align_lemmas,
                             discount, say)

            def translate(words: Sequence[str], w: Weights) -> list[str]:
                return decode(partial.normalised(words), partial.table, partial.deletion, partial.lm, w,
                              beam=tune_beam)

            # tune_runs > 1: one tuning per interleaved part of the held-out pairs, the weights
            # averaged (against the optimiser's instability, Cettolo et al. 2011)
            results = [tune_weights(translate, [kept[i] for i in held[k::tune_runs]], weights, say)
                       for k in range(tune_runs)]
            weights = average_weights([r.weights for r in results])
            tuning = {
                "held_out": len(held), "beam": tune_beam, "runs": tune_runs,
                "bleu_start": round(sum(r.bleu_start for r in results) / tune_runs, 2),
                "bleu_tuned": round(sum(r.bleu_tuned for r in results) / tune_runs, 2),
                "decodes": sum(r.evaluations for r in results),
                "seconds": round(sum(r.seconds for r in results), 1),
            }
            say(f"tuned in {tuning['seconds']} s; training on all {len(kept)} pairs")
    model = _build(kept, lm_order, max_phrase, iterations, tension, weights, source, align_lemmas, discount, say)
    seconds = time.perf_counter() - started
    model.meta.update(train_seconds=round(seconds, 1), tuning=tuning)
    say(f"trained in {seconds:.1f} s")
    return model


def _build(
    pairs: list[tuple[list[str], list[str]]], lm_order: int, max_phrase: int, iterations: int, tension: float,
    weights: Weights, source: str, align_lemmas: bool, discount: float, say: Progress,
) -> GlossModel:
    """A model of `pairs` (German side already in the `source` form); with `align_lemmas` the word
    alignment is computed on the German lemmas (phrases are still made of the words)."""
    started = time.perf_counter()
    aligned = [[lemma(w) for w in d] for d, _ in pairs] if align_lemmas else [d for d, _ in pairs]
    src_vocab = {w: i for i, w in enumerate(sorted({w for d in aligned for w in d}))}
    tgt_vocab = {w: i for i, w in enumerate(sorted({w for _, g in pairs for w in g}))}
    src = [[src_vocab[w] for w in d] for d in aligned]
    tgt = [[tgt_vocab[w] for w in g] for _, g in pairs]
    say(f"aligning {len(pairs)} pairs ({len(src_vocab)} German words, {len(tgt_vocab)} glosses)")
    alignments = symmetrised_alignments(src, tgt, len(src_vocab), len(tgt_vocab), iterations, tension)
    say(f"extracting phrases ({time.perf_counter() - started:.1f} s)")
    table, deletion = build_table(pairs, alignments, max_len=max_phrase, discount=discount)
    say(f"{len(table)} German phrases; training the {lm_order}-gram gloss model "
        f"({time.perf_counter() - started:.1f} s)")
    lm = train_language_model([g for _, g in pairs], order=lm_order)
    meta: dict[str, Any] = {
        "pairs": len(pairs), "lm_order": lm_order, "max_phrase": max_phrase, "iterations": iterations,
        "tension": tension, "align_lemmas": align_lemmas, "discount": discount,
    }
    vocabulary = dict(Counter(w for d, _ in pairs for w in d))
    return GlossModel(table, deletion, lm, weights, meta, vocabulary, source)
