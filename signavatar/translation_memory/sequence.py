"""Turning an approved gloss string into the GlossSequence a translation returns."""

from __future__ import annotations

from dataclasses import replace

from signavatar.translation_memory.store import Match
from signavatar.types import GlossSequence


def memory_sequence(match: Match, approved: GlossSequence, rules: GlossSequence) -> GlossSequence:
    """The approved glosses (parsed, so kinds are right) with what the rules know about the text.

    The approved string carries no sentence type or face markers, so the sentence type comes from
    the rules' translation of the same text, and each approved gloss the rules also produced takes
    that token's non-manual markers and source words (first unused occurrence, left to right).
    """
    pool = list(rules.tokens)
    tokens = []
    for token in approved.tokens:
        same = next((i for i, r in enumerate(pool) if r.gloss == token.gloss), None)
        if same is None:
            tokens.append(token)
        else:
            twin = pool.pop(same)
            tokens.append(replace(token, words=twin.words, nonmanual=twin.nonmanual))
    return GlossSequence(
        tokens=tuple(tokens), sentence_type=rules.sentence_type, source_text=rules.source_text,
        warnings=(match.note(),),
    )
