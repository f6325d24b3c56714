"""Non-manual markers of whole clauses and phrases: condition, topic, affirmation, spread negation.

- condition: a clause that opens with "wenn", "falls" or "sofern" and has another clause after it
  ("Wenn Sie krank sind, kommen Sie später.") is signed first, with raised brows and the head
  forward on all its signs; the conjunction itself is not signed (the face carries it).
- topic: in a statement whose first clause fronts a noun phrase before the finite verb, with a
  personal pronoun right after that verb as the subject ("Das Formular brauche ich."), the fronted
  noun phrase is the object moved to the front on purpose: a topic, signed first with raised brows
  (FORMULAR ICH BRAUCHEN). Fronted time and place phrases are not marked: DGS puts them first
  anyway (time-first, place-after-time), so the German order says nothing about a topic there.
- negation: the headshake spreads from the negation sign over the verb complex of its clause
  (KOMMEN KÖNNEN NICHT), as the DGS headshake does over the predicate it negates.
- affirmation: "ja", "genau", "richtig", "stimmt" are signed with a head nod.
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.text_to_gloss.tagging import TaggedWord

CONDITION_WORDS = frozenset({"wenn", "falls", "sofern"})
AFFIRMATION_KEYS = frozenset({"ja", "genau", "richtig", "stimmt"})
SUBJECT_PRONOUNS = frozenset({"ich", "du", "er", "sie", "es", "wir", "ihr"})
NOUN_TAGS = frozenset({"NN", "NE"})
#: a bare noun phrase (no preposition: "Ohne Termin ..." is an adverbial, not a fronted object)
NOUN_PHRASE_TAGS = NOUN_TAGS | {"ART", "ADJA", "PPOSAT", "PDAT", "PIAT", "CARD"}


def is_condition(clause: Sequence[TaggedWord]) -> bool:
    """True if the clause opens with a conditional conjunction ("Wenn ...", "Falls ...")."""
    return bool(clause) and clause[0].surface.lower() in CONDITION_WORDS


def topic_words(clause: Sequence[TaggedWord]) -> frozenset[str]:
    """The surfaces of a fronted object noun phrase in a main clause (empty if there is none):
    the words before the finite verb, when they are a bare noun phrase (NOUN_PHRASE_TAGS, with a
    noun), and a subject pronoun follows the verb directly."""
    finite = next((i for i, w in enumerate(clause) if wc.is_verb(w.pos) and w.pos.endswith("(FIN)")), None)
    if finite is None or finite == 0 or finite + 1 >= len(clause):
        return frozenset()
    front, after = clause[:finite], clause[finite + 1]
    if after.pos != "PPER" or after.surface.lower() not in SUBJECT_PRONOUNS:
        return frozenset()
    if not any(w.pos in NOUN_TAGS for w in front) or any(w.pos not in NOUN_PHRASE_TAGS for w in front):
        return frozenset()
    return frozenset(w.surface for w in front)


def unit_markers(unit: Unit, clause_negated: bool, topic: frozenset[str]) -> tuple[str, ...]:
    """The markers of one unit from its own role and words (the clause's are added by the caller)."""
    markers: tuple[str, ...] = ()
    if unit.role == "negation" or (clause_negated and unit.role in ("verb", "modal")):
        markers += ("negation",)
    if unit.role in ("content", "verb") and set(unit.keys) & AFFIRMATION_KEYS:
        markers += ("affirmation",)
    if topic and unit.role == "content" and unit.words and set(unit.words) <= topic:
        markers += ("topic",)
    return markers
