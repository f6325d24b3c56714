"""The Unit: one thing to sign, between the grammar rules (units.py) and the lexicon lookup.

Kept apart so that every rule module can build units without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from signavatar import messages
from signavatar.text_to_gloss.sense_data import SenseChoice

Role = Literal["link", "time", "place", "content", "verb", "modal", "negation", "wh", "dropped"]


@dataclass(frozen=True)
class Unit:
    """One thing to sign (or, with role "dropped", a word deliberately left out).

    words: the German words it came from, in text order.
    keys: vocabulary keys to try, best first (lower case).
    spell: what to fingerspell when no key is in the vocabulary ("" for nothing to spell).
    numbers: digit groups to sign as numbers when no key matches ("37,50" -> ("37", "50")).
    optional: a function word: signed only when the vocabulary has it, else dropped by `drop_rule`.
    nonmanual: face/head markers, filled in by ordering.
    rule: the rule name (rules.py) that the signed result is credited to; for role "dropped" the
        rule that dropped it.
    sign: the one gloss a meaning rule asks for ("LANGE", "WIE-LANGE"): a key counts only when the
        vocabulary gives exactly this gloss (not DAUERN for "lange"), else `spell` is fingerspelled
        and the token keeps `rule`.
    repeat: how often the sign is made (2 for a bare plural: FORMULAR FORMULAR).
    reason: why the word is fingerspelled when it is, in German (signavatar/messages.py: "ist ein Name" ...).
    compound: may be split into lexicon signs when it has no sign of its own.
    sense: the sense layer's choice (senses.py) when it, not the lexicon, gives the sign.
    analysed: False for a word the tagger did not see (analysis_budget.py): no analysis for it later.
    """

    words: tuple[str, ...]
    role: Role
    keys: tuple[str, ...]
    spell: str
    numbers: tuple[str, ...] = ()
    optional: bool = False
    nonmanual: tuple[str, ...] = ()
    rule: str = "lexicon"
    drop_rule: str = "drop-function-word"
    sign: str = ""
    repeat: int = 1
    reason: str = messages.NOT_IN_LEXICON
    compound: bool = False
    sense: SenseChoice | None = None
    analysed: bool = True


def dropped(words: tuple[str, ...], rule: str) -> Unit:
    """A word DGS does not sign, kept so that --explain can say which rule dropped it."""
    return Unit(words, "dropped", (), "", rule=rule)


def dedupe(*keys: str) -> tuple[str, ...]:
    """Keys in order without repeats ("termin", "termin" -> ("termin",))."""
    return tuple(dict.fromkeys(keys))
