"""Particle verbs ("macht ... auf" = aufmachen) and the open/closed words, resolved before lookup.

A separated particle is joined to its verb first, so the sign is looked up for the whole verb: the
bare base verb means something else (aufmachen "open" is not MACHEN, anfangen "begin" is not
FANGEN) and is never signed for it. A joined verb the lexicon lacks takes the sign of a verb with
the same meaning from PARTICLE_VERB_SIGNS, else it is fingerspelled whole. Predicative open/closed
("ist zu", "hat auf", "ist offen") is the sign ÖFFNEN or SCHLIESSEN.
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.signing_unit import Unit, dedupe
from signavatar.text_to_gloss.special_tokens import PHONE
from signavatar.text_to_gloss.tagging import TaggedWord

# Joined particle verb -> lemmas of signs with the same meaning, best first (data: extend freely).
PARTICLE_VERB_SIGNS: dict[str, tuple[str, ...]] = {
    "aufmachen": ("öffnen",), "aufschließen": ("öffnen",), "aufhaben": ("öffnen",),
    "zumachen": ("schließen",), "zuschließen": ("schließen",), "zuhaben": ("schließen",),
    "mitbringen": ("bringen",), "vorbeibringen": ("bringen",), "mitnehmen": ("nehmen",),
    "anrufen": ("telefonieren", "telefon"), "zurückrufen": ("anrufen", "telefonieren", "telefon"),
    "abgeben": ("geben",), "einreichen": ("abgeben", "geben"),
    "vorbeikommen": ("kommen",), "vorbeischauen": ("kommen",), "herkommen": ("kommen",),
    "vorzeigen": ("zeigen",), "vorlegen": ("vorzeigen", "zeigen"),
    "zuschicken": ("schicken",), "abschicken": ("schicken",), "zusenden": ("schicken",),
    "mitteilen": ("informieren", "sagen"), "anfangen": ("beginnen",),
    "aufschreiben": ("schreiben",), "eintragen": ("ausfüllen", "schreiben"),
}

# Predicative open/closed, the particle or adjective after sein/haben -> the sign's lemma.
OPEN_CLOSED: dict[str, str] = {
    "auf": "öffnen", "offen": "öffnen", "geöffnet": "öffnen",
    "zu": "schließen", "geschlossen": "schließen",
}

_OPEN_CLOSED_VERBS = frozenset({"sein", "haben"})


def particle_verb_keys(joined: str) -> tuple[str, ...]:
    """Vocabulary keys for a (joined) particle verb: the verb itself, then its same-meaning signs."""
    return dedupe(joined, *PARTICLE_VERB_SIGNS.get(joined, ()))


def is_open_closed(clause: Sequence[TaggedWord], i: int) -> bool:
    """Is `clause[i]` a predicative open/closed word? A left-over particle "zu"/"auf" (its verb is
    sein or haben, so it was not joined), "offen", or a clause-final "zu"/"auf" the tagger read as
    an adverb or preposition ("Am Sonntag haben wir zu.") in a clause with sein or haben."""
    word = clause[i]
    if word.surface.lower() not in OPEN_CLOSED:
        return False
    if word.pos in ("PTKVZ", "ADJ(D)"):
        return True
    final = i == len(clause) - 1 and word.pos in ("ADV", "APPR")
    return final and any(w.key in _OPEN_CLOSED_VERBS for w in clause if w.pos.startswith("VA"))


def has_open_closed(clause: Sequence[TaggedWord]) -> bool:
    """Does the clause say open/closed ("Wir haben heute zu": its haben is not signed)?"""
    return any(is_open_closed(clause, i) for i in range(len(clause)))


def open_closed_unit(clause: Sequence[TaggedWord], i: int) -> Unit | None:
    """ÖFFNEN/SCHLIESSEN for a predicative open/closed word ("Das Amt ist heute zu"), signed like a
    verb at the end of the clause; None for any other word."""
    if not is_open_closed(clause, i):
        return None
    word = clause[i]
    lemma = OPEN_CLOSED[word.surface.lower()]
    return Unit((word.surface,), "verb", (lemma,), lemma, rule="open-closed")


def attach_particles(clause: Sequence[TaggedWord]) -> dict[int, int]:
    """Map verb position -> position of its (first) separated particle later in the clause.

    A particle is what the tagger marks PTKVZ, or an APPR in SEPARABLE_PARTICLES that cannot be a
    preposition: last in the clause, before a phone number or before "und"/"oder" (HanTa tags a
    final "an" before ": 030 ..." and the "auf" of "macht um 10 auf und um 18 zu" as APPR; the
    "um" of "macht um 8 Uhr auf" is a preposition). sein, haben and the modals never take a
    particle: "ist ... zu" stays a word of its own (open_closed_unit). A second particle of the
    same verb is its own sign (second_particle_unit).
    """
    attached: dict[int, int] = {}
    for j in range(len(clause)):
        if _is_particle(clause, j):
            _attach(clause, j, attached)
    return attached


def second_particle_unit(clause: Sequence[TaggedWord], j: int) -> Unit | None:
    """The joined verb of a verb's second particle ("macht um 10 Uhr auf und um 18 Uhr zu": the
    "zu" is zumachen -> SCHLIESSEN), signed at its place among the verbs; None for any other word.
    Called only for words not attached by attach_particles."""
    if not _is_particle(clause, j):
        return None
    verb = _verb_before(clause, j)
    if verb is None or clause[verb].pos[:2] != "VV":
        return None
    joined = clause[j].surface.lower() + clause[verb].key
    return Unit((clause[verb].surface, clause[j].surface), "verb", particle_verb_keys(joined), joined,
                rule="particle-verb")


def _is_particle(clause: Sequence[TaggedWord], j: int) -> bool:
    word = clause[j]
    if word.pos == "PTKVZ":
        return True
    if not word.pos.startswith("APPR") or word.surface not in wc.SEPARABLE_PARTICLES:
        return False
    after = clause[j + 1] if j + 1 < len(clause) else None
    return after is None or PHONE.fullmatch(after.surface) is not None or after.key in _COORDINATORS


_COORDINATORS = frozenset({"und", "oder"})


def _verb_before(clause: Sequence[TaggedWord], j: int) -> int | None:
    """The nearest verb before `clause[j]` that can take a particle, or None."""
    verb = next((k for k in range(j - 1, -1, -1) if clause[k].pos.startswith("V")), None)
    if verb is None or clause[verb].key in wc.UNJOINED_VERBS or clause[verb].surface.lower().startswith("möcht"):
        return None
    return verb


def _attach(clause: Sequence[TaggedWord], j: int, attached: dict[int, int]) -> None:
    verb = _verb_before(clause, j)
    if verb is not None and verb not in attached:
        attached[verb] = j
