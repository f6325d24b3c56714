"""DGS order and sentence type for one sentence.

Per clause: time expressions first (they set the time line), then places, then the other signs
in German order (topic/subject before object), then the verbs, the modal after its main verb, the negation
after the whole verb complex ("HEUTE ICH KOMMEN KÖNNEN NICHT"). In a wh-question the question
words go to the very end with the wh-face; a yes/no question has raised brows on every sign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.units import Role, Unit, clause_has_wh_word, clause_units, split_clauses
from signavatar.types import SentenceType

_CLAUSE_ORDER: tuple[Role, ...] = ("time", "place", "content", "verb", "modal", "negation")
_NONMANUAL: dict[Role, tuple[str, ...]] = {"negation": ("negation",), "wh": ("question-wh",)}


def plan_sentence(
    words: Sequence[TaggedWord], end: str, vocabulary: Mapping[str, str]
) -> tuple[SentenceType, list[Unit]]:
    """Return the sentence type and the units of one tagged sentence in DGS order.

    `end` is the sentence-final mark from the tokenizer ("." "?" "!" or ""). Units of role
    "dropped" (words DGS leaves out, with their rule) come last, for explain().
    """
    clauses = split_clauses(words)
    if not clauses:
        return "statement", []
    sentence_type = _sentence_type(clauses[0], end)
    ordered: list[Unit] = []
    wh_units: list[Unit] = []
    dropped: list[Unit] = []
    for clause in clauses:
        units = clause_units(clause, vocabulary, wh_question=sentence_type == "question-wh")
        for role in _CLAUSE_ORDER:
            ordered.extend(unit for unit in units if unit.role == role)
        wh_units.extend(unit for unit in units if unit.role == "wh")
        dropped.extend(unit for unit in units if unit.role == "dropped")
    ordered.extend(wh_units)
    ordered.extend(dropped)
    question_yn = ("question-yn",) if sentence_type == "question-yn" else ()
    return sentence_type, [replace(u, nonmanual=_NONMANUAL.get(u.role, ()) + question_yn) for u in ordered]


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
