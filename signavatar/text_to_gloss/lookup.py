"""From a unit to gloss tokens: lexicon sign, number, or fingerspelling as the fallback.

A content word is never dropped silently: without a sign it is fingerspelled and a warning
says so, so an editor can see what the clip spells and add the sign to the lexicon.
"""

from __future__ import annotations

from collections.abc import Mapping

from signavatar.text_to_gloss.gloss_ids import fingerspell_gloss
from signavatar.text_to_gloss.units import Unit
from signavatar.types import GlossToken


def unit_tokens(unit: Unit, vocabulary: Mapping[str, str]) -> tuple[list[GlossToken], str | None]:
    """Return the tokens for `unit` and a warning when it was fingerspelled or dropped.

    Order: vocabulary (keys best first), then a number's digits, then fingerspelling. Optional
    function words missing from the vocabulary give no tokens and no warning.
    """
    for key in unit.keys:
        gloss = vocabulary.get(key)
        if gloss:
            return [GlossToken(gloss, unit.words, "lexicon", unit.nonmanual)], None
    if unit.optional:
        return [], None
    if unit.numbers:
        return [GlossToken(number, unit.words, "number", unit.nonmanual) for number in unit.numbers], None
    quoted = " ".join(unit.words)
    gloss = fingerspell_gloss(unit.spell)
    if gloss is None:
        return [], f"'{quoted}' has no letters to fingerspell and is not in the lexicon: left out"
    warning = f"'{quoted}' is not in the lexicon: fingerspelled"
    return [GlossToken(gloss, unit.words, "fingerspell", unit.nonmanual)], warning
