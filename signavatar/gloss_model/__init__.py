"""A data-driven German -> DGS gloss translator, trained from any parallel corpus given at run time.

Public API: `train(pairs, tune=...) -> GlossModel` (tune: feature weights searched on held-out
training pairs, tuning.py and bleu.py; else generic hand-set `Weights()`),
`GlossModel.translate(text) -> list[str]`, `GlossModel.translate_scored(text) -> (glosses, confidence
in [0, 1])` (coverage of the words by the model times the mean phrase probability per word),
`GlossModel.save(path)`, `load_model(path)`, `read_corpus(folder)`,
`model_sequence`.
The model is phrase-based statistical MT in numpy and plain Python (alignment.py, phrases.py,
language_model.py, decoder.py; unknown German words mapped onto known ones by normalise.py); the
rules (text_to_gloss) stay the default when no model is given.
Trained models hold data derived from their corpus: keep them out of git (PHOENIX is CC BY-NC-SA;
`train-gloss` refuses to write one where git would pick it up, guard.py).
"""

from signavatar.gloss_model.corpus import read_corpus, tokenise_german
from signavatar.gloss_model.decoder import Weights
from signavatar.gloss_model.model import GlossModel, load_model, train
from signavatar.gloss_model.sequence import model_sequence

__all__ = ["GlossModel", "Weights", "load_model", "model_sequence", "read_corpus", "tokenise_german", "train"]
