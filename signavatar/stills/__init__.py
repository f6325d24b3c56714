"""Stills of lexicon signs, rendered with a pipeline: one tile per sign at its characteristic moment,
and contact sheets of many (sheet.py). Used by `signavatar lexicon sheet` and the lexicon pages."""
