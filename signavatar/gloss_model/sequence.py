"""A model's glosses as the GlossSequence the pipeline returns."""

from __future__ import annotations

from collections.abc import Container, Sequence

from signavatar import messages
from signavatar.types import GlossSequence, GlossToken


def model_sequence(glosses: Sequence[str], rules: GlossSequence, known: Container[str], note: str) -> GlossSequence:
    """Glosses from a trained model; the sentence type is the rules'. `note` (the first warning) says
    that, and how confidently, the model translated (messages.from_model). A gloss the lexicon lacks
    (a corpus may use other gloss names) is kept as kind "unknown" with a warning."""
    tokens = []
    missing = []
    for g in glosses:
        if g in known:
            tokens.append(GlossToken(g, kind="lexicon"))
        elif g.isdigit():
            tokens.append(GlossToken(g, kind="number"))
        else:
            tokens.append(GlossToken(g, kind="unknown"))
            missing.append(g)
    warnings: tuple[str, ...] = (note,)
    if missing:
        warnings += (messages.model_glosses_unknown(" ".join(missing)),)
    return GlossSequence(tuple(tokens), rules.sentence_type, rules.source_text, warnings)
