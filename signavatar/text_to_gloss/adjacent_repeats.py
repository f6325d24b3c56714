"""No sign twice in a row for one idea: "dauert lange" is not DAUERN DAUERN, "Kind ...
Kinderreisepass" not KIND KIND PASS.

Two adjacent equal lexicon signs from different words would read as a plural or as emphasis;
the only intended doubling is the plural repeat of one bare plural noun (FORMULAR FORMULAR, one
word). Numbers and fingerspelling are left alone: "0 3 0" and a name spelled twice are meant, and
so are two verbs (two predicates, "macht auf und ist ... offen": ÖFFNEN ... ÖFFNEN).
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.types import GlossToken

# rules of the signs of a clause's verb complex
VERB_RULES = frozenset({"verb-last", "particle-verb", "open-closed", "modal-after-verb"})


def merge_repeats(tokens: Sequence[GlossToken]) -> tuple[list[GlossToken], list[tuple[str, ...]]]:
    """The tokens without a lexicon sign that repeats the one before it from other words, and the
    words of each sign left out (explain() reports them under the rule "no-repeat")."""
    kept: list[GlossToken] = []
    left_out: list[tuple[str, ...]] = []
    for token in tokens:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and token.kind == previous.kind == "lexicon"
            and token.gloss == previous.gloss
            and token.words != previous.words
            and token.nonmanual == previous.nonmanual
            and not (token.rule in VERB_RULES and previous.rule in VERB_RULES)
        ):
            left_out.append(token.words)
            continue
        kept.append(token)
    return kept, left_out
