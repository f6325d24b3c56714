"""Small words that carry the meaning and must be signed: focus particles (nur, noch, schon,
selbst), approximate quantities (etwa 30 -> UNGEFÄHR 30), comparatives (länger als -> LÄNGER),
"nichts" as a negation (kostet nichts -> KOSTEN KEIN),
durations and lengths (lange -> LANGE, lang -> LANG), the meaning-bearing prepositions
(kept_prepositions.py) and the open/closed particles (particle_verbs.py).

A word the lexicon has no sign for is fingerspelled (lookup.py), never dropped: "nur bar" without
NUR says the opposite of what the office means.
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.gloss_ids import to_gloss_id
from signavatar.text_to_gloss.kept_prepositions import kept_preposition_unit
from signavatar.text_to_gloss.particle_verbs import open_closed_unit, second_particle_unit
from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.time_words import TIME_ADVERBS

# word -> the sign's lemma; "persönlich" only as an adverb ("persönlich kommen", not "persönliche Daten").
FOCUS_PARTICLES: dict[str, str] = {
    "nur": "nur", "noch": "noch", "schon": "schon", "bereits": "schon", "auch": "auch",
    "selbst": "selbst", "selber": "selbst", "persönlich": "selbst",
}
# Before a number these mean "about": "etwa 30 Euro" -> UNGEFÄHR 30 EURO.
APPROXIMATORS = frozenset({"etwa", "ungefähr", "rund", "circa", "ca.", "ca", "zirka"})
_ADVERBIAL = frozenset({"ADV", "ADJ(D)", "PTKA"})
# Demonstratives that point back at what the sentence is about ("Das dauert lange."): signed only
# when the lexicon has them; the topic is already set up.
DEMONSTRATIVES = frozenset({"das", "dies", "dieses"})


def meaning_word_unit(word: TaggedWord, i: int, clause: Sequence[TaggedWord]) -> Unit | None:
    """The unit of a meaning-bearing small word, or None to let the general word rules decide."""
    lower, words = word.surface.lower(), (word.surface,)
    kept = kept_preposition_unit(word, i, clause) or second_particle_unit(clause, i) or open_closed_unit(clause, i)
    if kept is not None:
        return kept
    if word.pos == "PTKVZ" and lower not in wc.SEPARABLE_PARTICLES and any(w.key == "sein" for w in clause):
        return Unit(words, "content", (word.key, lower), lower)  # "Der Eintritt ist frei.": predicative
    following = clause[i + 1] if i + 1 < len(clause) else None
    if lower in APPROXIMATORS and following is not None and _is_amount(following):
        return Unit(words, "content", ("ungefähr",), "ungefähr", rule="approximate-quantity", sign="UNGEFÄHR")
    if lower in FOCUS_PARTICLES and word.pos in _ADVERBIAL:
        lemma = FOCUS_PARTICLES[lower]
        return Unit(words, "content", (lemma,), lemma, rule="focus-particle", sign=to_gloss_id(lemma))
    if lower == "nichts" and word.pos in ("PIS", "PIAT"):  # "kostet nichts": negated like "kein", at the end
        return Unit(words, "negation", ("nichts", "kein", "nicht"), "nichts", rule="negation")
    if word.pos == "PDS" and lower in DEMONSTRATIVES:
        return Unit(words, "content", (lower,), lower, optional=True, drop_rule="drop-demonstrative")
    if (word.pos in _ADVERBIAL or word.pos in ("PIAT", "PIS")) and _is_comparative(word):
        return Unit(words, "content", (lower,), lower, rule="comparative", sign=to_gloss_id(lower))
    if word.key == "lange" and word.pos == "ADV":  # with the verb it modifies: DAUERN LANGE
        return Unit(words, "verb", ("lange",), "lange", rule="duration", sign="LANGE")
    if word.key == "lang" and word.pos.startswith("ADJ"):
        return Unit(words, "content", ("lang",), "lang", rule="length", sign="LANG")
    return None


def _is_amount(word: TaggedWord) -> bool:
    """A number, a number word or "ein/eine" ("etwa eine Woche")."""
    return wc.is_number(word.surface) or word.pos == "ART"


def _is_comparative(word: TaggedWord) -> bool:
    """ "länger" (lemma lang), "teurer" (teuer), "weniger": an -er form of another lemma."""
    lower = word.surface.lower()
    if lower in TIME_ADVERBS:  # "später" is a time word first (moved first, time-first)
        return False
    return lower.endswith("er") and lower != word.key
