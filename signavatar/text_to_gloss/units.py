"""From tagged German words to signing units with a grammatical role, per clause.

A unit is what becomes one gloss (or a few, for "37,50"): a word, a two-word phrase the
vocabulary has ("nächste woche"), or a verb joined with its separated particle ("melde ... an"
-> "anmelden"). Dropped words produce no unit. Order is decided later (ordering.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.time_words import time_word_positions
from signavatar.text_to_gloss.tokenize import is_punctuation

Role = Literal["time", "content", "verb", "modal", "negation", "wh"]

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


@dataclass(frozen=True)
class Unit:
    """One thing to sign.

    words: the German words it came from, in text order.
    keys: vocabulary keys to try, best first (lower case).
    spell: what to fingerspell when no key is in the vocabulary.
    numbers: digit groups to sign as numbers when no key matches ("37,50" -> ("37", "50")).
    optional: a function word: signed only when the vocabulary has it, else dropped silently.
    nonmanual: face/head markers, filled in by ordering.
    """

    words: tuple[str, ...]
    role: Role
    keys: tuple[str, ...]
    spell: str
    numbers: tuple[str, ...] = ()
    optional: bool = False
    nonmanual: tuple[str, ...] = ()


def split_clauses(words: Sequence[TaggedWord]) -> list[list[TaggedWord]]:
    """Cut a sentence at commas, semicolons, colons and dashes into clauses, punctuation removed.

    A part without a verb ("Ja, ...", "..., ein Foto und das Formular") is not a clause of its
    own: it joins the previous part (or the next, when it comes first), so an enumeration keeps
    its objects before the verb.
    """
    parts: list[list[TaggedWord]] = [[]]
    for word in words:
        if word.surface in wc.CLAUSE_SEPARATORS:
            parts.append([])
        elif not is_punctuation(word.surface):
            parts[-1].append(word)
    clauses: list[list[TaggedWord]] = []
    pending: list[TaggedWord] = []
    for part in parts:
        if not part:
            continue
        if any(wc.is_verb(w.pos) for w in part):
            clauses.append(pending + part)
            pending = []
        elif clauses:
            clauses[-1].extend(part)
        else:
            pending.extend(part)
    if pending:
        clauses.append(pending)
    return clauses


def clause_has_wh_word(clause: Sequence[TaggedWord]) -> bool:
    """True if the clause contains a question word (as tagged by HanTa)."""
    return any(_is_wh(word) for word in clause)


def clause_units(
    clause: Sequence[TaggedWord], vocabulary: Mapping[str, str], wh_question: bool
) -> list[Unit]:
    """Turn one clause into units in text order; `wh_question` makes question words role "wh"."""
    times = time_word_positions(clause)
    particles = _attach_particles(clause)
    haben_is_auxiliary = any(wc.is_participle(w.pos) for w in clause)
    subjects = {w.surface.lower() for w in clause if w.pos == "PPER"}
    units: list[Unit] = []
    skip: set[int] = set(particles.values())
    for i, word in enumerate(clause):
        if i in skip:
            continue
        following = clause[i + 1] if i + 1 < len(clause) and i + 1 not in skip else None
        phrase = _phrase_unit(word, following, vocabulary)
        if phrase is not None:
            role = "time" if i in times or i + 1 in times else _phrase_role(word, wh_question)
            units.append(Unit(phrase[0], role, phrase[1], " ".join(phrase[0])))
            skip.add(i + 1)
            continue
        unit = _word_unit(word, clause, i, particles, haben_is_auxiliary, subjects, vocabulary)
        if unit is None:
            continue
        if i in times:
            unit = replace(unit, role="time")
        elif wh_question and _is_wh(word):
            unit = replace(unit, role="wh")
            if word.key == "wie" and following is not None and following.key in wc.WIE_PARTNERS:
                units.append(unit)
                unit = Unit((following.surface,), "wh", (following.key,), following.key)
                skip.add(i + 1)
        units.append(unit)
    return units


def _word_unit(
    word: TaggedWord,
    clause: Sequence[TaggedWord],
    i: int,
    particles: dict[int, int],
    haben_is_auxiliary: bool,
    subjects: set[str],
    vocabulary: Mapping[str, str],
) -> Unit | None:
    """The unit for one word, or None when DGS does not sign it."""
    pos, key, lower = word.pos, word.key, word.surface.lower()
    words = (word.surface,)
    if pos in wc.DROPPED_TAGS:
        return None
    if pos in wc.OPTIONAL_TAGS:
        return Unit(words, "content", _dedupe(key, lower), word.lemma, optional=True)
    if key in wc.NEGATION_LEMMAS:
        return Unit(words, "negation", ("kein", "nicht") if key == "kein" else ("nicht",), key)
    if wc.is_verb(pos):
        return _verb_unit(word, clause, i, particles, haben_is_auxiliary)
    if pos == "PRF" or pos == "PPER":
        return _pronoun_unit(word, clause, subjects)
    if word.surface.startswith(wc.FORMAL_POSSESSIVE_PREFIX) and pos == "PPOSAT" and _formal(word, clause):
        return Unit(words, "content", wc.FORMAL_POSSESSIVE_KEYS, word.lemma)
    if key in wc.HONORIFICS and i + 1 < len(clause) and _is_name(clause[i + 1], vocabulary):
        return Unit(words, "content", (key,), word.surface, optional=True)
    if word.surface[:1].isdigit():
        return Unit(words, "content", _dedupe(lower), word.surface, numbers=_digit_groups(word.surface))
    if pos == "CARD" and lower in wc.NUMBER_WORDS:
        return Unit(words, "content", (lower,), word.surface, numbers=(wc.NUMBER_WORDS[lower],))
    if pos in ("PDS", "PIS", "PIAT", "PDAT"):  # HanTa lemmatises "das" to "der": look up the word
        return Unit(words, "content", _dedupe(lower, key), lower)
    spell = word.surface if pos in wc.SURFACE_SPELLED_TAGS or pos == "CARD" else word.lemma
    # HanTa strips adjectives to a stem ("nächsten" -> "nächst") that lexicons list as "nächste".
    extra = (key + "e",) if pos.startswith("ADJ") and not key.endswith("e") else ()
    return Unit(words, "content", _dedupe(key, lower, *extra), spell)


def _verb_unit(
    word: TaggedWord,
    clause: Sequence[TaggedWord],
    i: int,
    particles: dict[int, int],
    haben_is_auxiliary: bool,
) -> Unit | None:
    """Verbs: drop copula/auxiliaries, mark modals, join a separated particle ("an" + "melden")."""
    key = word.key
    if key in wc.COPULA_LEMMAS or (key == wc.HABEN and haben_is_auxiliary):
        return None
    if word.surface.lower().startswith("möcht"):  # HanTa says "mögen"; the sign is MÖCHTEN
        return Unit((word.surface,), "modal", ("möchten", "mögen"), "möchten")
    if key in wc.MODAL_LEMMAS:
        return Unit((word.surface,), "modal", _dedupe(key, word.surface.lower()), key)
    if i in particles:
        particle = clause[particles[i]]
        joined = particle.surface.lower() + key
        return Unit((word.surface, particle.surface), "verb", (joined, key), joined)
    return Unit((word.surface,), "verb", _dedupe(key, word.surface.lower()), word.lemma)


def _pronoun_unit(word: TaggedWord, clause: Sequence[TaggedWord], subjects: set[str]) -> Unit | None:
    """Personal and reflexive pronouns as the pointing sign of their person."""
    lower = word.surface.lower()
    if lower in wc.EXPLETIVES and word.pos == "PPER":
        return Unit((word.surface,), "content", (lower,), lower, optional=True)
    if word.pos == "PRF" and (lower == "sich" or wc.REFLEXIVE_SUBJECT.get(lower) in subjects):
        return None
    if word.surface in wc.FORMAL_PRONOUNS and _formal(word, clause):
        return Unit((word.surface,), "content", wc.FORMAL_PRONOUN_KEYS, lower)
    key = wc.PRONOUN_KEYS.get(lower, lower)
    return Unit((word.surface,), "content", (key,), key)


def _formal(word: TaggedWord, clause: Sequence[TaggedWord]) -> bool:
    """Is a capitalised Sie/Ihnen/Ihr- the formal "you"?

    Inside a sentence capitalisation decides. At the start it is ambiguous; official texts
    address the reader, so a following plural verb ("Sie müssen", "Sie sind") counts as formal.
    """
    if word.index > 0:
        return True
    position = next((k for k, w in enumerate(clause) if w is word), -1)
    if position < 0 or position + 1 >= len(clause):
        return False
    following = clause[position + 1]
    if word.pos == "PPOSAT":  # "Ihr Ausweis ...": in our domain the reader's, not "her" ID
        return True
    return wc.is_verb(following.pos) and (following.surface.endswith("n") or following.surface == "sind")


def _attach_particles(clause: Sequence[TaggedWord]) -> dict[int, int]:
    """Map verb position -> position of its separated particle (PTKVZ) later in the clause."""
    attached: dict[int, int] = {}
    for j, word in enumerate(clause):
        if word.pos != "PTKVZ":
            continue
        verb = next((k for k in range(j - 1, -1, -1) if clause[k].pos.startswith("V")), None)
        if verb is not None and verb not in attached:
            attached[verb] = j
    return attached


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


def _is_name(word: TaggedWord, vocabulary: Mapping[str, str]) -> bool:
    """A proper name, or a capitalised word the vocabulary does not know ("Frau Müller")."""
    if word.pos in wc.NAME_TAGS:
        return True
    known = word.key in vocabulary or word.surface.lower() in vocabulary
    return word.surface[:1].isupper() and not known


def _digit_groups(number: str) -> tuple[str, ...]:
    """"1.000" -> ("1000",); "37,50" -> ("37", "50"); "17." -> ("17",)."""
    number = number.rstrip(".")
    if _THOUSANDS.fullmatch(number):
        return (number.replace(".", ""),)
    return tuple(group for group in re.split(r"[.,:]", number) if group)


def _dedupe(*keys: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))
