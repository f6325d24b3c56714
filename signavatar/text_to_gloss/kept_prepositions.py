"""Prepositions that carry the meaning of their phrase, signed before it and moved with it.

"ab 8 Uhr", "seit Montag", "vor 3 Tagen", "nach dem Termin", "bis Freitag", "innerhalb von 2
Wochen", "10 Euro pro Person", "unter 18 Jahren": without the preposition the phrase says
something else (a point instead of a start or a limit). Spatial and other prepositions (in, an,
auf, zu, für, mit, von, bei ...) are left to placement and stay optional (word_classes.py).

A kept preposition, an approximate quantity (UNGEFÄHR) or a focus particle (NUR) belongs to the
phrase that follows it: when that phrase moves first as a time or place, it moves with it
("Ab 8 Uhr können Sie kommen." -> AB 8 UHR DU KOMMEN KÖNNEN).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.text_to_gloss.special_tokens import PHONE, starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord

# preposition -> its sign's lemma (data).
KEPT_PREPOSITIONS: dict[str, str] = {
    "ab": "ab", "seit": "seit", "vor": "vor", "nach": "nach", "bis": "bis", "innerhalb": "innerhalb",
    "pro": "pro", "unter": "unter", "über": "über",
}
# Only a limit before a number ("unter 18 Jahren", "über 100 Euro"); "unter www..." and
# "Informationen über den Pass" are not signed as UNTER/ÜBER.
LIMIT_PREPOSITIONS = frozenset({"unter", "über"})
# These make "3 Tagen", "2 Wochen" after them a point in time that moves first ("vor 3 Tagen").
TIME_PREPOSITIONS = frozenset({"seit", "vor", "nach", "innerhalb"})
DURATION_NOUNS = frozenset({"minute", "stunde", "tag", "woche", "monat", "jahr"})
# Units of these rules belong to the phrase after them and move with it.
ATTACHING_RULES = frozenset({"kept-preposition", "approximate-quantity", "focus-particle", "comparative"})
_LOOKAHEAD = 4  # words between a limit preposition and its number ("über die 100 Euro")


def kept_preposition_unit(word: TaggedWord, i: int, clause: Sequence[TaggedWord]) -> Unit | None:
    """The unit of a meaning-bearing preposition, or None for any other word."""
    lower = word.surface.lower()
    lemma = KEPT_PREPOSITIONS.get(lower)
    if lemma is None or word.pos == "PTKVZ" or wc.is_verb(word.pos):
        return None
    following = clause[i + 1: i + 1 + _LOOKAHEAD]
    if lower in LIMIT_PREPOSITIONS and not any(_is_amount(w) for w in following):
        return None
    if lower == "nach" and following and following[0].pos in wc.NAME_TAGS:
        return None  # "nach Berlin": a direction, shown by the verb's movement
    return Unit((word.surface,), "content", (lemma,), lemma, rule="kept-preposition", sign=lemma.upper())


def attach_to_phrases(units: list[Unit]) -> list[Unit]:
    """Give each attaching unit the role of the phrase after it (time or place), so ordering moves
    them together; "vor/seit/nach/innerhalb" + number + duration noun becomes a time phrase."""
    result = list(units)
    for k in range(len(result) - 1, -1, -1):
        unit = result[k]
        if unit.rule not in ATTACHING_RULES or unit.role == "dropped":
            continue
        span = _following_signed(result, k)
        if not span:
            continue
        target = result[span[-1]]
        if target.role in ("time", "place"):
            role = target.role
        elif _is_time_phrase(unit, result, span):
            role = "time"
            span = span + _following_signed(result, span[-1])
        else:
            continue
        for n in (k, *span):
            if result[n].role in ("content", "time", "place"):
                result[n] = replace(result[n], role=role)
    return result


def _following_signed(units: Sequence[Unit], k: int) -> list[int]:
    """Positions after `k` up to and including the first unit that is surely signed (not dropped,
    not an optional function word)."""
    span: list[int] = []
    for n in range(k + 1, len(units)):
        if units[n].role == "dropped":
            continue
        span.append(n)
        if not units[n].optional:
            return span
    return []


def _is_time_phrase(unit: Unit, units: Sequence[Unit], span: list[int]) -> bool:
    """ "vor" + "3" + "Tagen": a time preposition, a number, a duration noun."""
    if unit.rule != "kept-preposition" or unit.keys[0] not in TIME_PREPOSITIONS:
        return False
    number = units[span[-1]]
    if not number.numbers:
        return False
    after = _following_signed(units, span[-1])
    return bool(after) and bool(units[after[-1]].keys) and units[after[-1]].keys[0] in DURATION_NOUNS


def _is_amount(word: TaggedWord) -> bool:
    """A number that counts ("18", "zwei"), not a phone number or code ("unter 030 1234-567")."""
    if word.surface.lower() in wc.NUMBER_WORDS:
        return True
    return starts_with_digit(word.surface) and not word.surface.startswith("0") and not PHONE.fullmatch(word.surface)
