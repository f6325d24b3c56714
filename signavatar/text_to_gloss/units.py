"""From tagged German words to signing units with a grammatical role, per clause.

A unit is what becomes one gloss (or a few, for "37,50 €"): a word, a two-word phrase the
vocabulary has ("nächste woche"), a number expression (number_expressions.py), or a verb joined
with its separated particle ("melde ... an" -> "anmelden"). Dropped words become units of role
"dropped" naming their rule, so nothing disappears unexplained. Order is decided in ordering.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import islice

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.addresses import postcode_unit
from signavatar.text_to_gloss.conjunctions import opens_own_clause, place_connectors, split_coordinated
from signavatar.text_to_gloss.kept_prepositions import attach_to_phrases
from signavatar.text_to_gloss.number_expressions import number_expression
from signavatar.text_to_gloss.phrases import phrase_at
from signavatar.text_to_gloss.places import place_positions
from signavatar.text_to_gloss.senses import clause_verbs_taken, phrase_keys, with_sense
from signavatar.text_to_gloss.signing_unit import Role, Unit
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.time_words import time_word_positions
from signavatar.text_to_gloss.tokenize import is_punctuation
from signavatar.text_to_gloss.word_units import ClauseContext, word_unit

__all__ = ["Role", "Unit", "clause_has_wh_word", "clause_units", "split_clauses"]

_ROLE_RULES: dict[Role, str] = {"time": "time-first", "place": "place-after-time", "wh": "question-wh"}


def split_clauses(words: Sequence[TaggedWord]) -> list[list[TaggedWord]]:
    """Cut a sentence at commas, semicolons, colons and dashes into clauses, punctuation removed.

    A part without a verb ("Ja, ...", "..., ein Foto und das Formular") is not a clause of its
    own: it joins the previous part (or the next, when it comes first), so an enumeration keeps
    its objects before the verb. Clauses joined without a comma are cut by conjunctions.py.
    """
    parts: list[list[TaggedWord]] = [[]]
    for word in words:
        if word.surface in wc.CLAUSE_SEPARATORS:
            parts.append([])
        elif not is_punctuation(word.surface):
            parts[-1].append(word)
    clauses: list[list[TaggedWord]] = []
    pending: list[TaggedWord] = []
    for n, part in enumerate(parts):
        if not part:
            continue
        if any(wc.is_verb(w.pos) for w in part) or opens_own_clause(part, islice(parts, n + 1, None)):
            clauses.append(pending + part)
            pending = []
        elif clauses:
            clauses[-1].extend(part)
        else:
            pending.extend(part)
    if pending:
        clauses.append(pending)
    return [piece for clause in clauses for piece in split_coordinated(clause)]


def clause_has_wh_word(clause: Sequence[TaggedWord]) -> bool:
    """True if the clause contains a question word (as tagged by HanTa)."""
    return any(_is_wh(word) for word in clause)


def clause_units(
    clause: Sequence[TaggedWord], vocabulary: Mapping[str, str], wh_question: bool, they: frozenset[int] = frozenset()
) -> list[Unit]:
    """Turn one clause into units in text order; `wh_question` makes question words role "wh";
    `they`: positions of a "Sie" that means "they" (pronoun_reference.py)."""
    times = time_word_positions(clause)
    places = place_positions(clause, times)
    ctx = ClauseContext.of(clause, vocabulary, they)
    verbs_taken = clause_verbs_taken(clause)
    units: list[Unit] = []
    skip: set[int] = set(ctx.particles.values())
    for i, word in enumerate(clause):
        if i in skip:
            continue
        fixed = phrase_at(clause, i, skip)
        if fixed is not None:
            wh = fixed[0].question and wh_question
            units.append(replace(fixed[1], role="wh") if wh else fixed[1])
            skip.update(range(i + 1, i + len(fixed[0].words)))
            continue
        postcode = postcode_unit(clause, i)
        if postcode is not None:
            units.append(_with_role(postcode, "place") if i in places else postcode)
            continue
        expression = number_expression(clause, i)
        if expression is not None:
            parts, taken = expression
            skip.update(range(i + 1, i + taken))
            units.extend(_with_role(u, "place") if i in places and u.role == "content" else u for u in parts)
            continue
        following = clause[i + 1] if i + 1 < len(clause) and i + 1 not in skip else None
        phrase = _phrase_unit(word, following, vocabulary) or phrase_keys(word, following)
        if phrase is not None:
            role: Role = "time" if i in times or i + 1 in times else _phrase_role(word, wh_question)
            unit = with_sense(Unit(phrase[0], "content", phrase[1], " ".join(phrase[0])), clause, i, vocabulary)
            units.append(_with_role(unit, role))
            skip.add(i + 1)
            continue
        unit = with_sense(word_unit(word, i, ctx), clause, i, vocabulary, verbs_taken)
        if unit.role == "dropped":
            pass
        elif i in times:
            unit = _with_role(unit, "time")
        elif wh_question and _is_wh(word):
            unit = _with_role(unit, "wh")
            if word.key == "wie" and following is not None and following.key in wc.WIE_PARTNERS:
                units.append(unit)
                unit = Unit((following.surface,), "wh", (following.key,), following.key, rule="question-wh")
                skip.add(i + 1)
        elif i in places and unit.role == "content":
            unit = _with_role(unit, "place")
        units.append(unit)
    return place_connectors(_time_ranges(units))


def _with_role(unit: Unit, role: Role) -> Unit:
    """Give `unit` a role; a plain lexicon unit is then credited to that role's ordering rule."""
    rule = _ROLE_RULES.get(role, unit.rule) if unit.rule in ("lexicon", "pronoun") else unit.rule
    return replace(unit, role=role, rule=rule)


def _time_ranges(units: list[Unit]) -> list[Unit]:
    """ "Mo bis Fr", "8:00 bis 12:30": a "bis" between two time units is part of the time
    expression (moved first with it, and signed even when the vocabulary lacks it); a bare
    number before "bis" + clock time is an hour ("von 8 bis 12 Uhr"). First a kept preposition,
    UNGEFÄHR or NUR joins the time or place phrase after it (kept_prepositions.py)."""
    units = attach_to_phrases(units)
    signed = [k for k, u in enumerate(units) if u.role != "dropped"]
    result = list(units)
    for n, k in enumerate(signed[1:-1], 1):
        unit, before, after = units[k], units[signed[n - 1]], units[signed[n + 1]]
        if "bis" not in unit.keys or after.role != "time":
            continue
        if before.role != "time" and before.rule == "number" and len(before.numbers) == 1:
            result[signed[n - 1]] = replace(before, role="time", rule="clock-time")
            before = result[signed[n - 1]]
        if before.role == "time":
            result[k] = replace(unit, role="time", optional=False, rule="opening-hours")
    return result


def _phrase_unit(
    word: TaggedWord, following: TaggedWord | None, vocabulary: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(words, keys) when the two words form a phrase in the vocabulary ("wie viel", "nächste woche")."""
    if following is None or wc.is_verb(word.pos) or wc.is_verb(following.pos):
        return None
    for key in (f"{word.key} {following.key}", f"{word.surface.lower()} {following.surface.lower()}"):
        if key in vocabulary:
            return (word.surface, following.surface), (key,)
    return None


def _phrase_role(first: TaggedWord, wh_question: bool) -> Role:
    """A vocabulary phrase starting with a question word is a question word ("wie viel")."""
    return "wh" if wh_question and _is_wh(first) else "content"


def _is_wh(word: TaggedWord) -> bool:
    return word.pos in wc.WH_TAGS and word.key in wc.WH_LEMMAS
