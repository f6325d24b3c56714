"""From a unit to gloss tokens: lexicon sign, number, compound parts, or fingerspelling.

A content word is never dropped silently: without a sign it is split into lexicon signs when it
is a compound, else fingerspelled, and a warning says why, in German ("ist ein Name", "ist nicht
im Lexikon": signavatar/messages.py), so an editor can see what the clip spells and add the sign to the lexicon.
"""

from __future__ import annotations

from collections.abc import Mapping

from signavatar import messages
from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import fingerspell_gloss
from signavatar.text_to_gloss.analysis_budget import MAX_NUMBER_DIGITS
from signavatar.text_to_gloss.compounds import split_compound
from signavatar.text_to_gloss.senses import compound_vocabulary, known_glosses, sense_tokens
from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.types import GlossToken


def unit_tokens(unit: Unit, vocabulary: Mapping[str, str]) -> tuple[list[GlossToken], str | None]:
    """Return the tokens for `unit` and a warning when something was fingerspelled or left out.

    Order: vocabulary (keys best first; the sign repeated `unit.repeat` times), the sense layer's
    choice (senses.py: made only where the lexicon has no sign or the word has senses by context),
    a number's digits, a compound's parts, fingerspelling. An optional function word missing from the
    vocabulary gives no tokens and no warning (its drop rule is reported by explain()).
    """
    if unit.sense is not None:
        return sense_tokens(unit, known_glosses(vocabulary))
    for key in unit.keys:
        gloss = vocabulary.get(key)
        if gloss and (not unit.sign or gloss == unit.sign):
            rule = "plural-repeat" if unit.repeat > 1 else unit.rule
            rule = "lexicon" if rule.startswith("fingerspell-") else rule
            return [GlossToken(gloss, unit.words, "lexicon", unit.nonmanual, rule)] * unit.repeat, None
    if unit.optional or unit.role == "dropped":
        return [], None
    if unit.numbers:
        _check_number_lengths(unit.numbers)
        return [GlossToken(number, unit.words, "number", unit.nonmanual, unit.rule) for number in unit.numbers], None
    quoted = " ".join(unit.words)
    if unit.compound:
        parts = split_compound(unit.spell, compound_vocabulary(vocabulary), analyse=unit.analysed)
        # A name is split only when every part has a sign ("Kinderreisepass", tagged NE): "Schmidt" never.
        if parts is not None and not (unit.rule == "fingerspell-name" and any(g is None for _, g in parts)):
            return _compound_tokens(unit, parts, quoted)
    gloss = fingerspell_gloss(unit.spell)
    if gloss is None:
        return [], messages.left_out(quoted)
    # a meaning rule that asked for a sign keeps its name: fs-NUR is still the focus-particle rule
    rule = unit.rule if unit.rule.startswith("fingerspell-") or unit.sign else "fingerspell-unknown"
    warning = messages.fingerspelled(quoted, messages.sign_missing(unit.sign) if unit.sign else unit.reason)
    return [GlossToken(gloss, unit.words, "fingerspell", unit.nonmanual, rule)], warning


def _check_number_lengths(numbers: tuple[str, ...]) -> None:
    """InvalidInputError naming the first number of more than MAX_NUMBER_DIGITS digits."""
    for number in numbers:
        if len(number) > MAX_NUMBER_DIGITS:
            raise InvalidInputError(
                f"the number {number[:20]}... has {len(number)} digits; a number may have at most "
                f"{MAX_NUMBER_DIGITS}: write it in groups (e.g. 1234 5678) or leave it out"
            )


def _compound_tokens(
    unit: Unit, parts: list[tuple[str, str | None]], quoted: str
) -> tuple[list[GlossToken], str | None]:
    """Lexicon signs for the known parts, fingerspelling (and a warning) for a missing one."""
    tokens: list[GlossToken] = []
    missing: list[str] = []
    for part, gloss in parts:
        if gloss is not None:
            tokens.append(GlossToken(gloss, unit.words, "lexicon", unit.nonmanual, "compound-split"))
            continue
        spelled = fingerspell_gloss(part)
        if spelled is not None:
            tokens.append(GlossToken(spelled, unit.words, "fingerspell", unit.nonmanual, "compound-fingerspell"))
            missing.append(part)
    if not missing:
        return tokens, None
    return tokens, messages.compound_part_missing(quoted, "-".join(missing))
