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
from signavatar.text_to_gloss.gloss_ids import to_gloss_id
from signavatar.text_to_gloss.signing_unit import Unit, dropped
from signavatar.text_to_gloss.special_tokens import EMAIL, PHONE, URL, starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord

# preposition -> its sign's lemma (data).
KEPT_PREPOSITIONS: dict[str, str] = {
    "ab": "ab", "seit": "seit", "vor": "vor", "nach": "nach", "bis": "bis", "innerhalb": "innerhalb",
    "pro": "pro", "unter": "unter", "über": "über",
}
# Only a limit before a number ("unter 18 Jahren", "über 100 Euro"); "unter www..." and
# "Informationen über den Pass" are not signed as UNTER/ÜBER.
LIMIT_PREPOSITIONS = frozenset({"unter", "über"})
# These make their phrase a time that moves first ("vor 3 Tagen", "nach dem Umzug").
TIME_PREPOSITIONS = frozenset({"seit", "vor", "nach", "innerhalb"})
# A measure before vor/nach moves with it: "10 Minuten vor Ihrem Termin" -> 10 MINUTE VOR TERMIN.
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
    if lower in LIMIT_PREPOSITIONS:
        first = next((w for w in following
                      if wc.is_number(w.surface) or URL.fullmatch(w.surface) or EMAIL.fullmatch(w.surface)), None)
        if first is None:
            return None  # "unter dem Tisch", "Informationen über den Pass": as any other preposition
        if not _is_amount(first):  # "unter 030 1234-567", "unter www.berlin.de": where, not a limit
            return dropped((word.surface,), "drop-function-word")
    if lower == "nach" and following and following[0].pos in wc.NAME_TAGS:
        return None  # "nach Berlin": a direction, shown by the verb's movement
    return Unit((word.surface,), "content", (lemma,), lemma, rule="kept-preposition", sign=to_gloss_id(lemma))


def attach_to_phrases(units: list[Unit]) -> list[Unit]:
    """Give each attaching unit the role of the phrase after it, so ordering moves them together.

    A phrase that moves first as a time (or a place, for a preposition) takes its preposition,
    UNGEFÄHR or NUR/SCHON along ("schon um 12 Uhr" -> SCHON 12 UHR); seit/vor/nach/innerhalb
    make their own phrase a time phrase ("nach dem Umzug", "vor 3 Tagen" -> NACH UMZIEHEN ...
    first). "Bis wann ...?" -> ... BIS WANN: the question word takes its preposition to the end.
    A focus particle stays before a place ("selbst ins Bürgeramt": BÜRGERAMT DU SELBST).
    """
    result = list(units)
    for k in range(len(result) - 1, -1, -1):
        unit = result[k]
        if unit.rule not in ATTACHING_RULES or unit.role == "dropped":
            continue
        span = _following_signed(result, k)
        if not span:
            continue
        target = result[span[-1]]
        if target.role == "time" or (target.role in ("place", "wh") and unit.rule != "focus-particle"):
            role = target.role
        elif _starts_time_phrase(unit):
            span = _noun_phrase(result, span)
            if not span or result[span[-1]].role != "content":
                continue
            role = "time"
            span = _measure_before(result, k) + span
        else:
            continue
        for n in (k, *span):  # `span` may hold a measure before k: the order among them stays
            if result[n].role in ("content", "time", "place", "wh"):
                result[n] = replace(result[n], role=role)
    return result


def _starts_time_phrase(unit: Unit) -> bool:
    return unit.rule == "kept-preposition" and bool(unit.keys) and unit.keys[0] in TIME_PREPOSITIONS


def _measure_before(units: Sequence[Unit], k: int) -> list[int]:
    """The positions of "10 Minuten" right before units[k] (number, then duration noun), or []."""
    signed = [n for n in range(k) if units[n].role != "dropped" and not units[n].optional]
    if len(signed) < 2:
        return []
    number, noun = units[signed[-2]], units[signed[-1]]
    if number.numbers and noun.keys and noun.keys[0] in DURATION_NOUNS and signed[-1] == k - 1:
        return list(range(signed[-2], k))
    return []


def _noun_phrase(units: Sequence[Unit], span: list[int]) -> list[int]:
    """`span` extended over numbers and UNGEFÄHR to the noun they count ("nach etwa 3 Wochen")."""
    while span and (units[span[-1]].numbers or units[span[-1]].rule == "approximate-quantity"):
        after = _following_signed(units, span[-1])
        if not after:
            return []
        span = span + after
    return span


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


def _is_amount(word: TaggedWord) -> bool:
    """A number that counts ("18", "zwei"), not a phone number or code ("unter 030 1234-567")."""
    if word.surface.lower() in wc.NUMBER_WORDS:
        return True
    return starts_with_digit(word.surface) and not word.surface.startswith("0") and not PHONE.fullmatch(word.surface)
