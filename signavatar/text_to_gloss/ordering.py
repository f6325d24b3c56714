"""DGS order and sentence type for one sentence.

Per clause: time expressions first (they set the time line), then places, then the other signs
in German order (topic/subject before object), then the verbs, the modal after its main verb, the negation
after the whole verb complex ("HEUTE ICH KOMMEN KÖNNEN NICHT"). In a wh-question the question
words go to the very end; a question's face (raised brows for yes/no, lowered for wh) is on every
sign. A conditional clause comes first; condition, topic, affirmation and the headshake over the
negated verb complex: clause_markers.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from signavatar.text_to_gloss.clause_markers import CONDITION_WORDS, topic_words, unit_markers
from signavatar.text_to_gloss.conjunctions import condition_flags
from signavatar.text_to_gloss.signing_unit import dropped as dropped_unit
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.units import Role, Unit, clause_has_wh_word, clause_units, split_clauses
from signavatar.types import SentenceType

_CLAUSE_ORDER: tuple[Role, ...] = ("link", "time", "place", "content", "verb", "modal", "negation")


def plan_sentence(
    words: Sequence[TaggedWord], end: str, vocabulary: Mapping[str, str], they: frozenset[int] = frozenset()
) -> tuple[SentenceType, list[Unit]]:
    """Return the sentence type and the units of one tagged sentence in DGS order.

    `end` is the sentence-final mark from the tokenizer ("." "?" "!" or ""). Units of role
    "dropped" (words DGS leaves out, with their rule) come last, for explain(). `they`: positions
    of a "Sie" that means "they" (pronoun_reference.py).
    """
    clauses = split_clauses(words)
    if not clauses:
        return "statement", []
    sentence_type = _sentence_type(clauses[0], end)
    # a conditional clause is signed before its main clause (a final "..., wenn ..." too)
    marked = sorted(zip(condition_flags(clauses), clauses), key=lambda x: not x[0])
    conditions = [condition for condition, _ in marked]
    clauses = [clause for _, clause in marked]
    sentence_marker = {"question-yn": ("question-yn",), "question-wh": ("question-wh",)}.get(sentence_type, ())
    ordered: list[Unit] = []
    wh_units: list[Unit] = []
    dropped: list[Unit] = []
    for n, (clause, condition) in enumerate(zip(clauses, conditions)):
        units = clause_units(clause, vocabulary, wh_question=sentence_type == "question-wh", they=they)
        topic = topic_words(clause) if n == 0 and sentence_type == "statement" else frozenset()
        negated = any(u.role == "negation" for u in units)
        clause_marker = ("condition",) if condition else ()
        units = [_marked(u, unit_markers(u, negated, topic) + clause_marker + sentence_marker) for u in units]
        if condition:  # "wenn" is not signed (although the lexicon has WENN): the raised brows carry it
            units = [dropped_unit(u.words, "condition") if u.optional and set(u.keys) & CONDITION_WORDS else u
                     for u in units]
        for role in _CLAUSE_ORDER:
            ordered.extend(unit for unit in units if unit.role == role)
        wh_units.extend(unit for unit in units if unit.role == "wh")
        dropped.extend(unit for unit in units if unit.role == "dropped")
    ordered.extend(wh_units)
    ordered.extend(dropped)
    return sentence_type, ordered


def _marked(unit: Unit, markers: tuple[str, ...]) -> Unit:
    """`unit` with its markers; a plain lexicon sign marked as topic or affirmation is credited to
    that rule."""
    rule = unit.rule
    if rule == "lexicon" and "topic" in markers:
        rule = "topic"
    elif rule == "lexicon" and "affirmation" in markers:
        rule = "affirmation"
    return replace(unit, nonmanual=markers, rule=rule)


def _sentence_type(first_clause: Sequence[TaggedWord], end: str) -> SentenceType:
    """Question by "?" (or a leading question word without final punctuation), else imperative/statement.

    A question word only makes a wh-question in the first clause: in "Können Sie mir sagen, wo
    das Amt ist?" the question is yes/no and "wo" stays inside its clause.
    """
    first = first_clause[0]
    if first.key == "bitte" and len(first_clause) > 2:  # "Bitte bringen Sie ... mit."
        first_clause = first_clause[1:]
        first = first_clause[0]
    starts_wh = clause_has_wh_word(first_clause[:1])
    if (end == "?" or (end == "" and starts_wh)) and clause_has_wh_word(first_clause):
        return "question-wh"
    if end == "?":
        return "question-yn"
    verb_first = first.pos.startswith("V") and (first.pos.endswith("(FIN)") or first.pos.endswith("(IMP)"))
    addressed = len(first_clause) > 1 and first_clause[1].surface == "Sie"
    if verb_first and (end == "!" or first.pos.endswith("(IMP)") or addressed):
        return "imperative"
    return "statement"
